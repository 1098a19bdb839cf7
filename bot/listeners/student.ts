import type { WebClient } from '@slack/web-api';
import type { SlackStudent } from '../../core/students/student.schema.js';
import { DomainError } from '../../core/shared/errors.js';
import { loadBookingForm } from '../booking-form.js';
import type { BotDeps } from '../deps.js';
import { openView } from '../send.js';
import { readSlackProfile } from '../slack-profile.js';
import { bookSessionModal, type BookingFormMetadata } from '../views/book-session.view.js';

/** The core student behind a Slack user, linked or made from their Slack profile (users.info) on first use. */
export async function ensureStudent(deps: BotDeps, client: WebClient, teamId: string, userId: string): Promise<SlackStudent> {
  const profile = await readSlackProfile(client, userId);
  return deps.core.students.forSlackUser({ teamId, userId, name: profile.name, phone: profile.phone, verifiedEmail: profile.verifiedEmail, timezone: profile.timezone });
}

/** The student behind a Slack user who has used the booking form; `student.not_found` tells them how to start. */
export async function requireStudent(deps: BotDeps, teamId: string, userId: string): Promise<SlackStudent> {
  const found = await deps.core.students.findBySlackUser(teamId, userId);
  if (!found) throw new DomainError('student.not_found', 'You have no sessions yet. Run /coaching to book one.');
  return found;
}

/** The coach a Slack user is, if any, so their own slots are never offered to them. */
export async function ownCoachId(deps: BotDeps, teamId: string, userId: string): Promise<string | null> {
  return (await deps.core.coaches.findBySlackUser(teamId, userId))?.id ?? null;
}

/** Opens "Book a session" (from /coaching or App Home), on "Any coach". */
export async function openBookSession(deps: BotDeps, client: WebClient, input: { triggerId: string; teamId: string; userId: string }): Promise<void> {
  const [{ student, identity }, excludeCoachId] = await Promise.all([ensureStudent(deps, client, input.teamId, input.userId), ownCoachId(deps, input.teamId, input.userId)]);
  const metadata: BookingFormMetadata = { tz: identity.timezone, coachId: null, coachName: null, day: null, askPhone: !student.phone };
  const form = await loadBookingForm(deps.core, metadata, { scope: { teamId: input.teamId }, excludeCoachId });
  await openView(client, input.triggerId, bookSessionModal(form));
}
