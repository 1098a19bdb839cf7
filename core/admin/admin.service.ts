import { DateTime } from 'luxon';
import type { AuditRepository } from '../audit/audit.repository.js';
import { SESSION_HISTORY_LIMIT } from '../audit/audit.service.js';
import type { AuditEntry } from '../audit/audit.schema.js';
import type { Booking, BookingRepository } from '../bookings/booking.repository.js';
import type { CoachRepository } from '../coaches/coach.repository.js';
import type { Coach } from '../coaches/coach.schema.js';
import type { BookingService, SlotService } from '../core.types.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { scopeFilter, inScope, type WorkspaceScope } from '../shared/scope.js';
import type { Page, PageInput } from '../shared/time.schema.js';
import { pageSchema } from '../shared/time.schema.js';
import { parseInput } from '../shared/validate.js';
import type { SlotRepository } from '../slots/slot.repository.js';
import type { Slot } from '../slots/slot.schema.js';
import { assertRange } from '../slots/slot.rules.js';
import type { StudentRepository } from '../students/student.repository.js';
import { EXPORT_MAX_DAYS, exportRangeSchema, type Admin, type AdminOverview, type AdminSession, type ExportRange, type ExportRow } from './admin.schema.js';

/** An entry with the coach's or student's name as it is now (admins and the system have none stored). */
export type NamedAuditEntry = AdminOverview['recent'][number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface AdminService {
  /** The workspace at a glance, with "today" and "this week" in the admin's zone. `listSize` bounds each list. */
  overview(scope: WorkspaceScope, options: { zone: string; listSize: number }): Promise<AdminOverview>;
  /** One session of the workspace; `booking.not_found` outside it. */
  session(bookingId: string, scope: WorkspaceScope | undefined): Promise<AdminSession>;
  /** What happened to a session, oldest first: its slot's creation, the booking, moves, cancellation, ratings. */
  history(bookingId: string, scope: WorkspaceScope | undefined): Promise<{ session: AdminSession; entries: NamedAuditEntry[] }>;
  /** Cancels any session of the workspace until it starts; see BookingService.cancelAsAdmin. */
  cancelSession(admin: Admin, bookingId: string, input: { reason?: string | undefined }, scope: WorkspaceScope): Promise<AdminSession>;
  /** Removes any open slot of the workspace, as its coach could; `slot.not_found` outside it. */
  removeSlot(admin: Admin, slotId: string, scope: WorkspaceScope): Promise<Slot>;
  /** One coach's open slots that have not started, soonest first; `coach.not_found` outside the workspace. */
  openSlotsOf(coachId: string, scope: WorkspaceScope, page?: PageInput): Promise<{ coach: Coach; slots: Page<Slot> }>;
  /**
   * Every session starting in [from, to) (at most EXPORT_MAX_DAYS), soonest
   * first, in batches. The range is checked before anything is read, so a
   * caller can refuse it before it starts answering. `notesOfCoachId` adds
   * the notes of that coach's own sessions (an admin who is also a coach).
   */
  exportSessions(range: ExportRange, scope: WorkspaceScope | undefined, options?: { notesOfCoachId?: string }): AsyncGenerator<ExportRow[]>;
  /** Checks an export range without reading anything: `range.invalid` / `range.too_wide`. */
  checkExportRange(range: ExportRange): { from: Date; to: Date };
}

interface Deps {
  bookings: BookingRepository;
  slots: SlotRepository;
  coaches: CoachRepository;
  students: StudentRepository;
  audit: AuditRepository;
  bookingService: BookingService;
  slotService: SlotService;
  clock: Clock;
}

export function createAdminService(deps: Deps): AdminService {
  const { bookings, slots, coaches, students, audit, bookingService, slotService, clock } = deps;
  const coachCache = () => new Map<string, Coach>();

  async function present(list: Booking[], known = coachCache()): Promise<AdminSession[]> {
    const missingCoaches = [...new Set(list.map((b) => b.coachId))].filter((id) => !known.has(id));
    if (missingCoaches.length) for (const [id, coach] of await coaches.getMany(missingCoaches)) known.set(id, coach);
    const people = await students.getMany(list.map((b) => b.studentId));
    return list.map((b) => {
      const coach = known.get(b.coachId);
      return {
        id: b.id,
        slotId: b.slotId,
        startsAt: b.startsAt,
        endsAt: b.endsAt,
        status: b.status,
        coach: { id: b.coachId, name: coach?.name ?? 'Unknown coach', timezone: coach?.timezone ?? 'UTC', slackUserId: coach?.slackUserId ?? '' },
        student: { id: b.studentId, name: people.get(b.studentId)?.name ?? 'Unknown student' },
        score: b.feedback?.satisfaction ?? null,
        cancellation: b.cancellation,
      };
    });
  }

  async function listed(filter: Record<string, unknown>, sort: Record<string, 1 | -1>, limit: number) {
    const page = await bookings.page(filter, sort, limit, 0);
    return { items: await present(page.items), total: page.total };
  }

  async function nameActors(entries: AuditEntry[]): Promise<NamedAuditEntry[]> {
    const ids = (kind: string) => entries.filter((e) => e.actor.kind === kind).map((e) => e.actor.id);
    const [coachNames, studentNames] = await Promise.all([coaches.getMany(ids('coach')), students.getMany(ids('student'))]);
    return entries.map((e) => ({
      ...e,
      actorName: e.actor.kind === 'coach' ? (coachNames.get(e.actor.id)?.name ?? null) : e.actor.kind === 'student' ? (studentNames.get(e.actor.id)?.name ?? null) : null,
    }));
  }

  const session = async (bookingId: string, scope: WorkspaceScope | undefined) => (await present([await bookings.getFor({ admin: true }, bookingId, scope)]))[0]!;

  function checkExportRange(range: ExportRange) {
    const { from, to } = parseInput(exportRangeSchema, range);
    assertRange(from, to, EXPORT_MAX_DAYS);
    return { from, to };
  }

  return {
    async overview(scope, { zone, listSize }) {
      const now = clock.now();
      const local = DateTime.fromJSDate(now, { zone });
      const day = { from: local.startOf('day').toJSDate(), to: local.startOf('day').plus({ days: 1 }).toJSDate() };
      const week = { from: local.startOf('week').toJSDate(), to: local.startOf('week').plus({ weeks: 1 }).toJSDate() };
      const team = scopeFilter(scope);
      const active = (range: { from: Date; to: Date }) => ({ ...team, status: 'active', startsAt: { $gte: range.from, $lt: range.to } });
      const since = new Date(now.getTime() - 30 * DAY);
      const cancelledBy = (by: string) => bookings.count({ ...team, status: 'cancelled', 'cancellation.by': by, 'cancellation.at': { $gte: since } });
      const [today, thisWeek, unrated, openCounts, teamCoaches, student, coach, admin, recent] = await Promise.all([
        listed(active(day), { startsAt: 1 }, listSize),
        listed(active(week), { startsAt: 1 }, listSize),
        listed({ ...team, status: 'active', rated: false, endsAt: { $lte: new Date(now.getTime() - DAY) } }, { startsAt: 1 }, listSize),
        slots.openCountsInTeam(scope.teamId, now),
        coaches.idsInTeam(scope.teamId).then((ids) => coaches.getMany(ids)),
        cancelledBy('student'),
        cancelledBy('coach'),
        cancelledBy('admin'),
        audit.recent(scope.teamId, listSize),
      ]);
      const openSlots = [...teamCoaches.values()]
        .map((c) => ({ coach: { id: c.id, name: c.name, timezone: c.timezone }, open: openCounts.get(c.id) ?? 0 }))
        .sort((a, b) => b.open - a.open || a.coach.name.localeCompare(b.coach.name));
      return { today, week: thisWeek, openSlots, unrated, cancellations: { student, coach, admin, since }, recent: await nameActors(recent) };
    },

    session,

    async history(bookingId, scope) {
      const booking = await bookings.getFor({ admin: true }, bookingId, scope);
      const slotIds = [...new Set([booking.slotId, ...booking.moves.map((m) => m.fromSlotId)])];
      const seriesIds = [...new Set((await slots.findMany(slotIds)).map((s) => s.seriesId).filter((id): id is string => id !== null))];
      const entries = await audit.forSession({ teamId: booking.teamId, bookingId: booking.id, slotIds, seriesIds }, SESSION_HISTORY_LIMIT);
      return { session: (await present([booking]))[0]!, entries: await nameActors(entries) };
    },

    async cancelSession(admin, bookingId, input, scope) {
      await bookingService.cancelAsAdmin(admin, bookingId, input, scope);
      return session(bookingId, scope);
    },

    async removeSlot(admin, slotId, scope) {
      const slot = await slots.get(slotId);
      if (!inScope(scope, slot.teamId)) throw new DomainError('slot.not_found');
      return slotService.remove(slot.coachId, slot.id, { kind: 'admin', id: admin.id });
    },

    async openSlotsOf(coachId, scope, page) {
      const coach = await coaches.get(coachId);
      if (!inScope(scope, coach.teamId)) throw new DomainError('coach.not_found');
      const { limit, offset } = parseInput(pageSchema, page ?? {});
      return { coach, slots: await slots.listOpen(coachId, clock.now(), limit, offset) };
    },

    checkExportRange,

    async *exportSessions(range, scope, options = {}) {
      const { from, to } = checkExportRange(range);
      const known = coachCache();
      for await (const batch of bookings.streamByStart({ ...scopeFilter(scope), startsAt: { $gte: from, $lt: to } })) {
        const views = await present(batch, known);
        yield views.map((s, index) => {
          const zone = s.coach.timezone;
          const inZone = (d: Date) => DateTime.fromJSDate(d, { zone }).toISO({ suppressMilliseconds: true }) ?? '';
          const row: ExportRow = {
            coach: s.coach.name,
            student: s.student.name,
            startsUtc: s.startsAt.toISOString(),
            endsUtc: s.endsAt.toISOString(),
            coachZone: zone,
            startsCoachZone: inZone(s.startsAt),
            endsCoachZone: inZone(s.endsAt),
            status: s.status,
            score: s.score,
          };
          if (options.notesOfCoachId !== undefined) row.notes = s.coach.id === options.notesOfCoachId ? (batch[index]!.feedback?.notes ?? '') : '';
          return row;
        });
      }
    },
  };
}
