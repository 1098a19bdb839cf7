/**
 * One Express app carries the probes, Slack's HTTP receiver and the widget
 * API. These pin the wiring: Slack's route is reached (not swallowed by the
 * widget router or the 404), and no shared body parser eats the raw body
 * Slack's signature is computed over.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { getJson } from '../helpers/http.js';

const SIGNING_SECRET = 'slack-signing-secret-for-the-wiring-test';

/** Just enough Web API for the bot to start: auth.test says who it is, everything else is ok. */
function startFakeSlackApi(): Promise<{ server: Server; url: string; calls: string[] }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      const body = req.url?.endsWith('/auth.test')
        ? { ok: true, user_id: 'UBOT', bot_id: 'BBOT', user: 'scheduler', team: 'Test team', team_id: 'T1' }
        : { ok: true };
      res.end(JSON.stringify(body));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/api/`, calls });
    }),
  );
}

function slackSignature(body: string, timestamp: number): string {
  return `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

describe('the HTTP app with Slack in HTTP mode and the widget API', () => {
  let slackApi: Awaited<ReturnType<typeof startFakeSlackApi>>;
  let app: TestApp;

  beforeAll(async () => {
    slackApi = await startFakeSlackApi();
    app = await startTestApp({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slackApi.url,
    });
  });

  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => slackApi?.server.close(resolve));
  });

  it('checks the bot token with Slack at start', () => {
    expect(slackApi.calls).toContain('/api/auth.test');
  });

  it('routes a signed Slack request to Bolt with its raw body intact', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'challenge-123', token: 'legacy' });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${app.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(body, timestamp),
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'challenge-123' });
  });

  it('refuses an unsigned request on the Slack route', async () => {
    const response = await fetch(`${app.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'url_verification', challenge: 'x' }),
    });
    await response.arrayBuffer();
    expect(response.status).toBe(401);
  });

  it('serves the widget API and the probes from the same port', async () => {
    const openapi = await getJson<{ openapi?: string }>(`${app.baseUrl}/api/v1/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toMatch(/^3\./);
    expect(await getJson(`${app.baseUrl}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await getJson(`${app.baseUrl}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('answers an unknown path with a 404 problem document and echoes the request id', async () => {
    const response = await getJson<{ code?: string }>(`${app.baseUrl}/nothing-here`, { headers: { 'x-request-id': 'req-42' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('route.not_found');
    expect(response.headers.get('x-request-id')).toBe('req-42');
  });
});
