/**
 * /readyz reports the database, /healthz only the process: an orchestrator
 * stops routing to an instance whose database went away instead of killing it.
 */
import { describe, expect, inject, it } from 'vitest';
import { startDatabase } from '../../server/db/database.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { startServer } from '../../server/server.js';
import { TEST_WIDGET_SECRET } from '../helpers/app.js';
import { getJson } from '../helpers/http.js';

const kind = inject('mongoKind');

// It needs a database of its own to stop; with only MONGODB_URI there is none to spare.
describe.skipIf(kind === 'MONGODB_URI')('readiness', () => {
  it('turns /readyz to 503 when the database stops, while /healthz stays 200', async () => {
    const database = await startDatabase({ purpose: 'test', env: {}, log: () => {} });
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', WIDGET_SIGNING_SECRET: TEST_WIDGET_SECRET });
    const logger = createLogger({ level: 'silent', production: false }, { write: () => {} });
    const server = await startServer(config, { logger, database: { uri: database.uri, dbName: 'readiness' } });
    try {
      expect(await getJson(`${server.url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });

      await database.stop();

      expect(await getJson(`${server.url}/readyz`)).toMatchObject({ status: 503, body: { status: 'unavailable' } });
      expect(await getJson(`${server.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await server.close();
      await database.stop();
    }
  });
});
