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
      return students.upsert({ site, externalId }, { name, phone: normalisePhone(phone), email: email?.toLowerCase() ?? null }, clock.now());
    },
    get: (studentId) => students.get(studentId),
  };
}
