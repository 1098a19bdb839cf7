import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Coach } from '../core/coaches/coach.schema.js';
import type { Core } from '../core/core.types.js';
import { timeZoneSchema } from '../core/shared/time.schema.js';

export interface SlackProfile {
  name: string;
  timezone: string;
  avatarUrl: string | null;
  phone: string | null;
  email: string | null;
  /** The e-mail only when Slack has confirmed the user owns it (`is_email_confirmed`): the one a student link may trust. */
  verifiedEmail: string | null;
}

const url = z.url().max(2000);
const email = z.email().max(320);
const fallbackZone = 'UTC';

/** What core needs from `users.info`; fields Slack leaves empty or malformed become null. */
export async function readSlackProfile(client: WebClient, userId: string): Promise<SlackProfile> {
  const { user } = await client.users.info({ user: userId });
  const profile = user?.profile ?? {};
  // The real name first: students pick a coach by who they are, not by a Slack handle.
  const name = [profile.real_name, user?.real_name, profile.display_name, user?.name]
    .map((n) => n?.trim())
    .find((n): n is string => Boolean(n)) ?? userId;
  const avatar = profile.image_512 ?? profile.image_192 ?? profile.image_72 ?? null;
  return {
    name: name.slice(0, 120),
    timezone: timeZoneSchema.safeParse(user?.tz).success ? user!.tz! : fallbackZone,
    avatarUrl: avatar && url.safeParse(avatar).success ? avatar : null,
    phone: profile.phone?.trim() || null,
    email: profile.email && email.safeParse(profile.email).success ? profile.email : null,
    verifiedEmail: user?.is_email_confirmed === true && profile.email && email.safeParse(profile.email).success ? profile.email : null,
  };
}

/**
 * The coach behind a Slack user, making them one on first use with their
 * Slack profile. Later uses keep what they set in App Home (name, phone,
 * bio) and only follow the profile's time zone, which moves when they travel.
 */
export async function ensureCoach(core: Core, client: WebClient, teamId: string, userId: string): Promise<{ coach: Coach; created: boolean }> {
  // Both at once: the trigger id that opens the modal afterwards lives 3 seconds.
  const [existing, profile] = await Promise.allSettled([core.coaches.findBySlackUser(teamId, userId), readSlackProfile(client, userId)]);
  if (existing.status === 'rejected') throw existing.reason;
  const coach = existing.value;
  if (!coach) {
    if (profile.status === 'rejected') throw profile.reason;
    const { name, timezone, avatarUrl, phone, email } = profile.value;
    return core.coaches.onboard({ teamId, slackUserId: userId, name, timezone, avatarUrl, phone, email });
  }
  // An existing coach can carry on with what is stored if Slack does not answer.
  const timezone = profile.status === 'fulfilled' ? profile.value.timezone : coach.timezone;
  if (timezone !== coach.timezone && timezone !== fallbackZone) {
    return { coach: await core.coaches.updateProfile(coach.id, { timezone }), created: false };
  }
  return { coach, created: false };
}
