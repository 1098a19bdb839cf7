import { ManualClock, type Core, type RulesConfig } from '../../core/index.js';
import { useTestDatabase } from '../helpers/db.js';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** A fixed "now" on the grid, far from DST changes, for tests that do not care about zones. */
export const NOW = '2026-06-01T09:00:00.000Z';

export const at = (iso: string) => new Date(iso);
export const plus = (base: Date | string, ms: number) => new Date(new Date(base).getTime() + ms);

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/**
 * Booking limits off: most suites book several sessions for one student in a
 * day to test other rules. test/core/policy.test.ts tests the limits.
 */
export const NO_LIMITS: Partial<RulesConfig> = { studentDailyLimit: null, studentWeeklyLimit: null };

/** Per-file database plus a core standing at a manual clock. */
export function useCore(options: { now?: string; rules?: Partial<RulesConfig> } = {}) {
  const db = useTestDatabase();
  return {
    db,
    async make(overrides: { now?: string; rules?: Partial<RulesConfig> } = {}) {
      const clock = new ManualClock(overrides.now ?? options.now ?? NOW);
      const core = await db.makeCore({ clock, rules: { ...NO_LIMITS, ...options.rules, ...overrides.rules } });
      return { core, clock };
    },
  };
}

export async function makeCoach(core: Core, overrides: { name?: string; timezone?: string; phone?: string | null; email?: string; teamId?: string } = {}) {
  const { coach } = await core.coaches.onboard({
    teamId: overrides.teamId ?? 'T0001',
    slackUserId: `U${unique()}`,
    name: overrides.name ?? 'Coach Ada',
    timezone: overrides.timezone ?? 'Europe/London',
    phone: overrides.phone === undefined ? '+44 20 7946 0001' : overrides.phone,
    email: overrides.email ?? null,
  });
  return coach;
}

let phoneSeq = 100;
export async function makeStudent(core: Core, overrides: { name?: string; phone?: string; email?: string } = {}) {
  return core.students.upsert({
    externalId: `student-${unique()}`,
    name: overrides.name ?? 'Student Sam',
    phone: overrides.phone ?? `+1 212 555 0${phoneSeq++}`,
    email: overrides.email ?? null,
  });
}
