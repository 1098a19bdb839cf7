import type { RateLimitRepository } from './rate-limits/rate-limit.repository.js';
import type { Coach, CoachListing, CoachOnboardInput, CoachProfileUpdate, CoachSettingsUpdate, CoachStats, PublicCoach, ReminderSetting } from './coaches/coach.schema.js';
import type { Hold } from './holds/hold.schema.js';
import type { SlackIdentity, SlackStudent, SlackStudentInput, Student, StudentUpsertInput } from './students/student.schema.js';
import type { AvailabilityPage, OpenSlotsPage, OpenSlotsQuery, SeriesExtendInput, SeriesRemoval, SeriesResult, SeriesSummary, Slot, SlotCreateInput, SlotSeriesInput } from './slots/slot.schema.js';
import type { BookSlotInput, CoachSession, RescheduleInput, StudentContext, StudentSession } from './bookings/booking.schema.js';
import type { FeedbackInput } from './feedback/feedback.schema.js';
import type { CursorPage, CursorPageInput, Page, PageInput } from './shared/time.schema.js';
import type { DomainEventBus } from './shared/events.js';
import type { Clock } from './shared/clock.js';
import type { RulesConfig } from './shared/rules-config.js';
import type { IdempotencyService } from './idempotency/idempotency.service.js';
import type { JobService } from './jobs/job.service.js';
import type { WorkspaceScope } from './shared/scope.js';
import type { InstallationRecord, InstallationRecordInput } from './installations/installation.schema.js';
import type { AuditActor } from './audit/audit.schema.js';
import type { AdminService } from './admin/admin.service.js';

export type { AdminService, IdempotencyService, JobService, WorkspaceScope };

/** Who is asking. Every query that can reveal a phone number takes one. */
export type Actor = { kind: 'coach'; coachId: string } | { kind: 'student'; studentId: string };

export interface CoachService {
  /** First use from Slack: creates the coach, or refreshes name/zone/avatar (never overwrites a phone they set). */
  onboard(input: CoachOnboardInput): Promise<{ coach: Coach; created: boolean }>;
  findBySlackUser(teamId: string, slackUserId: string): Promise<Coach | null>;
  get(coachId: string): Promise<Coach>;
  /** `coach.not_found` for a coach outside the scope. */
  getPublic(coachId: string, scope?: WorkspaceScope): Promise<PublicCoach>;
  updateProfile(coachId: string, update: CoachProfileUpdate): Promise<Coach>;
  /** How long before each session the coach is reminded by DM (null: never). Upcoming reminders follow. */
  setReminder(coachId: string, input: ReminderSetting): Promise<Coach>;
  /** Buffer, daily cap and minimum notice (never below the organisation's). */
  updateSettings(coachId: string, update: CoachSettingsUpdate): Promise<Coach>;
  /** Coaches (of the scope's workspace, when given) by name with their next bookable slot, a page at a time (`nextCursor` fetches the next). */
  list(page?: CursorPageInput, scope?: WorkspaceScope): Promise<CursorPage<CoachListing>>;
  stats(coachId: string): Promise<CoachStats>;
  /** Coaches whose name contains `text` (any case), by name, at most `limit`: the Slack coach picker. */
  search(text: string, page: { limit: number }, scope?: WorkspaceScope): Promise<Coach[]>;
}

export interface StudentService {
  /** First use from a signed widget token: creates or updates the student. */
  upsert(input: StudentUpsertInput): Promise<Student>;
  get(studentId: string): Promise<Student>;
  /** The core student behind a Slack user, linked or made on first use (the rule is in student.service.ts). */
  forSlackUser(input: SlackStudentInput): Promise<SlackStudent>;
  findBySlackUser(teamId: string, userId: string): Promise<SlackStudent | null>;
  /** The Slack users who are this student (none for a website-only student), for DMs and App Home. */
  slackIdentitiesOf(studentId: string): Promise<SlackIdentity[]>;
  /** A phone typed into the booking form by a Slack student of their own; `phone.invalid` if it is not a number. */
  setSlackPhone(teamId: string, userId: string, phone: string): Promise<Student>;
}

export interface SlotService {
  create(coachId: string, input: SlotCreateInput): Promise<Slot>;
  /** One date, several times, optionally weekly; reports created and skipped occurrences. `signal` stops it between two slots. */
  createSeries(coachId: string, input: SlotSeriesInput, options?: { signal?: AbortSignal }): Promise<SeriesResult>;
  /** Removes an open slot. A booked slot is refused with `slot.booked`. `actor` (default: the coach) goes into the audit trail. */
  remove(coachId: string, slotId: string, actor?: AuditActor): Promise<Slot>;
  /** The coach's open slots that have not started, soonest first. */
  listOpen(coachId: string, page?: PageInput): Promise<Page<Slot>>;
  /** The coach's upcoming availability as items: each weekly series once, other open slots one by one, soonest first. */
  listAvailability(coachId: string, page?: PageInput): Promise<AvailabilityPage>;
  /** One weekly series of the coach as an item; `series.not_found` when it has no upcoming weekly slots. */
  series(coachId: string, seriesId: string): Promise<SeriesSummary>;
  /** Removes the series' open slots still to come; booked sessions stay and are reported. A booking racing it wins or loses its slot cleanly. */
  removeRestOfSeries(coachId: string, seriesId: string): Promise<SeriesRemoval>;
  /** Adds `weeks` more weeks on the same weekday and local times; overlaps and anything beyond the horizon are skipped and reported. */
  extendSeries(coachId: string, seriesId: string, input: SeriesExtendInput): Promise<SeriesResult>;
  /** Open slots a student could book now (notice respected) in [from, to); `coach.not_found` outside the scope. */
  listBookable(coachId: string, range: { from: Date | string; to: Date | string }, scope?: WorkspaceScope): Promise<Slot[]>;
  /** Removes every open, not yet started slot of a workspace (the app was uninstalled there); returns how many. */
  removeOpenInWorkspace(teamId: string): Promise<number>;
  /**
   * Open slots across coaches (or one, with `coachId`) that a student could
   * book now, in [from, to), soonest first, a page at a time. The notice and
   * horizon rules apply as to one coach's list. `scope` keeps it to one workspace.
   */
  listBookableAcross(query: OpenSlotsQuery, scope?: WorkspaceScope): Promise<OpenSlotsPage>;
  get(slotId: string): Promise<Slot>;
}

export interface HoldService {
  /**
   * Holds an open slot for the student for `holdMinutes` (holding it again
   * renews it; holding another slot lets this one go). Refused `slot.held`
   * when another student holds it, `slot.taken` when it is booked.
   */
  hold(studentId: string, slotId: string, scope?: WorkspaceScope): Promise<Hold>;
  /** Lets the student's hold go; nothing happens when they hold nothing there. */
  release(studentId: string, slotId: string, scope?: WorkspaceScope): Promise<void>;
  /** Which of these slots someone other than `studentId` holds right now. */
  heldByOthers(slotIds: string[], studentId?: string): Promise<Set<string>>;
}

/**
 * Student-side calls take an optional WorkspaceScope: with one, a slot or
 * session of another workspace is "not found" and listings leave it out.
 */
export interface BookingService {
  book(studentId: string, input: BookSlotInput, scope?: WorkspaceScope): Promise<StudentSession>;
  cancelAsStudent(studentId: string, bookingId: string, input?: { reason?: string | undefined }, scope?: WorkspaceScope): Promise<StudentSession>;
  cancelAsCoach(coachId: string, bookingId: string, input?: { reason?: string | undefined }): Promise<CoachSession>;
  /**
   * An admin cancels any session of their workspace (the scope), until it
   * starts; the cutoff does not bind them. The slot is withdrawn, as when
   * the coach cancels; both participants are told through the usual paths.
   */
  cancelAsAdmin(admin: { id: string }, bookingId: string, input: { reason?: string | undefined }, scope: WorkspaceScope | undefined): Promise<void>;
  /**
   * Moves a session to another open slot of the same coach; the booking keeps
   * its id. The cancellation cutoff applies to the session's current time and
   * the booking notice to the new one. The new slot and the student's new time
   * are secured before the old ones are released; on `slot.taken`,
   * `slot.not_open` or `booking.overlaps` the session stays as it was. A
   * student's old slot opens again; a coach's old slot is withdrawn.
   */
  reschedule(actor: Extract<Actor, { kind: 'student' }>, bookingId: string, input: RescheduleInput, scope?: WorkspaceScope): Promise<StudentSession>;
  reschedule(actor: Extract<Actor, { kind: 'coach' }>, bookingId: string, input: RescheduleInput): Promise<CoachSession>;
  /** One session as its coach sees it; `booking.not_found` for anyone else. */
  getForCoach(coachId: string, bookingId: string): Promise<CoachSession>;
  /** One session as its student sees it; `booking.not_found` for anyone else. */
  getForStudent(studentId: string, bookingId: string, scope?: WorkspaceScope): Promise<StudentSession>;
  coachUpcoming(coachId: string, page?: PageInput): Promise<Page<CoachSession>>;
  /** Started sessions, not cancelled: needs-rating first, then newest first. */
  coachPast(coachId: string, page?: PageInput): Promise<Page<CoachSession>>;
  coachNeedsRating(coachId: string, page?: PageInput): Promise<Page<CoachSession>>;
  /** The coach's own history with a student, for the booking DM: only this coach's sessions, ratings and notes. */
  studentContextForCoach(coachId: string, studentId: string): Promise<StudentContext>;
  /** Every session of this coach with this student, newest first (the coach's view, with their own ratings). */
  historyWithStudent(coachId: string, studentId: string, page?: PageInput): Promise<Page<CoachSession>>;
  /** Rated sessions that have ended, newest first. */
  coachRatedPast(coachId: string, page?: PageInput): Promise<Page<CoachSession>>;
  /** Active sessions that have not ended (one in progress included), soonest first. */
  studentUpcoming(studentId: string, page?: PageInput, scope?: WorkspaceScope): Promise<Page<StudentSession>>;
  /** Sessions that took place (ended and not cancelled), newest first. */
  studentPast(studentId: string, page?: PageInput, scope?: WorkspaceScope): Promise<Page<StudentSession>>;
  /** Cancelled sessions, by whoever, latest start first. */
  studentCancelled(studentId: string, page?: PageInput, scope?: WorkspaceScope): Promise<Page<StudentSession>>;
}

/**
 * Where the Slack app is installed (multi-workspace mode): one record per
 * workspace, its credentials sealed by the Slack edge.
 */
export interface InstallationService {
  /** A first install inserts; a reinstall or token refresh replaces the fields and keeps `installedAt`. */
  save(input: InstallationRecordInput): Promise<InstallationRecord>;
  find(teamId: string): Promise<InstallationRecord | null>;
  /** Forgets the workspace's credentials; true when there were any. */
  remove(teamId: string): Promise<boolean>;
}

export interface FeedbackService {
  /** Records or edits the coach's rating of a session. */
  record(coachId: string, bookingId: string, input: FeedbackInput): Promise<CoachSession>;
}

export interface Core {
  clock: Clock;
  rules: RulesConfig;
  events: DomainEventBus;
  coaches: CoachService;
  students: StudentService;
  slots: SlotService;
  bookings: BookingService;
  holds: HoldService;
  feedback: FeedbackService;
  installations: InstallationService;
  /** A workspace's whole schedule for its admins: overview, any session's history, cancel and remove, export. */
  admin: AdminService;
  /** Run-once-per-key for retried deliveries (Slack retries, HTTP Idempotency-Key). */
  idempotency: IdempotencyService;
  /** The session's scheduled messages (reminders, prompts, emails, webhooks), durable in MongoDB. */
  jobs: JobService;
  /** Request counters shared by every process on the database (the HTTP API's rate limits). */
  rateLimits: RateLimitRepository;
  /** Backstop for claims left behind by a crash mid-write (see core/claims): looks at recent claims only, frees orphans, returns how many. */
  sweepOrphanClaims(): Promise<number>;
  /** The same domain over the same data, at another clock (seeding history, tests). */
  withClock(clock: Clock): Core;
  /** True when the database answers a ping. */
  ping(): Promise<boolean>;
}
