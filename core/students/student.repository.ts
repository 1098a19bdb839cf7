import { createHash } from 'node:crypto';
import { Types, type Model } from 'mongoose';
import { DomainError } from '../shared/errors.js';
import { findByIds, guardDb, guardInsert, objectIds, toObjectId } from '../shared/db.js';
import type { StudentDoc } from './student.model.js';
import { SLACK_SITE_PREFIX, type Student } from './student.schema.js';

export function toStudent(doc: StudentDoc): Student {
  return {
    id: String(doc._id),
    site: doc.site,
    externalId: doc.externalId,
    name: doc.name,
    phone: doc.phone,
    email: doc.email ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export interface StudentKey {
  site: string;
  externalId: string;
}

export type StudentProfile = Pick<Student, 'name' | 'phone' | 'email'>;

/**
 * A student's `_id` follows from the host site's key (the first 12 bytes of a
 * SHA-256 of site and id), so the request path finds them with an `_id`
 * lookup: an index on every server, where a `{ site, externalId }` query is a
 * scan on the stand-in. The unique `{ site, externalId }` index still
 * guarantees one student per key.
 */
export function studentIdFor(key: StudentKey): Types.ObjectId {
  const digest = createHash('sha256').update(`student\0${key.site}\0${key.externalId}`).digest();
  return new Types.ObjectId(digest.subarray(0, 12));
}

export class StudentRepository {
  constructor(private readonly model: Model<StudentDoc>) {}

  /** The student with this key: by `_id`, or, for students created before ids were derived, by the secondary key. */
  async findByKey(key: StudentKey): Promise<Student | null> {
    const keyed = await guardDb('students.findById', () => this.model.findById(studentIdFor(key)).lean());
    if (keyed) return toStudent(keyed);
    const legacy = await guardDb('students.findByKey', () => this.model.findOne({ site: String(key.site), externalId: String(key.externalId) }).lean());
    return legacy ? toStudent(legacy) : null;
  }

  /**
   * Creates the student under their derived id. Two first requests may race:
   * the unique `_id` keeps one document and the loser reads it. Null when the
   * key already belongs to a student with another id (created before ids were
   * derived), which the caller then updates instead.
   */
  async insert(key: StudentKey, profile: StudentProfile, now: Date): Promise<Student | null> {
    const _id = studentIdFor(key);
    const doc = await guardInsert('students.insert', () => this.model.create({ _id, site: key.site, externalId: key.externalId, ...profile, createdAt: now, updatedAt: now }));
    return doc ? toStudent(doc.toObject()) : this.findByKey(key);
  }

  /** Website students (any host site, never a Slack one) whose token carried this e-mail. */
  async findWebsiteByEmail(email: string): Promise<Student[]> {
    const docs = await guardDb('students.findWebsiteByEmail', () => this.model.find({ email: String(email).toLowerCase() }).limit(10).lean());
    return docs.filter((d) => !d.site.startsWith(SLACK_SITE_PREFIX)).map(toStudent);
  }

  async update(studentId: string, set: Partial<StudentProfile>, now: Date): Promise<Student> {
    const id = toObjectId(studentId, 'student.not_found');
    await guardDb('students.update', () => this.model.updateOne({ _id: id }, { $set: { ...set, updatedAt: now } }, { runValidators: true }));
    return this.get(studentId);
  }

  async get(studentId: string): Promise<Student> {
    const id = toObjectId(studentId, 'student.not_found');
    const doc = await guardDb('students.get', () => this.model.findById(id).lean());
    if (!doc) throw new DomainError('student.not_found');
    return toStudent(doc);
  }

  /** By id, each once; ids that name nothing are left out of the map. */
  async getMany(ids: readonly string[]): Promise<Map<string, Student>> {
    const docs = await guardDb('students.getMany', () => findByIds(objectIds(ids), (filter) => this.model.find(filter).lean().exec()));
    return new Map(docs.map((d) => [String(d._id), toStudent(d)]));
  }
}
