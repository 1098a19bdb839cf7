import type { StudentService } from '../core.types.js';
import type { Clock } from '../shared/clock.js';
import { normalisePhone } from '../shared/phone.js';
import { parseInput } from '../shared/validate.js';
import type { StudentRepository } from './student.repository.js';
import { studentUpsertSchema } from './student.schema.js';

export function createStudentService(students: StudentRepository, clock: Clock): StudentService {
  return {
    async upsert(input) {
      const { site, externalId, name, phone, email } = parseInput(studentUpsertSchema, input);
      const fields = { name, phone: normalisePhone(phone), email: email?.toLowerCase() ?? null };
      // Every signed request carries the profile: write only when it changed.
      const existing = await students.findByKey({ site, externalId });
      if (existing && existing.name === fields.name && existing.phone === fields.phone && existing.email === fields.email) return existing;
      return students.upsert({ site, externalId }, fields, clock.now());
    },
    get: (studentId) => students.get(studentId),
  };
}
