import { afterAll, beforeAll } from 'vitest';
import type { Core, ManualClock } from '../../core/index.js';
import type { Coach } from '../../core/coaches/coach.schema.js';
import type { Student } from '../../core/students/student.schema.js';
import { ACTION, BLOCK } from '../../bot/ids.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { SlackRequests } from '../helpers/slack-signing.js';
import { startSlackStandin, STANDIN_TEAM_ID, type CallBody, type SlackStandin } from '../helpers/slack-standin.js';

export const SIGNING_SECRET = 'test-slack-signing-secret-8f2a';
export const BOT_TOKEN = 'xoxb-test-token';

export interface BotHarness {
  app: TestApp;
  core: Core;
  clock: ManualClock;
  slack: SlackStandin;
  requests: SlackRequests;
}

/**
 * The real server (Bolt on its HTTP receiver at /slack/events, core, the
 * run's database) with its Web API client pointed at the stand-in. One per
 * test file; the ack latency of every request the file sent is printed at the end.
 */
export function useBotHarness(label: string, start: string, env: Record<string, string> = {}): () => BotHarness {
  let harness: BotHarness | null = null;
  beforeAll(async () => {
    const slack = await startSlackStandin({ token: BOT_TOKEN });
    // Limits off: these suites book several sessions per student a day to test the Slack surfaces.
    const app = await startTestApp({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, STUDENT_DAILY_LIMIT: 'none', STUDENT_WEEKLY_LIMIT: 'none', clock: start, ...env });
    harness = { app, core: app.core, clock: app.clock, slack, requests: new SlackRequests(`${app.baseUrl}/slack/events`, SIGNING_SECRET) };
  });
  afterAll(async () => {
    if (!harness) return;
    const { requests } = harness;
    if (requests.latencies.length) {
      console.log(`[slack ${label}] ack latency: ${requests.latencySummary()}`);
    }
    await harness.app.close();
    await harness.slack.close();
  });
  return () => {
    if (!harness) throw new Error('the bot harness starts in beforeAll');
    return harness;
  };
}

/** State values as Slack sends them in view_submission, one builder per element type. */
export const typed = {
  date: (selected_date: string | null) => ({ [BLOCK.date]: { [ACTION.date]: { type: 'datepicker', selected_date } } }),
  times: (...times: string[]) => ({
    [BLOCK.times]: {
      [ACTION.times]: { type: 'multi_static_select', selected_options: times.map((t) => ({ text: { type: 'plain_text', text: t, emoji: true }, value: t })) },
    },
  }),
  weeks: (value: string | null) => ({ [BLOCK.weeks]: { [ACTION.weeks]: { type: 'number_input', value } } }),
  phone: (value: string | null) => ({ [BLOCK.phone]: { [ACTION.phone]: { type: 'plain_text_input', value } } }),
  satisfaction: (n: number | null) => ({
    [BLOCK.satisfaction]: {
      [ACTION.satisfaction]: { type: 'radio_buttons', selected_option: n === null ? null : { text: { type: 'plain_text', text: String(n) }, value: String(n) } },
    },
  }),
  notes: (value: string | null) => ({ [BLOCK.notes]: { [ACTION.notes]: { type: 'plain_text_input', value } } }),
  reason: (value: string | null) => ({ [BLOCK.cancelReason]: { [ACTION.cancelReason]: { type: 'plain_text_input', value } } }),
  profile: (name: string, phone: string | null, bio: string | null) => ({
    [BLOCK.profileName]: { [ACTION.profileName]: { type: 'plain_text_input', value: name } },
    [BLOCK.profilePhone]: { [ACTION.profilePhone]: { type: 'plain_text_input', value: phone } },
    [BLOCK.profileBio]: { [ACTION.profileBio]: { type: 'plain_text_input', value: bio } },
  }),
};

export const merge = (...parts: Array<Record<string, Record<string, CallBody>>>) => Object.assign({}, ...parts) as Record<string, Record<string, CallBody>>;

/** Runs `/availability` as a user and returns the modal the app opened. */
export async function openAvailabilityModal(h: BotHarness, userId: string): Promise<CallBody> {
  const since = h.slack.mark();
  const response = await h.requests.command({ userId, responseUrl: h.slack.responseUrl('cmd') });
  if (response.status !== 200) throw new Error(`/availability answered ${response.status}`);
  const call = await h.slack.waitForCall('views.open', { since });
  if (!call.response.ok) throw new Error(`views.open failed: ${JSON.stringify(call.response)}`);
  return call.response.view as CallBody;
}

/** A coach as `/availability` would make them, without going through Slack. */
export async function makeCoach(h: BotHarness, slackUserId: string, overrides: { name?: string; timezone?: string; phone?: string | null } = {}): Promise<Coach> {
  const { coach } = await h.core.coaches.onboard({
    teamId: STANDIN_TEAM_ID,
    slackUserId,
    name: overrides.name ?? `Coach ${slackUserId}`,
    timezone: overrides.timezone ?? 'Europe/London',
    phone: overrides.phone === undefined ? '+44 20 7946 0958' : overrides.phone,
  });
  h.slack.setUser({ id: slackUserId, realName: coach.name, tz: coach.timezone, phone: coach.phone ?? '' });
  return coach;
}

let studentCounter = 0;

export async function makeStudent(h: BotHarness, name = 'Sam Student', phone = '+44 20 7946 0123'): Promise<Student> {
  return h.core.students.upsert({ externalId: `student-${++studentCounter}-${Date.now()}`, name, phone });
}

/** Every mrkdwn string the app asked Slack to show (message text, mrkdwn objects), for escaping checks. */
export function mrkdwnTexts(calls: Array<{ method: string; body: CallBody }>): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as CallBody;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') found.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  for (const call of calls) {
    if (typeof call.body.text === 'string') found.push(call.body.text);
    walk(call.body.blocks);
    walk(call.body.view);
  }
  return found;
}

/** The text of every section, context and header in some blocks, joined: what a person would read. */
export function visibleText(blocks: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as CallBody;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') parts.push(o.text);
      else Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return parts.join('\n');
}

/** Buttons in some blocks, by action id. */
export function buttons(blocks: unknown, actionId: string): CallBody[] {
  const found: CallBody[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as CallBody;
      if (o.type === 'button' && o.action_id === actionId) found.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return found;
}
