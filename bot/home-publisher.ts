import type { Logger } from 'pino';
import type { Coach } from '../core/coaches/coach.schema.js';
import type { Core } from '../core/core.types.js';
import type { Page } from '../core/shared/time.schema.js';
import type { HomeSection } from './ids.js';
import type { SlackClients } from './slack-clients.js';
import { FIRST_PAGES, HOME_PAGE_SIZE, homeView, welcomeHomeView, type HomeData, type HomePaging } from './views/home.view.js';
import { publishHome } from './send.js';

/** Offset of the last page, for when a page emptied under the coach (items removed meanwhile). */
const lastPageOffset = (total: number) => Math.max(0, Math.floor((total - 1) / HOME_PAGE_SIZE) * HOME_PAGE_SIZE);

/**
 * Builds and publishes App Home. Each coach's paging is remembered in
 * memory so a republish caused by a booking keeps them on the page they
 * were reading; concurrent republishes for one coach collapse into one
 * extra run with the latest data, so a burst of events costs two publishes.
 * (Several processes would each remember their own pages; a page click then
 * at worst shows the first pages after a change, never wrong data.)
 */
export class HomePublisher {
  private readonly paging = new Map<string, HomePaging>();
  private readonly inFlight = new Map<string, { again: boolean; done: Promise<void> }>();

  constructor(
    private readonly core: Core,
    private readonly clients: SlackClients,
    private readonly logger: Logger,
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

  /** Builds and publishes once, on the pages the coach last saw. */
  private async publishOnce(coach: Coach): Promise<void> {
    const requested = this.paging.get(coach.id);
    const data = await this.load(coach, { ...(requested ?? FIRST_PAGES) });
    // Keep the pages as clamped by load, unless a click chose others meanwhile.
    if (this.paging.get(coach.id) === requested) this.paging.set(coach.id, data.paging);
    await publishHome(await this.clients.forTeam(coach.teamId), coach.slackUserId, homeView(data));
  }

  /**
   * Republishes a coach's App Home, optionally moving to other pages first.
   * A call while a publish is running makes that run go once more with the
   * latest data and pages, so the last publish always shows the final state,
   * even when a page click and a booking arrive together.
   */
  show(coachId: string, paging?: HomePaging): Promise<void> {
    if (paging) this.paging.set(coachId, { ...paging });
    const current = this.inFlight.get(coachId);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await this.publishOnce(await this.core.coaches.get(coachId));
        } while (entry.again);
      } finally {
        this.inFlight.delete(coachId);
      }
    })();
    this.inFlight.set(coachId, entry);
    return entry.done;
  }

  /** For someone opening the tab: their coaching home, or a welcome if they are not a coach yet. */
  async showForSlackUser(teamId: string, slackUserId: string): Promise<void> {
    const coach = await this.core.coaches.findBySlackUser(teamId, slackUserId);
    if (coach) await this.show(coach.id);
    else await publishHome(await this.clients.forTeam(teamId), slackUserId, welcomeHomeView());
  }
}
