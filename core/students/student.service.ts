import type { StudentService } from '../core.types.js';
import type { Clock } from '../shared/clock.js';
import { normalisePhone } from '../shared/phone.js';
import { parseInput } from '../shared/validate.js';
import type { StudentProfile, StudentRepository } from './student.repository.js';
import type { Student } from './student.schema.js';
import { studentUpsertSchema } from './student.schema.js';

const sameProfile = (student: Student, profile: StudentProfile) =>
  student.name === profile.name && student.phone === profile.phone && student.email === profile.email;

export function createStudentService(students: StudentRepository, clock: Clock): StudentService {
  return {
    async upsert(input) {
      const { site, externalId, name, phone, email } = parseInput(studentUpsertSchema, input);
      const profile = { name, phone: normalisePhone(phone), email: email?.toLowerCase() ?? null };
      // Every signed request carries the profile: one read by `_id`, and a write only when it changed.
      const existing = (await students.findByKey({ site, externalId })) ?? (await students.insert({ site, externalId }, profile, clock.now()));
      if (!existing) throw new Error('students.insert found neither its own student nor the one it collided with');
      return sameProfile(existing, profile) ? existing : students.updateProfile(existing.id, profile, clock.now());
    },
    get: (studentId) => students.get(studentId),
  };
}
