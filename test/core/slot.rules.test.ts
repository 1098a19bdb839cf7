import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertSlotAcceptable, cellsOf, isOnGrid, overlaps, slotEnd } from '../../core/slots/slot.rules.js';
import { DEFAULT_RULES, isDomainError } from '../../core/index.js';
import { GRID_MS, SLOT_MS } from '../../core/shared/time.schema.js';

const now = new Date('2026-06-01T09:00:00Z');
const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return isDomainError(error) ? error.code : 'unexpected';
  }
};

describe('slot rules', () => {
  it('treats intervals as half-open, so back-to-back slots do not overlap', () => {
    const a = new Date('2026-06-02T10:00:00Z');
    expect(overlaps(a, slotEnd(a), slotEnd(a), slotEnd(slotEnd(a)))).toBe(false);
    expect(overlaps(a, slotEnd(a), new Date(slotEnd(a).getTime() - 60_000), new Date('2026-06-02T14:00:00Z'))).toBe(true);
  });

  it('accepts exactly 2 hours and refuses 2 hours plus or minus a minute', () => {
    const start = new Date('2026-06-02T10:00:00Z');
    expect(codeOf(() => assertSlotAcceptable(start, new Date(start.getTime() + SLOT_MS), now, DEFAULT_RULES))).toBe('ok');
    expect(codeOf(() => assertSlotAcceptable(start, new Date(start.getTime() + SLOT_MS + 60_000), now, DEFAULT_RULES))).toBe('slot.bad_length');
    expect(codeOf(() => assertSlotAcceptable(start, new Date(start.getTime() + SLOT_MS - 60_000), now, DEFAULT_RULES))).toBe('slot.bad_length');
  });

  it('accepts a start on the quarter hour and refuses one a minute off it', () => {
    expect(isOnGrid(new Date('2026-06-02T10:45:00Z'))).toBe(true);
    expect(codeOf(() => assertSlotAcceptable(new Date('2026-06-02T10:46:00Z'), undefined, now, DEFAULT_RULES))).toBe('slot.off_grid');
  });

  it('accepts a start of now and refuses a start already past', () => {
    expect(codeOf(() => assertSlotAcceptable(now, undefined, now, DEFAULT_RULES))).toBe('ok');
    expect(codeOf(() => assertSlotAcceptable(new Date(now.getTime() - GRID_MS), undefined, now, DEFAULT_RULES))).toBe('slot.in_past');
  });

  it('accepts a start at the horizon and refuses one a quarter hour beyond it', () => {
    const horizon = new Date(now.getTime() + DEFAULT_RULES.slotHorizonDays * 86_400_000);
    expect(codeOf(() => assertSlotAcceptable(horizon, undefined, now, DEFAULT_RULES))).toBe('ok');
    expect(codeOf(() => assertSlotAcceptable(new Date(horizon.getTime() + GRID_MS), undefined, now, DEFAULT_RULES))).toBe('slot.beyond_horizon');
  });

  it('says two grid slots overlap exactly when they share a 15-minute cell', () => {
    const gridStart = fc.integer({ min: 0, max: 2_000 }).map((n) => new Date(Date.UTC(2026, 5, 1) + n * GRID_MS));
    fc.assert(
      fc.property(gridStart, gridStart, (a, b) => {
        const shared = cellsOf(a, slotEnd(a)).filter((c) => cellsOf(b, slotEnd(b)).includes(c)).length > 0;
        expect(shared).toBe(overlaps(a, slotEnd(a), b, slotEnd(b)));
      }),
      { numRuns: 500 },
    );
  });

  it('gives a 2-hour slot exactly 8 cells', () => {
    const start = new Date('2026-06-02T10:15:00Z');
    expect(cellsOf(start, slotEnd(start))).toHaveLength(8);
  });
});
