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
import { cancellationNotice, sessionMessage, type StudentNotice } from './views/session-message.view.js';

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

/** Whether a student hears of a coach's cancellation by email, or only sees it on the booking site. */
export function studentNoticeFor(core: Core, session: Pick<CoachSession, 'student'>): StudentNotice {
  return session.student.email && core.jobs.delivers('email.cancellation') ? 'email' : 'site';
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

  const dm = (build: (session: CoachSession, coach: Coach) => SlackMessage) => async (job: Job) => {
    const { coach, session, client } = await slackCall(() => load(job));
    const sent = await slackCall(() => sendDm(client, coach.slackUserId, build(session, coach)));
    return { result: sent };
  };

  core.jobs.handle('slack.booking_dm', dm((session, coach) => sessionMessage(session, coach.timezone)));
  core.jobs.handle('slack.cancellation_dm', dm((session, coach) => cancellationNotice(session, coach.timezone, studentNoticeFor(core, session))));
  core.jobs.handle('slack.reminder', dm((session, coach) => reminderMessage(session, coach.timezone, core.clock.now())));
  core.jobs.handle('slack.rating_prompt', dm((session, coach) => ratingPromptMessage(session, coach.timezone)));
  core.jobs.handle('slack.rating_nudge', dm((session, coach) => ratingNudgeMessage(session, coach.timezone)));

  // The booking DM follows the session (moved, cancelled) by being edited, not by a second message.
  core.jobs.handle('slack.session_update', async (job, context) => {
    const bookingDm = await context.lookup(jobIds.bookingDm(job.bookingId ?? ''));
    const channel = bookingDm?.status === 'done' ? bookingDm.result?.channel : undefined;
    const ts = bookingDm?.status === 'done' ? bookingDm.result?.ts : undefined;
    if (typeof channel !== 'string' || typeof ts !== 'string') return { skip: 'the booking DM was never sent, so there is nothing to update' };
    const { coach, session, client } = await slackCall(() => load(job));
    await slackCall(() => updateMessage(client, { channel, ts }, sessionMessage(session, coach.timezone)));
    return { result: { channel, ts } };
  });
}
