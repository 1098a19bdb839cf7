/** The widget's one stylesheet; the host page's rules reach none of its shadow root, and these reach nothing outside. */
export const coachBookingStyles = `
  :host {
    /* Inherited properties would leak in from the host page; start from a clean slate. */
    all: initial;
    display: block;
    max-width: 52rem;
    --a: var(--coach-booking-accent, #2346c8);
    --on: var(--coach-booking-accent-text, #fff);
    --r: var(--coach-booking-radius, 10px);
    --bg: var(--coach-booking-surface, #fff);
    --fg: var(--coach-booking-text, #1c2330);
    --mu: var(--coach-booking-muted, #4f5a6b);
    --bd: var(--coach-booking-border, #c9d0db);
    --no: var(--coach-booking-danger, #b3261e);
    --soft: color-mix(in srgb, var(--a) 9%, var(--bg));
  }
  * { box-sizing: border-box; }
  .base {
    /* Page rules matching the host element itself (a universal selector) beat :host; none reach in here. */
    all: initial;
    display: grid;
    gap: 1rem;
    font: 1rem/1.5 var(--coach-booking-font, system-ui, sans-serif);
    color: var(--fg);
    background: var(--bg);
    border: 1px solid var(--bd);
    border-radius: var(--r);
    padding: clamp(.75rem, 3vw, 1.25rem);
  }
  h2, h3, h4, p, dl, dd { margin: 0; font-size: 1.05rem; }
  p, dd { font-size: 1rem; }
  [tabindex='-1']:focus { outline: none; }
  :focus-visible { outline: 3px solid var(--a); outline-offset: 2px; }
  .muted, .bio, dt, th, .zone, small, .time span { color: var(--mu); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  ul { list-style: none; margin: 0; padding: 0; display: grid; gap: .75rem; }
  .header, .actions, .zone, .tabs, .nav, .month-head, .coach-head { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem .75rem; }
  .header, .month-head { justify-content: space-between; }
  .coach-head, .month-head { flex-wrap: nowrap; }
  .view, .view-head, .group, .card, .session, .day-times, .empty, .zone-picker, .summary, .error { display: grid; gap: .75rem; align-content: start; justify-items: start; }
  .view-head { gap: .25rem; }
  button, input { font: inherit; color: inherit; letter-spacing: normal; text-transform: none; }
  button { cursor: pointer; border: 1px solid var(--bd); border-radius: var(--r); background: var(--bg); padding: .5rem .9rem; min-height: 2.75rem; white-space: nowrap; }
  .primary, [aria-current='page'], [aria-pressed='true'] { background: var(--a); border-color: var(--a); color: var(--on); }
  .danger { color: var(--no); border-color: currentColor; }
  .link { border: 0; background: none; padding: 0; color: var(--a); text-decoration: underline; }
  [aria-disabled='true'], :disabled { opacity: .6; cursor: not-allowed; }
  .zone { font-size: .9rem; }
  .zone-picker, .zones, .zone-option, input { width: 100%; }
  input { padding: .5rem .75rem; border: 1px solid var(--bd); border-radius: var(--r); min-height: 2.75rem; }
  .zones { max-height: 16rem; overflow-y: auto; gap: .25rem; }
  .zone-option { text-align: start; white-space: normal; }
  .picker { display: grid; gap: 1rem 1.5rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 19rem), 1fr)); align-items: start; width: 100%; }
  .icon { padding: 0; width: 2.75rem; }
  table { border-collapse: collapse; width: 100%; table-layout: fixed; text-align: center; }
  th { font-size: .75rem; padding-bottom: .25rem; }
  td { height: 2.75rem; padding: 0; border-radius: 50%; color: var(--mu); cursor: pointer; }
  td.open { color: var(--a); font-weight: 700; background: var(--soft); }
  td[aria-selected='true'] { background: var(--a); color: var(--on); }
  .times { grid-template-columns: repeat(auto-fill, minmax(6.25rem, 1fr)); gap: .5rem; width: 100%; }
  .time { position: relative; width: 100%; display: grid; padding: .4rem .5rem; color: var(--a); border-color: var(--a); }
  .time span { font-size: .8rem; overflow: hidden; text-overflow: ellipsis; }
  .card, .session, .summary { border: 1px solid var(--bd); border-radius: var(--r); padding: .9rem; width: 100%; }
  .cards { grid-template-columns: repeat(auto-fill, minmax(min(100%, 16rem), 1fr)); width: 100%; }
  .avatar { width: 2.75rem; height: 2.75rem; border-radius: 50%; flex: none; object-fit: cover; display: inline-grid; place-items: center; background: var(--soft); color: var(--a); font-weight: 700; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; }
  .phone { font-weight: 700; }
  .notice, .error { border-radius: var(--r); padding: .75rem .9rem; background: var(--soft); border: 1px solid var(--a); }
  .error { border-color: var(--no); color: var(--no); }
  .badge { font-size: .8rem; }
  .skeleton { height: 3rem; width: 100%; background: var(--soft); }
`;
