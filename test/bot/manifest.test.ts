import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOT_SCOPES } from '../../bot/oauth.js';
import { COMMAND, STUDENT_COMMAND } from '../../bot/views/help.view.js';

const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8'));

describe('manifest.yml', () => {
  it('declares /availability for coaches and /coaching for students, each with a description and usage hint', () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: COMMAND, description: expect.any(String), usage_hint: expect.any(String) }),
      expect.objectContaining({ command: STUDENT_COMMAND, description: expect.any(String), usage_hint: expect.any(String) }),
    ]);
    for (const command of manifest.features.slash_commands) expect(command.description.length).toBeLessThanOrEqual(100);
  });

  it('turns on the Home tab, interactivity, app_home_opened and Socket Mode', () => {
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings).toMatchObject({ interactivity: { is_enabled: true }, socket_mode_enabled: true });
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(['app_home_opened', 'app_uninstalled', 'tokens_revoked']);
  });

  it('sends installs back to /slack/oauth_redirect and names only files that exist', () => {
    expect(manifest.oauth_config.redirect_urls).toEqual([expect.stringMatching(/^https:\/\/[^/]+\/slack\/oauth_redirect$/)]);
    const named = [...readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8').matchAll(/\b([\w-]+\/[\w./-]+\.(?:md|ts|yml))\b/g)].map((m) => m[1]!);
    for (const file of named) expect(existsSync(new URL(`../../${file}`, import.meta.url)), file).toBe(true);
  });

  it('asks for exactly the bot scopes the app uses', () => {
    // commands: /availability; chat:write: DMs and their updates; im:write: conversations.open;
    // users:read: users.info; users:read.email: the profile email core uses to stop self-booking.
    // files:write: the CSV export an admin gets by DM.
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'commands', 'files:write', 'im:write', 'users:read', 'users:read.email']);
    // The OAuth install asks Slack for the same scopes the manifest declares.
    expect([...BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });

  it('has what Slack requires of a manifest', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
    expect(manifest.display_information.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  });
});
