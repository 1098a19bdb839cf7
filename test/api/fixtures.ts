import { afterAll, beforeAll } from 'vitest';
import type { Core } from '../../core/index.js';
import { startTestApp, type TestApp, type TestAppSettings } from '../helpers/app.js';
import { bearer, mintToken, newStudent, type StudentClaims } from '../helpers/tokens.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A fixed "now" on the grid, away from DST changes. */
export const NOW = '2026-06-01T09:00:00.000Z';

export const at = (offsetMs: number, from: string = NOW) => new Date(new Date(from).getTime() + offsetMs);

/**
 * The real app (HTTP server, widget routes, core, database) for one test file.
 * The rate limit is lifted unless a test is about it: these suites send far
 * more than a student would in a minute.
 */
export function useWidgetApp(settings: TestAppSettings = {}) {
  let app: TestApp | null = null;
  beforeAll(async () => {
    app = await startTestApp({ clock: NOW, RATE_LIMIT_PER_MINUTE: '100000', ...settings });
  });
  afterAll(async () => {
    await app?.close();
  });
  const get = (): TestApp => {
    if (!app) throw new Error('useWidgetApp: the app starts in beforeAll');
    return app;
  };
  return {
    get app() {
      return get();
    },
    get core(): Core {
      return get().core;
    },
    url(path: string): string {
      return `${get().baseUrl}${path}`;
    },
    /** A token for a student, valid for an hour from the app's "now". */
    async tokenFor(student: StudentClaims, options: { expiresIn?: number } = {}): Promise<string> {
      return mintToken(student, { now: get().clock.now(), ...options });
    },
    async authFor(student: StudentClaims): Promise<Record<string, string>> {
      return bearer(await mintToken(student, { now: get().clock.now() }));
    },
  };
}

let coachSequence = 0;

export async function makeCoach(core: Core, overrides: { name?: string; phone?: string; email?: string; timezone?: string; bio?: string; teamId?: string } = {}) {
  coachSequence += 1;
  const { coach } = await core.coaches.onboard({
    teamId: overrides.teamId ?? 'TAPI',
    slackUserId: `UAPI${process.pid}${coachSequence}`,
    name: overrides.name ?? `Coach ${coachSequence}`,
    timezone: overrides.timezone ?? 'Europe/London',
    phone: overrides.phone ?? '+442079461001',
    email: overrides.email ?? null,
  });
  if (overrides.bio) return core.coaches.updateProfile(coach.id, { bio: overrides.bio });
  return coach;
}

export async function openSlot(core: Core, coachId: string, startsAt: Date) {
  return core.slots.create(coachId, { startsAt });
}

export { newStudent };
