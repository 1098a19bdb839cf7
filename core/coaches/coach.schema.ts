import { z } from 'zod';
import { timeZoneSchema } from '../shared/time.schema.js';

/** A coach is a Slack user in a Slack workspace (team). */
export const coachIdentitySchema = z.object({
  teamId: z.string().min(1).max(64),
  slackUserId: z.string().min(1).max(64),
}).strict();

export const coachOnboardSchema = coachIdentitySchema.extend({
  name: z.string().trim().min(1).max(120),
  timezone: timeZoneSchema,
  avatarUrl: z.url().max(2000).nullish(),
  /** Raw phone from the Slack profile; kept only if it is a valid number. */
  phone: z.string().max(40).nullish(),
  /** Used to stop a coach booking their own slot through the widget. */
  email: z.email().max(320).nullish(),
}).strict();
export type CoachOnboardInput = z.input<typeof coachOnboardSchema>;

export const coachProfileUpdateSchema = z.object({
  name: z.string().trim().min(1, 'Enter the name students see.').max(120).optional(),
  bio: z.string().trim().max(1000, 'Keep the bio under 1,000 characters.').optional(),
  phone: z.string().max(40).optional(),
  timezone: timeZoneSchema.optional(),
  avatarUrl: z.url().max(2000).nullish(),
}).strict();
export type CoachProfileUpdate = z.input<typeof coachProfileUpdateSchema>;

export const DEFAULT_REMINDER_MINUTES_BEFORE = 60;
/** The lead times the App Home control offers (minutes); null is "no reminder". */
export const REMINDER_CHOICES = [10, 15, 30, 60, 120, 240, 1440] as const;

export const reminderSettingSchema = z.object({
  reminderMinutesBefore: z
    .number()
    .int('Use whole minutes.')
    .min(5, 'Remind at least 5 minutes before.')
    .max(7 * 24 * 60, 'Remind at most a week before.')
    .nullable(),
}).strict();
export type ReminderSetting = z.input<typeof reminderSettingSchema>;

export interface Coach {
  id: string;
  teamId: string;
  slackUserId: string;
  name: string;
  bio: string;
  timezone: string;
  avatarUrl: string | null;
  /** E.164, or null until the coach gives one. */
  phone: string | null;
  email: string | null;
  /** Minutes before each session the coach gets a reminder DM; null: no reminders. */
  reminderMinutesBefore: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What anyone may see of a coach: no phone. */
export interface PublicCoach {
  id: string;
  name: string;
  bio: string;
  timezone: string;
  avatarUrl: string | null;
}

export interface CoachListing extends PublicCoach {
  nextOpenSlot: { id: string; startsAt: Date; endsAt: Date } | null;
}

export interface CoachStats {
  /** Sessions that have ended and were not cancelled. */
  sessionsHeld: number;
  ratedCount: number;
  /** Mean satisfaction over rated sessions, or null when none is rated. */
  averageSatisfaction: number | null;
  /** ratedCount / sessionsHeld, 0 when none was held. */
  ratedShare: number;
  upcomingCount: number;
  openSlotCount: number;
}
