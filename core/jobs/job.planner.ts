import { createHash } from 'node:crypto';
import type { Booking, BookingRepository } from '../bookings/booking.repository.js';
import type { CancelledBy } from '../bookings/booking.schema.js';
import type { CoachRepository } from '../coaches/coach.repository.js';
import type { Clock } from '../shared/clock.js';
import type { RulesConfig } from '../shared/rules-config.js';
import type { SlackIdentityRepository } from '../students/slack-identity.repository.js';
import type { StudentRepository } from '../students/student.repository.js';
import { SLACK_SITE_PREFIX, type Student } from '../students/student.schema.js';
import type { JobRepository } from './job.repository.js';
import { NUDGE_AFTER_MS, TIMED_KINDS } from './job.rules.js';
import type { Job, JobKind, NewJob } from './job.schema.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const WEBHOOK_EVENT_TYPES = ['booking.created', 'booking.cancelled', 'booking.rescheduled', 'session.rated'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The body a webhook receiver gets. `id` is stable across retries, so receivers can drop duplicates. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  data: Record<string, unknown>;
}

export const jobIds = {
  bookingDm: (bookingId: string) => `slack.booking_dm:${bookingId}`,
  studentBookedDm: (bookingId: string) => `slack.student_dm:booked:${bookingId}`,
  reminder: (bookingId: string, sequence: number, leadMinutes: number) => `slack.reminder:${bookingId}:${sequence}:${leadMinutes}`,
  emailReminder: (bookingId: string, sequence: number, leadHours: number) => `email.reminder:${bookingId}:${sequence}:${leadHours}`,
  ratingPrompt: (bookingId: string, sequence: number) => `slack.rating_prompt:${bookingId}:${sequence}`,
  ratingNudge: (bookingId: string, sequence: number) => `slack.rating_nudge:${bookingId}:${sequence}`,
};

interface Deps {
  jobs: JobRepository;
  bookings: BookingRepository;
  coaches: CoachRepository;
  students: StudentRepository;
  slackIdentities: SlackIdentityRepository;
  clock: Clock;
  rules: RulesConfig;
  /** Which kinds some edge delivers here, and the webhook targets. */
  delivers(kind: JobKind): boolean;
  webhookTargets(): string[];
}

const targetKey = (url: string) => createHash('sha256').update(url).digest('hex').slice(0, 12);

/**
 * Which messages a session gets, and when: core's decision, made from domain
 * events and the session's state. Every job id is deterministic, so the same
 * event planned twice (a retry, a replayed request) makes each job once.
 * Only kinds an edge has registered for are planned: with email off, no
 * email jobs exist.
 */
export class JobPlanner {
  constructor(private readonly deps: Deps) {}

  private keep(jobs: NewJob[]): NewJob[] {
    return jobs.filter((job) => this.deps.delivers(job.kind));
  }

  /** Plans the kinds some edge delivers; returns them, so what is due at once can be run at once. */
  private async planKept(jobs: NewJob[], now: Date): Promise<NewJob[]> {
    const kept = this.keep(jobs);
    await this.deps.jobs.plan(kept, now);
    return kept;
  }

  /** The reminders and the rating prompt for the session at its current time. Reminders whose moment is already past are not planned. */
  private async timed(booking: Booking): Promise<NewJob[]> {
    const { coaches, students, rules, clock } = this.deps;
    const now = clock.now().getTime();
    const [coach, student] = await Promise.all([coaches.get(booking.coachId), students.get(booking.studentId)]);
    const base = { bookingId: booking.id, coachId: booking.coachId, sequence: booking.sequence };
    const jobs: NewJob[] = [];
    const lead = coach.reminderMinutesBefore;
    if (lead !== null && booking.startsAt.getTime() - lead * MINUTE > now) {
      jobs.push({ ...base, id: jobIds.reminder(booking.id, booking.sequence, lead), kind: 'slack.reminder', runAt: new Date(booking.startsAt.getTime() - lead * MINUTE) });
    }
    const emailLead = rules.studentReminderHoursBefore;
    if (student.email && emailLead > 0 && booking.startsAt.getTime() - emailLead * HOUR > now) {
      jobs.push({ ...base, id: jobIds.emailReminder(booking.id, booking.sequence, emailLead), kind: 'email.reminder', runAt: new Date(booking.startsAt.getTime() - emailLead * HOUR), payload: { studentId: booking.studentId } });
    }
    jobs.push({ ...base, id: jobIds.ratingPrompt(booking.id, booking.sequence), kind: 'slack.rating_prompt', runAt: booking.endsAt });
    return jobs;
  }

  private async webhooks(booking: Booking, type: WebhookEventType, eventId: string, data: Record<string, unknown>): Promise<NewJob[]> {
    if (!this.deps.delivers('webhook')) return [];
    const targets = this.deps.webhookTargets();
    if (targets.length === 0) return [];
    const { coaches, students, clock } = this.deps;
    const [coach, student] = await Promise.all([coaches.get(booking.coachId), students.get(booking.studentId)]);
    const event: WebhookEvent = {
      id: eventId,
      type,
      createdAt: clock.now().toISOString(),
      data: {
        bookingId: booking.id,
        coach: { id: coach.id, name: coach.name },
        // The host site's own id for its student (the token's `sub`); no phone or e-mail leaves in a webhook.
        student: { id: student.externalId, site: student.site },
        startsAt: booking.startsAt.toISOString(),
        endsAt: booking.endsAt.toISOString(),
        ...data,
      },
    };
    return targets.map((url) => ({
      id: `webhook:${eventId}:${targetKey(url)}`,
      kind: 'webhook' as const,
      bookingId: booking.id,
      coachId: booking.coachId,
      runAt: clock.now(),
      payload: { url, event },
    }));
  }

  /**
   * Cancels the session's timed jobs planned for its sequences in [from, to),
   * by their ids: the reminders at the current lead times (a coach's change
   * of lead re-plans them under the new one), the rating prompt and its nudge.
   * One planned under a lead that has changed since is skipped when it comes
   * due, since the session has moved on (see skipReason).
   */
  private async cancelTimed(booking: Booking, sequences: { from: number; to: number }, kinds: readonly JobKind[], reason: string, now: Date): Promise<void> {
    const { coaches, rules, jobs } = this.deps;
    const lead = kinds.includes('slack.reminder') ? (await coaches.get(booking.coachId)).reminderMinutesBefore : null;
    const ids: string[] = [];
    for (let sequence = Math.max(0, sequences.from); sequence < sequences.to; sequence++) {
      if (lead !== null) ids.push(jobIds.reminder(booking.id, sequence, lead));
      if (kinds.includes('email.reminder')) ids.push(jobIds.emailReminder(booking.id, sequence, rules.studentReminderHoursBefore));
      if (kinds.includes('slack.rating_prompt')) ids.push(jobIds.ratingPrompt(booking.id, sequence));
      if (kinds.includes('slack.rating_nudge')) ids.push(jobIds.ratingNudge(booking.id, sequence));
    }
    await jobs.cancelPendingByIds(ids, reason, now);
  }

  private async load(bookingId: string): Promise<Booking | null> {
    return this.deps.bookings.findById(bookingId);
  }


  /**
   * The student's Slack DM about this change, for a student who is a Slack
   * user: their own Slack student, or a website student a Slack user linked
   * to (only ever by e-mail, so one without an address needs no lookup).
   * The delivery picks the coach's workspace.
   */
  private async studentDm(booking: Booking, student: Student, id: string, payload: Record<string, unknown>): Promise<NewJob[]> {
    if (!this.deps.delivers('slack.student_dm')) return [];
    const mayBeLinked = student.site.startsWith(SLACK_SITE_PREFIX) || student.email !== null;
    if (!mayBeLinked || (await this.deps.slackIdentities.forStudent(student.id)).length === 0) return [];
    const now = this.deps.clock.now();
    const jobId = `slack.student_dm:${id}`;
    // A later change waits for the "booked" DM, so the student never reads them out of order.
    const after = jobId === jobIds.studentBookedDm(booking.id) ? null : jobIds.studentBookedDm(booking.id);
    return [{ id: jobId, kind: 'slack.student_dm', bookingId: booking.id, coachId: booking.coachId, sequence: booking.sequence, runAt: now, after, payload: { studentId: booking.studentId, ...payload } }];
  }

  async onCreated(bookingId: string): Promise<NewJob[]> {
    const booking = await this.load(bookingId);
    if (!booking) return [];
    const now = this.deps.clock.now();
    const base = { bookingId, coachId: booking.coachId, sequence: booking.sequence, runAt: now };
    const jobs: NewJob[] = [{ ...base, id: jobIds.bookingDm(bookingId), kind: 'slack.booking_dm' }];
    const student = await this.deps.students.get(booking.studentId);
    if (student.email !== null) jobs.push({ ...base, id: `email.confirmation:${bookingId}`, kind: 'email.confirmation', payload: { studentId: booking.studentId } });
    jobs.push(...(await this.studentDm(booking, student, `booked:${bookingId}`, { what: 'booked' })));
    jobs.push(...(await this.timed(booking)));
    jobs.push(...(await this.webhooks(booking, 'booking.created', `booking.created.${bookingId}`, { status: 'active' })));
    return this.planKept(jobs, now);
  }

  async onCancelled(bookingId: string, by: CancelledBy): Promise<NewJob[]> {
    const booking = await this.load(bookingId);
    if (!booking) return [];
    const now = this.deps.clock.now();
    await this.cancelTimed(booking, { from: 0, to: booking.sequence + 1 }, TIMED_KINDS, 'the session was cancelled', now);
    const base = { bookingId, coachId: booking.coachId, sequence: booking.sequence, runAt: now };
    const jobs: NewJob[] = [{ ...base, id: `slack.session_update:${bookingId}:${booking.sequence}`, kind: 'slack.session_update', after: jobIds.bookingDm(bookingId) }];
    const student = await this.deps.students.get(booking.studentId);
    // The coach hears of a cancellation they did not make themselves (the student's, or an admin's).
    if (by !== 'coach') jobs.push({ ...base, id: `slack.cancellation_dm:${bookingId}`, kind: 'slack.cancellation_dm' });
    // A Slack student hears of one they did not make (their own shows in the DM they pressed it in).
    if (by !== 'student') jobs.push(...(await this.studentDm(booking, student, `cancelled:${bookingId}`, { what: 'cancelled' })));
    if (student.email !== null) jobs.push({ ...base, id: `email.cancellation:${bookingId}`, kind: 'email.cancellation', payload: { studentId: booking.studentId } });
    jobs.push(
      ...(await this.webhooks(booking, 'booking.cancelled', `booking.cancelled.${bookingId}`, {
        status: 'cancelled',
        cancelledBy: by,
        reason: booking.cancellation?.reason ?? null,
      })),
    );
    return this.planKept(jobs, now);
  }

  async onRescheduled(bookingId: string, by: 'student' | 'coach'): Promise<NewJob[]> {
    const booking = await this.load(bookingId);
    if (!booking || booking.status !== 'active') return [];
    const now = this.deps.clock.now();
    await this.cancelTimed(booking, { from: 0, to: booking.sequence }, TIMED_KINDS, 'the session was moved', now);
    const base = { bookingId, coachId: booking.coachId, sequence: booking.sequence, runAt: now };
    const jobs: NewJob[] = [{ ...base, id: `slack.session_update:${bookingId}:${booking.sequence}`, kind: 'slack.session_update', after: jobIds.bookingDm(bookingId) }];
    const from = booking.moves.at(-1);
    const fromStartsAt = from?.fromStartsAt.toISOString() ?? null;
    if (by === 'student') jobs.push({ ...base, id: `slack.move_dm:${bookingId}:${booking.sequence}`, kind: 'slack.move_dm', payload: { fromStartsAt } });
    const student = await this.deps.students.get(booking.studentId);
    if (student.email !== null) jobs.push({ ...base, id: `email.update:${bookingId}:${booking.sequence}`, kind: 'email.update', payload: { studentId: booking.studentId } });
    jobs.push(...(await this.studentDm(booking, student, `moved:${bookingId}:${booking.sequence}`, { what: 'moved', fromStartsAt })));
    jobs.push(...(await this.timed(booking)));
    jobs.push(
      ...(await this.webhooks(booking, 'booking.rescheduled', `booking.rescheduled.${bookingId}.${booking.sequence}`, {
        status: 'active',
        previous: from ? { startsAt: from.fromStartsAt.toISOString(), endsAt: from.fromEndsAt.toISOString() } : null,
      })),
    );
    return this.planKept(jobs, now);
  }

  async onRated(bookingId: string): Promise<NewJob[]> {
    const booking = await this.load(bookingId);
    if (!booking?.feedback) return [];
    const now = this.deps.clock.now();
    await this.cancelTimed(booking, { from: 0, to: booking.sequence + 1 }, ['slack.rating_nudge', 'slack.rating_prompt'], 'the session was rated', now);
    // The score only: the notes are private to the coach. One event per version of the rating.
    const revision = booking.feedbackHistory.length + 1;
    const jobs = await this.webhooks(booking, 'session.rated', `session.rated.${bookingId}.${revision}`, {
      score: booking.feedback.satisfaction,
      revision,
    });
    return this.planKept(jobs, now);
  }

  /** A coach changed their reminder lead: their upcoming reminders move (or go). */
  async onReminderChanged(coachId: string): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.jobs.cancelPending({ coachId, kinds: ['slack.reminder'] }, 'the coach changed their reminder time', now);
    const coach = await this.deps.coaches.get(coachId);
    const lead = coach.reminderMinutesBefore;
    if (lead === null || !this.deps.delivers('slack.reminder')) return;
    const upcoming = await this.deps.bookings.activeStartingAfter(coachId, now);
    const jobs: NewJob[] = upcoming
      .filter((b) => b.startsAt.getTime() - lead * MINUTE > now.getTime())
      .map((b) => ({
        id: jobIds.reminder(b.id, b.sequence, lead),
        kind: 'slack.reminder' as const,
        bookingId: b.id,
        coachId,
        sequence: b.sequence,
        runAt: new Date(b.startsAt.getTime() - lead * MINUTE),
      }));
    await this.deps.jobs.plan(jobs, now, { revive: true });
  }

  /** Follow-ups of delivered jobs: the nudge comes a day after the prompt actually went out. */
  async onDelivered(job: Job): Promise<void> {
    if (job.kind !== 'slack.rating_prompt' || !job.bookingId) return;
    const booking = await this.load(job.bookingId);
    if (!booking) return;
    const now = this.deps.clock.now();
    const runAt = new Date(Math.max(now.getTime(), booking.endsAt.getTime()) + NUDGE_AFTER_MS);
    await this.deps.jobs.plan(
      this.keep([{ id: jobIds.ratingNudge(booking.id, booking.sequence), kind: 'slack.rating_nudge', bookingId: booking.id, coachId: booking.coachId, sequence: booking.sequence, runAt }]),
      now,
    );
  }
}
