import { css } from 'lit';

/** The widget's one stylesheet; the host page's rules reach none of its shadow root, and these reach nothing outside. */
export const coachBookingStyles = css`
  :host {
    /* Inherited properties would leak in from the host page; start from a clean slate. */
    all: initial;
    display: block;
    max-width: 52rem;
    --_accent: var(--coach-booking-accent, #2346c8);
    --_on-accent: var(--coach-booking-accent-text, #fff);
    --_radius: var(--coach-booking-radius, 10px);
    --_surface: var(--coach-booking-surface, #fff);
    --_text: var(--coach-booking-text, #1c2330);
    --_muted: var(--coach-booking-muted, #4f5a6b);
    --_border: var(--coach-booking-border, #c9d0db);
    --_danger: var(--coach-booking-danger, #b3261e);
    --_soft: color-mix(in srgb, var(--_accent) 9%, var(--_surface));
  }
  *, *::before, *::after { box-sizing: border-box; }
  .base {
    /* Page rules matching the host element itself (a universal selector) beat :host; none reach in here. */
    all: initial;
    display: grid;
    gap: 1rem;
    font: 1rem/1.5 var(--coach-booking-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: clamp(0.75rem, 3vw, 1.25rem);
  }
  h2, h3, h4, p, dl, dd { margin: 0; }
  h2 { font-size: 1.25rem; line-height: 1.3; }
  h3 { font-size: 1.1rem; line-height: 1.3; }
  h4 { font-size: 1rem; }
  [tabindex='-1']:focus { outline: none; }
  :focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; }
  .muted { color: var(--_muted); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .plain { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; }
  .header, .view-head, .actions, .zone, .tabs, .month-head, .coach-head { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 0.75rem; }
  .header { justify-content: space-between; }
  .coach-head { flex-wrap: nowrap; }
  .view, .group, .card, .session, .day-times, .empty, .zone-picker { display: grid; gap: 0.75rem; align-content: start; }
  .view-head { display: grid; gap: 0.25rem; }
  button, input { font: inherit; color: inherit; letter-spacing: normal; text-transform: none; }
  button { cursor: pointer; display: inline-flex; align-items: center; justify-content: center; gap: 0.4rem; }
  .button, .nav button, .tabs button, .icon, .time, .zone-option {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: 0.5rem 0.9rem;
    min-height: 2.75rem;
  }
  .button:hover, .time:hover, .zone-option:hover { border-color: var(--_accent); }
  .primary, .nav [aria-current='page'], .tabs [aria-pressed='true'] { background: var(--_accent); border-color: var(--_accent); color: var(--_on-accent); }
  .danger { color: var(--_danger); border-color: currentColor; }
  .link { border: 0; background: none; padding: 0.25rem 0; min-height: 2.75rem; color: var(--_accent); text-decoration: underline; }
  [aria-disabled='true'], button:disabled { opacity: 0.6; cursor: not-allowed; }
  .nav, .tabs { display: flex; flex-wrap: wrap; gap: 0.5rem; }
  .nav button, .tabs button { white-space: nowrap; }
  .zone { font-size: 0.9rem; color: var(--_muted); }
  .zone strong { color: var(--_text); }
  .zone-picker { width: 100%; }
  input { padding: 0.5rem 0.75rem; border: 1px solid var(--_border); border-radius: var(--_radius); min-height: 2.75rem; width: 100%; }
  .zones { max-height: 16rem; overflow-y: auto; gap: 0.25rem; }
  .zone-option { width: 100%; justify-content: start; flex-wrap: wrap; text-align: start; color: var(--_text); }
  .zone-option small { width: 100%; color: var(--_muted); }
  .picker { display: grid; gap: 1rem 1.5rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 19rem), 1fr)); align-items: start; }
  .month-head { justify-content: space-between; flex-wrap: nowrap; }
  .icon { padding: 0; width: 2.75rem; font-size: 1.4rem; line-height: 1; }
  table { border-collapse: collapse; width: 100%; table-layout: fixed; text-align: center; }
  th { font-size: 0.75rem; font-weight: 600; color: var(--_muted); padding-bottom: 0.25rem; }
  td { height: 2.75rem; padding: 0; border-radius: 50%; color: var(--_muted); cursor: default; }
  td[data-day] { cursor: pointer; }
  td.open { color: var(--_accent); font-weight: 700; background: var(--_soft); }
  td[aria-selected='true'] { background: var(--_accent); color: var(--_on-accent); }
  td:focus-visible { outline-offset: -3px; }
  .times { grid-template-columns: repeat(auto-fill, minmax(6.25rem, 1fr)); gap: 0.5rem; }
  .time { position: relative; width: 100%; flex-direction: column; gap: 0; padding: 0.4rem 0.5rem; white-space: nowrap; color: var(--_accent); border-color: var(--_accent); }
  .time span { font-size: 0.8rem; color: var(--_muted); }
  .card, .session, .summary { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.9rem; }
  .cards { grid-template-columns: repeat(auto-fill, minmax(min(100%, 16rem), 1fr)); }
  .card .button { justify-self: start; }
  .avatar { width: 2.75rem; height: 2.75rem; border-radius: 50%; flex: none; object-fit: cover; display: inline-grid; place-items: center; background: var(--_soft); color: var(--_accent); font-weight: 700; }
  .bio { color: var(--_muted); }
  .summary { display: grid; gap: 0.75rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 1rem; }
  dt { color: var(--_muted); }
  .phone { color: var(--_accent); font-weight: 700; }
  .notice, .error { border-radius: var(--_radius); padding: 0.75rem 0.9rem; background: var(--_soft); border: 1px solid var(--_accent); }
  .error { display: grid; gap: 0.5rem; justify-items: start; border-color: var(--_danger); color: var(--_danger); background: color-mix(in srgb, var(--_danger) 6%, var(--_surface)); }
  .badge { font-size: 0.8rem; padding: 0.1rem 0.5rem; border-radius: 999px; background: var(--_soft); color: var(--_text); }
  .skeleton { height: 3rem; border-radius: var(--_radius); background: var(--_soft); }
  @media (prefers-reduced-motion: no-preference) { .skeleton { animation: pulse 1.2s ease-in-out infinite alternate; } }
  @keyframes pulse { to { opacity: 0.4; } }
`;
