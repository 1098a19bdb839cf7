import type { Model, Types } from 'mongoose';
import { DomainError } from '../shared/errors.js';
import { guardDb, isDuplicateKeyError, toObjectId } from '../shared/db.js';
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

export class StudentRepository {
  constructor(private readonly model: Model<StudentDoc>) {}

  /**
   * Creates or refreshes a student by (site, externalId). A plain upsert can
   * race into a duplicate key when two first requests arrive together; the
   * unique index keeps one document and the loser simply updates it.
   */
  async upsert(key: { site: string; externalId: string }, fields: { name: string; phone: string | null; email: string | null }, now: Date): Promise<Student> {
    const filter = { site: String(key.site), externalId: String(key.externalId) };
    const update = { $set: { ...fields, updatedAt: now }, $setOnInsert: { createdAt: now } };
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await this.model.findOneAndUpdate(filter, update, { upsert: true, returnDocument: 'after', runValidators: true }).lean();
        return toStudent(doc!);
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt >= 2) return guardDb('students.upsert', () => Promise.reject(error));
      }
    }
  }

  async findByKey(key: { site: string; externalId: string }): Promise<Student | null> {
    const doc = await guardDb('students.findByKey', () => this.model.findOne({ site: String(key.site), externalId: String(key.externalId) }).lean());
    return doc ? toStudent(doc) : null;
  }

  /** Website students (any host site, never a Slack one) whose token carried this e-mail. */
  async findWebsiteByEmail(email: string): Promise<Student[]> {
    const docs = await guardDb('students.findWebsiteByEmail', () => this.model.find({ email: String(email).toLowerCase() }).limit(10).lean());
    return docs.filter((d) => !d.site.startsWith(SLACK_SITE_PREFIX)).map(toStudent);
  }

  async update(studentId: string, set: { name?: string; phone?: string | null; email?: string | null }, now: Date): Promise<Student> {
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

  async getMany(ids: Types.ObjectId[]): Promise<Map<string, Student>> {
    const docs = await guardDb('students.getMany', () => this.model.find({ _id: { $in: ids } }).lean());
    return new Map(docs.map((d) => [String(d._id), toStudent(d)]));
  }
}
