import { Types, type Model } from 'mongoose';
import { DomainError } from '../shared/errors.js';
import { backfillTeamIds, findByIds, guardDb, objectIds, toObjectId } from '../shared/db.js';
import { inScope, type WorkspaceScope } from '../shared/scope.js';
import type { Page } from '../shared/time.schema.js';
import type { BookingDoc, FeedbackDoc } from './booking.model.js';
import type { BookingStatus, Cancellation } from './booking.schema.js';

/** A booking as core works with it internally; views add the other party. */
export interface Booking {
  id: string;
  slotId: string;
  coachId: string;
  /** The coach's workspace (Slack team id). */
  teamId: string;
  studentId: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  cancellation: Cancellation | null;
  feedback: FeedbackDoc | null;
  feedbackHistory: Array<{ satisfaction: number; notes: string; replacedAt: Date }>;
  sequence: number;
  moves: Move[];
  /** Limit counters and buffer cells held for this session (see core/policy). */
  policyClaims: string[];
  createdAt: Date;
}

export interface Move {
  fromSlotId: string;
  fromStartsAt: Date;
  fromEndsAt: Date;
  by: 'student' | 'coach';
  at: Date;
}

export function toBooking(doc: BookingDoc): Booking {
  return {
    id: String(doc._id),
    slotId: String(doc.slotId),
    coachId: String(doc.coachId),
    teamId: doc.teamId,
    studentId: String(doc.studentId),
    startsAt: doc.startsAt,
    endsAt: doc.endsAt,
    status: doc.status,
    cancellation: doc.cancellation ? { by: doc.cancellation.by, at: doc.cancellation.at, reason: doc.cancellation.reason ?? null } : null,
    feedback: doc.feedback ?? null,
    feedbackHistory: doc.feedbackHistory ?? [],
    sequence: doc.sequence ?? 0,
    moves: (doc.moves ?? []).map((m) => ({ fromSlotId: String(m.fromSlotId), fromStartsAt: m.fromStartsAt, fromEndsAt: m.fromEndsAt, by: m.by, at: m.at })),
    policyClaims: doc.policyClaims ?? [],
    createdAt: doc.createdAt,
  };
}

type Filter = Record<string, unknown>;

/** Enough of a booking to tell which claims it still needs. */
export interface BookingState {
  status: BookingStatus;
  slotId: string;
  studentId: string;
  startsAt: Date;
  endsAt: Date;
  /** The limit counters and buffer cells it holds (see core/policy). */
  policyClaims: string[];
  updatedAt: Date;
}

export class BookingRepository {
  constructor(private readonly model: Model<BookingDoc>) {}

  async insert(b: { _id: Types.ObjectId; slotId: string; coachId: string; teamId: string; studentId: string; startsAt: Date; endsAt: Date; policyClaims: string[]; now: Date }): Promise<Booking> {
    const doc = await guardDb('bookings.insert', () =>
      this.model.create({
        _id: b._id,
        slotId: new Types.ObjectId(b.slotId),
        coachId: new Types.ObjectId(b.coachId),
        teamId: b.teamId,
        studentId: new Types.ObjectId(b.studentId),
        startsAt: b.startsAt,
        endsAt: b.endsAt,
        policyClaims: b.policyClaims,
        status: 'active',
        cancellation: null,
        feedback: null,
        feedbackHistory: [],
        rated: false,
        sequence: 0,
        moves: [],
        createdAt: b.now,
        updatedAt: b.now,
      }),
    );
    return toBooking(doc.toObject());
  }

  /**
   * A booking of this participant (within the workspace, when scoped); anyone
   * else gets `booking.not_found`, so ids reveal nothing. Read by `_id` alone
   * and checked here: an `_id` with another condition beside it is a scan on
   * the stand-in, and every cancellation and move reads its booking this way.
   */
  async getFor(participant: { coachId: string } | { studentId: string } | { admin: true }, bookingId: string, scope?: WorkspaceScope): Promise<Booking> {
    const _id = toObjectId(bookingId, 'booking.not_found');
    const doc = await guardDb('bookings.getFor', () => this.model.findById(_id).lean());
    // An admin is bound by the workspace scope alone.
    const theirs =
      doc !== null &&
      inScope(scope, doc.teamId) &&
      ('coachId' in participant ? String(doc.coachId) === participant.coachId : 'studentId' in participant ? String(doc.studentId) === participant.studentId : true);
    if (!theirs) throw new DomainError('booking.not_found', 'That session does not exist, or it is not yours.');
    return toBooking(doc);
  }

  async findById(bookingId: string): Promise<Booking | null> {
    if (!Types.ObjectId.isValid(bookingId)) return null;
    const doc = await guardDb('bookings.findById', () => this.model.findById(new Types.ObjectId(bookingId)).lean());
    return doc ? toBooking(doc) : null;
  }

  /** Status and last change of each booking that exists, for deciding whether a claim still guards it. */
  async statesOf(ids: string[]): Promise<Map<string, BookingState>> {
    const docs = await guardDb('bookings.statesOf', () =>
      findByIds(objectIds(ids), (filter) => this.model.find(filter).select({ status: 1, slotId: 1, studentId: 1, startsAt: 1, endsAt: 1, policyClaims: 1, updatedAt: 1 }).lean().exec()),
    );
    return new Map(
      docs.map((d) => [String(d._id), { status: d.status, slotId: String(d.slotId), studentId: String(d.studentId), startsAt: d.startsAt, endsAt: d.endsAt, policyClaims: d.policyClaims ?? [], updatedAt: d.updatedAt }]),
    );
  }

  async findActiveByIds(ids: string[]): Promise<Booking[]> {
    // By `_id` alone, then the status here: an `_id` with a condition beside it is a scan on the stand-in.
    const docs = await guardDb('bookings.findActiveByIds', () => findByIds(objectIds(ids), (filter) => this.model.find(filter).lean().exec()));
    return docs.filter((d) => d.status === 'active').map(toBooking);
  }

  async markCancelled(bookingId: string, cancellation: Cancellation): Promise<void> {
    await guardDb('bookings.markCancelled', () =>
      this.model.updateOne(
        { _id: new Types.ObjectId(bookingId) },
        { $set: { status: 'cancelled', cancellation, updatedAt: cancellation.at }, $inc: { sequence: 1 } },
      ),
    );
  }

  /** Puts a booking on another slot, keeping the time it had in `moves`. */
  async moveTo(booking: Booking, to: { slotId: string; startsAt: Date; endsAt: Date; policyClaims: string[] }, by: 'student' | 'coach', now: Date): Promise<void> {
    const move = { fromSlotId: new Types.ObjectId(booking.slotId), fromStartsAt: booking.startsAt, fromEndsAt: booking.endsAt, by, at: now };
    await guardDb('bookings.moveTo', () =>
      this.model.updateOne(
        { _id: new Types.ObjectId(booking.id) },
        {
          $set: { slotId: new Types.ObjectId(to.slotId), startsAt: to.startsAt, endsAt: to.endsAt, policyClaims: to.policyClaims, updatedAt: now },
          $inc: { sequence: 1 },
          $push: { moves: move },
        },
      ),
    );
  }

  async setFeedback(booking: Booking, feedback: FeedbackDoc, now: Date): Promise<void> {
    const update: Record<string, unknown> = { $set: { feedback, rated: true, updatedAt: now } };
    if (booking.feedback) {
      update.$push = {
        feedbackHistory: { satisfaction: booking.feedback.satisfaction, notes: booking.feedback.notes, replacedAt: now },
      };
    }
    await guardDb('bookings.setFeedback', () => this.model.updateOne({ _id: new Types.ObjectId(booking.id) }, update, { runValidators: true }));
  }

  async page(filter: Filter, sort: Record<string, 1 | -1>, limit: number, offset: number): Promise<Page<Booking>> {
    return guardDb('bookings.page', async () => {
      const [docs, total] = await Promise.all([
        this.model.find(filter).sort(sort).skip(offset).limit(limit).lean(),
        this.model.countDocuments(filter),
      ]);
      return { items: docs.map(toBooking), total, nextOffset: offset + docs.length < total ? offset + docs.length : null };
    });
  }

  /** The first session matching the filter in this order, or null. */
  async first(filter: Filter, sort: Record<string, 1 | -1>): Promise<Booking | null> {
    const doc = await guardDb('bookings.first', () => this.model.findOne(filter).sort(sort).lean());
    return doc ? toBooking(doc) : null;
  }

  /** Active sessions of a student or coach starting in [from, to), leaving out one being moved. */
  async countActiveBetween(owner: { studentId: string } | { coachId: string }, from: Date, to: Date, exceptId?: string): Promise<number> {
    const filter: Filter = { status: 'active', startsAt: { $gte: from, $lt: to } };
    if ('studentId' in owner) filter.studentId = new Types.ObjectId(owner.studentId);
    else filter.coachId = new Types.ObjectId(owner.coachId);
    if (exceptId) filter._id = { $ne: new Types.ObjectId(exceptId) };
    return guardDb('bookings.countActiveBetween', () => this.model.countDocuments(filter));
  }

  /** Active sessions of a coach closer than `bufferMinutes` to [startsAt, endsAt), leaving out one being moved. */
  async countActiveNear(coachId: string, session: { startsAt: Date; endsAt: Date }, bufferMinutes: number, exceptId?: string): Promise<number> {
    const gap = bufferMinutes * 60_000;
    const filter: Filter = {
      coachId: new Types.ObjectId(coachId),
      status: 'active',
      startsAt: { $lt: new Date(session.endsAt.getTime() + gap) },
      endsAt: { $gt: new Date(session.startsAt.getTime() - gap) },
    };
    if (exceptId) filter._id = { $ne: new Types.ObjectId(exceptId) };
    return guardDb('bookings.countActiveNear', () => this.model.countDocuments(filter));
  }

  /** Active sessions of these coaches overlapping [from, to), for hiding slots a buffer or a cap rules out. */
  async activeForCoachesBetween(coachIds: string[], from: Date, to: Date): Promise<Booking[]> {
    if (coachIds.length === 0) return [];
    const docs = await guardDb('bookings.activeForCoachesBetween', () =>
      this.model.find({ coachId: { $in: coachIds.map((id) => new Types.ObjectId(id)) }, status: 'active', startsAt: { $lt: to }, endsAt: { $gt: from } }).lean(),
    );
    return docs.map(toBooking);
  }

  async count(filter: Filter): Promise<number> {
    return guardDb('bookings.count', () => this.model.countDocuments(filter));
  }

  /** Sum of satisfaction over rated sessions matching the filter (done in the app: the stand-in's $group is limited). */
  async satisfactionTotal(filter: Filter): Promise<{ sum: number; count: number }> {
    return guardDb('bookings.satisfactionTotal', async () => {
      let sum = 0;
      let count = 0;
      const cursor = this.model.find({ ...filter, rated: true }).select({ 'feedback.satisfaction': 1 }).lean<Pick<BookingDoc, 'feedback'>[]>().cursor({ batchSize: 1000 });
      for await (const doc of cursor) {
        sum += doc.feedback?.satisfaction ?? 0;
        count += 1;
      }
      return { sum, count };
    });
  }

  /** A coach's active sessions that start after `from`, soonest first. */
  async activeStartingAfter(coachId: string, from: Date): Promise<Booking[]> {
    const docs = await guardDb('bookings.activeStartingAfter', () =>
      this.model.find({ coachId: new Types.ObjectId(coachId), status: 'active', startsAt: { $gt: from } }).sort({ startsAt: 1 }).lean(),
    );
    return docs.map(toBooking);
  }

  /** Sessions matching the filter by start, read in batches so a long range never sits in memory at once. */
  async *streamByStart(filter: Filter, batchSize = 500): AsyncGenerator<Booking[]> {
    const cursor = this.model.find(filter).sort({ startsAt: 1, _id: 1 }).lean<BookingDoc[]>().cursor({ batchSize });
    let batch: Booking[] = [];
    try {
      for await (const doc of cursor) {
        batch.push(toBooking(doc));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    } catch (error) {
      throw new DomainError('service.unavailable', undefined, { operation: 'bookings.streamByStart' }, { cause: error });
    } finally {
      await cursor.close().catch(() => {});
    }
    if (batch.length) yield batch;
  }

  /** Gives sessions booked before workspaces were recorded their coach's team. */
  backfillTeams(coachTeams: () => Promise<Map<string, string>>): Promise<number> {
    return backfillTeamIds('bookings', this.model, coachTeams);
  }

  /** Active bookings whose slot still says open: left by a crash between the two writes. */
  async activeForSlots(slotIds: Types.ObjectId[]): Promise<Booking[]> {
    const docs = await guardDb('bookings.activeForSlots', () => this.model.find({ slotId: { $in: slotIds }, status: 'active' }).lean());
    return docs.map(toBooking);
  }
}
