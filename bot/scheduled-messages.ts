import { ErrorCode, type WebClient } from '@slack/web-api';
import type { CoachSession } from '../core/bookings/booking.schema.js';
import type { Coach } from '../core/coaches/coach.schema.js';
import type { Core } from '../core/core.types.js';
import { PermanentJobError, RetryLaterError, type Job } from '../core/jobs/job.schema.js';
import { jobIds } from '../core/jobs/job.planner.js';
import { sendDm, updateMessage } from './send.js';
import { WorkspaceNotInstalled, type SlackClients } from './slack-clients.js';
import { LimitsError } from './views/limits.js';
import type { SlackMessage } from './views/message.js';
import { ratingNudgeMessage, ratingPromptMessage, reminderMessage } from './views/session-followup.view.js';
import { cancellationNotice, movedNotice, sessionMessage, type StudentNotice } from './views/session-message.view.js';
import { studentSessionMessage } from './views/student-session.view.js';

/** Slack errors no retry can fix: the user, channel or token is gone, or the message itself is refused. */
const PERMANENT = new Set([
  'account_inactive', 'cannot_dm_bot', 'channel_not_found', 'invalid_auth', 'invalid_blocks', 'is_archived',
  'message_not_found', 'missing_scope', 'msg_too_long', 'not_authed', 'token_revoked', 'user_disabled', 'user_not_found',
]);

/**
 * Calls Slack on behalf of a job and turns Slack's answer into the job's
 * terms: a 429 becomes "retry after exactly Retry-After", a refusal no retry
 * can fix becomes a permanent failure, anything else is retried with backoff.
 * The client used here rejects rate-limited calls instead of sleeping on them,
 * so the wait is the job's, measured by core's clock, not a blocked worker.
 */
export async function slackCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WorkspaceNotInstalled || error instanceof LimitsError) throw new PermanentJobError(error.message);
    const e = error as { code?: string; retryAfter?: number; data?: { error?: string } };
    if (e.code === ErrorCode.RateLimitedError) {
      throw new RetryLaterError(`Slack rate limit: retry after ${e.retryAfter ?? 1} s`, Math.max(1, e.retryAfter ?? 1) * 1000);
    }
    if (e.code === ErrorCode.PlatformError && e.data?.error && PERMANENT.has(e.data.error)) {
      throw new PermanentJobError(`Slack answered ${e.data.error}`);
    }
    throw error;
  }
}

/** The Slack users who are this student in this workspace: where their own DMs go. */
async function studentInTeam(core: Core, studentId: string, teamId: string) {
  return (await core.students.slackIdentitiesOf(studentId)).filter((identity) => identity.teamId === teamId);
}

/** How a student hears of a coach's cancellation: by Slack DM, by email, or only on the booking site (see planner: the same conditions plan those jobs). */
export async function studentNoticeFor(core: Core, coach: Pick<Coach, 'teamId'>, session: Pick<CoachSession, 'student'>): Promise<StudentNotice> {
  const email = session.student.email !== null && core.jobs.delivers('email.cancellation');
  const slack = core.jobs.delivers('slack.student_dm') && (await studentInTeam(core, session.student.id, coach.teamId)).length > 0;
  return { slack, email };
}

/**
 * The Slack side of the session's scheduled messages: core plans them as
 * jobs and decides whether each is still due; this adapter renders the
 * session as the coach sees it now and sends it.
 */
export function registerScheduledMessages(core: Core, clients: SlackClients): void {
  async function load(job: Job): Promise<{ coach: Coach; session: CoachSession; client: WebClient }> {
    const coach = await core.coaches.get(job.coachId ?? '');
    const [session, client] = await Promise.all([core.bookings.getForCoach(coach.id, job.bookingId ?? ''), clients.forTeam(coach.teamId)]);
    return { coach, session, client };
  }

  const dm = (build: (session: CoachSession, coach: Coach, job: Job) => SlackMessage | Promise<SlackMessage>) => async (job: Job) => {
    const { coach, session, client } = await slackCall(() => load(job));
    const message = await slackCall(async () => build(session, coach, job));
    const sent = await slackCall(() => sendDm(client, coach.slackUserId, message));
    return { result: sent };
  };
  // Who the coach is meeting: sessions with them so far, the last score and the coach's own last notes.
  const studentContext = (session: CoachSession, coach: Coach) => core.bookings.studentContextForCoach(coach.id, session.student.id);
  const movedFrom = (job: Job) => (typeof job.payload.fromStartsAt === 'string' ? new Date(job.payload.fromStartsAt) : undefined);

  core.jobs.handle('slack.booking_dm', dm(async (session, coach) => sessionMessage(session, coach.timezone, await studentContext(session, coach))));
  core.jobs.handle('slack.cancellation_dm', dm(async (session, coach) => cancellationNotice(session, coach.timezone, await studentNoticeFor(core, coach, session))));
  core.jobs.handle('slack.move_dm', dm((session, coach, job) => movedNotice(session, movedFrom(job) ?? session.movedFrom?.startsAt ?? session.startsAt, coach.timezone)));
  core.jobs.handle('slack.reminder', dm(async (session, coach) => reminderMessage(session, coach.timezone, core.clock.now(), await studentContext(session, coach))));
  core.jobs.handle('slack.rating_prompt', dm((session, coach) => ratingPromptMessage(session, coach.timezone)));
  core.jobs.handle('slack.rating_nudge', dm((session, coach) => ratingNudgeMessage(session, coach.timezone)));

  // The booking DM follows the session (moved, cancelled) by being edited, not by a second message.
  core.jobs.handle('slack.session_update', async (job, context) => {
    const bookingDm = await context.lookup(jobIds.bookingDm(job.bookingId ?? ''));
    const channel = bookingDm?.status === 'done' ? bookingDm.result?.channel : undefined;
    const ts = bookingDm?.status === 'done' ? bookingDm.result?.ts : undefined;
    if (typeof channel !== 'string' || typeof ts !== 'string') return { skip: 'the booking DM was never sent, so there is nothing to update' };
    const { coach, session, client } = await slackCall(() => load(job));
    const message = sessionMessage(session, coach.timezone, await slackCall(() => studentContext(session, coach)));
    await slackCall(() => updateMessage(client, { channel, ts }, message));
    return { result: { channel, ts } };
  });

  // The student's own DM in the coach's workspace, in the zone Slack last gave for them.
  core.jobs.handle('slack.student_dm', async (job) => {
    const studentId = String(job.payload.studentId ?? '');
    const coach = await slackCall(() => core.coaches.get(job.coachId ?? ''));
    const identities = await slackCall(() => studentInTeam(core, studentId, coach.teamId));
    if (identities.length === 0) return { skip: 'the student is not a Slack user of the coach’s workspace' };
    const [session, client] = await slackCall(() => Promise.all([core.bookings.getForStudent(studentId, job.bookingId ?? ''), clients.forTeam(coach.teamId)]));
    const from = movedFrom(job) ?? session.movedFrom?.startsAt;
    const change = job.payload.what === 'moved' && from ? { movedFrom: from } : undefined;
    let sent: { channel: string; ts: string } | undefined;
    for (const identity of identities) {
      const message = studentSessionMessage(session, identity.timezone, core.clock.now(), change);
      sent = await slackCall(() => sendDm(client, identity.userId, message));
    }
    return { result: sent };
  });
}
