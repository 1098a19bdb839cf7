import type { Coach, CoachListing, CoachScope, CoachOnboardInput, CoachProfileUpdate, CoachStats, PublicCoach } from './coaches/coach.schema.js';
import type { Student, StudentUpsertInput } from './students/student.schema.js';
import type { SeriesResult, Slot, SlotCreateInput, SlotSeriesInput } from './slots/slot.schema.js';
import type { BookSlotInput, CoachSession, StudentSession } from './bookings/booking.schema.js';
import type { FeedbackInput } from './feedback/feedback.schema.js';
import type { CursorPage, CursorPageInput, Page, PageInput } from './shared/time.schema.js';
import type { DomainEventBus } from './shared/events.js';
import type { Clock } from './shared/clock.js';
import type { RulesConfig } from './shared/rules-config.js';
import type { IdempotencyService } from './idempotency/idempotency.service.js';

export type { IdempotencyService };

/** Who is asking. Every query that can reveal a phone number takes one. */
export type Actor = { kind: 'coach'; coachId: string } | { kind: 'student'; studentId: string };

export interface CoachService {
  /** First use from Slack: creates the coach, or refreshes name/zone/avatar (never overwrites a phone they set). */
  onboard(input: CoachOnboardInput): Promise<{ coach: Coach; created: boolean }>;
  findBySlackUser(teamId: string, slackUserId: string): Promise<Coach | null>;
  get(coachId: string): Promise<Coach>;
  getPublic(coachId: string): Promise<PublicCoach>;
  updateProfile(coachId: string, update: CoachProfileUpdate): Promise<Coach>;
  /** Coaches by name with their next bookable slot, a page at a time (`nextCursor` fetches the next). */
  list(page?: CursorPageInput, scope?: CoachScope): Promise<CursorPage<CoachListing>>;
  stats(coachId: string): Promise<CoachStats>;
}

export interface StudentService {
  /** First use from a signed widget token: creates or updates the student. */
  upsert(input: StudentUpsertInput): Promise<Student>;
  get(studentId: string): Promise<Student>;
}

export interface SlotService {
  create(coachId: string, input: SlotCreateInput): Promise<Slot>;
  /** One date, several times, optionally weekly; reports created and skipped occurrences. */
  createSeries(coachId: string, input: SlotSeriesInput): Promise<SeriesResult>;
  /** Removes an open slot. A booked slot is refused with `slot.booked`. */
  remove(coachId: string, slotId: string): Promise<Slot>;
  /** The coach's open slots that have not started, soonest first. */
  listOpen(coachId: string, page?: PageInput): Promise<Page<Slot>>;
  /** Open slots a student could book now (notice respected) in [from, to). */
  listBookable(coachId: string, range: { from: Date | string; to: Date | string }): Promise<Slot[]>;
  get(slotId: string): Promise<Slot>;
}

export interface BookingService {
  book(studentId: string, input: BookSlotInput): Promise<StudentSession>;
  cancelAsStudent(studentId: string, bookingId: string, input?: { reason?: string | undefined }): Promise<StudentSession>;
  cancelAsCoach(coachId: string, bookingId: string, input?: { reason?: string | undefined }): Promise<CoachSession>;
  /** One session as its coach sees it; `booking.not_found` for anyone else. */
  getForCoach(coachId: string, bookingId: string): Promise<CoachSession>;
  /** One session as its student sees it; `booking.not_found` for anyone else. */
  getForStudent(studentId: string, bookingId: string): Promise<StudentSession>;
  coachUpcoming(coachId: string, page?: PageInput): Promise<Page<CoachSession>>;
  /** Started sessions, not cancelled: needs-rating first, then newest first. */
  coachPast(coachId: string, page?: PageInput): Promise<Page<CoachSession>>;
  coachNeedsRating(coachId: string, page?: PageInput): Promise<Page<CoachSession>>;
  studentUpcoming(studentId: string, page?: PageInput): Promise<Page<StudentSession>>;
  /** Started or cancelled sessions, newest first. */
  studentPast(studentId: string, page?: PageInput): Promise<Page<StudentSession>>;
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
  feedback: FeedbackService;
  /** Run-once-per-key for retried deliveries (Slack retries, HTTP Idempotency-Key). */
  idempotency: IdempotencyService;
  /** Backstop for claims left behind by a crash mid-write (see core/claims): looks at recent claims only, frees orphans, returns how many. */
  sweepOrphanClaims(): Promise<number>;
  /** The same domain over the same data, at another clock (seeding history, tests). */
  withClock(clock: Clock): Core;
  /** True when the database answers a ping. */
  ping(): Promise<boolean>;
}
