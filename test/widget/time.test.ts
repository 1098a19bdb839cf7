import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dayKey,
  daysInMonth,
  describeZone,
  firstDayOfWeek,
  formatMonth,
  formatSession,
  formatTime,
  startOfDay,
  weekday,
  weekdayNames,
  zoneOffsetMinutes,
} from '../../widget/element/time.js';

const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'America/Santiago', 'America/Havana'];

describe('zone arithmetic with Intl only', () => {
  it('knows the offsets either side of a DST change', () => {
    expect(zoneOffsetMinutes(new Date('2026-03-08T06:59:00Z'), 'America/New_York')).toBe(-300);
    expect(zoneOffsetMinutes(new Date('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-240);
    expect(zoneOffsetMinutes(new Date('2026-10-25T00:59:00Z'), 'Europe/London')).toBe(60);
    expect(zoneOffsetMinutes(new Date('2026-10-25T01:00:00Z'), 'Europe/London')).toBe(0);
    expect(zoneOffsetMinutes(new Date('2026-06-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });

  it('names the local day of an instant', () => {
    expect(dayKey(new Date('2026-06-01T23:30:00Z'), 'UTC')).toBe('2026-06-01');
    expect(dayKey(new Date('2026-06-01T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-06-02');
    expect(dayKey(new Date('2026-06-01T03:30:00Z'), 'America/New_York')).toBe('2026-05-31');
  });

  it('finds local midnight on DST-change days', () => {
    expect(startOfDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(startOfDay('2026-10-25', 'Europe/London').toISOString()).toBe('2026-10-24T23:00:00.000Z');
    expect(startOfDay('2026-10-26', 'Europe/London').toISOString()).toBe('2026-10-26T00:00:00.000Z');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-29', 7)).toBe('2027-01-05');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('puts every instant inside the local day it belongs to, in any zone', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(...ZONES),
        (instant, zone) => {
          const key = dayKey(instant, zone);
          const start = startOfDay(key, zone);
          const next = startOfDay(addDays(key, 1), zone);
          expect(start.getTime()).toBeLessThanOrEqual(instant.getTime());
          expect(instant.getTime()).toBeLessThan(next.getTime());
          // A day lasts 23 to 25 hours (Lord Howe moves by 30 minutes).
          expect(next.getTime() - start.getTime()).toBeGreaterThanOrEqual(23 * 3_600_000);
          expect(next.getTime() - start.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** ICU separates ranges with thin or narrow no-break spaces, depending on its version. */
const plain = (text: string) => text.replace(/[\u2009\u202f\u00a0]/g, ' ');

describe('formatting for people', () => {
  const tenUtc = new Date('2026-06-03T10:00:00Z');
  const noonUtc = new Date('2026-06-03T12:00:00Z');

  it('shows one instant as each zone’s wall-clock time', () => {
    expect(formatTime(tenUtc, 'Asia/Tokyo', 'en-GB')).toBe('19:00');
    expect(formatTime(tenUtc, 'America/New_York', 'en-GB')).toMatch(/^0?6:00$/);
    expect(plain(formatSession(tenUtc, noonUtc, 'Asia/Tokyo', 'en-GB'))).toMatch(/^Wednesday,? 3 June 2026, 19:00 – 21:00$/);
  });

  it('follows the locale', () => {
    expect(plain(formatTime(tenUtc, 'America/New_York', 'en-US'))).toBe('6:00 AM');
    expect(plain(formatTime(tenUtc, 'Europe/Berlin', 'de-DE'))).toBe('12:00');
    expect(formatMonth('2026-12', 'en-GB')).toBe('December 2026');
    expect(formatMonth('2026-12', 'fr-FR')).toBe('décembre 2026');
  });

  it('describes a zone by name and offset', () => {
    expect(describeZone('Asia/Tokyo', 'en-US', tenUtc)).toBe('Japan Standard Time (GMT+9)');
    expect(describeZone('America/New_York', 'en-US', tenUtc)).toBe('Eastern Daylight Time (GMT-4)');
  });
});

describe('the month calendar', () => {
  it('counts months and weekdays across year ends and leap years', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(daysInMonth('2028-02')).toBe(29);
    expect(daysInMonth('2026-02')).toBe(28);
    expect(weekday('2026-12-03')).toBe(4);
    expect(weekday('2026-12-06')).toBe(7);
  });

  it('starts the week on the locale’s first day', () => {
    expect(firstDayOfWeek('en-GB')).toBe(1);
    expect(firstDayOfWeek('de-DE')).toBe(1);
    expect(firstDayOfWeek('en-US')).toBe(7);
    expect(weekdayNames('en-US', 7).map((d) => d.long)[0]).toBe('Sunday');
    expect(weekdayNames('fr-FR', 1).map((d) => d.long)).toEqual(['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche']);
  });
});
