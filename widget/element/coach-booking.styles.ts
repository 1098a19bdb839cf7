import { css } from 'lit';

/**
 * One stylesheet for the whole widget: the sub-elements render into
 * <coach-booking>'s shadow root, so these rules reach them and the host page's
 * rules reach none of it.
 */
export const coachBookingStyles = css`
  :host {
    /* Inherited properties would leak in from the host page; start from a clean slate. */
    all: initial;
    display: block;
    box-sizing: border-box;
    max-width: 44rem;
    font-family: var(--coach-booking-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: 1rem;
    line-height: 1.5;
    color: var(--coach-booking-text, #1c2330);
    --_accent: var(--coach-booking-accent, #2346c8);
    --_accent-text: var(--coach-booking-accent-text, #ffffff);
    --_radius: var(--coach-booking-radius, 10px);
    --_surface: var(--coach-booking-surface, #ffffff);
    --_muted: var(--coach-booking-muted, #4f5a6b);
    --_border: var(--coach-booking-border, #c9d0db);
    --_danger: var(--coach-booking-danger, #b3261e);
    --_soft: color-mix(in srgb, var(--_accent) 8%, var(--_surface));
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
  coach-booking-coach-list,
  coach-booking-slot-picker,
  coach-booking-confirm,
  coach-booking-sessions {
    display: block;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .base {
    /* Page rules that match the host element itself (such as a universal selector) beat :host; none reach in here. */
    all: initial;
    display: block;
    box-sizing: border-box;
    font-family: var(--coach-booking-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: 1rem;
    line-height: 1.5;
    color: var(--coach-booking-text, #1c2330);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1rem;
  }
  @media (max-width: 400px) {
    .base {
      padding: 0.75rem;
    }
  }

  h2,
  h3,
  h4,
  p {
    margin: 0;
  }
  h2 {
    font-size: 1.25rem;
    line-height: 1.3;
  }
  h3 {
    font-size: 1.1rem;
    line-height: 1.3;
  }
  h4 {
    font-size: 1rem;
  }
  [tabindex='-1']:focus {
    outline: none;
  }
  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }

  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  .header {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
    justify-content: space-between;
    margin-bottom: 0.75rem;
  }
  .nav {
    display: flex;
    gap: 0.25rem;
    padding: 0.25rem;
    border-radius: calc(var(--_radius) + 4px);
    background: var(--_soft);
  }
  .nav button {
    border: 0;
    background: transparent;
    color: inherit;
    font: inherit;
    font-weight: 600;
    padding: 0.4rem 0.8rem;
    border-radius: var(--_radius);
    cursor: pointer;
    min-height: 2.5rem;
  }
  .nav button[aria-current='page'] {
    background: var(--_surface);
    color: var(--_accent);
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.12);
  }

  .zone {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.35rem 0.5rem;
    font-size: 0.9rem;
    color: var(--_muted);
    margin: 0 0 1rem;
  }
  .zone > span {
    flex: 1 1 100%;
  }
  .zone strong {
    color: var(--coach-booking-text, #1c2330);
  }
  select {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.35rem 0.5rem;
    max-width: 100%;
    min-height: 2.5rem;
  }

  .view {
    display: grid;
    gap: 1rem;
  }
  .view-head {
    display: grid;
    gap: 0.25rem;
  }
  .muted {
    color: var(--_muted);
  }

  button.button {
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    border-radius: var(--_radius);
    padding: 0.55rem 1rem;
    min-height: 2.75rem;
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--coach-booking-text, #1c2330);
  }
  button.button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }
  button.button.link {
    border-color: transparent;
    background: transparent;
    color: var(--_accent);
    padding-inline: 0.25rem;
    text-decoration: underline;
    text-underline-offset: 3px;
  }
  button.button.danger {
    color: var(--_danger);
    border-color: currentColor;
  }
  button.button:disabled,
  button.button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .notice,
  .error {
    border-radius: var(--_radius);
    padding: 0.75rem 1rem;
    display: grid;
    gap: 0.5rem;
    justify-items: start;
  }
  .notice {
    background: var(--_soft);
    border: 1px solid color-mix(in srgb, var(--_accent) 35%, var(--_surface));
  }
  .error {
    background: color-mix(in srgb, var(--_danger) 7%, var(--_surface));
    border: 1px solid color-mix(in srgb, var(--_danger) 45%, var(--_surface));
  }
  .error strong {
    color: var(--_danger);
  }
  .empty {
    text-align: center;
    padding: 1.5rem 1rem;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    display: grid;
    gap: 0.5rem;
    justify-items: center;
  }

  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  /* Coaches */
  .coaches {
    display: grid;
    gap: 0.75rem;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 16rem), 1fr));
  }
  /* Every boxed piece: coach cards, the booking summary, sessions. */
  .card,
  .summary,
  .session {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.9rem;
    display: grid;
    gap: 0.5rem;
    align-content: start;
  }
  .coach-head {
    display: flex;
    gap: 0.75rem;
    align-items: center;
  }
  .avatar {
    width: 3rem;
    height: 3rem;
    flex: none;
    border-radius: 50%;
    object-fit: cover;
    background: var(--_soft);
    color: var(--_accent);
    display: grid;
    place-items: center;
    font-weight: 700;
  }
  .bio {
    display: -webkit-box;
    -webkit-line-clamp: 3;
    -webkit-box-orient: vertical;
    overflow: hidden;
    color: var(--_muted);
    font-size: 0.95rem;
  }
  .next {
    font-size: 0.9rem;
  }

  /* Slots */
  .week-nav {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .week-label {
    text-align: center;
  }
  button.button.icon {
    min-width: 2.75rem;
    padding-inline: 0.5rem;
    font-size: 1.4rem;
    line-height: 1;
  }
  .days {
    display: grid;
    gap: 0.9rem;
  }
  .day {
    display: grid;
    gap: 0.4rem;
  }
  .day-empty {
    color: var(--_muted);
    font-size: 0.9rem;
  }
  .slots {
    display: grid;
    gap: 0.5rem;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 9.5rem), 1fr));
  }
  .slot-button {
    width: 100%;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    border-radius: var(--_radius);
    border: 1px solid var(--_accent);
    background: var(--_surface);
    color: var(--_accent);
    padding: 0.55rem 0.5rem;
    min-height: 2.75rem;
  }
  .slot-button:hover {
    background: var(--_soft);
  }

  /* Confirm, booked, sessions */
  .summary dl {
    margin: 0;
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.25rem 0.75rem;
  }
  .summary dt {
    color: var(--_muted);
  }
  .summary dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .phone {
    color: var(--_accent);
    font-weight: 700;
  }
  .session + .session {
    margin-top: 0.6rem;
  }
  .badge {
    display: inline-block;
    font-size: 0.8rem;
    font-weight: 600;
    padding: 0.05rem 0.5rem;
    border-radius: 999px;
    background: var(--_soft);
  }
  .confirm-cancel {
    display: grid;
    gap: 0.5rem;
    padding: 0.75rem;
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_danger) 6%, var(--_surface));
  }

  .skeleton {
    border-radius: var(--_radius);
    background: linear-gradient(90deg, var(--_soft) 25%, color-mix(in srgb, var(--_accent) 16%, var(--_surface)) 50%, var(--_soft) 75%);
    background-size: 200% 100%;
    animation: shimmer 1.4s linear infinite;
    min-height: 5.5rem;
  }
  .skeleton.short {
    min-height: 2.75rem;
  }
  @keyframes shimmer {
    from {
      background-position: 200% 0;
    }
    to {
      background-position: -200% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
  }
`;
