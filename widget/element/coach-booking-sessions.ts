import { Task } from '@lit/task';
import { html, nothing, type TemplateResult } from 'lit';
import type { BookingDto } from '../api/contract.schema.js';
import type { ApiError } from './api-client.js';
import { downloadCalendar } from './calendar-download.js';
import { emitInternal, emitPublic, INTERNAL } from './events.js';
import { defineOnce, errorState, loadingState, PartElement } from './part-element.js';
import { formatSession } from './time.js';

type SessionsPage = { bookings: BookingDto[]; more: boolean };

const PAST_PAGE = 20;
const PAST_MAX = 100;

/**
 * @summary "My sessions": upcoming sessions with the coach's phone, calendar
 * file and Cancel, then past ones. Part of <coach-booking>.
 */
export class CoachBookingSessions extends PartElement {
  static override properties = {
    version: { attribute: false },
    refreshes: { state: true },
    pastLimit: { state: true },
    confirmingId: { state: true },
    busyId: { state: true },
    actionError: { state: true },
  };

  /** Bumped by <coach-booking> whenever the lists may have changed (a booking, a visit to this view). */
  declare version: number;
  /** Bumped here after a change made from this view. */
  declare refreshes: number;
  declare pastLimit: number;
  /** The session whose "Cancel?" question is open. */
  declare confirmingId: string | null;
  declare busyId: string | null;
  declare actionError: { id: string; error: ApiError } | null;

  private readonly upcomingTask = new Task(this, {
    task: async ([client], { signal }): Promise<SessionsPage> => (client ? client.myBookings('upcoming', 100, signal) : { bookings: [], more: false }),
    args: () => [this.client, this.version, this.refreshes] as const,
    onError: (error) => this.report(error),
  });

  private readonly pastTask = new Task(this, {
    task: async ([client, , , limit], { signal }): Promise<SessionsPage> => {
      if (!client) return { bookings: [], more: false };
      const [past, cancelled] = await Promise.all([client.myBookings('past', limit, signal), client.myBookings('cancelled', limit, signal)]);
      const bookings = [...past.bookings, ...cancelled.bookings].sort((a, b) => b.startsAt.localeCompare(a.startsAt));
      return { bookings, more: past.more || cancelled.more };
    },
    args: () => [this.client, this.version, this.refreshes, this.pastLimit] as const,
    onError: (error) => this.report(error),
  });

  constructor() {
    super();
    this.version = 0;
    this.refreshes = 0;
    this.pastLimit = PAST_PAGE;
    this.confirmingId = null;
    this.busyId = null;
    this.actionError = null;
  }

  override render(): TemplateResult {
    return html`<section class="view" part="sessions" aria-labelledby="coach-booking-sessions-title">
      <div class="view-head">
        <h3 id="coach-booking-sessions-title" tabindex="-1" data-heading>My sessions</h3>
      </div>
      <section class="view" aria-labelledby="coach-booking-upcoming-title">
        <h4 id="coach-booking-upcoming-title">Upcoming</h4>
        ${this.upcomingTask.render({
          initial: () => loadingState('Loading your upcoming sessions…', 2),
          pending: () => loadingState('Loading your upcoming sessions…', 2),
          complete: ({ bookings }) => this.renderUpcoming(bookings),
          error: (error) => errorState(error, () => void this.upcomingTask.run(), 'Your sessions could not be loaded.'),
        })}
      </section>
      <section class="view" aria-labelledby="coach-booking-past-title">
        <h4 id="coach-booking-past-title">Past</h4>
        ${this.pastTask.render({
          initial: () => loadingState('Loading your past sessions…', 2, true),
          // Keep the list on screen while "Show more" loads the longer page.
          pending: () => (this.pastTask.value ? this.renderPast(this.pastTask.value.bookings, false) : loadingState('Loading your past sessions…', 2, true)),
          complete: ({ bookings, more }) => this.renderPast(bookings, more),
          error: (error) => errorState(error, () => void this.pastTask.run(), 'Your past sessions could not be loaded.'),
        })}
      </section>
    </section>`;
  }

  private renderUpcoming(bookings: BookingDto[]): TemplateResult {
    if (bookings.length === 0) {
      return html`<div class="empty" part="empty">
        <strong>No upcoming sessions.</strong>
        <button class="button primary" part="button button-primary" type="button" @click=${() => emitInternal(this, INTERNAL.navigate, 'coaches')}>
          Book a session
        </button>
      </div>`;
    }
    return html`<ul class="plain">
      ${bookings.map((booking) => this.renderUpcomingSession(booking))}
    </ul>`;
  }

  private renderUpcomingSession(booking: BookingDto): TemplateResult {
    const when = formatSession(new Date(booking.startsAt), new Date(booking.endsAt), this.zone, this.locale);
    const cancellable = booking.status === 'active' && Date.now() < new Date(booking.cancellableUntil).getTime();
    const busy = this.busyId === booking.id;
    const error = this.actionError?.id === booking.id ? this.actionError.error : null;
    return html`<li class="session" part="session">
      <p><strong>${booking.coach.name}</strong></p>
      <p>${when}</p>
      <p>
        Phone:
        ${booking.coach.phone
          ? html`<a class="phone" part="phone" href=${`tel:${booking.coach.phone}`}>${booking.coach.phone}</a>`
          : html`<span class="muted">not given yet</span>`}
      </p>
      ${error ? errorState(error, null, 'That did not work.') : nothing}
      ${this.confirmingId === booking.id
        ? html`<div class="confirm-cancel" role="group" aria-labelledby=${`coach-booking-cancel-${booking.id}`}>
            <p id=${`coach-booking-cancel-${booking.id}`}>Cancel your session with ${booking.coach.name} on ${when}?</p>
            <div class="actions">
              <button class="button danger" part="button" type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${() => this.cancel(booking)}>
                ${busy ? 'Cancelling…' : 'Yes, cancel it'}
              </button>
              <button class="button" part="button" type="button" data-keep @click=${() => this.closeConfirm(booking.id)}>Keep it</button>
            </div>
          </div>`
        : html`<div class="actions">
            <button class="button" part="button" type="button" @click=${() => this.addToCalendar(booking)}>Add to calendar</button>
            ${cancellable
              ? html`<button class="button danger" part="button" type="button" data-cancel=${booking.id} aria-label=${`Cancel session with ${booking.coach.name}`} @click=${() => this.openConfirm(booking.id)}>
                  Cancel
                </button>`
              : html`<p class="muted">Too late to cancel here; call your coach.</p>`}
          </div>`}
    </li>`;
  }

  private renderPast(bookings: BookingDto[], more: boolean): TemplateResult {
    if (bookings.length === 0) return html`<p class="muted">No past sessions yet.</p>`;
    return html`<ul class="plain">
        ${bookings.map((booking) => {
          const status = booking.cancellation ? `Cancelled by ${booking.cancellation.by === 'student' ? 'you' : 'the coach'}` : 'Held';
          return html`<li class="session" part="session">
            <p><strong>${booking.coach.name}</strong> <span class="badge">${status}</span></p>
            <p>${formatSession(new Date(booking.startsAt), new Date(booking.endsAt), this.zone, this.locale)}</p>
          </li>`;
        })}
      </ul>
      ${more && this.pastLimit < PAST_MAX
        ? html`<div>
            <button class="button" part="button" type="button" @click=${() => (this.pastLimit = Math.min(PAST_MAX, this.pastLimit + PAST_PAGE))}>
              Show more
            </button>
          </div>`
        : nothing}`;
  }

  private async openConfirm(id: string): Promise<void> {
    this.confirmingId = id;
    this.actionError = null;
    await this.updateComplete;
    // The safe answer gets focus, so a stray Enter does not cancel anything.
    this.querySelector<HTMLButtonElement>('[data-keep]')?.focus();
  }

  private async closeConfirm(id: string): Promise<void> {
    this.confirmingId = null;
    await this.updateComplete;
    this.querySelector<HTMLButtonElement>(`[data-cancel="${id}"]`)?.focus();
  }

  private async cancel(booking: BookingDto): Promise<void> {
    if (!this.client || this.busyId) return;
    this.busyId = booking.id;
    try {
      const cancelled = await this.client.cancel(booking.id);
      this.confirmingId = null;
      this.announce(`Your session with ${cancelled.coach.name} is cancelled.`);
      emitPublic(this, 'coach-booking:cancelled', { booking: cancelled });
      this.refreshes++;
      await this.focusHeading();
    } catch (error) {
      const apiError = this.report(error);
      if (apiError) this.actionError = { id: booking.id, error: apiError };
      this.confirmingId = null;
    } finally {
      this.busyId = null;
    }
  }

  private async addToCalendar(booking: BookingDto): Promise<void> {
    if (!this.client) return;
    this.actionError = null;
    try {
      await downloadCalendar(this.client, booking);
      this.announce('Calendar file downloaded.');
    } catch (error) {
      const apiError = this.report(error);
      if (apiError) this.actionError = { id: booking.id, error: apiError };
    }
  }
}

defineOnce('coach-booking-sessions', CoachBookingSessions);

declare global {
  interface HTMLElementTagNameMap {
    'coach-booking-sessions': CoachBookingSessions;
  }
}
