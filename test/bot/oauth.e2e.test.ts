import { describe, expect, it } from 'vitest';
import { STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET } from '../helpers/slack-standin.js';
import { STATE_SECRET, TOKEN_KEY, useOAuthHarness, type OAuthHarness } from './oauth-fixture.js';

// Monday 2 March 2026, 09:00 UTC.
const START = '2026-03-02T09:00:00Z';
const harness = useOAuthHarness(START);

/** `/availability` from a workspace: the modal must be opened with that workspace's token. */
async function openModalFrom(h: OAuthHarness, teamId: string, userId: string) {
  h.slack.setUser({ id: userId, realName: `Coach ${userId}`, phone: '+44 20 7946 0958' });
  const since = h.slack.mark();
  const response = await h.from(teamId).command({ userId, responseUrl: h.slack.responseUrl('cmd') });
  expect(response.status).toBe(200);
  return h.slack.waitForCall('views.open', { since });
}

async function rawInstallation(h: OAuthHarness, teamId: string) {
  return h.app.core.installations.find(teamId);
}

describe('installing in a workspace through OAuth', () => {
  it('serves an Add to Slack page whose link asks Slack for exactly the bot scopes, with a state tied to the browser', async () => {
    const h = harness();
    const response = await fetch(`${h.app.baseUrl}/slack/install`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('set-cookie')).toMatch(/^slack-app-oauth-state=[^;]+; Secure; HttpOnly; Path=\/; Max-Age=600$/);
    const html = await response.text();
    expect(html).toContain('<h1>Add Coaching Scheduler to your Slack workspace</h1>');
    const href = /href="([^"]+)"/.exec(html.slice(html.indexOf('class="button"') - 200))?.[1] ?? '';
    const url = new URL(href.replace(/&amp;/g, '&'));
    expect(`${url.origin}${url.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(url.searchParams.get('client_id')).toBe(STANDIN_CLIENT_ID);
    expect(url.searchParams.get('scope')).toBe('commands,chat:write,im:write,users:read,users:read.email,files:write');
    expect(url.searchParams.get('state')).toBe(response.headers.get('set-cookie')!.split(';')[0]!.split('=')[1]);
  });

  it('stores the installation with its token sealed, and serves that workspace with its own token', async () => {
    const h = harness();
    const page = await h.install({ teamId: 'TINSTALL1', teamName: 'Orbit & <Co>', installerUserId: 'UADMIN1' });

    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1>Coaching Scheduler is installed in Orbit &amp; &lt;Co&gt;</h1>');
    expect(page.html).toContain('slack://app?team=TINSTALL1&amp;id=A0TEST');
    const record = await rawInstallation(h, 'TINSTALL1');
    expect(record).toMatchObject({ teamId: 'TINSTALL1', teamName: 'Orbit & <Co>', installerUserId: 'UADMIN1', botUserId: 'UBOT', botId: 'BBOT', tokenExpiresAt: null });
    expect(record!.scopes).toEqual(['commands', 'chat:write', 'im:write', 'users:read', 'users:read.email', 'files:write']);
    const [token] = h.slack.tokensOf('TINSTALL1').accessTokens;
    const stored = JSON.stringify(await h.app.core.installations.find('TINSTALL1'));
    expect(stored).not.toContain(token);
    expect(record!.sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);

    const opened = await openModalFrom(h, 'TINSTALL1', 'UINST1');
    expect(opened.response.ok).toBe(true);
    expect(opened.teamId).toBe('TINSTALL1');
    expect(opened.response.view.team_id).toBe('TINSTALL1');
  });

  it('updates the installation on a second install: one record, the first install date kept, the new token in use', async () => {
    const h = harness();
    await h.install({ teamId: 'TINSTALL2', teamName: 'Second' });
    const first = await rawInstallation(h, 'TINSTALL2');
    h.clock.advance(60 * 60_000);
    try {
      const again = await h.install({ teamId: 'TINSTALL2', teamName: 'Second, renamed', installerUserId: 'UOTHER' });
      expect(again.html).toContain('is reinstalled in Second, renamed');
      const second = await rawInstallation(h, 'TINSTALL2');
      expect(second!.installedAt).toEqual(first!.installedAt);
      expect(second!.updatedAt.getTime()).toBe(first!.updatedAt.getTime() + 60 * 60_000);
      expect(second).toMatchObject({ teamName: 'Second, renamed', installerUserId: 'UOTHER' });
      expect(second!.sealed).not.toBe(first!.sealed);

      const [oldToken, newToken] = h.slack.tokensOf('TINSTALL2').accessTokens;
      h.slack.revokeTeam('TINSTALL2');
      // Only the newest token may be in use: make the old one fail and the new one work.
      const since = h.slack.mark();
      await h.install({ teamId: 'TINSTALL2', teamName: 'Second, renamed' });
      expect(h.slack.callsTo('oauth.v2.access', since)).toHaveLength(1);
      expect(oldToken).not.toBe(newToken);
      const opened = await openModalFrom(h, 'TINSTALL2', 'UINST2');
      expect(opened.response.ok).toBe(true);
    } finally {
      h.clock.set(START);
    }
  });

  it('refuses a redirect that did not start in this browser or whose code Slack does not accept, storing nothing', async () => {
    const h = harness();
    const code = h.slack.grantInstall({ teamId: 'TREFUSED' });
    const noCookie = await fetch(`${h.app.baseUrl}/slack/oauth_redirect?code=${code}&state=forged`);
    expect(noCookie.status).toBe(400);
    expect(await noCookie.text()).toContain('This installation link is no longer valid');

    const landing = await fetch(`${h.app.baseUrl}/slack/install`);
    const cookie = landing.headers.get('set-cookie')!.split(';')[0]!;
    const state = cookie.split('=')[1]!;
    const badCode = await fetch(`${h.app.baseUrl}/slack/oauth_redirect?code=not-a-code&state=${state}`, { headers: { cookie } });
    expect(badCode.status).toBe(400);
    expect(await badCode.text()).toContain('The code was already used or has expired (invalid_code)');

    const cancelled = await fetch(`${h.app.baseUrl}/slack/oauth_redirect?error=access_denied&state=${state}`, { headers: { cookie } });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.text()).toContain('You chose not to allow the app, so nothing was installed.');
    expect(await rawInstallation(h, 'TREFUSED')).toBeNull();
  });
});

describe('token rotation', () => {
  it('refreshes a bot token that expires within two hours before using it, and stores the new one', async () => {
    const h = harness();
    await h.install({ teamId: 'TROTATE', expiresInSeconds: 3_600 });
    const installed = await rawInstallation(h, 'TROTATE');
    expect(installed!.tokenExpiresAt).not.toBeNull();
    const since = h.slack.mark();

    const opened = await openModalFrom(h, 'TROTATE', 'UROT1');

    const refresh = h.slack.callsTo('oauth.v2.access', since);
    expect(refresh.map((c) => c.body.grant_type)).toEqual(['refresh_token']);
    const { accessTokens, refreshTokens } = h.slack.tokensOf('TROTATE');
    expect(refresh[0]!.body.refresh_token).toBe(refreshTokens[0]);
    expect(accessTokens).toHaveLength(2);
    expect(opened.response.ok).toBe(true);
    const refreshed = await rawInstallation(h, 'TROTATE');
    expect(refreshed!.sealed).not.toBe(installed!.sealed);
    expect(refreshed!.tokenExpiresAt!.getTime()).toBeGreaterThanOrEqual(installed!.tokenExpiresAt!.getTime());
  });

  it('does not refresh a token with more than two hours left', async () => {
    const h = harness();
    await h.install({ teamId: 'TFRESH', expiresInSeconds: 12 * 3_600 });
    const since = h.slack.mark();
    const opened = await openModalFrom(h, 'TFRESH', 'UROT2');
    expect(opened.response.ok).toBe(true);
    expect(h.slack.callsTo('oauth.v2.access', since)).toHaveLength(0);
  });
});

describe('uninstalling', () => {
  it('app_uninstalled forgets the tokens and takes the open times off the website; booked sessions and coaches stay', async () => {
    const h = harness();
    await h.install({ teamId: 'TGONE' });
    const { coach } = await h.core.coaches.onboard({ teamId: 'TGONE', slackUserId: 'UGONE1', name: 'Gone Coach', timezone: 'Europe/London', phone: '+44 20 7946 0958' });
    const open = await h.core.slots.create(coach.id, { startsAt: '2026-03-05T10:00:00Z' });
    const booked = await h.core.slots.create(coach.id, { startsAt: '2026-03-06T10:00:00Z' });
    const student = await h.core.students.upsert({ externalId: 'gone-student', name: 'Stays Booked', phone: '+44 20 7946 0111' });
    const session = await h.core.bookings.book(student.id, { slotId: booked.id });

    const response = await h.from('TGONE').event({ type: 'app_uninstalled' });
    expect(response.status).toBe(200);
    await expect.poll(async () => (await h.core.slots.get(open.id)).status).toBe('removed');

    expect(await rawInstallation(h, 'TGONE')).toBeNull();
    expect((await h.core.bookings.getForStudent(student.id, session.id)).status).toBe('active');
    expect((await h.core.coaches.get(coach.id)).name).toBe('Gone Coach');

    // Slack stops sending; a request that still arrived runs no listener.
    h.slack.revokeTeam('TGONE');
    const since = h.slack.mark();
    const late = await h.from('TGONE').command({ userId: 'UGONE1', responseUrl: h.slack.responseUrl('late') });
    expect(late.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.slack.callsTo('views.open', since)).toHaveLength(0);
  });

  it('tokens_revoked with the bot token forgets the installation; user tokens alone change nothing', async () => {
    const h = harness();
    await h.install({ teamId: 'TREVOKE' });
    await h.from('TREVOKE').event({ type: 'tokens_revoked', tokens: { oauth: ['UADMIN'] } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await rawInstallation(h, 'TREVOKE')).not.toBeNull();
    await h.from('TREVOKE').event({ type: 'tokens_revoked', tokens: { bot: ['UBOT'] } });
    await expect.poll(() => rawInstallation(h, 'TREVOKE')).toBeNull();
  });
});

describe('secrets in the logs', () => {
  it('never writes a token, the client secret, the state secret or the encryption key, even at debug level', async () => {
    const h = harness();
    const logs = h.logs.join('\n');
    expect(logs).toContain('Slack app installed in a workspace');
    const secrets = [STANDIN_CLIENT_SECRET, STATE_SECRET, TOKEN_KEY];
    for (const team of ['TINSTALL1', 'TINSTALL2', 'TROTATE', 'TGONE']) secrets.push(...Object.values(h.slack.tokensOf(team)).flat());
    expect(secrets.length).toBeGreaterThan(8);
    for (const secret of secrets) expect(h.logs.filter((line) => line.includes(secret)).map((l) => l.slice(0, 400)), `a log line contains ${secret.slice(0, 12)}…`).toEqual([]);
  });
});
