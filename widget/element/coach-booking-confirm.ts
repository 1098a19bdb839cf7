import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { BookingDto, CoachDto, SlotDto } from '../api/contract.schema.js';
import type { ApiError } from './api-client.js';
import { downloadCalendar } from './calendar-download.js';
import { avatar } from './coach-booking-coach-list.js';
import { emitInternal, emitPublic, INTERNAL } from './events.js';
import { defineOnce, errorState, PartElement, toApiError } from './part-element.js';
import { describeZone, formatSession } from './time.js';

type Phase = 'confirm' | 'booking' | 'booked';

/** Codes that mean "someone else got there first": the student picks again from a fresh list. */
const LOST_SLOT_CODES = new Set(['slot.taken', 'slot.not_open', 'slot.not_found']);

function newIdempotencyKey(): string {
  // getRandomValues works on plain-http host pages too, where randomUUID does not exist.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * @summary The last steps: confirm the chosen time, book it, then show the
 * coach's phone and an "Add to calendar" button. Part of <coach-booking>.
 */
export class CoachBookingConfirm extends PartElement {
  static override properties = {
    coach: { attribute: false },
    timeSlot: { attribute: false },
    phase: { state: true },
    booking: { state: true },
    error: { state: true },
    calendarError: { state: true },
  };

  declare coach: CoachDto | null;
  declare timeSlot: SlotDto | null;
  declare phase: Phase;
  declare booking: BookingDto | null;
  declare error: ApiError | null;
  declare calendarError: ApiError | null;
  /** One key per chosen slot: pressing Book again after a network failure cannot book twice. */
  private idempotencyKey = newIdempotencyKey();

  constructor() {
    super();
    this.coach = null;
    this.timeSlot = null;
    this.phase = 'confirm';
    this.booking = null;
    this.error = null;
    this.calendarError = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('timeSlot')) {
      this.phase = 'confirm';
      this.booking = null;
      this.error = null;
      this.calendarError = null;
      this.idempotencyKey = newIdempotencyKey();
    }
  }

  override render(): TemplateResult | typeof nothing {
    if (!this.coach || !this.timeSlot) return nothing;
    return this.phase === 'booked' && this.booking ? this.renderBooked(this.booking) : this.renderConfirm(this.coach, this.timeSlot);
  }

  private renderConfirm(coach: CoachDto, slot: SlotDto): TemplateResult {
    const busy = this.phase === 'booking';
    const signedIn = this.client?.signedIn ?? false;
    return html`<section class="view" part="confirm" aria-labelledby="coach-booking-confirm-title">
      <div class="view-head">
        <div>
          <button class="button link" part="button" type="button" ?disabled=${busy} @click=${() => emitInternal(this, INTERNAL.navigate, 'slots')}>
            ← Other times
          </button>
        </div>
        <h3 id="coach-booking-confirm-title" tabindex="-1" data-heading>Confirm your session</h3>
      </div>
      <div class="summary">
        <div class="coach-head">
          ${avatar(coach)}
          <strong>${coach.name}</strong>
        </div>
        <dl>
          <dt>When</dt>
          <dd>${formatSession(new Date(slot.startsAt), new Date(slot.endsAt), this.zone, this.locale)}</dd>
          <dt>Time zone</dt>
          <dd>${describeZone(this.zone, this.locale, new Date(slot.startsAt))}</dd>
          <dt>Length</dt>
          <dd>2 hours</dd>
        </dl>
      </div>
      ${this.error ? errorState(this.error, null, 'This session could not be booked.') : nothing}
      ${signedIn
        ? html`<div class="actions">
            <button class="button primary" part="button button-primary" type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${this.book}>
              ${busy ? 'Booking…' : 'Book this session'}
            </button>
          </div>`
        : html`<div class="notice" part="notice"><strong>Sign in on this site to book a session.</strong></div>`}
    </section>`;
  }

  private renderBooked(booking: BookingDto): TemplateResult {
    const start = new Date(booking.startsAt);
    return html`<section class="view" part="booked" aria-labelledby="coach-booking-booked-title">
      <div class="view-head">
        <h3 id="coach-booking-booked-title" tabindex="-1" data-heading>You are booked</h3>
        <p class="muted">${booking.coach.name} expects you. Their phone number is below.</p>
      </div>
      <div class="summary">
        <dl>
          <dt>Coach</dt>
          <dd>${booking.coach.name}</dd>
          <dt>When</dt>
          <dd>${formatSession(start, new Date(booking.endsAt), this.zone, this.locale)}</dd>
          <dt>Time zone</dt>
          <dd>${describeZone(this.zone, this.locale, start)}</dd>
          <dt>Phone</dt>
          <dd>
            ${booking.coach.phone
              ? html`<a class="phone" part="phone" href=${`tel:${booking.coach.phone}`}>${booking.coach.phone}</a>`
              : html`<span class="muted">The coach has not added a phone number yet.</span>`}
          </dd>
        </dl>
      </div>
      ${this.calendarError ? errorState(this.calendarError, null, 'The calendar file could not be downloaded.') : nothing}
      <div class="actions">
        <button class="button primary" part="button button-primary" type="button" @click=${() => this.addToCalendar(booking)}>Add to calendar</button>
        <button class="button" part="button" type="button" @click=${() => emitInternal(this, INTERNAL.navigate, 'sessions')}>See my sessions</button>
        <button class="button link" part="button" type="button" @click=${() => emitInternal(this, INTERNAL.navigate, 'coaches')}>
          Book another session
        </button>
      </div>
    </section>`;
  }

  private readonly book = async (): Promise<void> => {
    const { client, timeSlot: slot, coach } = this;
    if (!client || !slot || !coach || this.phase === 'booking') return;
    this.phase = 'booking';
    this.error = null;
    this.announce('Booking your session…');
    try {
      const booking = await client.book(slot.id, this.idempotencyKey);
      this.booking = booking;
      this.phase = 'booked';
      this.announce(`Booked with ${booking.coach.name}, ${formatSession(new Date(booking.startsAt), new Date(booking.endsAt), this.zone, this.locale)}.`);
      emitPublic(this, 'coach-booking:booked', { booking });
      await this.focusHeading();
    } catch (error) {
      this.phase = 'confirm';
      const apiError = toApiError(error);
      if (LOST_SLOT_CODES.has(apiError.code)) {
        emitPublic(this, 'coach-booking:error', { code: apiError.code, message: apiError.message, status: apiError.status });
        emitInternal(this, INTERNAL.slotLost, slot);
        return;
      }
      this.error = this.report(apiError);
    }
  };

  private async addToCalendar(booking: BookingDto): Promise<void> {
    if (!this.client) return;
    this.calendarError = null;
    try {
      await downloadCalendar(this.client, booking);
      this.announce('Calendar file downloaded.');
    } catch (error) {
      this.calendarError = this.report(error);
    }
  }
}

defineOnce('coach-booking-confirm', CoachBookingConfirm);

declare global {
  interface HTMLElementTagNameMap {
    'coach-booking-confirm': CoachBookingConfirm;
  }
}
