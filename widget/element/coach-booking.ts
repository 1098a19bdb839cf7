import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { BookingDto, CoachDto, OpenSlotsResponseDto, PublicCoachDto, SlotDto } from '../api/contract.schema.js';
import { ApiError, BookingApiClient, isAbort } from './api-client.js';
import { renderCalendar, shortDay } from './calendar.js';
import { coachBookingStyles } from './coach-booking.styles.js';
import { emit } from './events.js';
import { reactive, ReactiveWidget, type Changes } from './reactive.js';
import type { MessageKey, Messages } from './i18n/en.js';
import {
  addMonths,
  dayKey,
  describeZone,
  detectTimeZone,
  firstDayOfWeek,
  formatDay,
  formatMonth,
  formatSession,
  formatTime,
  isTimeZone,
  monthOf,
  startOfDay,
} from './time.js';
import type { ZoneList } from '../api/zones.js';

export type {
  CoachBookingBookedDetail,
  CoachBookingCancelledDetail,
  CoachBookingErrorDetail,
  CoachBookingRescheduledDetail,
  CoachBookingTokenExpiredDetail,
} from './events.js';

type View = 'browse' | 'coach' | 'confirm' | 'booked' | 'sessions';
type Sessions = { upcoming: BookingDto[]; past: BookingDto[]; cancelled: BookingDto[] };
type Shown = { message: string; retry: (() => void) | null };

/** The words come from the server as JSON, one language per page (see i18n/en.ts), so none of them weigh on the script. */
const LANGUAGES = ['en', 'fr', 'es', 'de'];
const tables = new Map<string, Promise<Messages | null>>();
/** Codes meaning someone else got the time first: the student picks again from fresh times. */
const LOST = new Set(['slot.taken', 'slot.not_open', 'slot.not_found']);
const SLOW_REFRESH_MS = 120_000;
const RENEW_PATIENCE_MS = 10_000;

/** The API defaults to the server this script came from, so most pages only set `token`. */
const SCRIPT_ORIGIN = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return '';
  }
})();

function claims(token: string | null): { sub?: string; exp?: number } {
  try {
    return JSON.parse(atob(token!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string; exp?: number };
  } catch {
    return {};
  }
}

function newKey(): string {
  // getRandomValues works on plain-http host pages too, where randomUUID does not exist.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function avatar(coach: { name: string; avatarUrl: string | null } | undefined): TemplateResult {
  // Only web images: the URL comes from a Slack profile, and nothing else belongs in an <img>.
  if (coach?.avatarUrl && /^https?:\/\//i.test(coach.avatarUrl)) {
    return html`<img class="avatar" part="avatar" src=${coach.avatarUrl} alt="" loading="lazy" referrerpolicy="no-referrer" />`;
  }
  const initials = (coach?.name ?? '').split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('');
  return html`<span class="avatar" part="avatar" aria-hidden="true">${initials}</span>`;
}

/**
 * @summary A scheduler a signed-in student can book a 2-hour session with:
 * a month calendar and the chosen day's times, across coaches or for one
 * coach, confirmation with the coach's phone, and their sessions (move,
 * cancel, add to calendar). One element; its views are render methods, so
 * one stylesheet, one set of parts and one focus order cover it all.
 *
 * @attr api - Base URL of the scheduler (e.g. `https://scheduler.example.com`). Defaults to the origin this script was loaded from.
 * @attr token - The student's HS256 JWT, signed by the host site. A new token for the same student keeps their place.
 * @attr coach - A coach id: open on that coach's calendar.
 * @attr timezone - An IANA zone (e.g. `Asia/Tokyo`) to show times in; hides the zone picker.
 * @attr locale - A BCP 47 locale (`fr-FR`) for words, dates and the first day of the week. Defaults to the browser's.
 *
 * @csspart base - The widget's frame.
 * @csspart header - Title and navigation.
 * @csspart nav - The "Book a session" / "My sessions" switch.
 * @csspart tabs - The "Any coach" / "Choose a coach" switch.
 * @csspart zone - The line saying which time zone is shown, with its picker.
 * @csspart calendar - The month grid.
 * @csspart times - The chosen day's times.
 * @csspart slot-button - One open time.
 * @csspart coach-list - The coach cards.
 * @csspart coach-card - One coach.
 * @csspart coach-name - A coach's name.
 * @csspart avatar - A coach's picture or initials.
 * @csspart confirm - The confirmation step.
 * @csspart booked - The "You are booked" step.
 * @csspart phone - The coach's phone number.
 * @csspart sessions - "My sessions".
 * @csspart session - One session.
 * @csspart button - Every button.
 * @csspart button-primary - The main action of a step.
 * @csspart notice - An informational message, such as "that time was just taken".
 * @csspart error - An error message.
 * @csspart empty - An empty state.
 *
 * @cssproperty [--coach-booking-accent=#2346c8] - Buttons, links, marked days and focus rings.
 * @cssproperty [--coach-booking-accent-text=#ffffff] - Text on accent-coloured buttons.
 * @cssproperty [--coach-booking-font=system-ui] - Font family.
 * @cssproperty [--coach-booking-radius=10px] - Corner radius of the frame, cards and buttons.
 * @cssproperty [--coach-booking-text=#1c2330] - Body text.
 * @cssproperty [--coach-booking-muted=#4f5a6b] - Secondary text.
 * @cssproperty [--coach-booking-surface=#ffffff] - Background.
 * @cssproperty [--coach-booking-border=#c9d0db] - Borders.
 * @cssproperty [--coach-booking-danger=#b3261e] - Errors and Cancel.
 *
 * @event coach-booking:booked - The student booked a session. `detail: { booking }`.
 * @event coach-booking:cancelled - The student cancelled a session. `detail: { booking }`.
 * @event coach-booking:rescheduled - The student moved a session. `detail: { booking, previous }`.
 * @event coach-booking:token-expired - Set a fresh `token`; the student's pending action resumes when it arrives. `detail: { code }`.
 * @event coach-booking:error - A request failed and the student was shown why. `detail: { code, message, status }`.
 */
export class CoachBooking extends ReactiveWidget {
  static override attributes = ['api', 'token', 'coach', 'timezone', 'locale'];

  declare api: string | null;
  declare token: string | null;
  declare coach: string | null;
  declare timezone: string | null;
  declare locale: string | null;

  declare msgs: Messages | null;
  declare view: View;
  /** Browsing across coaches by date, or coach by coach. */
  declare by: 'date' | 'coach';
  /** The coach whose page is open. */
  declare page: PublicCoachDto | null;
  declare month: string | null;
  declare day: string | null;
  declare focusDay: string | null;
  /** The open slots of the month shown; null while they load. */
  declare slots: SlotDto[] | null;
  declare next: SlotDto | null;
  declare coachList: { coaches: CoachDto[]; nextCursor: string | null } | null;
  /** The time chosen to book (or move to). */
  declare chosen: SlotDto | null;
  declare hold: 'held' | 'other' | null;
  declare booking: BookingDto | null;
  declare previous: BookingDto | null;
  /** The session being moved to another time. */
  declare moving: BookingDto | null;
  declare sessions: Sessions | null;
  /** The session whose "Cancel?" question is open. */
  declare asking: string | null;
  /** What is in flight: 'book', or a session id. */
  declare busy: string | null;
  declare notice: string | null;
  /** The one error box of the view. */
  declare shown: Shown | null;
  declare status: string;
  declare chosenZone: string;
  declare zoneOpen: boolean;
  declare zoneQuery: string;
  /** The picker's list, fetched when the student first opens it; false while that failed. */
  declare zones: ZoneList | false | null;
  declare renewing: 'waiting' | 'slow' | null;

  private client = new BookingApiClient(SCRIPT_ORIGIN, () => this.token);
  private coaches = new Map<string, PublicCoachDto>();
  private loaded = '';
  private loading: AbortController | null = null;
  private holdUntil = '';
  private idempotencyKey = newKey();
  private waiting: Array<() => void> = [];
  private timers: Record<string, ReturnType<typeof setTimeout> | undefined> = {};
  private live: EventSource | null = null;
  private subject: string | undefined;
  private startedAtCoach = false;
  private coachesRequested = false;

  constructor() {
    super(coachBookingStyles);
    this.api = this.token = this.coach = this.timezone = this.locale = null;
    this.msgs = null;
    this.view = 'browse';
    this.by = 'date';
    this.page = this.month = this.day = this.focusDay = this.slots = this.next = this.coachList = null;
    this.chosen = this.hold = this.booking = this.previous = this.moving = this.sessions = null;
    this.asking = this.busy = this.notice = this.shown = this.renewing = null;
    this.status = '';
    this.chosenZone = detectTimeZone();
    this.zoneOpen = false;
    this.zoneQuery = '';
    this.zones = null;
  }

  private get zone(): string {
    return isTimeZone(this.timezone) ? this.timezone : this.chosenZone;
  }

  /** Where the widget's own files are served: the API's server. */
  private get origin(): string {
    return this.client.base.replace(/\/api\/v1$/, '');
  }

  /** The BCP 47 locale for words and dates. */
  private get loc(): string | undefined {
    try {
      return Intl.getCanonicalLocales(this.locale || navigator.language)[0];
    } catch {
      return undefined;
    }
  }

  private t(key: MessageKey, values: Record<string, string | number> = {}): string {
    return this.parts(key, values).join('');
  }

  /** A message with some values given as markup; `text` renders the words between them. */
  private parts(key: MessageKey, values: Record<string, unknown>, text: (words: string) => unknown = (words) => words): unknown[] {
    return (this.msgs?.[key] ?? '').split(/(\{\w+\})/).map((piece) => (/^\{\w+\}$/.test(piece) ? values[piece.slice(1, -1)] : text(piece)));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.listen();
  }

  disconnectedCallback(): void {
    this.live?.close();
    this.live = null;
    for (const timer of Object.values(this.timers)) clearTimeout(timer);
  }

  protected override willUpdate(changed: Changes): void {
    if (changed.has('api')) {
      this.client = new BookingApiClient(this.api || SCRIPT_ORIGIN, () => this.token);
      this.loaded = '';
      if (this.isConnected) this.listen();
    }
    if (changed.has('locale') || !this.msgs) this.loadMessages();
    if (changed.has('token')) this.tokenChanged();
    if (changed.has('coach') && this.coach && !this.startedAtCoach) {
      this.startedAtCoach = true;
      this.view = 'coach';
      this.page = { id: this.coach, name: '', bio: '', avatarUrl: null, timezone: 'UTC' };
    }
  }

  protected override updated(): void {
    const wantsMonth = this.view === 'coach' || (this.view === 'browse' && this.by === 'date');
    const key = `${this.view === 'coach' ? this.page?.id : ''}|${this.month ?? ''}|${this.zone}`;
    if (wantsMonth && key !== this.loaded) void this.loadMonth(key);
    if (this.view === 'browse' && this.by === 'coach' && !this.coachesRequested) void this.loadCoaches(null);
  }

  /* ------------------------------------------------------------ data */

  private loadMessages(): void {
    const primary = this.loc?.split('-')[0] ?? 'en';
    const language = LANGUAGES.includes(primary) ? primary : 'en';
    const url = `${this.origin}/widget/i18n/${language}.json`;
    if (!tables.has(url)) tables.set(url, fetch(url).then((r) => (r.ok ? (r.json() as Promise<Messages>) : null)).catch(() => null));
    void tables.get(url)!.then((table) => {
      if (table) this.msgs = table;
      else {
        // Without its words the widget can say nothing: it keeps its placeholder and asks again shortly.
        tables.delete(url);
        this.timers.words = setTimeout(() => this.loadMessages(), 5_000);
      }
    });
  }

  /** One month of open times (all coaches, or the page's coach); on first view, skips ahead to the first month with any. */
  private async loadMonth(key: string): Promise<void> {
    this.loaded = key;
    this.loading?.abort();
    const controller = (this.loading = new AbortController());
    const zone = this.zone;
    const first = this.month === null;
    const month = this.month ?? monthOf(dayKey(new Date(), zone));
    const coachId = this.view === 'coach' ? this.page?.id : undefined;
    try {
      let result = await this.fetchMonth(month, zone, coachId, controller.signal);
      let shown = month;
      if (first && result.slots.length === 0 && result.next) {
        shown = monthOf(dayKey(new Date(result.next.startsAt), zone));
        result = await this.fetchMonth(shown, zone, coachId, controller.signal);
      }
      if (controller.signal.aborted) return;
      this.slots = result.slots;
      this.next = result.next;
      if (coachId && this.coaches.has(coachId)) this.page = this.coaches.get(coachId)!;
      if (this.month !== shown) {
        this.month = shown;
        this.loaded = `${coachId ?? ''}|${shown}|${zone}`;
      }
      const days = this.slots.map((s) => dayKey(new Date(s.startsAt), zone));
      if (!this.day || monthOf(this.day) !== shown) this.day = days[0] ?? null;
      if (!this.focusDay || monthOf(this.focusDay) !== shown) this.focusDay = this.day ?? `${shown}-01`;
      this.say(this.t('count', { n: this.slots.length }) + ' ' + formatMonth(shown, this.loc));
    } catch (error) {
      if (!controller.signal.aborted) this.fail(error, () => ((this.loaded = ''), this.requestUpdate()));
    }
  }

  private async fetchMonth(month: string, zone: string, coachId: string | undefined, signal: AbortSignal): Promise<{ slots: SlotDto[]; next: SlotDto | null }> {
    const from = startOfDay(`${month}-01`, zone);
    const to = startOfDay(`${addMonths(month, 1)}-01`, zone);
    const slots: SlotDto[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page: OpenSlotsResponseDto = await this.call(() => this.client.openSlots({ from, to, coachId, cursor }, signal));
      for (const coach of page.coaches) this.coaches.set(coach.id, coach);
      slots.push(...page.slots);
      if (!page.nextCursor) return { slots, next: page.nextOpenAfter };
      cursor = page.nextCursor;
    }
  }

  /** Fetches the month again in place (a live change, the slow refresh), keeping the day chosen. */
  private refresh(): void {
    clearTimeout(this.timers.refresh);
    // Spread out, so a change seen by many students does not arrive at the server all at once.
    this.timers.refresh = setTimeout(() => {
      this.loaded = '';
      this.requestUpdate();
    }, 300 + Math.random() * 1500);
  }

  private async loadCoaches(cursor: string | null): Promise<void> {
    this.coachesRequested = true;
    try {
      const page = await this.call(() => this.client.coaches(cursor));
      this.coachList = { coaches: [...(this.coachList?.coaches ?? []), ...page.coaches], nextCursor: page.nextCursor };
      for (const coach of page.coaches) this.coaches.set(coach.id, coach);
    } catch (error) {
      this.fail(error, () => void this.loadCoaches(cursor));
    }
  }

  private async loadSessions(): Promise<void> {
    this.sessions = null;
    try {
      const [upcoming, past, cancelled] = await Promise.all(
        (['upcoming', 'past', 'cancelled'] as const).map((scope) => this.call(() => this.client.mine(scope)).then((page) => page.bookings)),
      );
      // A slot cancelled twice (booked, cancelled, booked again, cancelled) is one entry to the student.
      const seen = new Set<string>();
      this.sessions = {
        upcoming: upcoming!,
        past: past!,
        cancelled: cancelled!.filter((b) => !seen.has(b.coach.id + b.startsAt) && seen.add(b.coach.id + b.startsAt)),
      };
    } catch (error) {
      this.fail(error, () => void this.loadSessions());
    }
  }

  /** Server-sent slot changes: a time someone else books disappears at once. */
  private listen(): void {
    this.live?.close();
    if (typeof EventSource === 'undefined') return;
    const live = (this.live = new EventSource(`${this.client.base}/live`));
    live.addEventListener('ready', (event) => {
      clearInterval(this.timers.slow);
      // This instance hears only its own changes: look again now and then, while anyone is looking.
      if ((JSON.parse((event as MessageEvent).data) as { scope: string }).scope !== 'cluster') {
        this.timers.slow = setInterval(() => document.visibilityState === 'visible' && this.refresh(), SLOW_REFRESH_MS);
      }
    });
    live.addEventListener('slots', (event) => {
      const change = JSON.parse((event as MessageEvent).data) as { coachId: string; slotId?: string; open?: boolean };
      if (change.slotId && change.open === false) {
        const before = this.slots?.length ?? 0;
        this.slots = this.slots?.filter((s) => s.id !== change.slotId) ?? null;
        if (this.chosen?.id === change.slotId && this.view === 'confirm' && this.busy !== 'book') this.lost();
        else if ((this.slots?.length ?? 0) < before) this.say(this.t('goneLive'));
      } else if (this.view !== 'coach' || this.page?.id === change.coachId) {
        this.refresh();
      }
    });
  }

  /* ------------------------------------------------------------ tokens and errors */

  private tokenChanged(): void {
    const { sub, exp } = claims(this.token);
    // Another student must not see anything of the one before; the same student keeps their place.
    if (this.subject && sub !== this.subject) {
      this.view = this.coach ? 'coach' : 'browse';
      this.chosen = this.booking = this.moving = this.sessions = this.shown = this.notice = null;
    }
    this.subject = sub;
    clearTimeout(this.timers.expiry);
    const warnIn = exp ? exp * 1000 - Date.now() - 60_000 : -1;
    if (warnIn > 0 && warnIn < 2 ** 31) this.timers.expiry = setTimeout(() => emit(this, 'coach-booking:token-expired', { code: 'auth.token_expiring' }), warnIn);
    if (this.token && this.waiting.length) {
      clearTimeout(this.timers.renew);
      this.renewing = null;
      for (const resume of this.waiting.splice(0)) resume();
    }
  }

  /** Runs a request; on a refused token it asks the host for a fresh one, waits, and runs it once more. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      const renewed = new Promise<void>((resolve) => this.waiting.push(resolve));
      if (!this.renewing) {
        this.renewing = 'waiting';
        emit(this, 'coach-booking:token-expired', { code: error.code });
        this.timers.renew = setTimeout(() => {
          this.renewing = 'slow';
          emit(this, 'coach-booking:error', { code: error.code, message: error.message, status: 401 });
        }, RENEW_PATIENCE_MS);
      }
      await renewed;
      return request();
    }
  }

  private message(error: ApiError): string {
    // The words of the failures a student can act on are keyed by the API's own codes.
    const code = error.code as MessageKey;
    const key = this.msgs?.[code] ? code : error.code.startsWith('auth.') ? 'authGone' : error.status === 503 ? 'service.unavailable' : null;
    if (key) return this.t(key);
    // The server's own sentence is English: other languages get the general one.
    return this.loc?.startsWith('en') !== false ? error.message : this.t('failed');
  }

  /** Shows one error box for a failure and tells the host page; an integrator mistake also goes to the console. */
  private fail(error: unknown, retry: (() => void) | null): void {
    if (isAbort(error)) return;
    const apiError = error instanceof ApiError ? error : new ApiError(null, 'unexpected', String(error));
    if (apiError.code === 'origin.not_allowed') console.error(`<coach-booking>: ${apiError.message}`);
    emit(this, 'coach-booking:error', { code: apiError.code, message: apiError.message, status: apiError.status });
    const message = this.message(apiError);
    this.shown = { message, retry: apiError.code === 'origin.not_allowed' ? null : retry };
    this.say(message);
  }

  private async say(message: string): Promise<void> {
    // Clearing first makes screen readers repeat a message identical to the last one.
    this.status = '';
    await this.updateComplete;
    this.status = message;
  }

  /* ------------------------------------------------------------ navigation */

  private async go(view: View): Promise<void> {
    if (this.view === 'confirm' && view !== 'booked') this.release();
    this.view = view;
    this.shown = null;
    this.zoneOpen = false;
    if (view === 'sessions') void this.loadSessions();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-heading]')?.focus();
  }

  private openCoach(coach: PublicCoachDto): void {
    this.page = coach;
    this.slots = null;
    this.month = this.day = this.focusDay = null;
    void this.go('coach');
  }

  private browse(): void {
    this.moving = null;
    this.slots = null;
    this.month = this.day = this.focusDay = null;
    this.notice = null;
    void this.go('browse');
  }

  private async pickDay(day: string): Promise<void> {
    this.focusDay = day;
    if (monthOf(day) !== this.month) return this.moveFocus(day);
    this.day = day;
    await this.updateComplete;
  }

  private async moveFocus(day: string): Promise<void> {
    if (monthOf(day) !== this.month) {
      if (this.month && day < `${monthOf(dayKey(new Date(), this.zone))}-01`) return;
      this.month = monthOf(day);
      this.slots = null;
      this.day = null;
    }
    this.focusDay = day;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`td[data-day="${day}"]`)?.focus();
  }

  private async jumpTo(slot: SlotDto): Promise<void> {
    const day = dayKey(new Date(slot.startsAt), this.zone);
    if (monthOf(day) !== this.month) {
      this.month = monthOf(day);
      this.slots = null;
    }
    this.day = this.focusDay = day;
  }

  private async choose(slot: SlotDto): Promise<void> {
    this.chosen = slot;
    this.notice = null;
    this.hold = null;
    this.idempotencyKey = newKey();
    await this.go('confirm');
    if (this.token) void this.takeHold(slot);
  }

  private async takeHold(slot: SlotDto): Promise<void> {
    try {
      const { hold } = await this.call(() => this.client.hold(slot.id));
      if (this.chosen?.id !== slot.id) return;
      this.hold = 'held';
      this.holdUntil = formatTime(new Date(hold.expiresAt), this.zone, this.loc);
    } catch (error) {
      if (!(error instanceof ApiError) || this.chosen?.id !== slot.id) return;
      if (error.code === 'slot.held') this.hold = 'other';
      else if (LOST.has(error.code)) {
        emit(this, 'coach-booking:error', { code: error.code, message: error.message, status: error.status });
        this.lost();
      }
      // Anything else (a server without holds) leaves booking as it was: the booking itself decides.
    }
  }

  /** Where the chosen time was picked: a coach's page or the view across coaches. */
  private get pickedFrom(): View {
    return this.page && (this.moving || this.startedAtCoach || this.by === 'coach') ? 'coach' : 'browse';
  }

  /** "Thu 3 Dec, 10:00" */
  private when(instant: string): string {
    return `${shortDay(dayKey(new Date(instant), this.zone), this.loc)}, ${formatTime(new Date(instant), this.zone, this.loc)}`;
  }

  private release(): void {
    if (this.hold === 'held' && this.chosen) void this.client.release(this.chosen.id).catch(() => {});
    this.hold = null;
  }

  private lost(): void {
    this.hold = null;
    this.notice = this.t('lost');
    this.slots = this.slots?.filter((s) => s.id !== this.chosen?.id) ?? null;
    this.refresh();
    void this.go(this.pickedFrom);
    this.say(this.notice);
  }

  /* ------------------------------------------------------------ actions */

  private async book(): Promise<void> {
    const slot = this.chosen;
    if (!slot || this.busy) return;
    this.busy = 'book';
    this.shown = null;
    try {
      const moving = this.moving;
      const booking = await this.call(() => (moving ? this.client.reschedule(moving.id, slot.id) : this.client.book(slot.id, this.idempotencyKey)));
      this.booking = booking;
      this.previous = moving;
      this.moving = null;
      this.hold = null;
      this.slots = this.slots?.filter((s) => s.id !== slot.id) ?? null;
      if (moving) emit(this, 'coach-booking:rescheduled', { booking, previous: moving });
      else emit(this, 'coach-booking:booked', { booking });
      await this.go('booked');
      this.say(`${this.t(moving ? 'movedIt' : 'bookedIt')}: ${booking.coach.name}, ${formatSession(new Date(booking.startsAt), new Date(booking.endsAt), this.zone, this.loc)}`);
    } catch (error) {
      if (error instanceof ApiError && LOST.has(error.code)) {
        emit(this, 'coach-booking:error', { code: error.code, message: error.message, status: error.status });
        this.lost();
      } else if (error instanceof ApiError && error.code === 'slot.held') {
        this.hold = 'other';
      } else {
        this.fail(error, null);
      }
    } finally {
      this.busy = null;
    }
  }

  private async cancel(booking: BookingDto): Promise<void> {
    if (this.busy) return;
    this.busy = booking.id;
    try {
      const cancelled = await this.call(() => this.client.cancel(booking.id));
      this.asking = null;
      emit(this, 'coach-booking:cancelled', { booking: cancelled });
      await this.loadSessions();
      this.renderRoot.querySelector<HTMLElement>('[data-heading]')?.focus();
      this.say(this.t('cancelDone', { coach: cancelled.coach.name }));
    } catch (error) {
      this.asking = null;
      this.fail(error, null);
    } finally {
      this.busy = null;
    }
  }

  private startMove(booking: BookingDto): void {
    this.moving = booking;
    this.openCoach(this.coaches.get(booking.coach.id) ?? { id: booking.coach.id, name: booking.coach.name, bio: '', avatarUrl: booking.coach.avatarUrl, timezone: booking.coach.timezone });
  }

  private async saveCalendar(booking: BookingDto): Promise<void> {
    try {
      const blob = await this.call(() => this.client.calendar(booking.id));
      // A plain link cannot carry the bearer token, so the file is handed over as a blob.
      const url = URL.createObjectURL(new Blob([blob], { type: 'text/calendar' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `coaching-session-${booking.startsAt.slice(0, 10)}.ics`;
      link.click();
      // Revoking at once can cancel the download in some browsers; a minute is plenty.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.say(this.t('icsSaved'));
    } catch (error) {
      this.fail(error, null);
    }
  }

  private async askCancel(id: string | null, focus: string): Promise<void> {
    this.asking = id;
    await this.updateComplete;
    // The safe answer gets focus, so a stray Enter cancels nothing.
    this.renderRoot.querySelector<HTMLElement>(focus)?.focus();
  }

  private changeZone(zone: string): void {
    this.chosenZone = zone;
    this.zoneOpen = false;
    this.say(this.t('zoneNow', { zone: describeZone(zone, this.loc) }));
  }

  /* ------------------------------------------------------------ rendering */

  override render(): TemplateResult {
    const signedIn = Boolean(this.token);
    if (!this.msgs) {
      return html`<div class="base" part="base" aria-busy="true">
        <div class="skeleton"></div><div class="skeleton"></div>
      </div>`;
    }
    const books = this.view !== 'sessions';
    return html`<div class="base" part="base" lang=${this.loc ?? nothing}>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this.status}</div>
      <div class="header" part="header">
        <h2>${this.t('title')}</h2>
        ${signedIn
          ? html`<nav class="nav" part="nav" aria-label=${this.t('navLabel')}>
              <button aria-current=${books ? 'page' : 'false'} @click=${() => this.browse()}>${this.t('book')}</button>
              <button aria-current=${books ? 'false' : 'page'} @click=${() => this.go('sessions')}>${this.t('mine')}</button>
            </nav>`
          : nothing}
      </div>
      ${this.renderZone()}
      ${this.renewing ? html`<p class="notice" part="notice" role="status">${this.t(this.renewing === 'waiting' ? 'renewing' : 'authGone')}</p>` : nothing}
      ${this.view === 'browse' ? this.renderBrowse() : nothing}
      ${this.view === 'coach' ? this.renderCoachPage() : nothing}
      ${this.view === 'confirm' ? this.renderConfirm() : nothing}
      ${this.view === 'booked' ? this.renderBooked() : nothing}
      ${this.view === 'sessions' ? this.renderSessions() : nothing}
    </div>`;
  }

  private renderError(): TemplateResult | typeof nothing {
    const shown = this.shown;
    if (!shown) return nothing;
    return html`<div class="error" part="error" role="alert">
      <p>${shown.message}</p>
      ${shown.retry ? html`<button part="button" @click=${() => ((this.shown = null), shown.retry!())}>${this.t('tryAgain')}</button>` : nothing}
    </div>`;
  }

  private renderZone(): TemplateResult {
    const shown = this.parts('zoneIs', { zone: html`<strong>${describeZone(this.zone, this.loc)}</strong>` });
    if (isTimeZone(this.timezone)) return html`<p class="zone" part="zone">${shown}</p>`;
    return html`<div class="zone" part="zone">
      <span>${shown}</span>
      <button class="link" part="button" aria-expanded=${this.zoneOpen ? 'true' : 'false'} @click=${this.toggleZones}>${this.t('zonePick')}</button>
      ${this.zoneOpen ? this.renderZonePicker() : nothing}
    </div>`;
  }

  private readonly toggleZones = async (): Promise<void> => {
    this.zoneOpen = !this.zoneOpen;
    this.zoneQuery = '';
    if (this.zoneOpen && !this.zones) {
      this.zones = null;
      fetch(`${this.origin}/widget/zones.json?locale=${this.loc ?? 'en'}`)
        .then((r) => (r.ok ? r.json() : false))
        .then((list: ZoneList | false) => (this.zones = list), () => (this.zones = false));
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#cb-zone-search')?.focus();
  };

  private renderZonePicker(): TemplateResult {
    return html`<div class="zone-picker" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.toggleZones()}>
      <label for="cb-zone-search">${this.t('zoneFind')}</label>
      <input id="cb-zone-search" type="search" autocomplete="off" .value=${this.zoneQuery} @input=${(e: Event) => (this.zoneQuery = (e.target as HTMLInputElement).value)} />
      ${this.renderZones()}
    </div>`;
  }

  /** The search's matches; the box is there at once, so the student can type while the list arrives. */
  private renderZones(): TemplateResult {
    const list = this.zones;
    if (!list) return list === false ? html`<p class="error" part="error" role="alert">${this.t('network')}</p>` : this.skeleton();
    // A device or a host page may name its zone by a retired name (Asia/Calcutta): the list has the current one.
    const current = (zone: string) => list.aliases[zone] ?? zone;
    const device = current(detectTimeZone());
    const words = this.zoneQuery.toLowerCase().split(/\s+/).filter(Boolean);
    const matches = list.zones
      .filter((z) => words.every((w) => `${z.id} ${z.city} ${z.name} ${z.offset}`.toLowerCase().replaceAll('_', ' ').includes(w)))
      .sort((a, b) => Number(b.id === device) - Number(a.id === device))
      .slice(0, 40);
    return matches.length
      ? html`<ul class="plain zones">
          ${matches.map(
            (z) => html`<li>
              <button class="zone-option" aria-current=${z.id === current(this.zone) ? 'true' : 'false'} @click=${() => this.changeZone(z.id)}>
                <b>${z.city}</b> <span>${z.offset}${z.id === device ? ` · ${this.t('device')}` : ''}</span><br /><small>${z.name} · ${z.id}</small>
              </button>
            </li>`,
          )}
        </ul>`
      : html`<p class="muted">${this.t('noZones')}</p>`;
  }

  private renderBrowse(): TemplateResult {
    const tab = (by: 'date' | 'coach', label: string) =>
      html`<button aria-pressed=${this.by === by ? 'true' : 'false'} @click=${() => ((this.by = by), (this.shown = null))}>${label}</button>`;
    return html`<section class="view" aria-labelledby="cb-title">
      <div class="view-head">
        <h3 id="cb-title" tabindex="-1" data-heading>${this.t('book')}</h3>
        <p class="muted">${this.t('twoHourNote')}</p>
      </div>
      <div class="tabs" part="tabs" role="group" aria-label=${this.t('browseBy')}>${tab('date', this.t('byDate'))}${tab('coach', this.t('byCoach'))}</div>
      ${this.notice ? html`<p class="notice" part="notice">${this.notice}</p>` : nothing}
      ${this.renderError()}
      ${this.by === 'date' ? this.renderPicker(null) : this.renderCoachCards()}
    </section>`;
  }

  private renderCoachCards(): TemplateResult {
    const list = this.coachList;
    if (!list) return this.shown ? html`` : this.skeleton();
    if (list.coaches.length === 0) return html`<div class="empty" part="empty">${this.t('noCoaches')}</div>`;
    return html`<ul class="plain cards" part="coach-list">
        ${list.coaches.map(
          (coach) => html`<li class="card" part="coach-card">
            <div class="coach-head">
              ${avatar(coach)}
              <div>
                <h4 part="coach-name">${coach.name}</h4>
                <p class="muted">${coach.nextOpenSlot ? this.t('nextOpen', { date: this.when(coach.nextOpenSlot.startsAt) }) : this.t('noNext')}</p>
              </div>
            </div>
            ${coach.bio ? html`<p class="bio">${coach.bio}</p>` : nothing}
            <button class="primary" part="button button-primary" aria-label=${this.t('seeOf', { coach: coach.name })} @click=${() => this.openCoach(coach)}>
              ${this.t('seeTimes')}
            </button>
          </li>`,
        )}
      </ul>
      ${list.nextCursor ? html`<button part="button" @click=${() => this.loadCoaches(list.nextCursor)}>${this.t('moreOf')}</button>` : nothing}`;
  }

  private renderCoachPage(): TemplateResult {
    const coach = this.page!;
    return html`<section class="view" aria-labelledby="cb-title">
      <div class="view-head">
        ${this.startedAtCoach && !this.moving ? nothing : html`<div><button class="link" part="button" @click=${() => (this.moving ? this.go('sessions').then(() => (this.moving = null)) : this.browse())}>${this.t(this.moving ? 'keepOld' : 'allBack')}</button></div>`}
        <div class="coach-head">
          ${avatar(coach)}
          <div>
            <h3 id="cb-title" tabindex="-1" data-heading part="coach-name">${coach.name || this.t('loading')}</h3>
            ${coach.bio ? html`<p class="bio">${coach.bio}</p>` : nothing}
          </div>
        </div>
      </div>
      ${this.moving
        ? html`<p class="notice" part="notice">${this.t('movingNote', { date: this.when(this.moving.startsAt), coach: this.moving.coach.name })}</p>`
        : nothing}
      ${this.notice ? html`<p class="notice" part="notice">${this.notice}</p>` : nothing}
      ${this.renderError()}
      ${this.renderPicker(coach)}
    </section>`;
  }

  /** The month calendar beside the chosen day's times. */
  private renderPicker(coach: PublicCoachDto | null): TemplateResult {
    if (!this.month) return this.shown ? html`` : this.skeleton();
    const zone = this.zone;
    const counts = new Map<string, number>();
    const byDay = new Map<string, SlotDto[]>();
    for (const slot of this.slots ?? []) {
      const key = dayKey(new Date(slot.startsAt), zone);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      byDay.set(key, [...(byDay.get(key) ?? []), slot]);
    }
    const today = monthOf(dayKey(new Date(), zone));
    const calendar = renderCalendar({
      month: this.month,
      selected: this.day,
      focus: this.focusDay ?? `${this.month}-01`,
      counts,
      locale: this.loc,
      firstDay: firstDayOfWeek(this.loc),
      label: (day, n) => `${formatDay(day, this.loc)}, ${this.t('count', { n })}`,
      prevLabel: this.t('prev'),
      nextLabel: this.t('nextMon'),
      canGoBack: this.month > today,
      onPick: (day) => void this.pickDay(day),
      onFocus: (day) => void this.moveFocus(day),
    });
    const jump = (slot: SlotDto | null | undefined) =>
      slot
        ? html`<button part="button" @click=${() => this.jumpTo(slot)}>
            ${this.t('nextFree', { date: shortDay(dayKey(new Date(slot.startsAt), zone), this.loc) })}
          </button>`
        : nothing;
    const next = this.next;
    const times = this.day ? byDay.get(this.day) ?? [] : [];
    const empty = this.slots?.length === 0;
    // While a month loads the grid stays, so keyboard focus moving into it is not lost.
    return html`<div class="picker">
      ${calendar}
      <div class="day-times" part="times">
        ${!this.slots
          ? this.shown
            ? nothing
            : this.skeleton()
          : empty
          ? html`<div class="empty" part="empty">
              <p>${!next && this.month === today ? this.t('noneAtAll') : this.t('noneInMonth', { month: formatMonth(this.month, this.loc) })}</p>
              ${jump(next)}
            </div>`
          : !this.day
            ? html`<p class="muted">${this.t('pickDay')}</p>`
            : html`<h4>${this.t('timesOn', { date: formatDay(this.day, this.loc) })}</h4>
                ${times.length
                  ? html`<ul class="plain times">
                      ${times.map((slot) => this.renderTime(slot, coach))}
                    </ul>`
                  : html`<p class="muted">${this.t('noneOnDay')}</p>
                      ${jump(this.slots.find((slot) => dayKey(new Date(slot.startsAt), zone) > this.day!) ?? next)}`}`}
      </div>
    </div>`;
  }

  private renderTime(slot: SlotDto, page: PublicCoachDto | null): TemplateResult {
    const start = new Date(slot.startsAt);
    const name = this.coaches.get(slot.coachId)?.name ?? '';
    // The button shows the start (and, across coaches, who); the rest of the sentence is there for screen readers.
    const hidden = (text: string) => (text ? html`<span class="sr-only">${text}</span>` : nothing);
    const content = this.parts('slot', {
      time: html`<b>${formatTime(start, this.zone, this.loc)}</b>${hidden(` – ${formatTime(new Date(slot.endsAt), this.zone, this.loc)}`)}`,
      coach: page ? hidden(name) : html`<span>${name}</span>`,
      date: hidden(formatDay(dayKey(start, this.zone), this.loc)),
    }, hidden);
    return html`<li><button class="time" part="slot-button" @click=${() => this.choose(slot)}>${content}</button></li>`;
  }

  private renderConfirm(): TemplateResult {
    const slot = this.chosen!;
    const coach = this.coaches.get(slot.coachId);
    const busy = this.busy === 'book';
    const start = new Date(slot.startsAt);
    const moving = Boolean(this.moving);
    return html`<section class="view" part="confirm" aria-labelledby="cb-title">
      <div class="view-head">
        <div>
          <button class="link" part="button" ?disabled=${busy} @click=${() => this.go(this.pickedFrom)}>${this.t('back')}</button>
        </div>
        <h3 id="cb-title" tabindex="-1" data-heading>${this.t(moving ? 'moveTitle' : 'confirmIt')}</h3>
      </div>
      <div class="summary">
        <div class="coach-head">${avatar(coach)}<strong>${coach?.name}</strong></div>
        <dl>
          <dt>${this.t('when')}</dt>
          <dd>${formatSession(start, new Date(slot.endsAt), this.zone, this.loc)}</dd>
          <dt>${this.t('zone')}</dt>
          <dd>${describeZone(this.zone, this.loc, start)}</dd>
          <dt>${this.t('length')}</dt>
          <dd>${this.t('twoHours')}</dd>
        </dl>
      </div>
      ${this.hold === 'held' ? html`<p class="muted">${this.t('heldYou', { time: this.holdUntil })}</p>` : nothing}
      ${this.hold === 'other' ? html`<p class="notice" part="notice" role="alert">${this.t('slot.held')}</p>` : nothing}
      ${this.renderError()}
      ${this.token
        ? html`<div class="actions">
            <button class="primary" part="button button-primary" aria-disabled=${busy || this.hold === 'other' ? 'true' : 'false'} @click=${() => this.hold !== 'other' && this.book()}>
              ${this.t(busy ? (moving ? 'moving' : 'booking') : moving ? 'moveIt' : 'bookIt')}
            </button>
          </div>`
        : html`<p class="notice" part="notice"><strong>${this.t('signInNote')}</strong></p>`}
    </section>`;
  }

  private renderPhone(booking: BookingDto): TemplateResult {
    const { phone, phoneDisplay } = booking.coach;
    return phone ? html`<a class="phone" part="phone" href=${`tel:${phone}`}>${phoneDisplay ?? phone}</a>` : html`<span class="muted">${this.t('noPhone')}</span>`;
  }

  private renderBooked(): TemplateResult {
    const booking = this.booking!;
    const start = new Date(booking.startsAt);
    return html`<section class="view" part="booked" aria-labelledby="cb-title">
      <div class="view-head">
        <h3 id="cb-title" tabindex="-1" data-heading>${this.t(this.previous ? 'movedIt' : 'bookedIt')}</h3>
        <p class="muted">${this.t('expects', { coach: booking.coach.name })}</p>
      </div>
      <div class="summary">
        <dl>
          <dt>${this.t('coach')}</dt>
          <dd>${booking.coach.name}</dd>
          <dt>${this.t('when')}</dt>
          <dd>${formatSession(start, new Date(booking.endsAt), this.zone, this.loc)}</dd>
          <dt>${this.t('zone')}</dt>
          <dd>${describeZone(this.zone, this.loc, start)}</dd>
          <dt>${this.t('phone')}</dt>
          <dd>${this.renderPhone(booking)}</dd>
        </dl>
      </div>
      ${this.renderError()}
      <div class="actions">
        <button class="primary" part="button button-primary" @click=${() => this.saveCalendar(booking)}>${this.t('ics')}</button>
        <button part="button" @click=${() => this.go('sessions')}>${this.t('seeMine')}</button>
        <button class="link" part="button" @click=${() => this.browse()}>${this.t('another')}</button>
      </div>
    </section>`;
  }

  private renderSessions(): TemplateResult {
    const s = this.sessions;
    const group = (title: MessageKey, list: BookingDto[], none: MessageKey, row: (b: BookingDto) => TemplateResult) =>
      html`<section class="group" aria-labelledby=${`cb-${title}`}>
        <h4 id=${`cb-${title}`}>${this.t(title)}</h4>
        ${list.length ? html`<ul class="plain">${list.map(row)}</ul>` : html`<p class="muted">${this.t(none)}</p>`}
      </section>`;
    return html`<section class="view" part="sessions" aria-labelledby="cb-title">
      <div class="view-head"><h3 id="cb-title" tabindex="-1" data-heading>${this.t('mine')}</h3></div>
      ${this.renderError()}
      ${s
        ? html`${group('upcoming', s.upcoming, 'noneAhead', (b) => this.renderUpcoming(b))}
          ${group('past', s.past, 'noPast', (b) => this.renderDone(b, this.t('held')))}
          ${group('cancelled', s.cancelled, 'noCancelled', (b) =>
            this.renderDone(b, this.t(b.cancellation?.by === 'coach' ? 'byCoachNote' : b.cancellation?.by === 'admin' ? 'byAdminNote' : 'byYouNote', { coach: b.coach.name }), b.cancellation?.reason),
          )}`
        : this.shown
          ? nothing
          : this.skeleton()}
    </section>`;
  }

  private renderUpcoming(booking: BookingDto): TemplateResult {
    const when = formatSession(new Date(booking.startsAt), new Date(booking.endsAt), this.zone, this.loc);
    const date = shortDay(dayKey(new Date(booking.startsAt), this.zone), this.loc);
    const names = { coach: booking.coach.name, date };
    const changeable = Date.now() < new Date(booking.cancellableUntil).getTime();
    const busy = this.busy === booking.id;
    return html`<li class="session" part="session">
      <p><strong>${booking.coach.name}</strong></p>
      <p>${when}</p>
      <p>${this.t('phone')}: ${this.renderPhone(booking)}</p>
      ${this.asking === booking.id
        ? html`<div class="ask" role="group" aria-labelledby=${`cb-ask-${booking.id}`}>
            <p id=${`cb-ask-${booking.id}`}>${this.t('cancelAsk', names)}</p>
            <div class="actions">
              <button class="danger" part="button" aria-disabled=${busy ? 'true' : 'false'} @click=${() => this.cancel(booking)}>${this.t(busy ? 'cancelling' : 'cancelYes')}</button>
              <button part="button" data-keep @click=${() => this.askCancel(null, `[data-cancel="${booking.id}"]`)}>${this.t('keep')}</button>
            </div>
          </div>`
        : html`<div class="actions">
            <button part="button" aria-label=${this.t('icsFor', names)} @click=${() => this.saveCalendar(booking)}>${this.t('ics')}</button>
            ${changeable
              ? html`<button part="button" aria-label=${this.t('moveFor', names)} @click=${() => this.startMove(booking)}>${this.t('move')}</button>
                  <button class="danger" part="button" data-cancel=${booking.id} aria-label=${this.t('cancelFor', names)} @click=${() => this.askCancel(booking.id, '[data-keep]')}>
                    ${this.t('cancel')}
                  </button>`
              : html`<p class="muted">${this.t('tooLate')}</p>`}
          </div>`}
    </li>`;
  }

  private renderDone(booking: BookingDto, badge: string, reason?: string | null): TemplateResult {
    return html`<li class="session" part="session">
      <p><strong>${booking.coach.name}</strong> <span class="badge">${badge}</span></p>
      <p>${formatSession(new Date(booking.startsAt), new Date(booking.endsAt), this.zone, this.loc)}</p>
      ${reason ? html`<p class="muted">${this.t('reason', { reason })}</p>` : nothing}
    </li>`;
  }

  private skeleton(): TemplateResult {
    return html`<div aria-busy="true"><p class="sr-only">${this.t('loading')}</p><div class="skeleton"></div><div class="skeleton"></div></div>`;
  }
}

reactive(CoachBooking, [
  'api',
  'token',
  'coach',
  'timezone',
  'locale',
  'msgs',
  'view',
  'by',
  'page',
  'month',
  'day',
  'focusDay',
  'slots',
  'next',
  'coachList',
  'chosen',
  'hold',
  'booking',
  'previous',
  'moving',
  'sessions',
  'asking',
  'busy',
  'notice',
  'shown',
  'status',
  'chosenZone',
  'zoneOpen',
  'zoneQuery',
  'zones',
  'renewing',
]);

if (!customElements.get('coach-booking')) customElements.define('coach-booking', CoachBooking);

declare global {
  interface HTMLElementTagNameMap {
    'coach-booking': CoachBooking;
  }
}
