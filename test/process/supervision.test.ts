/**
 * The embedded stand-in is supervised: killed, it comes back by itself on the
 * same address and data, /readyz follows it, and /healthz (liveness) never
 * flinches, so an orchestrator does not restart an app that will recover.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getJson, waitForStatus } from '../helpers/http.js';
import { TEST_WIDGET_SECRET } from '../helpers/app.js';
import { freePort, spawnServer, within, type ServerProcess } from './server-process.js';

describe.runIf(inject('mongoKind') === 'ferretdb-standin')('the embedded database under supervision', () => {
  let server: ServerProcess | null = null;
  let dataDir = '';
  afterAll(async () => {
    server?.kill('SIGTERM');
    if (server) await within(server.exited, 20_000, 'app exit');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('restarts a killed stand-in; /readyz goes 503 and back to 200 without restarting the app; /healthz stays 200', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'supervision-'));
    const port = await freePort();
    // No MONGODB_URI and no usable mongod: the app runs its own stand-in.
    server = spawnServer({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      WIDGET_SIGNING_SECRET: TEST_WIDGET_SECRET,
      MONGOMS_SYSTEM_BINARY: path.join(dataDir, 'no-such-mongod'),
      NODE_ENV: 'production',
    });
    await server.waitForLog(/^listening on /);
    const base = `http://127.0.0.1:${port}`;
    expect((await getJson(`${base}/readyz`)).status).toBe(200);

    const started = server.logs().find((l) => /^mongo-standin: started \(pid \d+\)$/.test(String(l.msg)));
    const pid = Number(/pid (\d+)/.exec(String(started?.msg))?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');

    await waitForStatus(`${base}/readyz`, 503, 5_000);
    expect((await getJson(`${base}/healthz`)).status).toBe(200);
    await server.waitForLog(/^mongo-standin: exited unexpectedly \(SIGKILL\); restarting in 250 ms$/, 5_000);
    await server.waitForLog(/^mongo-standin: restarted \(pid \d+\)$/, 15_000);
    await waitForStatus(`${base}/readyz`, 200, 15_000);
    // The API works again, on the same data, in the same app process.
    expect((await getJson(`${base}/api/v1/coaches`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});
