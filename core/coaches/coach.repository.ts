import { createHash } from 'node:crypto';
import { Types, type Model } from 'mongoose';
import { DomainError } from '../shared/errors.js';
import { findByIds, guardDb, guardInsert, objectIds, toObjectId } from '../shared/db.js';
import { scopeFilter, type WorkspaceScope } from '../shared/scope.js';
import type { CursorPage } from '../shared/time.schema.js';
import { encodeCoachCursor, type CoachCursor } from './coach.cursor.js';
import type { CoachDoc } from './coach.model.js';
import { DEFAULT_REMINDER_MINUTES_BEFORE, type Coach } from './coach.schema.js';

export function toCoach(doc: CoachDoc): Coach {
  return {
    id: String(doc._id),
    teamId: doc.teamId,
    slackUserId: doc.slackUserId,
    name: doc.name,
    bio: doc.bio ?? '',
    timezone: doc.timezone,
    avatarUrl: doc.avatarUrl ?? null,
    phone: doc.phone ?? null,
    email: doc.email ?? null,
    reminderMinutesBefore: doc.reminderMinutesBefore === undefined ? DEFAULT_REMINDER_MINUTES_BEFORE : doc.reminderMinutesBefore,
    settings: {
      bufferMinutes: doc.settings?.bufferMinutes ?? 0,
      dailyCap: doc.settings?.dailyCap ?? null,
      minNoticeHours: doc.settings?.minNoticeHours ?? null,
    },
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export type NewCoach = Omit<CoachDoc, '_id' | 'sortName' | 'settings'>;

/**
 * A coach's `_id` follows from their Slack user (the first 12 bytes of a
 * SHA-256 of team and user), so every Slack request finds its coach with an
 * `_id` lookup: an index on every server, where a `{ teamId, slackUserId }`
 * query is a scan on the stand-in. The unique `{ teamId, slackUserId }` index
 * still guarantees one coach per Slack user.
 */
export function coachIdFor(teamId: string, slackUserId: string): Types.ObjectId {
  const digest = createHash('sha256').update(`coach\0${teamId}\0${slackUserId}`).digest();
  return new Types.ObjectId(digest.subarray(0, 12));
}

export class CoachRepository {
  constructor(private readonly model: Model<CoachDoc>) {}

  /**
   * By the derived `_id`; a coach stored before ids were derived, or no coach
   * at all, by the secondary key (unique-indexed on MongoDB, a scan on the
   * stand-in: that is the price of a Slack user who is not a coach).
   */
  async findBySlackUser(teamId: string, slackUserId: string): Promise<Coach | null> {
    const keyed = await guardDb('coaches.findById', () => this.model.findById(coachIdFor(String(teamId), String(slackUserId))).lean());
    if (keyed) return toCoach(keyed);
    const legacy = await guardDb('coaches.findBySlackUser', () => this.model.findOne({ teamId: String(teamId), slackUserId: String(slackUserId) }).lean());
    return legacy ? toCoach(legacy) : null;
  }

  /** Inserts a coach under their derived id; null when the same Slack user is a coach already (another request was first). */
  async insert(coach: NewCoach): Promise<Coach | null> {
    const doc = await guardInsert('coaches.insert', () => this.model.create({ _id: coachIdFor(coach.teamId, coach.slackUserId), ...coach, sortName: coach.name.toLowerCase() }));
    return doc ? toCoach(doc.toObject()) : null;
  }

  async get(coachId: string): Promise<Coach> {
    const id = toObjectId(coachId, 'coach.not_found');
    const doc = await guardDb('coaches.get', () => this.model.findById(id).lean());
    if (!doc) throw new DomainError('coach.not_found');
    return toCoach(doc);
  }

  /** By id, each once; ids that name nothing are left out of the map. */
  async getMany(ids: readonly string[]): Promise<Map<string, Coach>> {
    const docs = await guardDb('coaches.getMany', () => findByIds(objectIds(ids), (filter) => this.model.find(filter).lean().exec()));
    return new Map(docs.map((d) => [String(d._id), toCoach(d)]));
  }

  /** Ids of the coaches of one Slack workspace, for listings scoped to it. */
  /** Name contains `text`: matched as literal characters (escaped), never as a pattern the caller wrote. */
  async search(text: string, limit: number, scope: { teamId?: string } = {}): Promise<Coach[]> {
    const literal = String(text).toLowerCase().slice(0, 100).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const filter: Record<string, unknown> = literal ? { sortName: { $regex: literal } } : {};
    if (scope.teamId !== undefined) filter.teamId = String(scope.teamId);
    const docs = await guardDb('coaches.search', () => this.model.find(filter).sort({ sortName: 1, _id: 1 }).limit(limit).lean());
    return docs.map(toCoach);
  }

  async idsInTeam(teamId: string): Promise<string[]> {
    const docs = await guardDb('coaches.idsInTeam', () => this.model.find({ teamId: String(teamId) }, { _id: 1 }).lean());
    return docs.map((d) => String(d._id));
  }

  async update(coachId: string, set: Partial<Omit<CoachDoc, '_id'>>): Promise<Coach> {
    const id = toObjectId(coachId, 'coach.not_found');
    const changes = set.name ? { ...set, sortName: set.name.toLowerCase() } : set;
    await guardDb('coaches.update', () => this.model.updateOne({ _id: id }, { $set: changes }, { runValidators: true }));
    return this.get(coachId);
  }

  /** Every coach's team, for copying it onto their older slots and sessions. */
  async teamsById(): Promise<Map<string, string>> {
    const docs = await guardDb('coaches.teamsById', () => this.model.find().select({ teamId: 1 }).lean());
    return new Map(docs.map((d) => [String(d._id), d.teamId]));
  }

  /**
   * One page in (sortName, _id) order, starting after `after`. Keyset paging:
   * the server seeks on the { sortName, _id } index instead of counting or
   * skipping, so page 50 costs what page 1 does. One extra document tells
   * whether another page follows.
   */
  async list(limit: number, after: CoachCursor | null, scope?: WorkspaceScope): Promise<CursorPage<Coach>> {
    const filter: Record<string, unknown> = scopeFilter(scope);
    if (after) {
      filter.sortName = { $gte: after.sortName };
      filter.$or = [{ sortName: { $gt: after.sortName } }, { _id: { $gt: new Types.ObjectId(after.id) } }];
    }
    const docs = await guardDb('coaches.list', () => this.model.find(filter).sort({ sortName: 1, _id: 1 }).limit(limit + 1).lean());
    const items = docs.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toCoach),
      nextCursor: docs.length > limit && last ? encodeCoachCursor({ id: String(last._id), sortName: last.sortName }) : null,
    };
  }
}
