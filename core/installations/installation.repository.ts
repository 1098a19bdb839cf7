import type { Model } from 'mongoose';
import { guardDb, guardInsert } from '../shared/db.js';
import { DomainError } from '../shared/errors.js';
import type { InstallationDoc } from './installation.model.js';
import type { InstallationRecord } from './installation.schema.js';

function toRecord(doc: InstallationDoc): InstallationRecord {
  return {
    teamId: doc._id,
    teamName: doc.teamName ?? null,
    appId: doc.appId ?? null,
    botId: doc.botId,
    botUserId: doc.botUserId,
    installerUserId: doc.installerUserId,
    scopes: doc.scopes ?? [],
    tokenExpiresAt: doc.tokenExpiresAt ?? null,
    sealed: doc.sealed,
    installedAt: doc.installedAt,
    updatedAt: doc.updatedAt,
  };
}

export class InstallationRepository {
  constructor(private readonly model: Model<InstallationDoc>) {}

  /**
   * Writes a workspace's installation by `_id`: a first install inserts it, a
   * reinstall or a token refresh replaces its fields and keeps `installedAt`.
   * Two first installs at once collide on `_id`; the loser's retry updates.
   */
  async save(record: Omit<InstallationRecord, 'installedAt' | 'updatedAt'>, now: Date): Promise<InstallationRecord> {
    const { teamId, ...fields } = record;
    const update = { $set: { ...fields, updatedAt: now }, $setOnInsert: { installedAt: now } };
    for (let attempt = 0; ; attempt++) {
      const saved = await guardInsert('installations.save', async () => {
        await this.model.updateOne({ _id: String(teamId) }, update, { upsert: true });
        return this.model.findById(String(teamId)).lean();
      });
      if (saved) return toRecord(saved);
      if (attempt >= 2) throw new DomainError('service.unavailable', undefined, { operation: 'installations.save' });
    }
  }

  async find(teamId: string): Promise<InstallationRecord | null> {
    const doc = await guardDb('installations.find', () => this.model.findById(String(teamId)).lean());
    return doc ? toRecord(doc) : null;
  }

  /** True when there was an installation to remove. */
  async remove(teamId: string): Promise<boolean> {
    const result = await guardDb('installations.remove', () => this.model.deleteOne({ _id: String(teamId) }));
    return result.deletedCount > 0;
  }
}
