import { Types } from 'mongoose';
import type { SlotService } from '../core.types.js';
import type { ClaimRepository } from '../claims/claim.repository.js';
import { claimKeys } from '../claims/claim.repository.js';
import type { CoachRepository } from '../coaches/coach.repository.js';
import type { Coach } from '../coaches/coach.schema.js';
import type { Clock } from '../shared/clock.js';
import { sleep } from '../shared/db.js';
import { DomainError, isDomainError } from '../shared/errors.js';
import type { AuditActor } from '../audit/audit.schema.js';
import type { DomainEventBus } from '../shared/events.js';
import type { RulesConfig } from '../shared/rules-config.js';
import { inScope } from '../shared/scope.js';
import { pageSchema } from '../shared/time.schema.js';
import { parseInput } from '../shared/validate.js';
import type { SlotRepository } from './slot.repository.js';
import { noticeHours } from '../bookings/booking.rules.js';
import type { BookingRepository } from '../bookings/booking.repository.js';
import { withoutUnbookable } from '../policy/visibility.js';
import { toPublicCoach } from '../coaches/coach.service.js';
import { assertRange, assertSlotAcceptable, bookableFrom, horizonEnd, planSeries, slotEnd } from './slot.rules.js';
import { availabilityItems, extensionStart, summariseSeries } from './series.rules.js';
import type { LiveSlot } from './slot.repository.js';
import {
  openSlotsQuerySchema, seriesExtendSchema, slotCreateSchema, slotRangeSchema, slotSeriesSchema,
  type SeriesRemoval, type SeriesResult, type SeriesSummary, type SkippedOccurrence, type Slot,
} from './slot.schema.js';

/**
 * Reading every upcoming slot of a coach is bounded by the horizon: 180 days
 * of back-to-back 2-hour slots is 2,160.
 */
const LIVE_READ_LIMIT = 5_000;
/** Passes over slots a booking was in the middle of taking while a series was removed. */
const REMOVAL_ROUNDS = 5;

interface Deps {
  slots: SlotRepository;
  coaches: CoachRepository;
  claims: ClaimRepository;
  clock: Clock;
  rules: RulesConfig;
  events: DomainEventBus;
  bookings: BookingRepository;
}

export function createSlotService({ slots, coaches, claims, clock, rules, events, bookings }: Deps): SlotService {
  const bookable = (open: Slot[]) => withoutUnbookable({ coaches, bookings, rules, now: clock.now() }, open);

  /** Creates one slot after its rules pass; the coach's calendar cells are claimed first. */
  async function createOne(coach: Coach, startsAt: Date, endsAt: Date | undefined, series: { id: string; timezone: string } | null): Promise<Slot> {
    const coachId = coach.id;
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
      return await slots.insert({ _id, coachId, teamId: coach.teamId, startsAt, endsAt: end, seriesId: series?.id ?? null, seriesTimezone: series?.timezone ?? null, now: clock.now() });
    } catch (error) {
      await claims.releaseKeys(keys, owner);
      throw error;
    }
  }

  /** Creates planned occurrences one by one, reporting each refused one as skipped; `signal` stops between two slots. */
  async function createPlanned(coach: Coach, plan: ReturnType<typeof planSeries>, series: { id: string; timezone: string } | null, signal?: AbortSignal): Promise<Omit<SeriesResult, 'seriesId'>> {
    const created: Slot[] = [];
    const skipped: SkippedOccurrence[] = [...plan.skipped];
    let notAttempted = 0;
    for (const [index, occurrence] of plan.occurrences.entries()) {
      // Between two slots, never in the middle of one: a stop leaves only whole slots behind.
      if (signal?.aborted) {
        notAttempted = plan.occurrences.length - index;
        break;
      }
      try {
        created.push(await createOne(coach, occurrence.startsAt, undefined, series));
      } catch (error) {
        if (!isDomainError(error)) throw error;
        skipped.push({ ...occurrence, code: error.code, message: error.message });
      }
    }
    skipped.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.timeIndex - b.timeIndex);
    if (created.length > 0) {
      const single = !series || created.length === 1;
      await events.emit('slots.created', {
        coachId: coach.id,
        teamId: coach.teamId,
        slotId: single ? created[0]!.id : null,
        seriesId: series?.id ?? null,
        count: created.length,
        firstStartsAt: created[0]!.startsAt,
      });
      await events.emit('slots.changed', { coachId: coach.id });
    }
    return { created, skipped, notAttempted };
  }

  /**
   * Takes an open slot down. The removal takes the slot's booking claim for
   * good, so a booking that read the slot as open just before cannot land on
   * it afterwards, and one that claimed it first keeps it (`slot.booked`).
   */
  async function removeOpen(slot: Slot, actor: AuditActor): Promise<Slot> {
    if (slot.status === 'removed') throw new DomainError('slot.removed', 'That slot was already removed, so there is nothing more to do.');
    if (slot.status === 'booked') throw new DomainError('slot.booked');
    if (slot.status === 'withdrawn') throw new DomainError('slot.not_open');
    const claim = await claims.acquire([claimKeys.slot(slot.id)], claimKeys.removalOwner(slot.id), 'slot');
    if (!claim.ok && claim.holder !== claimKeys.removalOwner(slot.id)) throw new DomainError('slot.booked');
    await slots.setStatus(slot.id, 'removed', null, clock.now());
    await claims.releaseKeys(claimKeys.coachCells(slot.coachId, slot), slot.id);
    await events.emit('slot.removed', { coachId: slot.coachId, slotId: slot.id, actor });
    return { ...slot, status: 'removed' };
  }

  /** A series of this coach as one item, from its slots still to come; `series.not_found` when it has none as a weekly series. */
  async function seriesOf(coach: Coach, seriesId: string): Promise<{ summary: SeriesSummary; live: LiveSlot[] }> {
    const live = await slots.listLiveFrom(coach.id, clock.now(), LIVE_READ_LIMIT, seriesId);
    const summary = summariseSeries(seriesId, live, coach.timezone);
    if (!summary) throw new DomainError('series.not_found', 'That series has no upcoming weekly slots left. Refresh the list; single slots can be removed one by one.');
    return { summary, live };
  }

  const service: SlotService = {
    async create(coachId, input) {
      const { startsAt, endsAt } = parseInput(slotCreateSchema, input);
      const coach = await coaches.get(coachId);
      const slot = await createOne(coach, startsAt, endsAt, null);
      await events.emit('slots.created', { coachId, teamId: coach.teamId, slotId: slot.id, seriesId: null, count: 1, firstStartsAt: slot.startsAt });
      await events.emit('slots.changed', { coachId });
      return slot;
    },

    async createSeries(coachId, input, options = {}): Promise<SeriesResult> {
      const { date, times, timezone, weeks } = parseInput(slotSeriesSchema, input);
      const coach = await coaches.get(coachId);
      const seriesId = String(new Types.ObjectId());
      const plan = planSeries({ date, times, timezone, weeks }, clock.now(), rules);
      const inSeries = weeks > 1 || new Set(times).size > 1;
      return { seriesId, ...(await createPlanned(coach, plan, inSeries ? { id: seriesId, timezone } : null, options.signal)) };
    },

    async remove(coachId, slotId, actor = { kind: 'coach', id: coachId }) {
      const slot = await slots.get(slotId);
      if (slot.coachId !== coachId) throw new DomainError('slot.not_found');
      const removed = await removeOpen(slot, actor);
      await events.emit('slots.changed', { coachId });
      return removed;
    },

    async listAvailability(coachId, page) {
      const { limit, offset } = parseInput(pageSchema, page ?? {});
      const coach = await coaches.get(coachId);
      const live = await slots.listLiveFrom(coachId, clock.now(), LIVE_READ_LIMIT);
      const items = availabilityItems(live, coach.timezone);
      const shown = items.slice(offset, offset + limit);
      return {
        items: shown,
        total: items.length,
        nextOffset: offset + shown.length < items.length ? offset + shown.length : null,
        openSlots: live.filter((l) => l.slot.status === 'open').length,
      };
    },

    async series(coachId, seriesId) {
      return (await seriesOf(await coaches.get(coachId), seriesId)).summary;
    },

    async removeRestOfSeries(coachId, seriesId): Promise<SeriesRemoval> {
      const coach = await coaches.get(coachId);
      const { summary, live } = await seriesOf(coach, seriesId);
      let pending = live.filter((l) => l.slot.status === 'open').map((l) => l.slot);
      let removed = 0;
      for (let round = 0; round < REMOVAL_ROUNDS && pending.length > 0; round++) {
        if (round > 0) await sleep(20 + Math.random() * 30);
        const refused: Slot[] = [];
        for (const slot of pending) {
          try {
            await removeOpen(slot, { kind: 'coach', id: coachId });
            removed += 1;
          } catch (error) {
            if (!isDomainError(error)) throw error;
            // Booked meanwhile, or a booking holds its claim and has not written yet (and may still fail).
            if (error.code === 'slot.booked') refused.push(slot);
          }
        }
        const states = await slots.statesOf(refused.map((s) => s.id));
        pending = refused.filter((s) => states.get(s.id)?.status === 'open');
      }
      if (removed > 0) await events.emit('slots.changed', { coachId });
      const after = await slots.listLiveFrom(coachId, clock.now(), LIVE_READ_LIMIT, seriesId);
      return {
        series: summary,
        removed,
        kept: after.filter((l) => l.slot.status === 'booked').map((l) => l.slot),
        unsettled: after.filter((l) => l.slot.status === 'open').map((l) => l.slot),
      };
    },

    async extendSeries(coachId, seriesId, input) {
      const { weeks } = parseInput(seriesExtendSchema, input);
      const coach = await coaches.get(coachId);
      const { summary } = await seriesOf(coach, seriesId);
      // The same local times a week after the last one: planSeries adds weeks in the series' zone, so DST keeps the wall clock.
      const plan = planSeries({ date: extensionStart(summary), times: summary.times.map((t) => t.start), timezone: summary.timezone, weeks }, clock.now(), rules);
      return { seriesId, ...(await createPlanned(coach, plan, { id: seriesId, timezone: summary.timezone })) };
    },

    async listOpen(coachId, page) {
      const { limit, offset } = parseInput(pageSchema, page ?? {});
      return slots.listOpen(coachId, clock.now(), limit, offset);
    },

    async listBookable(coachId, range, scope) {
      const { from, to } = parseInput(slotRangeSchema, range);
      assertRange(from, to);
      const coach = await coaches.get(coachId);
      if (!inScope(scope, coach.teamId)) throw new DomainError('coach.not_found');
      const earliest = bookableFrom(clock.now(), { minNoticeHours: noticeHours(rules, coach.settings.minNoticeHours) });
      const start = from.getTime() > earliest.getTime() ? from : earliest;
      if (start.getTime() >= to.getTime()) return [];
      // 31 days of back-to-back 2-hour slots is at most 372.
      return bookable(await slots.listOpenBetween(coachId, start, to, 400));
    },

    async removeOpenInWorkspace(teamId) {
      let removed = 0;
      const refused = new Set<string>();
      for (;;) {
        // Each removal goes through the claims like a coach's Remove, so a booking racing it wins or loses cleanly.
        const batch = (await slots.listOpenInTeam(teamId, clock.now(), 100 + refused.size)).filter((slot) => !refused.has(slot.id));
        if (batch.length === 0) return removed;
        for (const slot of batch) {
          try {
            await service.remove(slot.coachId, slot.id, { kind: 'system', id: 'uninstall' });
            removed += 1;
          } catch (error) {
            if (!isDomainError(error)) throw error;
            refused.add(slot.id);
          }
        }
      }
    },

    async listBookableAcross(query, scope) {
      const { from, to, coachId, limit, cursor } = parseInput(openSlotsQuerySchema, query);
      // 32 days: a calendar month in any zone, with room for the hour a DST change adds.
      assertRange(from, to, 32);
      let coachIds: string[] | null = null;
      let asked: Coach | null = null;
      if (coachId) {
        asked = await coaches.get(coachId);
        coachIds = scope && asked.teamId !== scope.teamId ? [] : [coachId];
      } else if (scope) {
        coachIds = await coaches.idsInTeam(scope.teamId);
      }
      const now = clock.now();
      const earliest = bookableFrom(now, rules);
      const latest = horizonEnd(now, rules);
      const start = new Date(Math.max(from.getTime(), earliest.getTime()));
      const end = new Date(Math.min(to.getTime(), latest.getTime()));
      const after = cursor ? { startsAt: new Date(Number(cursor.split('_')[0])), id: cursor.split('_')[1]! } : null;
      const page = start < end && coachIds?.length !== 0 ? await slots.listOpenAcross({ from: start, to: end, coachIds, after, limit }) : { items: [], more: false };
      const last = page.items.at(-1);
      const nextFrom = new Date(Math.max(to.getTime(), earliest.getTime()));
      const nextOpenAfter = !page.more && nextFrom < latest && coachIds?.length !== 0 ? await slots.firstOpen(nextFrom, latest, coachIds) : null;
      const owners = await coaches.getMany(page.items.map((slot) => slot.coachId));
      // The coach asked for is named even on an empty page, so a client can show whose calendar it is.
      if (asked && coachIds?.length) owners.set(asked.id, asked);
      return {
        // Filtered after paging, so the cursor still follows the raw order; a page may come back shorter.
        slots: await bookable(page.items),
        coaches: [...owners.values()].map(toPublicCoach),
        nextCursor: page.more && last ? `${last.startsAt.getTime()}_${last.id}` : null,
        nextOpenAfter,
      };
    },

    get: (slotId) => slots.get(slotId),
  };
  return service;
}
