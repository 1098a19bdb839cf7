import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { CoachDto, SlotDto } from '../api/contract.schema.js';
import { BookingApiClient } from './api-client.js';
import './coach-booking-coach-list.js';
import './coach-booking-confirm.js';
import './coach-booking-sessions.js';
import './coach-booking-slot-picker.js';
import { coachBookingStyles } from './coach-booking.styles.js';
import { INTERNAL } from './events.js';
import { defineOnce, type PartElement } from './part-element.js';
import { describeZone, detectTimeZone, isTimeZone, knownTimeZones } from './time.js';

export type { CoachBookingBookedDetail, CoachBookingCancelledDetail, CoachBookingErrorDetail } from './events.js';

type View = 'coaches' | 'slots' | 'confirm' | 'sessions';
const VIEWS: readonly View[] = ['coaches', 'slots', 'confirm', 'sessions'];

/** The API defaults to the server this script came from, so most pages only set `token`. */
const SCRIPT_ORIGIN = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return '';
  }
})();

function validLocale(locale: string | null): string | undefined {
  if (!locale) return undefined;
  try {
    return Intl.getCanonicalLocales(locale)[0];
  } catch {
    return undefined;
  }
}

/**
 * @summary Lets a signed-in student book a 2-hour session with a coach: pick a
 * coach, pick a time in their own time zone, confirm, see the coach's phone,
 * and manage their sessions.
 *
 * @attr api - Base URL of the scheduler (e.g. `https://scheduler.example.com`). Defaults to the origin this script was loaded from.
 * @attr token - The student's HS256 JWT, signed by the host site. Without it the widget only shows coaches and times.
 * @attr coach - A coach id to open directly at that coach's times.
 * @attr timezone - An IANA zone (e.g. `Asia/Tokyo`) to show times in; hides the zone switcher.
 * @attr locale - A BCP 47 locale for dates and times (e.g. `fr-FR`). Defaults to the browser's.
 *
 * @csspart base - The widget's frame.
 * @csspart header - Title and navigation.
 * @csspart nav - The "Book a session" / "My sessions" switch.
 * @csspart zone - The line saying which time zone is shown, with its switcher.
 * @csspart coach-list - The list of coaches.
 * @csspart coach-card - One coach.
 * @csspart coach-name - A coach's name.
 * @csspart avatar - A coach's picture or initials.
 * @csspart slot-picker - One coach's week of open times.
 * @csspart slot-list - The days of that week.
 * @csspart day - One day and its times.
 * @csspart slot-button - One open time.
 * @csspart confirm - The confirmation step.
 * @csspart booked - The "You are booked" step.
 * @csspart phone - The coach's phone number.
 * @csspart sessions - "My sessions".
 * @csspart session - One session.
 * @csspart button - Every button.
 * @csspart button-primary - The main action of a step.
 * @csspart notice - An informational message, such as "that time was just taken".
 * @csspart error - An error message.
 * @csspart empty - An empty state ("No open times this week").
 *
 * @cssproperty [--coach-booking-accent=#2346c8] - Buttons, links and focus rings.
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
 * @event coach-booking:error - A request failed and the student was shown why. `detail: { code, message, status }`;
 *   `code` starting with `auth.` means the token needs renewing.
 */
export class CoachBooking extends LitElement {
  static override styles = coachBookingStyles;

  static override properties = {
    api: { type: String },
    token: { type: String },
    coach: { type: String },
    timezone: { type: String },
    locale: { type: String },
    view: { state: true },
    selectedCoach: { state: true },
    selectedSlot: { state: true },
    chosenZone: { state: true },
    notice: { state: true },
    status: { state: true },
    sessionsVersion: { state: true },
    sessionsOpened: { state: true },
  };

  declare api: string | null;
  declare token: string | null;
  declare coach: string | null;
  declare timezone: string | null;
  declare locale: string | null;

  declare view: View;
  declare selectedCoach: CoachDto | null;
  declare selectedSlot: SlotDto | null;
  /** The zone picked in the switcher, when `timezone` does not force one. */
  declare chosenZone: string;
  declare notice: string | null;
  /** Text of the live region. */
  declare status: string;
  declare sessionsVersion: number;
  /** "My sessions" loads only once the student opens it. */
  declare sessionsOpened: boolean;

  private client: BookingApiClient | null = null;
  private preselectDone = false;
  private zoneOptions: string[] | null = null;

  constructor() {
    super();
    this.api = null;
    this.token = null;
    this.coach = null;
    this.timezone = null;
    this.locale = null;
    this.view = 'coaches';
    this.selectedCoach = null;
    this.selectedSlot = null;
    this.chosenZone = detectTimeZone();
    this.notice = null;
    this.status = '';
    this.sessionsVersion = 0;
    this.sessionsOpened = false;
  }

  private get zone(): string {
    return isTimeZone(this.timezone) ? this.timezone : this.chosenZone;
  }

  private get effectiveLocale(): string | undefined {
    return validLocale(this.locale);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api') || changed.has('token')) {
      this.client = new BookingApiClient(this.api ?? SCRIPT_ORIGIN, this.token || null);
      // Another student (or a renewed token) starts from the top, with nothing of the previous one on screen.
      if (changed.get('token') !== undefined) {
        this.view = 'coaches';
        this.selectedSlot = null;
        this.notice = null;
        this.sessionsOpened = false;
      }
    }
    if (changed.has('coach')) this.preselectDone = false;
  }

  override render(): TemplateResult {
    const zone = this.zone;
    const locale = this.effectiveLocale;
    const signedIn = this.client?.signedIn ?? false;
    return html`<div
      class="base"
      part="base"
      @coach-booking-announce=${(e: CustomEvent<string>) => this.announce(e.detail)}
      @coach-booking-coaches-loaded=${(e: CustomEvent<CoachDto[]>) => this.preselect(e.detail)}
      @coach-booking-coach-selected=${(e: CustomEvent<CoachDto>) => this.selectCoach(e.detail)}
      @coach-booking-slot-selected=${(e: CustomEvent<SlotDto>) => this.selectSlot(e.detail)}
      @coach-booking-slot-lost=${() => this.slotLost()}
      @coach-booking-navigate=${(e: CustomEvent<View>) => this.go(e.detail)}
    >
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this.status}</div>
      <div class="header" part="header">
        <h2>Coaching sessions</h2>
        ${signedIn
          ? html`<nav class="nav" part="nav" aria-label="Booking">
              <button type="button" aria-current=${this.view === 'sessions' ? 'false' : 'page'} @click=${() => this.go('coaches')}>Book a session</button>
              <button type="button" aria-current=${this.view === 'sessions' ? 'page' : 'false'} @click=${() => this.go('sessions')}>My sessions</button>
            </nav>`
          : nothing}
      </div>
      ${this.renderZone(zone, locale)}
      <coach-booking-coach-list ?hidden=${this.view !== 'coaches'} .client=${this.client} .zone=${zone} .locale=${locale}></coach-booking-coach-list>
      <coach-booking-slot-picker
        ?hidden=${this.view !== 'slots'}
        .client=${this.client}
        .coach=${this.selectedCoach}
        .zone=${zone}
        .locale=${locale}
        .notice=${this.notice}
      ></coach-booking-slot-picker>
      <coach-booking-confirm
        ?hidden=${this.view !== 'confirm'}
        .client=${this.client}
        .coach=${this.selectedCoach}
        .timeSlot=${this.selectedSlot}
        .zone=${zone}
        .locale=${locale}
      ></coach-booking-confirm>
      ${signedIn && this.sessionsOpened
        ? html`<coach-booking-sessions
            ?hidden=${this.view !== 'sessions'}
            .client=${this.client}
            .zone=${zone}
            .locale=${locale}
            .version=${this.sessionsVersion}
          ></coach-booking-sessions>`
        : nothing}
    </div>`;
  }

  private renderZone(zone: string, locale: string | undefined): TemplateResult {
    const described = describeZone(zone, locale);
    if (isTimeZone(this.timezone)) {
      return html`<p class="zone" part="zone">Times are shown in <strong>${described}</strong>.</p>`;
    }
    this.zoneOptions ??= knownTimeZones();
    const detected = detectTimeZone();
    const suggested = [...new Set([detected, zone, this.selectedCoach?.timezone, 'UTC'].filter((z): z is string => Boolean(z)))];
    return html`<div class="zone" part="zone">
      <span>Times are shown in <strong>${described}</strong>.</span>
      <label for="coach-booking-zone">Change time zone</label>
      <select id="coach-booking-zone" @change=${(e: Event) => this.changeZone((e.target as HTMLSelectElement).value)}>
        <optgroup label="Suggested">
          ${suggested.map(
            (option) => html`<option value=${option} .selected=${option === zone}>
              ${option === detected ? `${option} (this device)` : option === this.selectedCoach?.timezone ? `${option} (coach)` : option}
            </option>`,
          )}
        </optgroup>
        ${this.zoneOptions.length
          ? html`<optgroup label="All time zones">
              ${this.zoneOptions.map((option) => html`<option value=${option}>${option}</option>`)}
            </optgroup>`
          : nothing}
      </select>
    </div>`;
  }

  private changeZone(zone: string): void {
    if (!isTimeZone(zone)) return;
    this.chosenZone = zone;
    this.announce(`Times are now shown in ${describeZone(zone, this.effectiveLocale)}.`);
  }

  private async announce(message: string): Promise<void> {
    // Clearing first makes screen readers repeat a message identical to the last one.
    this.status = '';
    await this.updateComplete;
    this.status = message;
  }

  private preselect(coaches: CoachDto[]): void {
    if (this.preselectDone || !this.coach) return;
    this.preselectDone = true;
    const coach = coaches.find((c) => c.id === this.coach);
    if (coach && this.view === 'coaches') this.selectCoach(coach, false);
  }

  private selectCoach(coach: CoachDto, moveFocus = true): void {
    this.selectedCoach = coach;
    this.notice = null;
    void this.go('slots', moveFocus);
  }

  private selectSlot(slot: SlotDto): void {
    this.selectedSlot = slot;
    this.notice = null;
    void this.go('confirm');
  }

  private slotLost(): void {
    this.notice = 'Someone else just booked that time. Pick another one below.';
    this.child<PartElement & { refresh(): void }>('coach-booking-slot-picker')?.refresh();
    void this.announce(this.notice);
    void this.go('slots');
  }

  private async go(view: View, moveFocus = true): Promise<void> {
    if (!VIEWS.includes(view)) return;
    if (view === 'slots' && !this.selectedCoach) view = 'coaches';
    if (view === 'confirm' && !this.selectedSlot) view = 'slots';
    if (view === 'sessions') {
      this.sessionsOpened = true;
      this.sessionsVersion++;
    }
    this.view = view;
    if (!moveFocus) return;
    await this.updateComplete;
    const tag = { coaches: 'coach-booking-coach-list', slots: 'coach-booking-slot-picker', confirm: 'coach-booking-confirm', sessions: 'coach-booking-sessions' }[view];
    await this.child<PartElement>(tag)?.focusHeading();
  }

  private child<T extends Element>(tag: string): T | null {
    return this.renderRoot.querySelector<T>(tag) as T | null;
  }
}

defineOnce('coach-booking', CoachBooking);

declare global {
  interface HTMLElementTagNameMap {
    'coach-booking': CoachBooking;
  }
}
