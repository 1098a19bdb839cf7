import { Types, type Model } from 'mongoose';
import { DomainError } from '../shared/errors.js';
import { backfillTeamIds, findByIds, guardDb, idString, objectIds, toObjectId } from '../shared/db.js';
import type { Page } from '../shared/time.schema.js';
import type { SlotDoc } from './slot.model.js';
import type { Slot, SlotStatus } from './slot.schema.js';

export function toSlot(doc: SlotDoc): Slot {
  return {
    id: String(doc._id),
    coachId: String(doc.coachId),
    teamId: doc.teamId,
    startsAt: doc.startsAt,
    endsAt: doc.endsAt,
    status: doc.status,
    bookingId: idString(doc.bookingId),
    seriesId: idString(doc.seriesId),
    createdAt: doc.createdAt,
  };
}

/** A live slot with the zone its series keeps its local time in (null outside a series, or made before that was stored). */
export interface LiveSlot {
  slot: Slot;
  seriesTimezone: string | null;
}

export class SlotRepository {
  constructor(private readonly model: Model<SlotDoc>) {}

  async insert(slot: { _id: Types.ObjectId; coachId: string; teamId: string; startsAt: Date; endsAt: Date; seriesId: string | null; seriesTimezone?: string | null; now: Date }): Promise<Slot> {
    const doc = await guardDb('slots.insert', () =>
      this.model.create({
        _id: slot._id,
        coachId: new Types.ObjectId(slot.coachId),
        teamId: slot.teamId,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        status: 'open',
        bookingId: null,
        seriesId: slot.seriesId ? new Types.ObjectId(slot.seriesId) : null,
        seriesTimezone: slot.seriesId ? (slot.seriesTimezone ?? null) : null,
        createdAt: slot.now,
        updatedAt: slot.now,
      }),
    );
    return toSlot(doc.toObject());
  }

  async get(slotId: string): Promise<Slot> {
    const id = toObjectId(slotId, 'slot.not_found');
    const doc = await guardDb('slots.get', () => this.model.findById(id).lean());
    if (!doc) throw new DomainError('slot.not_found', 'That slot does not exist. Refresh the list and pick another.');
    return toSlot(doc);
  }

  async findMany(ids: string[]): Promise<Slot[]> {
    const docs = await guardDb('slots.findMany', () => findByIds(objectIds(ids), (filter) => this.model.find(filter).lean().exec()));
    return docs.map(toSlot);
  }

  /** Status and last change of each slot that exists, for deciding whether a claim still guards it. */
  async statesOf(ids: string[]): Promise<Map<string, { status: SlotStatus; updatedAt: Date }>> {
    const docs = await guardDb('slots.statesOf', () =>
      findByIds(objectIds(ids), (filter) => this.model.find(filter).select({ status: 1, updatedAt: 1 }).lean().exec()),
    );
    return new Map(docs.map((d) => [String(d._id), { status: d.status, updatedAt: d.updatedAt }]));
  }

  async setStatus(slotId: string, status: SlotStatus, bookingId: string | null, now: Date): Promise<void> {
    await guardDb('slots.setStatus', () =>
      this.model.updateOne(
        { _id: new Types.ObjectId(slotId) },
        { $set: { status, bookingId: bookingId ? new Types.ObjectId(bookingId) : null, updatedAt: now } },
      ),
    );
  }

  async listOpen(coachId: string, from: Date, limit: number, offset: number): Promise<Page<Slot>> {
    const filter = { coachId: toObjectId(coachId, 'coach.not_found'), status: 'open' as const, startsAt: { $gte: from } };
    return guardDb('slots.listOpen', async () => {
      const [docs, total] = await Promise.all([
        this.model.find(filter).sort({ startsAt: 1 }).skip(offset).limit(limit).lean(),
        this.model.countDocuments(filter),
      ]);
      return { items: docs.map(toSlot), total, nextOffset: offset + docs.length < total ? offset + docs.length : null };
    });
  }

  /**
   * The coach's open and booked slots starting at or after `from`, soonest
   * first, with the zone of the series each belongs to. Bounded by the
   * booking horizon (no slot is created beyond it), at most `limit`.
   */
  async listLiveFrom(coachId: string, from: Date, limit: number, seriesId?: string): Promise<LiveSlot[]> {
    const filter: Record<string, unknown> = { coachId: toObjectId(coachId, 'coach.not_found'), status: { $in: ['open', 'booked'] }, startsAt: { $gte: from } };
    if (seriesId !== undefined) filter.seriesId = toObjectId(seriesId, 'series.not_found');
    const docs = await guardDb('slots.listLiveFrom', () => this.model.find(filter).sort({ startsAt: 1 }).limit(limit).lean());
    return docs.map((doc) => ({ slot: toSlot(doc), seriesTimezone: doc.seriesTimezone ?? null }));
  }

  async listOpenBetween(coachId: string, from: Date, to: Date, limit: number): Promise<Slot[]> {
    const docs = await guardDb('slots.listOpenBetween', () =>
      this.model
        .find({ coachId: toObjectId(coachId, 'coach.not_found'), status: 'open', startsAt: { $gte: from, $lt: to } })
        .sort({ startsAt: 1 })
        .limit(limit)
        .lean(),
    );
    return docs.map(toSlot);
  }

  /**
   * Open slots starting in [from, to), soonest first with ties by id, after
   * the given position: one page of the cross-coach listing. `coachIds` null
   * means every coach. Reads `limit + 1` to tell whether another page follows.
   */
  async listOpenAcross(q: { from: Date; to: Date; coachIds: string[] | null; after: { startsAt: Date; id: string } | null; limit: number }): Promise<{ items: Slot[]; more: boolean }> {
    const filter: Record<string, unknown> = { status: 'open', startsAt: { $gte: q.from, $lt: q.to } };
    if (q.coachIds) filter.coachId = { $in: q.coachIds.map((id) => new Types.ObjectId(id)) };
    if (q.after) {
      const at = q.after.startsAt;
      filter.$or = [{ startsAt: { $gt: at } }, { startsAt: at, _id: { $gt: new Types.ObjectId(q.after.id) } }];
    }
    const docs = await guardDb('slots.listOpenAcross', () => this.model.find(filter).sort({ startsAt: 1, _id: 1 }).limit(q.limit + 1).lean());
    return { items: docs.slice(0, q.limit).map(toSlot), more: docs.length > q.limit };
  }

  /** The first open slot starting in [from, before), for "next available" hints; one index probe. */
  async firstOpen(from: Date, before: Date, coachIds: string[] | null): Promise<Slot | null> {
    const filter: Record<string, unknown> = { status: 'open', startsAt: { $gte: from, $lt: before } };
    if (coachIds) filter.coachId = { $in: coachIds.map((id) => new Types.ObjectId(id)) };
    const doc = await guardDb('slots.firstOpen', () => this.model.findOne(filter).sort({ startsAt: 1, _id: 1 }).lean());
    return doc ? toSlot(doc) : null;
  }

  /**
   * The next open slot of each coach: one `limit(1)` probe per coach on the
   * { coachId, status, startsAt } index, so each costs one index seek however
   * many slots the coach has (a shared walk would visit every open slot of a
   * page whenever one coach on it has none).
   */
  async nextOpenForCoaches(coachIds: string[], from: Date): Promise<Map<string, Slot>> {
    const probes = await guardDb('slots.nextOpenForCoaches', () =>
      Promise.all(
        coachIds.map((id) =>
          this.model.findOne({ coachId: new Types.ObjectId(id), status: 'open', startsAt: { $gte: from } }).sort({ startsAt: 1 }).lean(),
        ),
      ),
    );
    const found = new Map<string, Slot>();
    for (const doc of probes) if (doc) found.set(String(doc.coachId), toSlot(doc));
    return found;
  }

  async countOpen(coachId: string, from: Date): Promise<number> {
    return guardDb('slots.countOpen', () =>
      this.model.countDocuments({ coachId: new Types.ObjectId(coachId), status: 'open', startsAt: { $gte: from } }),
    );
  }

  /** Open slots of a workspace that have not started, soonest first (for withdrawing them in bulk). */
  async listOpenInTeam(teamId: string, from: Date, limit: number): Promise<Slot[]> {
    const docs = await guardDb('slots.listOpenInTeam', () =>
      this.model.find({ teamId: String(teamId), status: 'open', startsAt: { $gte: from } }).sort({ startsAt: 1 }).limit(limit).lean(),
    );
    return docs.map(toSlot);
  }

  /**
   * How many open, not yet started slots each coach of a workspace has.
   * Counted here from the coach ids alone: the stand-in's $group is limited.
   */
  async openCountsInTeam(teamId: string, from: Date): Promise<Map<string, number>> {
    return guardDb('slots.openCountsInTeam', async () => {
      const counts = new Map<string, number>();
      const cursor = this.model.find({ teamId: String(teamId), status: 'open', startsAt: { $gte: from } }).select({ coachId: 1 }).lean<Array<{ coachId: Types.ObjectId }>>().cursor({ batchSize: 1000 });
      for await (const doc of cursor) counts.set(String(doc.coachId), (counts.get(String(doc.coachId)) ?? 0) + 1);
      return counts;
    });
  }

  /** Gives slots written before workspaces were recorded their coach's team. */
  backfillTeams(coachTeams: () => Promise<Map<string, string>>): Promise<number> {
    return backfillTeamIds('slots', this.model, coachTeams);
  }

  /** Live slots (open or booked) of a coach, for invariant checks and repairs. */
  async listLive(coachId: string): Promise<Slot[]> {
    const docs = await guardDb('slots.listLive', () =>
      this.model.find({ coachId: new Types.ObjectId(coachId), status: { $in: ['open', 'booked'] } }).sort({ startsAt: 1 }).lean(),
    );
    return docs.map(toSlot);
  }
}
