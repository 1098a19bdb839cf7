import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { sendJson } from '../helpers/http.js';
import { startSlackStandin, STANDIN_TEAM_ID, type SlackStandin } from '../helpers/slack-standin.js';
import { bearer, mintToken, newStudent } from '../helpers/tokens.js';
import { DAY, HOUR, NOW, at } from './fixtures.js';

const BOT_TOKEN = 'xoxb-test-token';

let slack: SlackStandin;
let app: TestApp;

beforeAll(async () => {
  slack = await startSlackStandin({ token: BOT_TOKEN });
  app = await startTestApp({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: 'test-slack-signing-secret-widget',
    SLACK_API_URL: slack.apiUrl,
    RATE_LIMIT_PER_MINUTE: '1000',
    clock: NOW,
  });
});

afterAll(async () => {
  await app?.close();
  await slack?.close();
});

describe('the widget and Slack, one process', () => {
  it('a booking made through the widget API sends the coach a Slack DM with the student and their phone', async () => {
    const { coach } = await app.core.coaches.onboard({
      teamId: STANDIN_TEAM_ID,
      slackUserId: 'UWIDGETCOACH',
      name: 'Ada Okafor',
      timezone: 'Europe/London',
      phone: '+442079460018',
    });
    const slot = await app.core.slots.create(coach.id, { startsAt: at(2 * DAY + HOUR) });
    const student = newStudent({ name: 'Mia <Chen> & Co', phone: '+442079460333' });
    const since = slack.mark();

    const response = await sendJson<{ booking: { id: string } }>('POST', `${app.baseUrl}/api/v1/bookings`, { slotId: slot.id }, {
      headers: bearer(await mintToken(student, { now: app.clock.now() })),
    });
    expect(response.status).toBe(201);

    const dm = await slack.waitForCall('chat.postMessage', { since, where: (call) => call.body.channel === 'DUWIDGETCOACH' });
    expect(dm.response.ok).toBe(true);
    const everything = JSON.stringify([dm.body.text, dm.body.blocks]);
    // Slack shows the number grouped for reading (+44 20 7946 0333).
    expect(everything.replace(/ /g, '')).toContain('+442079460333');
    // The student's name arrives escaped for mrkdwn: no tag or entity injection from a host-site name.
    expect(everything).toContain('Mia &lt;Chen&gt; &amp; Co');
    expect(everything).not.toContain('Mia <Chen>');
  });
});
