import type { StudentService } from '../core.types.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { normalisePhone, tryNormalisePhone } from '../shared/phone.js';
import { parseInput } from '../shared/validate.js';
import type { SlackIdentityRepository } from './slack-identity.repository.js';
import type { StudentKey, StudentProfile, StudentRepository } from './student.repository.js';
import { SLACK_SITE_PREFIX, slackStudentSchema, studentUpsertSchema, type SlackStudent, type Student } from './student.schema.js';

const sameProfile = (student: Student, profile: StudentProfile) =>
  student.name === profile.name && student.phone === profile.phone && student.email === profile.email;

/** A Slack user's own student is keyed like a host site's, with the workspace as its site: one derived `_id` per team and user. */
export const slackStudentKey = (teamId: string, userId: string): StudentKey => ({ site: `${SLACK_SITE_PREFIX}${teamId}`, externalId: userId });

export function createStudentService(students: StudentRepository, identities: SlackIdentityRepository, clock: Clock): StudentService {
  async function slackStudent(teamId: string, userId: string): Promise<SlackStudent | null> {
    const identity = await identities.find(teamId, userId);
    return identity ? { identity, student: await students.get(identity.studentId) } : null;
  }

  /** The student with this key, created if new. Racing first requests meet on the derived `_id`: one document, both get it. */
  async function findOrInsert(key: StudentKey, profile: StudentProfile): Promise<Student> {
    const student = (await students.findByKey(key)) ?? (await students.insert(key, profile, clock.now()));
    if (!student) throw new Error('students.insert found neither its own student nor the one it collided with');
    return student;
  }

  return {
    async upsert(input) {
      const { site, externalId, name, phone, email } = parseInput(studentUpsertSchema, input);
      // The Slack sites belong to Slack students; a host token naming one would impersonate them.
      if (site.startsWith(SLACK_SITE_PREFIX)) throw new DomainError('validation.failed', `A host site cannot be called "${site}".`, { issues: [{ path: 'site', message: 'Reserved for Slack students.' }] });
      const profile = { name, phone: normalisePhone(phone), email: email?.toLowerCase() ?? null };
      // Every signed request carries the profile: one read by `_id`, and a write only when it changed.
      const existing = await findOrInsert({ site, externalId }, profile);
      return sameProfile(existing, profile) ? existing : students.update(existing.id, profile, clock.now());
    },

    get: (studentId) => students.get(studentId),

    /**
     * The linking rule. The first time a Slack user books (or opens the
     * booking form) they are linked for good to one core student:
     * - the website student whose host-signed token carried the same e-mail
     *   as the Slack profile, when Slack has confirmed that address and
     *   exactly one website student has it (compared case-insensitively);
     * - otherwise a student of their own, keyed by Slack team and user.
     * An unconfirmed address, or one shared by several website students,
     * never links. Later uses refresh an own student's name (and its phone
     * or e-mail where it has none); a linked website student keeps what the
     * host's token says.
     */
    async forSlackUser(input) {
      const profile = parseInput(slackStudentSchema, input);
      const now = clock.now();
      const known = await slackStudent(profile.teamId, profile.userId);
      const phone = tryNormalisePhone(profile.phone);
      const email = profile.verifiedEmail?.toLowerCase() ?? null;
      if (known) {
        const { identity, student } = known;
        if (identity.timezone !== profile.timezone) await identities.setTimezone(identity.teamId, identity.userId, profile.timezone, now);
        const refreshed = { ...identity, timezone: profile.timezone };
        if (identity.linkedBy !== 'own') return { identity: refreshed, student };
        const changes: { name?: string; phone?: string; email?: string } = {};
        if (student.name !== profile.name) changes.name = profile.name;
        if (!student.phone && phone) changes.phone = phone;
        if (!student.email && email) changes.email = email;
        return { identity: refreshed, student: Object.keys(changes).length ? await students.update(student.id, changes, now) : student };
      }
      const matches = email ? await students.findWebsiteByEmail(email) : [];
      const website = matches.length === 1 ? matches[0]! : null;
      const studentId = website
        ? website.id
        : (await findOrInsert(slackStudentKey(profile.teamId, profile.userId), { name: profile.name, phone, email })).id;
      const identity = await identities.insertOrGet(
        { teamId: profile.teamId, userId: profile.userId, studentId, linkedBy: website ? 'email' : 'own', timezone: profile.timezone },
        now,
      );
      return { identity, student: await students.get(identity.studentId) };
    },

    findBySlackUser: (teamId, userId) => slackStudent(teamId, userId),

    slackIdentitiesOf: (studentId) => identities.forStudent(studentId),

    async setSlackPhone(teamId, userId, rawPhone) {
      const known = await slackStudent(teamId, userId);
      if (!known) throw new DomainError('student.not_found', 'Open the booking form with /coaching first.');
      if (known.identity.linkedBy !== 'own') {
        throw new DomainError('validation.failed', 'Your phone number comes from the website you signed up on; change it there.', { issues: [{ path: 'phone', message: 'Change it on the website.' }] });
      }
      return students.update(known.student.id, { phone: normalisePhone(rawPhone) }, clock.now());
    },
  };
}
