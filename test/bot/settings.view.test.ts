import { describe, expect, it } from 'vitest';
import type { Coach } from '../../core/coaches/coach.schema.js';
import { DEFAULT_RULES } from '../../core/index.js';
import { BLOCK } from '../../bot/ids.js';
import { settingsModal } from '../../bot/views/settings.view.js';
import { checkView } from '../../bot/views/limits.js';

const NOW = new Date('2026-06-01T09:00:00Z');
const coach = (settings: Coach['settings']): Coach => ({
  id: '0123456789abcdef01234567', teamId: 'T1', slackUserId: 'U1', name: 'Grace', bio: '', timezone: 'Europe/London',
  avatarUrl: null, phone: null, email: null, reminderMinutesBefore: 60, createdAt: NOW, updatedAt: NOW, settings,
});

describe('Settings modal', () => {
  it('starts from the coach’s settings and states the organisation’s floor and cap', () => {
    const view = settingsModal(coach({ bufferMinutes: 30, dailyCap: 4, minNoticeHours: 24 }), { ...DEFAULT_RULES, coachDailyLimit: 6 });
    expect(checkView(view)).toEqual([]);
    const blocks = view.blocks as Array<{ block_id?: string; element?: Record<string, any>; hint?: { text: string } }>;
    const byId = (id: string) => blocks.find((b) => b.block_id === id)!;
    expect(byId(BLOCK.settingsBuffer).element!.initial_option.value).toBe('30');
    expect(byId(BLOCK.settingsDailyCap).element!.initial_option.value).toBe('4');
    expect(byId(BLOCK.settingsDailyCap).hint!.text).toContain('at most 6 a day');
    expect(byId(BLOCK.settingsNotice).element).toMatchObject({ type: 'number_input', initial_value: '24', min_value: '12' });
    expect(byId(BLOCK.settingsReminder).element!.initial_option.value).toBe('60');
    expect(byId(BLOCK.settingsReminder).element!.options.map((o: { value: string }) => o.value)).toContain('off');
  });

  it('shows no cap and the organisation’s notice when the coach set none', () => {
    const view = settingsModal(coach({ bufferMinutes: 0, dailyCap: null, minNoticeHours: null }), DEFAULT_RULES);
    const blocks = view.blocks as Array<{ block_id?: string; element?: Record<string, any>; hint?: { text: string } }>;
    expect(blocks.find((b) => b.block_id === BLOCK.settingsDailyCap)!.element!.initial_option.value).toBe('none');
    expect(blocks.find((b) => b.block_id === BLOCK.settingsNotice)!.element!.initial_value).toBeUndefined();
    expect(blocks.find((b) => b.block_id === BLOCK.settingsDailyCap)!.hint!.text).toContain('sets no daily limit');
  });
});
