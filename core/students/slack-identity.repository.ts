import { Types, type Model } from 'mongoose';
import { guardDb, isDuplicateKeyError } from '../shared/db.js';
import type { SlackIdentityDoc } from './slack-identity.model.js';
import type { SlackIdentity } from './student.schema.js';

export const slackIdentityKey = (teamId: string, userId: string) => `slack:${teamId}:${userId}`;

function toIdentity(doc: SlackIdentityDoc): SlackIdentity {
  return { teamId: doc.teamId, userId: doc.userId, studentId: String(doc.studentId), linkedBy: doc.linkedBy, timezone: doc.timezone };
}

export class SlackIdentityRepository {
  constructor(private readonly model: Model<SlackIdentityDoc>) {}

  async find(teamId: string, userId: string): Promise<SlackIdentity | null> {
    const doc = await guardDb('slackIdentities.find', () => this.model.findById(slackIdentityKey(String(teamId), String(userId))).lean());
    return doc ? toIdentity(doc) : null;
  }

  /** Stores the link unless one exists already; either way returns the one that is stored. */
  async insertOrGet(identity: SlackIdentity, now: Date): Promise<SlackIdentity> {
    const _id = slackIdentityKey(identity.teamId, identity.userId);
    try {
      await this.model.create({ _id, ...identity, studentId: new Types.ObjectId(identity.studentId), createdAt: now, updatedAt: now });
      return identity;
    } catch (error) {
      if (!isDuplicateKeyError(error)) return guardDb('slackIdentities.insert', () => Promise.reject(error));
      return (await this.find(identity.teamId, identity.userId))!;
    }
  }

  async setTimezone(teamId: string, userId: string, timezone: string, now: Date): Promise<void> {
    await guardDb('slackIdentities.setTimezone', () => this.model.updateOne({ _id: slackIdentityKey(teamId, userId) }, { $set: { timezone, updatedAt: now } }));
  }

  async forStudent(studentId: string): Promise<SlackIdentity[]> {
    if (!Types.ObjectId.isValid(studentId)) return [];
    const docs = await guardDb('slackIdentities.forStudent', () => this.model.find({ studentId: new Types.ObjectId(studentId) }).lean());
    return docs.map(toIdentity);
  }
}
