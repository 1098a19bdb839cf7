import { Task } from '@lit/task';
import { html, nothing, type TemplateResult } from 'lit';
import type { CoachDto } from '../api/contract.schema.js';
import { emitInternal, INTERNAL } from './events.js';
import { defineOnce, errorState, loadingState, PartElement } from './part-element.js';
import { formatDateTime } from './time.js';

/**
 * @summary The first step: every coach with avatar, bio and next open time.
 * Part of <coach-booking>; renders into its shadow root.
 */
export class CoachBookingCoachList extends PartElement {
  private readonly coachesTask = new Task(this, {
    task: async ([client], { signal }): Promise<CoachDto[]> => {
      if (!client) return [];
      const coaches = await client.coaches(signal);
      this.announce(coaches.length === 1 ? '1 coach available.' : `${coaches.length} coaches available.`);
      emitInternal(this, INTERNAL.coachesLoaded, coaches);
      return coaches;
    },
    args: () => [this.client] as const,
    onError: (error) => this.report(error),
  });

  override render(): TemplateResult {
    return html`<section class="view" part="coach-list" aria-labelledby="coach-booking-coaches-title">
      <div class="view-head">
        <h3 id="coach-booking-coaches-title" tabindex="-1" data-heading>Choose a coach</h3>
        <p class="muted">Sessions last 2 hours.</p>
      </div>
      ${this.coachesTask.render({
        initial: () => loadingState('Loading coaches…'),
        pending: () => loadingState('Loading coaches…'),
        complete: (coaches) => this.renderCoaches(coaches),
        error: (error) => errorState(error, () => void this.coachesTask.run(), 'The coaches could not be loaded.'),
      })}
    </section>`;
  }

  private renderCoaches(coaches: CoachDto[]): TemplateResult {
    if (coaches.length === 0) {
      return html`<div class="empty" part="empty">
        <strong>No coaches are taking bookings yet.</strong>
        <p class="muted">Check back soon.</p>
      </div>`;
    }
    return html`<ul class="plain coaches">
      ${coaches.map((coach) => this.renderCoach(coach))}
    </ul>`;
  }

  private renderCoach(coach: CoachDto): TemplateResult {
    const next = coach.nextOpenSlot
      ? html`Next open time: <strong>${formatDateTime(new Date(coach.nextOpenSlot.startsAt), this.zone, this.locale)}</strong>`
      : html`<span class="muted">No open times right now</span>`;
    return html`<li class="card" part="coach-card">
      <div class="coach-head">
        ${avatar(coach)}
        <div>
          <h4 part="coach-name">${coach.name}</h4>
          <p class="next">${next}</p>
        </div>
      </div>
      ${coach.bio ? html`<p class="bio">${coach.bio}</p>` : nothing}
      <div>
        <button
          class="button primary"
          part="button button-primary"
          type="button"
          aria-label=${`See times with ${coach.name}`}
          @click=${() => emitInternal(this, INTERNAL.coachSelected, coach)}
        >
          See times
        </button>
      </div>
    </li>`;
  }
}

export function avatar(coach: { name: string; avatarUrl: string | null }): TemplateResult {
  // Only web images: the URL comes from a Slack profile, and nothing else belongs in an <img>.
  if (coach.avatarUrl && /^https?:\/\//i.test(coach.avatarUrl)) {
    return html`<img class="avatar" part="avatar" src=${coach.avatarUrl} alt="" loading="lazy" referrerpolicy="no-referrer" />`;
  }
  const initials = coach.name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('');
  return html`<span class="avatar" part="avatar" aria-hidden="true">${initials}</span>`;
}

defineOnce('coach-booking-coach-list', CoachBookingCoachList);

declare global {
  interface HTMLElementTagNameMap {
    'coach-booking-coach-list': CoachBookingCoachList;
  }
}
