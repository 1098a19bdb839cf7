import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { ExportRow } from './admin.schema.js';

const COLUMNS: Array<{ key: keyof ExportRow; header: string }> = [
  { key: 'coach', header: 'coach' },
  { key: 'student', header: 'student' },
  { key: 'startsUtc', header: 'start_utc' },
  { key: 'endsUtc', header: 'end_utc' },
  { key: 'coachZone', header: 'coach_time_zone' },
  { key: 'startsCoachZone', header: 'start_coach_time' },
  { key: 'endsCoachZone', header: 'end_coach_time' },
  { key: 'status', header: 'status' },
  { key: 'score', header: 'score' },
];

/**
 * A spreadsheet runs a cell that starts with one of these as a formula
 * (CSV injection). Such a cell gets a leading apostrophe, which spreadsheets
 * show as text and hide, as OWASP recommends.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Writes export rows as RFC 4180 CSV (quotes, commas and line breaks inside
 * names are quoted by csv-stringify), one batch at a time, so a year of
 * sessions streams out instead of sitting in memory. A byte-order mark first,
 * so spreadsheet apps read the names as UTF-8.
 */
export function sessionsCsv(batches: AsyncIterable<ExportRow[]>, options: { withNotes?: boolean } = {}): Readable {
  const columns = options.withNotes ? [...COLUMNS, { key: 'notes' as const, header: 'notes' }] : COLUMNS;
  const csv = stringify({
    bom: true,
    header: true,
    columns: columns.map((c) => ({ key: c.key, header: c.header })),
    cast: { string: neutraliseFormula, number: (n) => String(n) },
    record_delimiter: 'windows',
  });
  const rows = Readable.from(
    (async function* () {
      for await (const batch of batches) for (const row of batch) yield row;
    })(),
  );
  rows.on('error', (error) => csv.destroy(error));
  return rows.pipe(csv);
}

/** The whole CSV in memory: for a Slack upload, whose length must be declared before the bytes go. */
export async function sessionsCsvBuffer(batches: AsyncIterable<ExportRow[]>, options: { withNotes?: boolean } = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of sessionsCsv(batches, options)) chunks.push(Buffer.from(chunk as string | Buffer));
  return Buffer.concat(chunks);
}
