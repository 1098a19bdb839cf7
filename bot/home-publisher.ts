import type { Logger } from 'pino';
import type { Coach } from '../core/coaches/coach.schema.js';
import type { Core } from '../core/core.types.js';
import type { Page } from '../core/shared/time.schema.js';
import type { SlackStudent } from '../core/students/student.schema.js';
import type { HomeSection } from './ids.js';
import type { AdminDirectory } from './admins.js';
import type { SlackClients } from './slack-clients.js';
import { ADMIN_LIST_SIZE, adminHomeView } from './views/admin-home.view.js';
import { appHomeView, FIRST_PAGES, HOME_PAGE_SIZE, type HomeData, type HomePaging } from './views/home.view.js';
import { studentHomeSizes, type StudentHomeData } from './views/student-home.view.js';
import { publishHome } from './send.js';
import { readSlackProfile } from './slack-profile.js';

/** What App Home shows an admin who is also a coach: their own coaching, or the workspace. */
export type HomeMode = 'coach' | 'admin';

/** Offset of the last page, for when a page emptied under the coach (items removed meanwhile). */
const lastPageOffset = (total: number) => Math.max(0, Math.floor((total - 1) / HOME_PAGE_SIZE) * HOME_PAGE_SIZE);

/**
 * Builds and publishes App Home, per Slack user: the coaching part when
 * they are a coach, the sessions they booked when they are a student, both
 * for someone who is both, the workspace's schedule for an admin who chose
 * it (or who is no coach). Each user's paging is remembered in memory so a
 * republish caused by a booking keeps them on the page they were reading;
 * concurrent republishes for one user collapse into one extra run with the
 * latest data, so a burst of events costs two publishes.
 * (Several processes would each remember their own pages; a page click then
 * at worst shows the first pages after a change, never wrong data.)
 */
export class HomePublisher {
  private readonly paging = new Map<string, HomePaging>();
  private readonly inFlight = new Map<string, { again: boolean; done: Promise<void> }>();
  /** Admins whose tab shows the workspace, per team: republished when anything there changes. */
  private readonly adminViewers = new Map<string, Set<string>>();
  private readonly modes = new Map<string, HomeMode>();

  constructor(
    private readonly core: Core,
    private readonly clients: SlackClients,
    private readonly logger: Logger,
    private readonly admins: AdminDirectory,
    /** PUBLIC_BOOKING_URL: with it, coaches get "Share my booking link". */
    private readonly bookingUrl: string | null = null,
  ) {}

  async load(coach: Coach, paging: HomePaging): Promise<HomeData> {
    const { core } = this;
    const page = (offset: number) => ({ limit: HOME_PAGE_SIZE, offset });
    const clamp = async <P extends Page<unknown>>(section: HomeSection, fetch: (offset: number) => Promise<P>): Promise<P> => {
      const first = await fetch(paging[section]);
      if (first.items.length || paging[section] === 0 || first.total === 0) return first;
      paging[section] = lastPageOffset(first.total);
      return fetch(paging[section]);
    };
    const [stats, upcoming, open, needsRating, past] = await Promise.all([
      core.coaches.stats(coach.id),
      clamp('upcoming', (o) => core.bookings.coachUpcoming(coach.id, page(o))),
      clamp('open', (o) => core.slots.listAvailability(coach.id, page(o))),
      clamp('rating', (o) => core.bookings.coachNeedsRating(coach.id, page(o))),
      clamp('past', (o) => core.bookings.coachRatedPast(coach.id, page(o))),
    ]);
    return { coach, stats, now: core.clock.now(), upcoming, open, needsRating, past, paging };
  }

  private async loadStudent({ student, identity }: SlackStudent, alsoCoach: boolean): Promise<StudentHomeData> {
    const sizes = studentHomeSizes(alsoCoach);
    const scope = { teamId: identity.teamId };
    const [upcoming, past] = await Promise.all([
      this.core.bookings.studentUpcoming(student.id, { limit: sizes.upcoming }, scope),
      this.core.bookings.studentPast(student.id, { limit: sizes.past }, scope),
    ]);
    return { zone: identity.timezone, now: this.core.clock.now(), upcoming, past };
  }

  /** Builds and publishes once, on the pages the user last saw (or the workspace, for an admin who chose it or coaches nobody). */
  private async publishOnce(teamId: string, userId: string): Promise<void> {
    const key = userKey(teamId, userId);
    const client = await this.clients.forTeam(teamId);
    const [coach, student, admin] = await Promise.all([
      this.core.coaches.findBySlackUser(teamId, userId),
      this.core.students.findBySlackUser(teamId, userId),
      this.admins.isAdmin(client, teamId, userId),
    ]);
    if (admin && (!coach || this.modes.get(key) === 'admin')) {
      await this.publishAdmin(client, teamId, userId, coach?.timezone ?? student?.identity.timezone ?? (await this.zoneOf(client, userId)), Boolean(coach));
      return;
    }
    this.forgetAdminViewer(teamId, userId);
    const requested = this.paging.get(key);
    const coachData = coach ? await this.load(coach, { ...(requested ?? FIRST_PAGES) }) : null;
    // Keep the pages as clamped by load, unless a click chose others meanwhile.
    if (coachData && this.paging.get(key) === requested) this.paging.set(key, coachData.paging);
    const studentData = student ? await this.loadStudent(student, Boolean(coach)) : null;
    await publishHome(client, userId, appHomeView({ coach: coachData && { ...coachData, admin }, student: studentData, canShare: this.bookingUrl !== null }));
  }

  private async publishAdmin(client: Awaited<ReturnType<SlackClients['forTeam']>>, teamId: string, userId: string, zone: string, isCoach: boolean): Promise<void> {
    const overview = await this.core.admin.overview({ teamId }, { zone, listSize: ADMIN_LIST_SIZE });
    const viewers = this.adminViewers.get(teamId) ?? new Set<string>();
    viewers.add(userId);
    this.adminViewers.set(teamId, viewers);
    await publishHome(client, userId, adminHomeView({ overview, zone, now: this.core.clock.now(), isCoach }));
  }

  private forgetAdminViewer(teamId: string, userId: string): void {
    const viewers = this.adminViewers.get(teamId);
    viewers?.delete(userId);
    if (viewers?.size === 0) this.adminViewers.delete(teamId);
  }

  /** Runs `publish` for `key`, collapsing concurrent calls into one more run (see `show`). */
  private collapse(key: string, publish: () => Promise<void>): Promise<void> {
    const current = this.inFlight.get(key);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await publish();
        } while (entry.again);
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, entry);
    return entry.done;
  }

  /**
   * Republishes a Slack user's App Home, optionally moving to other pages
   * first. A call while a publish is running makes that run go once more
   * with the latest data and pages, so the last publish always shows the
   * final state, even when a page click and a booking arrive together.
   */
  showForSlackUser(teamId: string, slackUserId: string, paging?: HomePaging): Promise<void> {
    const key = userKey(teamId, slackUserId);
    if (paging) this.paging.set(key, { ...paging });
    return this.collapse(key, () => this.publishOnce(teamId, slackUserId));
  }

  /** A coach's App Home (after a change to their sessions or slots). */
  async show(coachId: string, paging?: HomePaging): Promise<void> {
    const coach = await this.core.coaches.get(coachId);
    await this.showForSlackUser(coach.teamId, coach.slackUserId, paging);
  }

  /** The App Home of every Slack user who is this student (none for a website-only student). */
  async showForStudent(studentId: string): Promise<void> {
    const identities = await this.core.students.slackIdentitiesOf(studentId);
    await Promise.all(identities.map((identity) => this.showForSlackUser(identity.teamId, identity.userId)));
  }

  /** An admin who coaches switches their tab between their own coaching and the workspace. */
  async switchMode(teamId: string, slackUserId: string, mode: HomeMode): Promise<void> {
    this.modes.set(userKey(teamId, slackUserId), mode);
    await this.showForSlackUser(teamId, slackUserId);
  }

  /** Something changed in a coach's workspace: every admin looking at it gets it again. */
  async refreshAdmins(coachId: string): Promise<void> {
    if (this.adminViewers.size === 0) return;
    const { teamId } = await this.core.coaches.get(coachId);
    const viewers = [...(this.adminViewers.get(teamId) ?? [])];
    await Promise.all(viewers.map((userId) => this.showForSlackUser(teamId, userId)));
  }

  /** An admin who is no coach has no zone stored: Slack's profile says it (UTC when it cannot). */
  private async zoneOf(client: Awaited<ReturnType<SlackClients['forTeam']>>, userId: string): Promise<string> {
    try {
      return (await readSlackProfile(client, userId)).timezone;
    } catch {
      return 'UTC';
    }
  }
}

const userKey = (teamId: string, userId: string) => `${teamId}:${userId}`;
