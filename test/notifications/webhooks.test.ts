import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importReadmeSnippet } from '../helpers/readme-snippet.js';
import { startWebhookReceiver, type ReceivedHook, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { makeCoach } from '../api/fixtures.js';

const NOW = '2026-06-01T09:00:00.000Z';
const HOUR = 3_600_000;
const SECRET = 'webhook-secret-for-tests-0123456789abcdef';
const at = (offset: number) => new Date(new Date(NOW).getTime() + offset);

type Verify = (input: { body: string; headers: Record<string, unknown>; secret: string; toleranceSeconds?: number; now?: number }) => {
  id: string;
  type: string;
  data: Record<string, unknown>;
};

let receiver: WebhookReceiver;
let app: TestApp;
let verifyWebhook: Verify;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  app = await startTestApp({ clock: NOW, WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET: SECRET });
  ({ verifyWebhook } = await importReadmeSnippet<{ verifyWebhook: Verify }>('verify-webhook'));
});
afterAll(async () => {
  await app?.close();
  await receiver?.close();
});

const verify = (hook: ReceivedHook, overrides: Partial<Parameters<Verify>[0]> = {}) =>
  verifyWebhook({ body: hook.body, headers: hook.headers, secret: SECRET, now: app.clock.now().getTime(), ...overrides });

async function deliveredOf(type: string, bookingId: string) {
  for (let i = 0; i < 100; i++) {
    await app.jobs.runUntilIdle();
    const found = receiver.hooks.filter((h) => h.status === 200 && JSON.parse(h.body).type === type && JSON.parse(h.body).data.bookingId === bookingId);
    if (found.length) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${type} webhook for ${bookingId}`);
}

async function bookOne(name = 'Hook Student') {
  const coach = await makeCoach(app.core, { name: 'Coach Hook' });
  const slot = await app.core.slots.create(coach.id, { startsAt: at(48 * HOUR + Math.floor(Math.random() * 40) * 2 * HOUR) });
  const student = await app.core.students.upsert({ externalId: `hook-${Math.random()}`, name, phone: '+12125550123', email: 'hook@students.example' });
  const session = await app.core.bookings.book(student.id, { slotId: slot.id });
  return { coach, slot, student, session };
}

describe('webhooks', () => {
  it('signs every event so the README’s verifier accepts it, and refuses a bad or stale signature', async () => {
    const { coach, student, session } = await bookOne();
    const [hook] = await deliveredOf('booking.created', session.id);
    const event = verify(hook!);
    expect(event).toMatchObject({
      id: `booking.created.${session.id}`,
      type: 'booking.created',
      data: { bookingId: session.id, coach: { id: coach.id, name: 'Coach Hook' }, student: { id: student.externalId, site: 'default' }, status: 'active' },
    });
    expect(hook!.headers['x-scheduler-event-id']).toBe(event.id);
    // No phone or e-mail address leaves in a webhook.
    expect(hook!.body).not.toMatch(/\+1212|students\.example/);

    expect(() => verify(hook!, { body: hook!.body.replace('active', 'cancelled') })).toThrow('bad signature');
    expect(() => verify(hook!, { secret: `${SECRET}x` })).toThrow('bad signature');
    expect(() => verify(hook!, { headers: { ...hook!.headers, 'x-scheduler-signature': 'sha256=00' } })).toThrow('bad signature');
    expect(() => verify(hook!, { now: app.clock.now().getTime() + 301_000 })).toThrow('stale');
    expect(() => verify(hook!, { headers: { ...hook!.headers, 'x-scheduler-timestamp': undefined } })).toThrow('missing');
  });

  it('sends booking.rescheduled, booking.cancelled with who and why, and session.rated with the score but never the notes', async () => {
    const { coach, student, session } = await bookOne();
    const later = await app.core.slots.create(coach.id, { startsAt: at(200 * HOUR) });
    await app.core.bookings.reschedule({ kind: 'student', studentId: student.id }, session.id, { slotId: later.id });
    const [moved] = await deliveredOf('booking.rescheduled', session.id);
    expect(verify(moved!)).toMatchObject({ id: `booking.rescheduled.${session.id}.1`, data: { startsAt: later.startsAt.toISOString(), previous: { startsAt: session.startsAt.toISOString() } } });

    await app.core.bookings.cancelAsCoach(coach.id, session.id, { reason: 'Ill' });
    const [cancelled] = await deliveredOf('booking.cancelled', session.id);
    expect(verify(cancelled!).data).toMatchObject({ status: 'cancelled', cancelledBy: 'coach', reason: 'Ill' });

    const rated = await bookOne();
    app.clock.set(rated.session.endsAt);
    await app.core.feedback.record(rated.coach.id, rated.session.id, { satisfaction: 4, notes: 'Private: struggles with fractions' });
    const [score] = await deliveredOf('session.rated', rated.session.id);
    expect(verify(score!)).toMatchObject({ id: `session.rated.${rated.session.id}.1`, data: { score: 4, revision: 1 } });
    expect(score!.body).not.toContain('fractions');
    expect(score!.body).not.toContain('notes');
    app.clock.set(NOW);
  });

  it('retries a failing receiver with backoff and the same event id, and records a refusal without retrying it', async () => {
    receiver.answerNext(503, 500);
    const { session } = await bookOne();
    const id = (await app.core.jobs.list({ bookingId: session.id, kind: 'webhook' }))[0]!.id;
    await app.jobs.runUntilIdle();
    for (let i = 0; i < 2; i++) {
      const job = (await app.core.jobs.get(id))!;
      expect(job).toMatchObject({ status: 'pending', failures: i + 1 });
      app.clock.set(job.runAt);
      await app.jobs.runUntilIdle();
    }
    expect(await app.core.jobs.get(id)).toMatchObject({ status: 'done', failures: 2 });
    const attempts = receiver.hooks.filter((h) => h.headers['x-scheduler-event-id'] === `booking.created.${session.id}`);
    expect(attempts.map((h) => h.status)).toEqual([503, 500, 200]);
    expect(new Set(attempts.map((h) => h.body)).size).toBe(1);

    receiver.answerNext(410);
    const refused = await bookOne();
    const refusedId = (await app.core.jobs.list({ bookingId: refused.session.id, kind: 'webhook' }))[0]!.id;
    await app.jobs.runUntilIdle();
    expect(await app.core.jobs.get(refusedId)).toMatchObject({ status: 'failed', failures: 1, lastError: expect.stringContaining('answered 410') });
    app.clock.set(at(HOUR));
    await app.jobs.runUntilIdle();
    expect(receiver.hooks.filter((h) => h.headers['x-scheduler-event-id'] === `booking.created.${refused.session.id}`)).toHaveLength(1);
    app.clock.set(NOW);
  });
});
