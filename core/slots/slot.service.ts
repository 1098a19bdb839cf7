import { Types } from 'mongoose';
import { DateTime } from 'luxon';
import type { SlotService } from '../core.types.js';
import type { ClaimRepository } from '../claims/claim.repository.js';
import { claimKeys } from '../claims/claim.repository.js';
import type { CoachRepository } from '../coaches/coach.repository.js';
import type { Clock } from '../shared/clock.js';
import { DomainError, isDomainError } from '../shared/errors.js';
import type { DomainEventBus } from '../shared/events.js';
import type { RulesConfig } from '../shared/rules-config.js';
import { pageSchema } from '../shared/time.schema.js';
import { parseInput } from '../shared/validate.js';
import type { SlotRepository } from './slot.repository.js';
import { assertRange, assertSlotAcceptable, bookableFrom, slotEnd } from './slot.rules.js';
import { slotCreateSchema, slotRangeSchema, slotSeriesSchema, type SeriesResult, type SkippedOccurrence, type Slot } from './slot.schema.js';

interface Deps {
  slots: SlotRepository;
  coaches: CoachRepository;
  claims: ClaimRepository;
  clock: Clock;
  rules: RulesConfig;
  events: DomainEventBus;
}

export function createSlotService({ slots, coaches, claims, clock, rules, events }: Deps): SlotService {
  /** Creates one slot after its rules pass; the coach's calendar cells are claimed first. */
  async function createOne(coachId: string, startsAt: Date, endsAt: Date | undefined, seriesId: string | null): Promise<Slot> {
    assertSlotAcceptable(startsAt, endsAt, clock.now(), rules);
    const end = slotEnd(startsAt);
    const _id = new Types.ObjectId();
    const owner = String(_id);
    const keys = claimKeys.coachCells(coachId, { startsAt, endsAt: end });
    const claim = await claims.acquire(keys, owner, 'coach-cell');
    if (!claim.ok) {
      const [other] = await slots.findMany([claim.holder]);
      const when = other ? ` (${other.startsAt.toISOString()} – ${other.endsAt.toISOString()})` : '';
      throw new DomainError('slot.overlaps', `That slot overlaps another of your slots${when}. Slots may touch end to start but not overlap.`, {
        conflictingSlotId: other?.id ?? null,
        issues: [{ path: 'startsAt', message: 'Overlaps one of your existing slots.' }],
      });
    }
    try {
      return await slots.insert({ _id, coachId, startsAt, endsAt: end, seriesId, now: clock.now() });
    } catch (error) {
      await claims.releaseKeys(keys, owner);
      throw error;
    }
  }

  return {
    async create(coachId, input) {
      const { startsAt, endsAt } = parseInput(slotCreateSchema, input);
      await coaches.get(coachId);
      const slot = await createOne(coachId, startsAt, endsAt, null);
      await events.emit('slots.changed', { coachId });
      return slot;
    },

    async createSeries(coachId, input): Promise<SeriesResult> {
      const { date, times, timezone, weeks } = parseInput(slotSeriesSchema, input);
      await coaches.get(coachId);
      const seriesId = String(new Types.ObjectId());
      const created: Slot[] = [];
      const skipped: SkippedOccurrence[] = [];
      const uniqueTimes = [...new Set(times)];
      for (let week = 0; week < weeks; week++) {
        for (const [timeIndex, time] of uniqueTimes.entries()) {
          // Adding weeks in the coach's zone keeps the wall-clock time across DST changes.
          const day = DateTime.fromISO(date, { zone: timezone }).plus({ weeks: week }).toISODate();
          const local = DateTime.fromISO(`${day}T${time}`, { zone: timezone });
          const startsAt = local.toUTC().toJSDate();
          const label = local.setLocale('en-GB').toFormat('ccc d LLL HH:mm');
          if (!local.isValid || local.toFormat('HH:mm') !== time) {
            skipped.push({
              startsAt, label, timeIndex,
              code: 'slot.no_such_local_time',
              message: `${time} does not exist on ${local.toFormat('ccc d LLL')} in ${timezone} because the clocks change.`,
            });
            continue;
          }
          try {
            created.push(await createOne(coachId, startsAt, undefined, weeks > 1 || uniqueTimes.length > 1 ? seriesId : null));
          } catch (error) {
            if (!isDomainError(error)) throw error;
            skipped.push({ startsAt, label, timeIndex, code: error.code, message: error.message });
          }
        }
      }
      if (created.length > 0) await events.emit('slots.changed', { coachId });
      return { seriesId, created, skipped };
    },

    async remove(coachId, slotId) {
      const slot = await slots.get(slotId);
      if (slot.coachId !== coachId) throw new DomainError('slot.not_found');
      if (slot.status === 'removed') return slot;
      if (slot.status === 'booked') throw new DomainError('slot.booked');
      if (slot.status === 'withdrawn') throw new DomainError('slot.not_open');
      // The removal takes the slot's booking claim for good, so a booking that
      // read the slot as open just before cannot land on it afterwards.
      const claim = await claims.acquire([claimKeys.slot(slot.id)], claimKeys.removalOwner(slot.id), 'slot');
      if (!claim.ok && claim.holder !== claimKeys.removalOwner(slot.id)) throw new DomainError('slot.booked');
      const now = clock.now();
      await slots.setStatus(slot.id, 'removed', null, now);
      await claims.releaseKeys(claimKeys.coachCells(coachId, slot), slot.id);
      await events.emit('slots.changed', { coachId });
      return { ...slot, status: 'removed' };
    },

    async listOpen(coachId, page) {
      const { limit, offset } = parseInput(pageSchema, page ?? {});
      return slots.listOpen(coachId, clock.now(), limit, offset);
    },

    async listBookable(coachId, range) {
      const { from, to } = parseInput(slotRangeSchema, range);
      assertRange(from, to);
      await coaches.get(coachId);
      const earliest = bookableFrom(clock.now(), rules);
      const start = from.getTime() > earliest.getTime() ? from : earliest;
      if (start.getTime() >= to.getTime()) return [];
      // 31 days of back-to-back 2-hour slots is at most 372.
      return slots.listOpenBetween(coachId, start, to, 400);
    },

    get: (slotId) => slots.get(slotId),
  };
}
