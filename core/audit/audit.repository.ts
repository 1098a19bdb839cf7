import type { Model } from 'mongoose';
import { guardDb, guardInsert } from '../shared/db.js';
import type { AuditDoc } from './audit.model.js';
import { AUDIT_ACTIONS, type AuditEntry } from './audit.schema.js';

/** Within one millisecond, entries sort in the order a session lives through (AUDIT_ACTIONS' order). */
const rankOf = (action: AuditEntry['action']) => AUDIT_ACTIONS.indexOf(action);

function toEntry(doc: AuditDoc): AuditEntry {
  return {
    id: doc._id,
    teamId: doc.teamId,
    at: doc.at,
    actor: { kind: doc.actor.kind, id: doc.actor.id },
    action: doc.action,
    coachId: doc.coachId,
    bookingId: doc.bookingId ?? null,
    slotId: doc.slotId ?? null,
    seriesId: doc.seriesId ?? null,
    details: doc.details ?? {},
  };
}

export class AuditRepository {
  constructor(private readonly model: Model<AuditDoc>) {}

  /** Inserts once per key: a second report of the same action (same `_id`) is dropped. */
  async insert(entry: AuditEntry): Promise<void> {
    const { id, ...rest } = entry;
    await guardInsert('audit.insert', () => this.model.create({ _id: id, ...rest, rank: rankOf(entry.action) }));
  }

  /** Entries about a session, oldest first: its own, its slots' and its series'. */
  async forSession(input: { teamId: string; bookingId: string; slotIds: string[]; seriesIds: string[] }, limit: number): Promise<AuditEntry[]> {
    const or: Record<string, unknown>[] = [{ bookingId: input.bookingId }];
    if (input.slotIds.length) or.push({ slotId: { $in: input.slotIds } });
    if (input.seriesIds.length) or.push({ seriesId: { $in: input.seriesIds } });
    const docs = await guardDb('audit.forSession', () => this.model.find({ teamId: input.teamId, $or: or }).sort({ at: 1, rank: 1, _id: 1 }).limit(limit).lean<AuditDoc[]>());
    return docs.map(toEntry);
  }

  /** A workspace's latest entries, newest first. */
  async recent(teamId: string, limit: number): Promise<AuditEntry[]> {
    const docs = await guardDb('audit.recent', () => this.model.find({ teamId }).sort({ at: -1, rank: -1, _id: -1 }).limit(limit).lean<AuditDoc[]>());
    return docs.map(toEntry);
  }
}
