/**
 * Correctly signed but hostile Slack requests — malformed payloads, wrong
 * types, oversized fields, mentions and links in every text — sent to the
 * real Bolt app: it never answers 5xx, never stops, and never sends a
 * mention or link that came from input to Slack unescaped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK, CALLBACK } from '../../bot/ids.js';
import { makeCoach, makeStudent, mrkdwnTexts, useBotHarness } from '../bot/bot-fixture.js';

const START = '2026-03-02T09:00:00Z';
const harness = useBotHarness('fuzz', START);

const REQUESTS = 400;
/** What must never reach Slack as written: each would ping, or link, if unescaped. */
const MARKERS = ['<!channel>', '<!here>', '<!everyone>', '<@UVICTIM>', '<http://evil.example|click>', '<#C0VICTIM>', '<!subteam^S0VICTIM>'];

const hostile = fc.oneof(
  fc.constantFrom(...MARKERS),
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom(...MARKERS), fc.string({ maxLength: 20 })).map((parts) => parts.join(' ')),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('', ' ', 'x'.repeat(5_000), `${'<!channel>'.repeat(300)}`, '&lt;!channel&gt;', '*bold* _it_ ~s~ `c`', '\u0000\u202e', '{"$gt":""}'),
);

const anyJson = fc.jsonValue({ maxDepth: 3 });

describe('Slack fuzzing through signed requests', () => {
  it(`survives ${REQUESTS} hostile interactions and escapes every mention that reaches Slack`, async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UFUZZ', { name: 'Coach <!channel> Fuzz' });
    h.slack.setUser({ id: 'UFUZZNEW', realName: 'New <!here> Coach', phone: '+44 20 7946 0777', tz: 'Europe/London' });
    const slots = await Promise.all(['2026-03-05T10:00:00Z', '2026-03-06T10:00:00Z', '2026-03-07T10:00:00Z'].map((startsAt) => h.core.slots.create(coach.id, { startsAt })));
    const student = await makeStudent(h, 'Student <@UVICTIM>');
    const booking = await h.core.bookings.book(student.id, { slotId: slots[0]!.id });
    const ids = [coach.id, slots[1]!.id, slots[2]!.id, booking.id, 'nope', '000000000000000000000000'];

    const user = fc.constantFrom('UFUZZ', 'UFUZZ', 'UFUZZNEW', 'UNOBODY', '<!channel>', '');
    const idOrHostile = fc.oneof(fc.constantFrom(...ids), hostile);
    const values = fc.record({
      [BLOCK.date]: fc.record({ [ACTION.date]: fc.record({ type: fc.constant('datepicker'), selected_date: fc.oneof(fc.constantFrom('2026-03-10', '2026-02-30', '1999-01-01', '2026-03-29'), hostile, fc.constant(null)) }) }),
      [BLOCK.times]: fc.record({ [ACTION.times]: fc.record({ type: fc.constant('multi_static_select'), selected_options: fc.array(fc.record({ value: fc.oneof(fc.constantFrom('09:00', '10:15', '25:00', '09:07'), hostile) }), { maxLength: 30 }) }) }),
      [BLOCK.weeks]: fc.record({ [ACTION.weeks]: fc.record({ type: fc.constant('number_input'), value: fc.oneof(fc.constantFrom('1', '0', '-3', '999999', '1.5'), hostile) }) }),
      [BLOCK.phone]: fc.record({ [ACTION.phone]: fc.record({ type: fc.constant('plain_text_input'), value: fc.oneof(fc.constant('+44 20 7946 0555'), hostile) }) }),
      [BLOCK.notes]: fc.record({ [ACTION.notes]: fc.record({ type: fc.constant('plain_text_input'), value: hostile }) }),
      [BLOCK.satisfaction]: fc.record({ [ACTION.satisfaction]: fc.record({ type: fc.constant('radio_buttons'), selected_option: fc.oneof(fc.constant(null), fc.record({ value: fc.oneof(fc.constantFrom('1', '5', '0', '6'), hostile) })) }) }),
      [BLOCK.cancelReason]: fc.record({ [ACTION.cancelReason]: fc.record({ type: fc.constant('plain_text_input'), value: hostile }) }),
      [BLOCK.profileName]: fc.record({ [ACTION.profileName]: fc.record({ type: fc.constant('plain_text_input'), value: hostile }) }),
      [BLOCK.profilePhone]: fc.record({ [ACTION.profilePhone]: fc.record({ type: fc.constant('plain_text_input'), value: fc.oneof(fc.constant('+44 20 7946 0666'), hostile) }) }),
      [BLOCK.profileBio]: fc.record({ [ACTION.profileBio]: fc.record({ type: fc.constant('plain_text_input'), value: hostile }) }),
    }, { requiredKeys: [] });

    const interaction = fc.oneof(
      fc.record({ kind: fc.constant('command' as const), user, text: fc.oneof(hostile, fc.constantFrom('list', 'help', 'add', '')) }),
      fc.record({
        kind: fc.constant('action' as const),
        user,
        actionId: fc.constantFrom(...Object.values(ACTION), 'unknown_action'),
        value: fc.oneof(idOrHostile, fc.constantFrom('upcoming:5', 'open:-1', 'past:999999', 'rating:x')),
      }),
      fc.record({
        kind: fc.constant('submission' as const),
        user,
        callbackId: fc.constantFrom(...Object.values(CALLBACK), 'unknown_callback'),
        metadata: fc.oneof(fc.constantFrom(JSON.stringify({ bookingId: booking.id }), JSON.stringify({ bookingId: { $gt: '' } }), '{bad json'), hostile, anyJson.map((v) => JSON.stringify(v))),
        values,
      }),
      fc.record({ kind: fc.constant('raw' as const), body: fc.oneof(fc.constantFrom('payload={bad', 'payload=', 'payload=null', 'payload=%7B%22type%22%3A42%7D', 'command=%2Favailability', ''), anyJson.map((v) => `payload=${encodeURIComponent(JSON.stringify(v))}`)) }),
      fc.record({ kind: fc.constant('event' as const), user, type: fc.constantFrom('app_home_opened', 'message', 'tokens_revoked', 'not_an_event'), extra: anyJson }),
    );

    type Sample = typeof interaction extends fc.Arbitrary<infer T> ? T : never;
    const since = h.slack.mark();
    const failures: string[] = [];
    const samples = fc.sample(interaction, { numRuns: REQUESTS, seed: 8_082_026 });
    // In parallel, as Slack delivers: an interaction no listener claims is answered only after Bolt's 3 s wait.
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < samples.length) {
          const sample = samples[next++]!;
          const response = await Promise.race([send(sample), new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000))]);
          if (response === null) failures.push(`${sample.kind} ${JSON.stringify(sample).slice(0, 300)} → no answer within 10 s`);
          else if (response.status >= 500) failures.push(`${sample.kind} ${JSON.stringify(sample).slice(0, 200)} → ${response.status} ${response.text.slice(0, 200)}`);
        }
      }),
    );

    async function send(sample: Sample) {
      switch (sample.kind) {
        case 'command':
          return h.requests.command({ userId: sample.user, text: sample.text, responseUrl: h.slack.responseUrl('fuzz') });
        case 'action':
          return h.requests.blockAction({
            userId: sample.user,
            actionId: sample.actionId,
            value: sample.value,
            container: { type: 'message', channel: 'DUFUZZ', ts: '1700000000.000100' },
            responseUrl: h.slack.responseUrl('fuzz'),
          });
        case 'submission':
          return h.requests.viewSubmission({
            userId: sample.user,
            view: { id: `VFUZZ${Math.random().toString(36).slice(2, 8)}`, hash: 'h', type: 'modal', callback_id: sample.callbackId, private_metadata: sample.metadata },
            values: sample.values as never,
          });
        case 'raw':
          return h.requests.send(sample.body, 'application/x-www-form-urlencoded');
        case 'event':
          return h.requests.event({ ...(typeof sample.extra === 'object' && sample.extra && !Array.isArray(sample.extra) ? sample.extra : {}), type: sample.type, user: sample.user, channel: `D${sample.user}`, tab: 'home' });
      }
      throw new Error(`unknown sample ${JSON.stringify(sample)}`);
    }
    // Follow-ups (DMs, Home tabs, response_url posts) are sent after the ack: let them land.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(failures.slice(0, 10)).toEqual([]);
    const sent = h.slack.calls.slice(since);
    console.log(`slack fuzz: ${REQUESTS} requests, ${sent.length} calls to the Slack stand-in`);
    expect(sent.length).toBeGreaterThan(50);
    const texts = mrkdwnTexts(sent);
    const leaks = texts.filter((text) => MARKERS.some((marker) => text.includes(marker)));
    expect(leaks.slice(0, 5)).toEqual([]);
    // The app still answers after all that.
    expect((await h.requests.command({ userId: 'UFUZZ', text: 'help', responseUrl: h.slack.responseUrl() })).status).toBe(200);
  });
});
