import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { neutraliseFormula, sessionsCsvBuffer } from '../../core/admin/admin.csv.js';
import type { ExportRow } from '../../core/admin/admin.schema.js';

const row = (student: string, extra: Partial<ExportRow> = {}): ExportRow => ({
  coach: 'Ada',
  student,
  startsUtc: '2026-03-02T14:00:00.000Z',
  endsUtc: '2026-03-02T16:00:00.000Z',
  coachZone: 'Europe/London',
  startsCoachZone: '2026-03-02T14:00:00+00:00',
  endsCoachZone: '2026-03-02T16:00:00+00:00',
  status: 'active',
  score: null,
  ...extra,
});

async function* batches(...groups: ExportRow[][]) {
  for (const group of groups) yield group;
}

describe('the sessions CSV', () => {
  it('neutralises every cell a spreadsheet would run as a formula, and nothing else', () => {
    for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    for (const cell of ['Ada', '1-2', 'a=b', ' =1', '']) expect(neutraliseFormula(cell)).toBe(cell);
  });

  it('round-trips commas, quotes, line breaks and formula prefixes through a CSV parser, across batches', async () => {
    const names = ['Smith, Jane', 'Say "hi"', 'Two\nlines', 'CR\r\nLF', '=cmd|"/c calc"!A1', '\tTab', '\rReturn', '-minus', '@at', '+plus', 'Zoë 🦊'];
    const csv = await sessionsCsvBuffer(batches(names.slice(0, 4).map((n) => row(n)), names.slice(4).map((n) => row(n, { score: 3, notes: '=notes, "x"' }))), { withNotes: true });
    const records = parse(csv, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records.map((r) => r.student)).toEqual(names.map(neutraliseFormula));
    expect(records.at(-1)).toMatchObject({ score: '3', notes: `'=notes, "x"` });
    expect(records[0]).toMatchObject({ score: '', notes: '' });
    expect(Object.keys(records[0]!).at(-1)).toBe('notes');
  });

  it('has only the header for an empty range', async () => {
    const csv = (await sessionsCsvBuffer(batches())).toString('utf8');
    expect(csv).toBe('\uFEFFcoach,student,start_utc,end_utc,coach_time_zone,start_coach_time,end_coach_time,status,score\r\n');
  });
});
