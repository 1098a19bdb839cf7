import type { Types } from 'mongoose';
import type { CoachService } from '../core.types.js';
import type { BookingRepository } from '../bookings/booking.repository.js';
import type { Clock } from '../shared/clock.js';
import { toObjectId } from '../shared/db.js';
import type { DomainEventBus } from '../shared/events.js';
import { normalisePhone, tryNormalisePhone } from '../shared/phone.js';
import type { RulesConfig } from '../shared/rules-config.js';
import { DomainError } from '../shared/errors.js';
import { inScope } from '../shared/scope.js';
import { cursorPageSchema } from '../shared/time.schema.js';
import { decodeCoachCursor } from './coach.cursor.js';
import { parseInput } from '../shared/validate.js';
import type { SlotRepository } from '../slots/slot.repository.js';
import { bookableFrom } from '../slots/slot.rules.js';
import type { CoachRepository } from './coach.repository.js';
import { DEFAULT_REMINDER_MINUTES_BEFORE, coachOnboardSchema, coachProfileUpdateSchema, coachSettingsUpdateSchema, reminderSettingSchema, type Coach, type PublicCoach } from './coach.schema.js';

interface Deps {
  coaches: CoachRepository;
  slots: SlotRepository;
  bookings: BookingRepository;
  clock: Clock;
  rules: RulesConfig;
  events: DomainEventBus;
}

export function toPublicCoach(coach: Coach): PublicCoach {
  return { id: coach.id, name: coach.name, bio: coach.bio, timezone: coach.timezone, avatarUrl: coach.avatarUrl };
}

export function createCoachService({ coaches, slots, bookings, clock, rules, events }: Deps): CoachService {
  return {
    async onboard(input) {
      const profile = parseInput(coachOnboardSchema, input);
      const existing = await coaches.findBySlackUser(profile.teamId, profile.slackUserId);
      if (existing) {
        // The zone and avatar follow Slack; name, phone and bio are the coach's to edit here.
        const refreshed = await coaches.update(existing.id, {
          timezone: profile.timezone,
          avatarUrl: profile.avatarUrl ?? existing.avatarUrl,
          email: profile.email?.toLowerCase() ?? existing.email,
          updatedAt: clock.now(),
        });
        return { coach: refreshed, created: false };
      }
      const now = clock.now();
      const inserted = await coaches.insert({
        teamId: profile.teamId,
        slackUserId: profile.slackUserId,
        name: profile.name,
        bio: '',
        timezone: profile.timezone,
        avatarUrl: profile.avatarUrl ?? null,
        phone: tryNormalisePhone(profile.phone),
        email: profile.email?.toLowerCase() ?? null,
        reminderMinutesBefore: DEFAULT_REMINDER_MINUTES_BEFORE,
        createdAt: now,
        updatedAt: now,
      });
      if (inserted) return { coach: inserted, created: true };
      // Another request onboarded the same user a moment ago (or a coach stored under an older id is there).
      const winner = await coaches.findBySlackUser(profile.teamId, profile.slackUserId);
      return { coach: winner!, created: false };
    },

    findBySlackUser: (teamId, slackUserId) => coaches.findBySlackUser(teamId, slackUserId),
    get: (coachId) => coaches.get(coachId),
    async getPublic(coachId, scope) {
      const coach = await coaches.get(coachId);
      if (!inScope(scope, coach.teamId)) throw new DomainError('coach.not_found');
      return toPublicCoach(coach);
    },

    async updateProfile(coachId, update) {
      const changes = parseInput(coachProfileUpdateSchema, update);
      const set: Parameters<CoachRepository['update']>[1] = { updatedAt: clock.now() };
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.bio !== undefined) set.bio = changes.bio;
      if (changes.timezone !== undefined) set.timezone = changes.timezone;
      if (changes.avatarUrl !== undefined) set.avatarUrl = changes.avatarUrl ?? null;
      if (changes.phone !== undefined) set.phone = changes.phone.trim() === '' ? null : normalisePhone(changes.phone);
      await coaches.get(coachId);
      const coach = await coaches.update(coachId, set);
      await events.emit('coach.updated', { coachId });
      return coach;
    },

    async setReminder(coachId, input) {
      const { reminderMinutesBefore } = parseInput(reminderSettingSchema, input);
      const before = await coaches.get(coachId);
      if (before.reminderMinutesBefore === reminderMinutesBefore) return before;
      const coach = await coaches.update(coachId, { reminderMinutesBefore, updatedAt: clock.now() });
      await events.emit('coach.reminder_changed', { coachId });
      await events.emit('coach.updated', { coachId });
      return coach;
    },

    async updateSettings(coachId, update) {
      const changes = parseInput(coachSettingsUpdateSchema, update);
      const coach = await coaches.get(coachId);
      const settings = { ...coach.settings };
      if (changes.bufferMinutes !== undefined) settings.bufferMinutes = changes.bufferMinutes;
      if (changes.dailyCap !== undefined) settings.dailyCap = changes.dailyCap;
      if (changes.minNoticeHours !== undefined) {
        if (changes.minNoticeHours !== null && changes.minNoticeHours < rules.minNoticeHours) {
          throw new DomainError('validation.failed', `Your notice cannot be shorter than the organisation's ${rules.minNoticeHours} hours.`, {
            issues: [{ path: 'minNoticeHours', message: `Use ${rules.minNoticeHours} hours or more.` }],
          });
        }
        settings.minNoticeHours = changes.minNoticeHours;
      }
      const updated = await coaches.update(coachId, { settings, updatedAt: clock.now() });
      events.emit('coach.updated', { coachId });
      events.emit('slots.changed', { coachId });
      return updated;
    },

    async list(page, scope) {
      const { limit, cursor } = parseInput(cursorPageSchema, page ?? {});
      const result = await coaches.list(limit, cursor ? decodeCoachCursor(cursor) : null, scope);
      const next = await slots.nextOpenForCoaches(result.items.map((c) => c.id), bookableFrom(clock.now(), rules));
      const items = result.items.map((coach) => {
        const slot = next.get(coach.id);
        return { ...toPublicCoach(coach), nextOpenSlot: slot ? { id: slot.id, startsAt: slot.startsAt, endsAt: slot.endsAt } : null };
      });
      return { items, nextCursor: result.nextCursor };
    },

    search: (text, page, scope) => coaches.search(text, Math.max(1, Math.min(page.limit, 100)), scope ? { teamId: scope.teamId } : {}),

    async stats(coachId) {
      await coaches.get(coachId);
      const id: Types.ObjectId = toObjectId(coachId, 'coach.not_found');
      const now = clock.now();
      // A session is held once it has ended; one in progress is neither upcoming nor held.
      const held = { coachId: id, status: 'active', endsAt: { $lte: now } };
      const [sessionsHeld, satisfaction, upcomingCount, openSlotCount] = await Promise.all([
        bookings.count(held),
        bookings.satisfactionTotal(held),
        bookings.count({ coachId: id, status: 'active', startsAt: { $gt: now } }),
        slots.countOpen(coachId, now),
      ]);
      return {
        sessionsHeld,
        ratedCount: satisfaction.count,
        averageSatisfaction: satisfaction.count ? Math.round((satisfaction.sum / satisfaction.count) * 100) / 100 : null,
        ratedShare: sessionsHeld ? satisfaction.count / sessionsHeld : 0,
        upcomingCount,
        openSlotCount,
      };
    },
  };
}
