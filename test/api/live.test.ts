import { describe, expect, it } from 'vitest';
import { DAY, HOUR, at, makeCoach, openSlot, useWidgetApp } from './fixtures.js';

const ctx = useWidgetApp();

/** Reads a server-sent event stream frame by frame, as an EventSource would. */
async function openStream(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    response,
    async next(): Promise<{ event: string; data: unknown }> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = frame.split('\n').filter((line) => !line.startsWith(':') && !line.startsWith('retry:'));
          if (lines.length === 0) continue;
          const field = (name: string) => lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
          return { event: field('event') ?? 'message', data: JSON.parse(field('data') ?? 'null') };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += value;
      }
    },
    close: () => controller.abort(),
  };
}

describe('GET /api/v1/live (server-sent events)', () => {
  it('tells every watcher at once that a slot was booked, and which coach changed otherwise', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, at(2 * DAY + HOUR));
    const [first, second] = [await openStream(ctx.url('/api/v1/live')), await openStream(ctx.url('/api/v1/live'))];
    try {
      expect(first.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(first.response.headers.get('cache-control')).toBe('no-store');
      for (const stream of [first, second]) expect(await stream.next()).toEqual({ event: 'ready', data: { scope: 'instance' } });

      const student = await ctx.core.students.upsert({ externalId: 'live-student', name: 'Live', phone: '+442079460999' });
      const session = await ctx.core.bookings.book(student.id, { slotId: slot.id });
      for (const stream of [first, second]) expect(await stream.next()).toEqual({ event: 'slots', data: { coachId: coach.id, slotId: slot.id, open: false } });

      await ctx.core.bookings.cancelAsStudent(student.id, session.id);
      expect(await first.next()).toEqual({ event: 'slots', data: { coachId: coach.id } });
      await openSlot(ctx.core, coach.id, at(3 * DAY + HOUR));
      expect(await first.next()).toEqual({ event: 'slots', data: { coachId: coach.id } });
    } finally {
      first.close();
      second.close();
    }
  });

  it('forgets a watcher that went away', async () => {
    const stream = await openStream(ctx.url('/api/v1/live'));
    await stream.next();
    stream.close();
    const coach = await makeCoach(ctx.core);
    // Writing to the departed watcher must not throw inside the domain event.
    await expect(openSlot(ctx.core, coach.id, at(4 * DAY + HOUR))).resolves.toMatchObject({ status: 'open' });
  });
});
