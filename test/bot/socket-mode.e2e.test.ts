import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { SlackRequests } from '../helpers/slack-signing.js';
import { startSlackStandin, type SlackStandin } from '../helpers/slack-standin.js';
import { BOT_TOKEN, visibleText } from './bot-fixture.js';

const APP_TOKEN = 'xapp-1-A0TEST-1-socketmodetest';
let slack: SlackStandin;
let app: TestApp;
// Builds payloads only: in Socket Mode they arrive in envelopes over the socket, unsigned.
const payloads = new SlackRequests('http://unused.invalid', 'unused');

beforeAll(async () => {
  slack = await startSlackStandin({ token: BOT_TOKEN, appToken: APP_TOKEN });
  app = await startTestApp({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack.apiUrl, clock: '2026-03-02T09:00:00Z' });
  await slack.socketMode.connected();
});

afterAll(async () => {
  await app?.close();
  await slack?.close();
});

const form = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('connects out with the app-level token and serves no Slack route over HTTP', async () => {
    expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
    const response = await fetch(`${app.baseUrl}/slack/events`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(404);
  });

  it('answers /availability help in the envelope ack, and opens the modal for /availability', async () => {
    const help = await slack.socketMode.deliver('slash_commands', form(payloads.commandBody({ userId: 'USOCK', text: 'help', responseUrl: slack.responseUrl() })));
    expect(help.payload?.response_type).toBe('ephemeral');
    expect(visibleText(help.payload?.blocks)).toContain('`/availability list`');

    slack.setUser({ id: 'USOCK', realName: 'Socket Coach', tz: 'Europe/Paris', phone: '+33 1 23 45 67 89' });
    const since = slack.mark();
    await slack.socketMode.deliver('slash_commands', form(payloads.commandBody({ userId: 'USOCK', responseUrl: slack.responseUrl() })));
    const opened = await slack.waitForCall('views.open', { since });
    expect(opened.response.ok).toBe(true);
    expect(visibleText(opened.body.view.blocks)).toContain('Europe/Paris (CET)');
  });

  it('publishes App Home on app_home_opened', async () => {
    const since = slack.mark();
    await slack.socketMode.deliver('events_api', JSON.parse(payloads.eventBody({ type: 'app_home_opened', user: 'USOCK', channel: 'DUSOCK', tab: 'home' })));
    const published = await slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'USOCK' });
    expect(visibleText(published.body.view.blocks)).toContain('Socket Coach');
  });
});
