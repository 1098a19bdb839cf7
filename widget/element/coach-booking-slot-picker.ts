import { Task } from '@lit/task';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { CoachDto, SlotDto } from '../api/contract.schema.js';
import { avatar } from './coach-booking-coach-list.js';
import { emitInternal, INTERNAL } from './events.js';
import { defineOnce, errorState, loadingState, PartElement } from './part-element.js';
import { addDays, dayKey, formatDay, formatTime, formatWeek, startOfDay } from './time.js';

const DAYS_SHOWN = 7;

/**
 * @summary The second step: one coach's open times, a week at a time, day by
 * day in the zone the widget shows. Part of <coach-booking>.
 */
export class CoachBookingSlotPicker extends PartElement {
  static override properties = {
    coach: { attribute: false },
    notice: { attribute: false },
    weekStart: { state: true },
    refreshes: { state: true },
  };

  declare coach: CoachDto | null;
  /** A message from the widget shown above the times, such as "that time was just taken". */
  declare notice: string | null;
  /** First local day of the week shown, `YYYY-MM-DD` in `zone`. */
  declare weekStart: string | null;
  declare refreshes: number;

  private readonly slotsTask = new Task(this, {
    task: async ([client, coach, weekStart, zone], { signal }): Promise<SlotDto[]> => {
      if (!client || !coach || !weekStart) return [];
      const slots = await client.slots(coach.id, startOfDay(weekStart, zone), startOfDay(addDays(weekStart, DAYS_SHOWN), zone), signal);
      const count = slots.length === 1 ? '1 open time' : `${slots.length} open times`;
      this.announce(`${count} with ${coach.name} in the week of ${formatWeek(weekStart, this.locale)}.`);
      return slots;
    },
    args: () => [this.client, this.coach, this.weekStart, this.zone, this.refreshes] as const,
    onError: (error) => this.report(error),
  });

  constructor() {
    super();
    this.coach = null;
    this.notice = null;
    this.weekStart = null;
    this.refreshes = 0;
  }

  /** Fetches the week again (after a slot was lost to someone else). */
  refresh(): void {
    this.refreshes++;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new coach starts at the week of their next open time, so nobody pages through empty weeks.
    if (changed.has('coach') && this.coach) {
      const next = this.coach.nextOpenSlot ? new Date(this.coach.nextOpenSlot.startsAt) : new Date();
      this.weekStart = dayKey(next.getTime() > Date.now() ? next : new Date(), this.zone);
    }
  }

  override render(): TemplateResult | typeof nothing {
    const coach = this.coach;
    const weekStart = this.weekStart;
    if (!coach || !weekStart) return nothing;
    const today = dayKey(new Date(), this.zone);
    return html`<section class="view" part="slot-picker" aria-labelledby="coach-booking-slots-title">
      <div class="view-head">
        <div>
          <button class="button link" part="button" type="button" @click=${() => emitInternal(this, INTERNAL.navigate, 'coaches')}>
            ← All coaches
          </button>
        </div>
        <div class="coach-head">
          ${avatar(coach)}
          <div>
            <h3 id="coach-booking-slots-title" tabindex="-1" data-heading>Times with ${coach.name}</h3>
            <p class="muted">Pick a 2-hour session.</p>
          </div>
        </div>
      </div>
      ${this.notice ? html`<div class="notice" part="notice"><strong>${this.notice}</strong></div>` : nothing}
      <div class="week-nav">
        <button
          class="button icon"
          part="button"
          type="button"
          aria-label="Previous week"
          ?disabled=${weekStart <= today}
          @click=${() => this.moveWeek(-DAYS_SHOWN)}
        >
          <span aria-hidden="true">‹</span>
        </button>
        <p class="week-label"><strong>${formatWeek(weekStart, this.locale)}</strong></p>
        <button class="button icon" part="button" type="button" aria-label="Next week" @click=${() => this.moveWeek(DAYS_SHOWN)}>
          <span aria-hidden="true">›</span>
        </button>
      </div>
      ${this.slotsTask.render({
        initial: () => loadingState('Loading open times…', 3, true),
        pending: () => loadingState('Loading open times…', 3, true),
        complete: (slots) => this.renderWeek(coach, weekStart, slots),
        error: (error) => errorState(error, () => void this.slotsTask.run(), 'The open times could not be loaded.'),
      })}
    </section>`;
  }

  private moveWeek(days: number): void {
    if (!this.weekStart) return;
    const today = dayKey(new Date(), this.zone);
    const next = addDays(this.weekStart, days);
    this.weekStart = next < today ? today : next;
  }

  private renderWeek(coach: CoachDto, weekStart: string, slots: SlotDto[]): TemplateResult {
    if (slots.length === 0) {
      const weekEnd = startOfDay(addDays(weekStart, DAYS_SHOWN), this.zone);
      const later = coach.nextOpenSlot && new Date(coach.nextOpenSlot.startsAt) >= weekEnd ? new Date(coach.nextOpenSlot.startsAt) : null;
      return html`<div class="empty" part="empty">
        <strong>No open times this week.</strong>
        ${later
          ? html`<button class="button" part="button" type="button" @click=${() => (this.weekStart = dayKey(later, this.zone))}>
              Go to the next open time (${formatDay(dayKey(later, this.zone), this.locale, 'short')})
            </button>`
          : html`<p class="muted">Try the next week.</p>`}
      </div>`;
    }
    const byDay = new Map<string, SlotDto[]>();
    for (const slot of slots) {
      const key = dayKey(new Date(slot.startsAt), this.zone);
      byDay.set(key, [...(byDay.get(key) ?? []), slot]);
    }
    const days = Array.from({ length: DAYS_SHOWN }, (_, i) => addDays(weekStart, i));
    return html`<ul class="plain days" part="slot-list">
      ${days.map((day) => this.renderDay(day, byDay.get(day) ?? []))}
    </ul>`;
  }

  private renderDay(day: string, slots: SlotDto[]): TemplateResult {
    const label = formatDay(day, this.locale);
    return html`<li class="day" part="day">
      <h4>${label}</h4>
      ${slots.length === 0
        ? html`<p class="day-empty">No open times</p>`
        : html`<ul class="plain slots">
            ${slots.map((slot) => {
              const range = `${formatTime(new Date(slot.startsAt), this.zone, this.locale)} – ${formatTime(new Date(slot.endsAt), this.zone, this.locale)}`;
              return html`<li>
                <button
                  class="slot-button"
                  part="slot-button"
                  type="button"
                  aria-label=${`${range}, ${label}`}
                  @click=${() => emitInternal(this, INTERNAL.slotSelected, slot)}
                >
                  ${range}
                </button>
              </li>`;
            })}
          </ul>`}
    </li>`;
  }
}

defineOnce('coach-booking-slot-picker', CoachBookingSlotPicker);

declare global {
  interface HTMLElementTagNameMap {
    'coach-booking-slot-picker': CoachBookingSlotPicker;
  }
}
