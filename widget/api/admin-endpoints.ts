import { pipeline } from 'node:stream/promises';
import type pino from 'pino';
import { sessionsCsv } from '../../core/admin/admin.csv.js';
import type { Core } from '../../core/core.types.js';
import { adminSessionsQuerySchema } from './contract.schema.js';
import { defineEndpoint, type Endpoint } from './endpoint.js';

/** Operations for the organisation's admins, with a host-signed token carrying `"admin": true`. */
export function adminEndpoints(core: Core, logger: pino.Logger): Endpoint[] {
  return [
    defineEndpoint({
      method: 'get',
      path: '/admin/sessions.csv',
      operationId: 'exportSessionsCsv',
      summary: 'Every session starting in [from, to), as CSV, for an admin',
      description:
        'Needs a token signed like a student token that carries `"admin": true` (`name` and `phone` are not needed); ' +
        'a token without it gets 403 `auth.not_admin`. With a `workspace` claim, that workspace’s sessions only; without, the whole deployment’s. ' +
        'The range may span at most 366 days (400 `range.too_wide`). Columns: coach, student, start_utc, end_utc, coach_time_zone, ' +
        'start_coach_time, end_coach_time (ISO 8601 with the coach’s offset), status (`active` or `cancelled`), score (1–5, empty when unrated). ' +
        'Notes, phone numbers and e-mail addresses are never included. Cells that a spreadsheet would run as a formula (starting with ' +
        '`=`, `+`, `-`, `@`, a tab or a carriage return) start with an apostrophe. UTF-8 with a byte-order mark, CRLF line ends (RFC 4180); ' +
        'the rows are streamed, soonest first.',
      tag: 'Admin',
      auth: 'admin',
      query: adminSessionsQuerySchema,
      responses: [{ status: 200, description: 'The sessions as CSV.', contentType: 'text/csv' }],
      problems: [400, 401, 403],
      async handle({ req, res, query, scope }) {
        // Checked before the first byte, so a bad range is a clean 400 problem.
        const { from, to } = core.admin.checkExportRange({ from: query.from, to: query.to });
        const rows = core.admin.exportSessions({ from, to }, scope);
        const day = (d: Date) => d.toISOString().slice(0, 10);
        res
          .status(200)
          .type('text/csv; charset=utf-8')
          .setHeader('Content-Disposition', `attachment; filename="sessions-${day(from)}-to-${day(to)}.csv"`)
          .setHeader('Cache-Control', 'private, no-store');
        try {
          await pipeline(sessionsCsv(rows), res);
        } catch (error) {
          // The status line has gone: all that is left is to cut the answer short, so it is not mistaken for a whole file.
          logger.error({ err: error, path: req.path }, 'sessions export failed part-way');
          res.destroy();
        }
      },
    }),
  ];
}
