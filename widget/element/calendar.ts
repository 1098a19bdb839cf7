import { html, type TemplateResult } from 'lit/html.js';
import { addDays, addMonths, daysInMonth, formatDay, formatMonth, monthOf, weekday, weekdayNames } from './time.js';

export interface CalendarProps {
  /** `YYYY-MM` shown. */
  month: string;
  /** The chosen day, `YYYY-MM-DD`. */
  selected: string | null;
  /** The one cell in the tab order (roving tabindex). */
  focus: string;
  /** Open times per day. */
  counts: Map<string, number>;
  locale: string | undefined;
  firstDay: number;
  label: (day: string, count: number) => string;
  prevLabel: string;
  nextLabel: string;
  canGoBack: boolean;
  onPick(day: string): void;
  onFocus(day: string): void;
}

/** Keys of the WAI-ARIA grid pattern, as the date picker in the APG uses them. */
function target(key: string, day: string, firstDay: number): string | null {
  const column = (weekday(day) - firstDay + 7) % 7;
  const sameDayIn = (months: number) => {
    const month = addMonths(monthOf(day), months);
    return `${month}-${String(Math.min(Number(day.slice(8)), daysInMonth(month))).padStart(2, '0')}`;
  };
  switch (key) {
    case 'ArrowLeft': return addDays(day, -1);
    case 'ArrowRight': return addDays(day, 1);
    case 'ArrowUp': return addDays(day, -7);
    case 'ArrowDown': return addDays(day, 7);
    case 'Home': return addDays(day, -column);
    case 'End': return addDays(day, 6 - column);
    case 'PageUp': return sameDayIn(-1);
    case 'PageDown': return sameDayIn(1);
    default: return null;
  }
}

/**
 * A month as an ARIA grid: days with open times are marked and chosen with a
 * click, Enter or Space; arrow keys, Home/End and Page Up/Down move between
 * days (and into the next or previous month), with one cell in the tab order.
 */
export function renderCalendar(p: CalendarProps): TemplateResult {
  const first = `${p.month}-01`;
  const lead = (weekday(first) - p.firstDay + 7) % 7;
  const total = daysInMonth(p.month);
  const cells: Array<string | null> = [...Array.from({ length: lead }, () => null), ...Array.from({ length: total }, (_, i) => addDays(first, i))];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  const names = weekdayNames(p.locale, p.firstDay);
  const onKey = (event: KeyboardEvent) => {
    const day = (event.target as HTMLElement).dataset.day;
    if (!day) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      p.onPick(day);
      return;
    }
    const next = target(event.key, day, p.firstDay);
    if (!next) return;
    event.preventDefault();
    p.onFocus(next);
  };
  const monthTitle = formatMonth(p.month, p.locale);
  return html`<div class="calendar" part="calendar">
    <div class="month-head">
      <button class="icon" part="button" aria-label=${p.prevLabel} ?disabled=${!p.canGoBack} @click=${() => p.onFocus(`${addMonths(p.month, -1)}-01`)}>‹</button>
      <h4 id="cb-month">${monthTitle}</h4>
      <button class="icon" part="button" aria-label=${p.nextLabel} @click=${() => p.onFocus(`${addMonths(p.month, 1)}-01`)}>›</button>
    </div>
    <table role="grid" aria-labelledby="cb-month" @keydown=${onKey}>
      <thead>
        <tr>${names.map((n) => html`<th scope="col" abbr=${n.long}>${n.short}</th>`)}</tr>
      </thead>
      <tbody>
        ${weeks.map(
          (week) => html`<tr>
            ${week.map((day) => {
              if (!day) return html`<td></td>`;
              const count = p.counts.get(day) ?? 0;
              return html`<td
                data-day=${day}
                class=${count ? 'open' : ''}
                tabindex=${day === p.focus ? 0 : -1}
                aria-selected=${day === p.selected ? 'true' : 'false'}
                aria-disabled=${count ? 'false' : 'true'}
                aria-label=${p.label(day, count)}
                @click=${() => p.onPick(day)}
              >${Number(day.slice(8))}</td>`;
            })}
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** "Thu 3 Dec" */
export const shortDay = (day: string, locale: string | undefined) => formatDay(day, locale, 'short');
