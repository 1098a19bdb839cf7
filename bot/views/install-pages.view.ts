/**
 * The few web pages of the multi-workspace install flow (/slack/install and
 * /slack/oauth_redirect), as plain HTML strings. Everything interpolated is
 * escaped: team names come from Slack, URLs carry query strings.
 */

const APP_NAME = 'Coaching Scheduler';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>
  body { font: 16px/1.5 system-ui, sans-serif; color: #1c2330; max-width: 34rem; margin: 4rem auto; padding: 0 1rem; }
  h1 { font-size: 1.5rem; }
  a.button { display: inline-block; background: #1d3557; color: #fff; padding: .6rem 1.1rem; border-radius: 6px; text-decoration: none; font-weight: 600; }
  a.button:focus-visible { outline: 3px solid #2346c8; outline-offset: 2px; }
  .muted { color: #4f5a6b; font-size: .9rem; }
</style>
</head>
<body>
${body}
</body>
</html>`;
}

/** The start of an install: one button to Slack's consent screen. */
export function installPage(authorizeUrl: string): string {
  return page(
    `Add ${APP_NAME} to Slack`,
    `<h1>Add ${APP_NAME} to your Slack workspace</h1>
<p>Coaches publish 2-hour slots with <code>/availability</code>, hear about bookings by direct message and rate their sessions.</p>
<p><a class="button" href="${escapeHtml(authorizeUrl)}">Add to Slack</a></p>
<p class="muted">Slack shows you what the app may do and asks you to allow it. The app asks for: running its commands, sending you messages, and reading names, time zones, phone numbers and e-mail addresses from profiles.</p>`,
  );
}

export function installedPage(input: { teamId: string; teamName: string | null; appId: string | null; reinstalled: boolean }): string {
  const where = input.teamName ? escapeHtml(input.teamName) : 'your workspace';
  const openApp = input.appId
    ? `slack://app?team=${encodeURIComponent(input.teamId)}&id=${encodeURIComponent(input.appId)}`
    : `slack://open?team=${encodeURIComponent(input.teamId)}`;
  const inBrowser = `https://app.slack.com/client/${encodeURIComponent(input.teamId)}`;
  return page(
    `${APP_NAME} is installed`,
    `<h1>${APP_NAME} is ${input.reinstalled ? 'reinstalled' : 'installed'} in ${where}</h1>
<p>In Slack, run <code>/availability</code> in any channel or DM: the first run makes you a coach, with your name, time zone and phone from your profile.</p>
<p><a class="button" href="${escapeHtml(openApp)}">Open Slack</a></p>
<p class="muted">Using Slack in a browser? <a href="${escapeHtml(inBrowser)}">Open it there</a>.</p>`,
  );
}

export function installFailedPage(heading: string, explanation: string): string {
  return page(
    `${APP_NAME}: not installed`,
    `<h1>${escapeHtml(heading)}</h1>
<p>${escapeHtml(explanation)}</p>
<p><a class="button" href="/slack/install">Start again</a></p>`,
  );
}
