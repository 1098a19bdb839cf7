import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OAUTH = {
  SLACK_CLIENT_ID: '1111111111.2222222222',
  SLACK_CLIENT_SECRET: 'client-secret',
  SLACK_STATE_SECRET: 'a-state-secret-of-at-least-32-characters',
  SLACK_TOKEN_ENCRYPTION_KEY: KEY,
  SLACK_SIGNING_SECRET: 'signing-secret',
};
const base = { WIDGET_SIGNING_SECRET: 'w'.repeat(32) };
const slack = (env: Record<string, string>) => loadConfig({ ...base, ...env }).slack;
const refused = (env: Record<string, string>) => {
  try {
    slack(env);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('Slack settings', () => {
  it('keeps single-workspace mode with a bot token', () => {
    expect(slack({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toMatchObject({ mode: 'http', botToken: 'xoxb-1', oauth: null });
  });

  it('turns on installing in any workspace with the four OAuth settings', () => {
    const config = slack({ ...OAUTH, SLACK_REDIRECT_URI: 'https://scheduler.example.com/slack/oauth_redirect' });
    expect(config).toMatchObject({ mode: 'http', botToken: null, oauth: { clientId: OAUTH.SLACK_CLIENT_ID, redirectUri: 'https://scheduler.example.com/slack/oauth_redirect' } });
    expect(config!.oauth!.tokenKey.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(slack({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY: '07'.repeat(32) })!.oauth!.tokenKey.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it('says which OAuth setting is missing', () => {
    const { SLACK_CLIENT_SECRET: _secret, SLACK_TOKEN_ENCRYPTION_KEY: _key, ...partial } = OAUTH;
    expect(refused(partial)).toBe('Invalid configuration: SLACK_CLIENT_ID turns on installing in any workspace, which also needs SLACK_CLIENT_SECRET, SLACK_TOKEN_ENCRYPTION_KEY');
    const { SLACK_CLIENT_ID: _id, ...noId } = OAUTH;
    expect(refused(noId)).toMatch(/SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, SLACK_TOKEN_ENCRYPTION_KEY are set, so SLACK_BOT_TOKEN \(one workspace\) or SLACK_CLIENT_ID/);
  });

  it('refuses a bot token together with OAuth, a weak key, a short state secret and a wrong redirect path', () => {
    expect(refused({ ...OAUTH, SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/SLACK_BOT_TOKEN \(one workspace\) and SLACK_CLIENT_ID, .* exclude each other/);
    expect(refused({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY: 'hunter2' })).toMatch(/SLACK_TOKEN_ENCRYPTION_KEY must be 32 random bytes as base64 or 64 hex digits; make one with: openssl rand -base64 32/);
    expect(refused({ ...OAUTH, SLACK_STATE_SECRET: 'short' })).toBe("Invalid configuration: SLACK_STATE_SECRET must be at least 32 characters; make one with: openssl rand -base64 32");
    expect(refused({ ...OAUTH, SLACK_REDIRECT_URI: 'https://scheduler.example.com/oauth' })).toMatch(/SLACK_REDIRECT_URI must end in \/slack\/oauth_redirect/);
    expect(refused({ ...OAUTH, SLACK_CLIENT_ID: 'abc' })).toMatch(/SLACK_CLIENT_ID must be the Client ID/);
  });
});
