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
export const BUFFER_CHOICES = [0, 15, 30] as const;

/** What a coach sets in Slack's Settings modal; every field optional, null clears a cap or notice. */
export const coachSettingsUpdateSchema = z.object({
  bufferMinutes: z.union([z.literal(0), z.literal(15), z.literal(30)], { error: 'Pick 0, 15 or 30 minutes.' }).optional(),
  dailyCap: z.number().int('Use a whole number.').min(1, 'Allow at least 1 session a day, or clear the cap.').max(12, 'At most 12 sessions fit in a day.').nullable().optional(),
  minNoticeHours: z.number().int('Use a whole number of hours.').min(0).max(24 * 30, 'At most 30 days (720 hours).').nullable().optional(),
}).strict();
export type CoachSettingsUpdate = z.input<typeof coachSettingsUpdateSchema>;

export interface CoachSettings {
  /** Minutes kept free before and after each booked session: 0, 15 or 30. */
  bufferMinutes: number;
  /** At most this many sessions on one of the coach's days; null leaves only the organisation's limit. */
  dailyCap: number | null;
  /** Notice the coach asks for, never below the organisation's; null means the organisation's. */
  minNoticeHours: number | null;
}

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
  settings: CoachSettings;
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
