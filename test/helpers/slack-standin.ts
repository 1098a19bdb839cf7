import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AnyBlock, View } from '@slack/types';
import { checkMessage, checkView, type LimitViolation } from '../../bot/views/limits.js';

/**
 * A local stand-in for the Slack Web API, for SLACK_API_URL in tests. It
 * answers the methods the app calls the way Slack documents them
 * (`{ ok: true, ... }`, or `{ ok: false, error }`), enforces what Slack
 * enforces and a test could get wrong (the bot token, single-use trigger
 * ids, updating only messages that exist, Block Kit limits), and records
 * every call with its parsed arguments for assertions.
 */

export const STANDIN_TEAM_ID = 'T0TEST';
export const STANDIN_BOT_USER_ID = 'UBOT';
export const STANDIN_BOT_ID = 'BBOT';
export const STANDIN_APP_ID = 'A0TEST';

// biome-ignore lint: arguments are whatever the app sent
export type CallBody = Record<string, any>;

export interface RecordedCall {
  /** A Web API method (`views.open`) or `response_url` for posts to a response URL. */
  method: string;
  /** The workspace whose token made the call (null for calls without one, such as oauth.v2.access). */
  teamId: string | null;
  body: CallBody;
  /** The JSON the stand-in answered with. */
  response: CallBody;
  /** Position in the run's call log, for "calls since" queries. */
  seq: number;
  /** When the call came (Date.now()), for timings across calls. */
  at: number;
}

export interface StandinUser {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  /** IANA zone, as Slack's `tz`. Undefined leaves it out, as for some bot users. */
  tz: string | undefined;
  phone: string;
  email: string;
  /** Slack's `is_email_confirmed`: whether the user has proved they own the address. */
  emailConfirmed: boolean;
  /** Slack's `is_admin` / `is_owner`: a workspace admin or owner. */
  isAdmin?: boolean;
  isOwner?: boolean;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: AnyBlock[];
}

/** A file the app uploaded: files.getUploadURLExternal, the bytes posted to its upload URL, files.completeUploadExternal. */
export interface UploadedFile {
  id: string;
  filename: string;
  /** The length the app declared before uploading. */
  declaredLength: number;
  /** The bytes posted to the upload URL (null until they arrive). */
  bytes: Buffer | null;
  /** Set by files.completeUploadExternal. */
  completed: { channelId: string | null; title: string | null; initialComment: string | null } | null;
}

export interface StoredView {
  id: string;
  hash: string;
  view: CallBody;
}

/** What Slack's consent screen would grant: a workspace, the person installing, optionally token rotation. */
export interface InstallGrant {
  teamId: string;
  teamName?: string;
  installerUserId?: string;
  /** With token rotation on, tokens expire this many seconds after they are issued (Slack: 12 hours). */
  expiresInSeconds?: number;
}

export interface SlackStandin {
  /** Base URL for SLACK_API_URL, ending in `/api/`. */
  readonly apiUrl: string;
  /**
   * Plays Slack's consent screen: the person allowed the app in a workspace;
   * returns the one-time `code` Slack would put on the redirect to the app.
   */
  grantInstall(grant: InstallGrant): string;
  /** Tokens the stand-in has issued for a workspace, newest last (bot tokens and refresh tokens). */
  tokensOf(teamId: string): { accessTokens: string[]; refreshTokens: string[] };
  /** Makes a workspace's tokens stop working, as uninstalling does. */
  revokeTeam(teamId: string): void;
  readonly calls: RecordedCall[];
  setUser(user: Partial<StandinUser> & { id: string }): void;
  /** A response_url that records what the app posts to it. */
  responseUrl(label?: string): string;
  callsTo(method: string, since?: number): RecordedCall[];
  /** Waits for a call matching `method` (and `where`) made after position `since`. */
  waitForCall(method: string, options?: { since?: number; where?: (call: RecordedCall) => boolean; timeoutMs?: number }): Promise<RecordedCall>;
  /** The Home tab last published for a user. */
  homeOf(userId: string): CallBody | undefined;
  message(channel: string, ts: string): StoredMessage | undefined;
  /** Makes the next call to `method` fail with this Slack error code. */
  failNext(method: string, error: string): void;
  /** Answers the next `times` calls to `method` as Slack's rate limiter does: HTTP 429 with `Retry-After` seconds. */
  rateLimitNext(method: string, retryAfterSeconds: number, times?: number): void;
  /** Current position in the call log. */
  mark(): number;
  /** Files uploaded so far, in the order they were started. */
  readonly files: UploadedFile[];
  /** Socket Mode: the WebSocket that `apps.connections.open` hands out (needs the `appToken` option). */
  readonly socketMode: SocketModeLink;
  close(): Promise<void>;
}

export interface SocketModeLink {
  /** Resolves once an app has connected and been sent `hello`. */
  connected(timeoutMs?: number): Promise<void>;
  /** Sends an envelope as Slack does (`slash_commands`, `interactive`, `events_api`) and waits for the app's ack. */
  deliver(type: 'slash_commands' | 'interactive' | 'events_api', payload: CallBody, timeoutMs?: number): Promise<{ envelope_id: string; payload?: CallBody }>;
}

const MAX_BODY = 2_000_000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error('request too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Arguments the Web API client JSON-encodes inside its form body. */
const JSON_ARGUMENTS = new Set(['blocks', 'view', 'attachments', 'metadata', 'files']);

/** The Web API client form-encodes arguments and JSON-encodes the nested ones (blocks, view). */
function parseArguments(raw: string, contentType: string): CallBody {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as CallBody) : {};
  const body: CallBody = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = JSON_ARGUMENTS.has(key) ? JSON.parse(value) : value;
  }
  return body;
}

const viewHash = () => `${Date.now()}.${randomBytes(4).toString('hex')}`;

export const STANDIN_CLIENT_ID = '1111111111.2222222222';
export const STANDIN_CLIENT_SECRET = 'standin-client-secret-3f9c1a';

interface IssuedToken {
  teamId: string;
  teamName: string;
  /** Epoch ms; null for tokens that do not expire. */
  expiresAt: number | null;
}

export async function startSlackStandin(options: { token?: string; appToken?: string } = {}): Promise<SlackStandin> {
  const token = options.token ?? 'xoxb-test-token';
  const appToken = options.appToken ?? null;
  const botTokens = new Map<string, IssuedToken>([[token, { teamId: STANDIN_TEAM_ID, teamName: 'Test Team', expiresAt: null }]]);
  const refreshTokens = new Map<string, InstallGrant>();
  const codes = new Map<string, InstallGrant>();
  const issuedByTeam = new Map<string, { accessTokens: string[]; refreshTokens: string[] }>();
  const calls: RecordedCall[] = [];
  const users = new Map<string, StandinUser>();
  const messages = new Map<string, StoredMessage>();
  const views = new Map<string, StoredView>();
  const homes = new Map<string, CallBody>();
  const usedTriggers = new Set<string>();
  const failures = new Map<string, string>();
  const files: UploadedFile[] = [];
  const rateLimits = new Map<string, { retryAfter: number; times: number }>();
  const waiters = new Set<() => void>();
  let tsCounter = 0;
  let viewCounter = 0;

  const nextTs = () => `${1_700_000_000 + Math.floor(tsCounter / 1000)}.${String(++tsCounter).padStart(6, '0')}`;
  const key = (channel: string, ts: string) => `${channel}:${ts}`;
  const invalid = (violations: LimitViolation[]) => ({
    ok: false,
    error: 'invalid_blocks',
    errors: violations.map((v) => `${v.message} [json-pointer:/${v.path.replace(/[.[\]]+/g, '/').replace(/\/$/, '')}]`),
    response_metadata: { messages: violations.map((v) => `[ERROR] ${v.message} [${v.path}]`) },
  });

  function storeView(view: CallBody, extra: CallBody = {}, teamId = STANDIN_TEAM_ID): StoredView {
    const id = `V${String(++viewCounter).padStart(8, '0')}`;
    const stored: StoredView = {
      id,
      hash: viewHash(),
      view: {
        id,
        team_id: teamId,
        app_id: STANDIN_APP_ID,
        bot_id: STANDIN_BOT_ID,
        state: { values: {} },
        root_view_id: id,
        previous_view_id: null,
        private_metadata: '',
        callback_id: '',
        clear_on_close: false,
        notify_on_close: false,
        ...view,
        ...extra,
      },
    };
    stored.view.hash = stored.hash;
    views.set(id, stored);
    return stored;
  }

  function messageCall(method: string, body: CallBody): CallBody {
    const channel = String(body.channel ?? '');
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const blocks = (body.blocks ?? []) as AnyBlock[];
    const violations = checkMessage({ text: body.text, blocks });
    if (violations.length) return invalid(violations);
    if (method === 'chat.postMessage') {
      const ts = nextTs();
      const stored = { channel, ts, text: String(body.text ?? ''), blocks };
      messages.set(key(channel, ts), stored);
      return { ok: true, channel, ts, message: { type: 'message', user: STANDIN_BOT_USER_ID, bot_id: STANDIN_BOT_ID, text: stored.text, blocks, ts } };
    }
    if (method === 'chat.update') {
      const existing = messages.get(key(channel, String(body.ts)));
      if (!existing) return { ok: false, error: 'message_not_found' };
      existing.text = String(body.text ?? existing.text);
      existing.blocks = blocks;
      return { ok: true, channel, ts: existing.ts, text: existing.text, message: { text: existing.text, blocks } };
    }
    return { ok: true, message_ts: nextTs() };
  }

  function viewCall(method: string, body: CallBody, teamId: string): CallBody {
    const view = body.view as CallBody | undefined;
    if (!view) return { ok: false, error: 'invalid_arguments' };
    const violations = checkView(view as unknown as View);
    if (violations.length) return invalid(violations);
    switch (method) {
      case 'views.open':
      case 'views.push': {
        const trigger = String(body.trigger_id ?? '');
        if (!trigger) return { ok: false, error: 'invalid_arguments' };
        // A trigger id works once; a second use is what Slack calls expired.
        if (usedTriggers.has(trigger)) return { ok: false, error: 'expired_trigger_id' };
        usedTriggers.add(trigger);
        return { ok: true, view: storeView(view, {}, teamId).view };
      }
      case 'views.update': {
        const existing = views.get(String(body.view_id ?? ''));
        if (!existing) return { ok: false, error: 'not_found' };
        if (body.hash && body.hash !== existing.hash) return { ok: false, error: 'hash_conflict' };
        existing.hash = viewHash();
        existing.view = { ...existing.view, ...view, hash: existing.hash };
        return { ok: true, view: existing.view };
      }
      case 'views.publish': {
        const userId = String(body.user_id ?? '');
        if (!userId) return { ok: false, error: 'invalid_arguments' };
        const published = storeView(view, { type: 'home' }, teamId).view;
        homes.set(userId, published);
        return { ok: true, view: published };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  function answer(method: string, body: CallBody, team: IssuedToken): CallBody {
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      return { ok: false, error: failure };
    }
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://standin.slack.test/', team: team.teamName, user: 'coachbot', team_id: team.teamId, user_id: STANDIN_BOT_USER_ID, bot_id: STANDIN_BOT_ID, is_enterprise_install: false };
      case 'users.info': {
        const user = users.get(String(body.user ?? ''));
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: user.id,
            team_id: team.teamId,
            name: user.name,
            real_name: user.realName,
            ...(user.tz ? { tz: user.tz, tz_label: user.tz, tz_offset: 0 } : {}),
            is_bot: false,
            deleted: false,
            is_email_confirmed: user.emailConfirmed,
            is_admin: user.isAdmin ?? false,
            is_owner: user.isOwner ?? false,
            is_primary_owner: false,
            profile: {
              real_name: user.realName,
              display_name: user.displayName,
              phone: user.phone,
              email: user.email,
              image_72: `https://avatars.slack.test/${user.id}_72.png`,
              image_192: `https://avatars.slack.test/${user.id}_192.png`,
              image_512: `https://avatars.slack.test/${user.id}_512.png`,
              team: team.teamId,
            },
          },
        };
      }
      case 'conversations.open': {
        const ids = String(body.users ?? '').split(',').filter(Boolean);
        if (ids.length !== 1) return { ok: false, error: ids.length ? 'not_supported' : 'users_list_not_supplied' };
        return { ok: true, channel: { id: `D${ids[0]}` } };
      }
      case 'chat.postMessage':
      case 'chat.update':
      case 'chat.postEphemeral':
        return messageCall(method, body);
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish':
        return viewCall(method, body, team.teamId);
      case 'files.getUploadURLExternal': {
        const length = Number(body.length);
        const filename = String(body.filename ?? '');
        if (!filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
        const id = `F${String(files.length + 1).padStart(8, '0')}`;
        files.push({ id, filename, declaredLength: length, bytes: null, completed: null });
        return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const listed = Array.isArray(body.files) ? (body.files as CallBody[]) : [];
        if (listed.length === 0) return { ok: false, error: 'invalid_arguments' };
        const done: CallBody[] = [];
        for (const entry of listed) {
          const file = files.find((f) => f.id === entry.id);
          // Slack refuses to complete a file whose bytes never arrived, or arrived at another length.
          if (!file?.bytes || file.bytes.length !== file.declaredLength) return { ok: false, error: 'file_not_found' };
          file.completed = { channelId: body.channel_id ? String(body.channel_id) : null, title: entry.title ? String(entry.title) : null, initialComment: body.initial_comment ? String(body.initial_comment) : null };
          done.push({ id: file.id, name: file.filename, title: entry.title ?? file.filename });
        }
        return { ok: true, files: done };
      }
      case 'apps.connections.open':
        return { ok: true, url: `${base.replace(/^http/, 'ws')}/link/?ticket=${randomBytes(8).toString('hex')}` };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const issue = (grant: InstallGrant): { accessToken: string; refreshToken: string | null; expiresIn: number | null } => {
    const rotating = grant.expiresInSeconds !== undefined;
    const accessToken = `${rotating ? 'xoxe.xoxb-1-' : 'xoxb-'}${grant.teamId}-${randomBytes(12).toString('hex')}`;
    const refreshToken = rotating ? `xoxe-1-${grant.teamId}-${randomBytes(12).toString('hex')}` : null;
    botTokens.set(accessToken, {
      teamId: grant.teamId,
      teamName: grant.teamName ?? `Team ${grant.teamId}`,
      expiresAt: rotating ? Date.now() + grant.expiresInSeconds! * 1000 : null,
    });
    const issued = issuedByTeam.get(grant.teamId) ?? { accessTokens: [], refreshTokens: [] };
    issued.accessTokens.push(accessToken);
    if (refreshToken) {
      refreshTokens.set(refreshToken, grant);
      issued.refreshTokens.push(refreshToken);
    }
    issuedByTeam.set(grant.teamId, issued);
    return { accessToken, refreshToken, expiresIn: rotating ? grant.expiresInSeconds! : null };
  };

  /**
   * oauth.v2.access as Slack answers it: the app authenticates with its
   * client id and secret (form fields or HTTP Basic), then trades a one-time
   * code from the consent screen, or (token rotation) a refresh token, for
   * a bot token of that workspace.
   */
  function oauthAccess(body: CallBody, authorization: string): CallBody {
    let clientId = String(body.client_id ?? '');
    let clientSecret = String(body.client_secret ?? '');
    if (authorization.startsWith('Basic ')) [clientId, clientSecret] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':') as [string, string];
    if (clientId !== STANDIN_CLIENT_ID) return { ok: false, error: 'invalid_client_id' };
    if (clientSecret !== STANDIN_CLIENT_SECRET) return { ok: false, error: 'bad_client_secret' };
    let grant: InstallGrant | undefined;
    if (body.grant_type === 'refresh_token') {
      grant = refreshTokens.get(String(body.refresh_token ?? ''));
      if (!grant) return { ok: false, error: 'invalid_refresh_token' };
    } else {
      const code = String(body.code ?? '');
      grant = codes.get(code);
      if (!grant) return { ok: false, error: 'invalid_code' };
      codes.delete(code);
    }
    const { accessToken, refreshToken, expiresIn } = issue(grant);
    return {
      ok: true,
      app_id: STANDIN_APP_ID,
      authed_user: { id: grant.installerUserId ?? 'UINSTALLER' },
      scope: 'commands,chat:write,im:write,users:read,users:read.email,files:write',
      token_type: 'bot',
      access_token: accessToken,
      bot_user_id: STANDIN_BOT_USER_ID,
      team: { id: grant.teamId, name: grant.teamName ?? `Team ${grant.teamId}` },
      enterprise: null,
      is_enterprise_install: false,
      ...(refreshToken ? { refresh_token: refreshToken, expires_in: expiresIn } : {}),
    };
  }

  function record(method: string, body: CallBody, response: CallBody, teamId: string | null = null): void {
    calls.push({ method, teamId, body, response, seq: calls.length, at: Date.now() });
    for (const wake of [...waiters]) wake();
  }

  /** The upload URL: the Web API client posts the file as multipart form data (field `body`), as to Slack's file servers. */
  async function receiveUpload(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const file = files.find((f) => f.id === id);
    let bytes: Buffer | null = null;
    const type = String(req.headers['content-type'] ?? '');
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://standin/upload', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
      const part = form.get('body') ?? form.get('file');
      if (part && typeof part !== 'string') bytes = Buffer.from(await part.arrayBuffer());
    } else bytes = raw;
    record('file_upload', { id, length: bytes?.length ?? 0 }, { ok: Boolean(file && bytes) });
    if (!file || !bytes) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('unknown upload');
      return;
    }
    file.bytes = bytes;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${bytes.length}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin');
    if (url.pathname.startsWith('/upload/')) {
      await receiveUpload(req, res, url.pathname.slice('/upload/'.length));
      return;
    }
    const raw = await readBody(req);
    const body = parseArguments(raw, String(req.headers['content-type'] ?? ''));
    const send = (status: number, payload: CallBody | string) => {
      res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json; charset=utf-8' });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };

    if (url.pathname.startsWith('/response/')) {
      const violations = checkMessage({ text: body.text, blocks: body.blocks });
      record('response_url', body, violations.length ? invalid(violations) : { ok: true });
      send(violations.length ? 400 : 200, violations.length ? 'invalid_blocks' : 'ok');
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      send(404, 'not found');
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    if (method === 'oauth.v2.access') {
      const response = oauthAccess(body, String(req.headers.authorization ?? ''));
      record(method, body, response, typeof response.team === 'object' ? (response.team as CallBody).id : null);
      send(200, response);
      return;
    }
    const bearer = String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || String(body.token ?? '');
    if (method === 'apps.connections.open') {
      // Takes the app-level token; everything else a bot token.
      const response = appToken && bearer === appToken ? answer(method, body, botTokens.get(token)!) : { ok: false, error: bearer ? 'invalid_auth' : 'not_authed' };
      record(method, body, response);
      send(200, response);
      return;
    }
    const issued = botTokens.get(bearer);
    const limited = rateLimits.get(method);
    if (limited && issued) {
      if (--limited.times <= 0) rateLimits.delete(method);
      const refused = { ok: false, error: 'ratelimited' };
      record(method, body, { ...refused, status: 429, retryAfter: limited.retryAfter }, issued.teamId);
      res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(limited.retryAfter) });
      res.end(JSON.stringify(refused));
      return;
    }
    const response = !bearer
      ? { ok: false, error: 'not_authed' }
      : !issued
        ? { ok: false, error: 'invalid_auth' }
        : issued.expiresAt !== null && issued.expiresAt <= Date.now()
          ? { ok: false, error: 'token_expired' }
          : answer(method, body, issued);
    record(method, body, response, issued?.teamId ?? null);
    send(200, response);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  const link = socketModeLink((method, body, response) => record(method, body, response));
  server.on('upgrade', (req, socket: Socket) => {
    if (!req.url?.startsWith('/link/')) socket.destroy();
    else link.accept(req, socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  let responseCounter = 0;

  const matching = (method: string, since: number, where?: (call: RecordedCall) => boolean) =>
    calls.filter((c) => c.seq >= since && c.method === method && (!where || where(c)));

  return {
    apiUrl: `${base}/api/`,
    calls,
    grantInstall(grant) {
      const code = `code-${grant.teamId}-${randomBytes(8).toString('hex')}`;
      codes.set(code, grant);
      return code;
    },
    tokensOf: (teamId) => {
      const issued = issuedByTeam.get(teamId) ?? { accessTokens: [], refreshTokens: [] };
      return { accessTokens: [...issued.accessTokens], refreshTokens: [...issued.refreshTokens] };
    },
    revokeTeam(teamId) {
      for (const [issuedToken, info] of botTokens) if (info.teamId === teamId) botTokens.delete(issuedToken);
      for (const [refresh, grant] of refreshTokens) if (grant.teamId === teamId) refreshTokens.delete(refresh);
    },
    setUser(user) {
      const existing = users.get(user.id);
      users.set(user.id, {
        name: user.id.toLowerCase(),
        realName: `User ${user.id}`,
        displayName: '',
        tz: 'Europe/London',
        phone: '',
        email: `${user.id.toLowerCase()}@example.com`,
        emailConfirmed: true,
        ...existing,
        ...user,
      });
    },
    responseUrl(label = 'r') {
      return `${base}/response/${label}-${++responseCounter}`;
    },
    callsTo: (method, since = 0) => matching(method, since),
    waitForCall(method, { since = 0, where, timeoutMs = 5_000 } = {}) {
      const found = matching(method, since, where)[0];
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const wake = () => {
          const call = matching(method, since, where)[0];
          if (!call) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(call);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          const seen = calls.filter((c) => c.seq >= since).map((c) => c.method).join(', ') || 'none';
          reject(new Error(`no ${method} call within ${timeoutMs} ms (calls since: ${seen})`));
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    homeOf: (userId) => homes.get(userId),
    message: (channel, ts) => messages.get(key(channel, ts)),
    failNext(method, error) {
      failures.set(method, error);
    },
    rateLimitNext(method, retryAfterSeconds, times = 1) {
      rateLimits.set(method, { retryAfter: retryAfterSeconds, times });
    },
    mark: () => calls.length,
    files,
    socketMode: link,
    close: () =>
      new Promise<void>((resolve) => {
        link.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Just enough of a WebSocket server (RFC 6455: handshake, unfragmented
 * frames, ping/pong, close) to play Slack's side of Socket Mode: `hello` on
 * connect, envelopes out, acks (`{ envelope_id, payload }`) back.
 */
function socketModeLink(record: (method: string, body: CallBody, response: CallBody) => void): SocketModeLink & { accept(req: IncomingMessage, socket: Socket): void; close(): void } {
  let current: Socket | null = null;
  let onConnected: Array<() => void> = [];
  const pendingAcks = new Map<string, (ack: { envelope_id: string; payload?: CallBody }) => void>();

  const frame = (opcode: number, payload: Buffer): Buffer => {
    const length = payload.length;
    const header = length < 126 ? Buffer.from([0x80 | opcode, length]) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
    if (length >= 126 && length < 65_536) {
      header[0] = 0x80 | opcode;
      header[1] = 126;
      header.writeUInt16BE(length, 2);
    } else if (length >= 65_536) {
      header[0] = 0x80 | opcode;
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(length), 2);
    }
    return Buffer.concat([header, payload]);
  };
  const sendJson = (socket: Socket, message: CallBody) => socket.write(frame(0x1, Buffer.from(JSON.stringify(message))));

  function onText(text: string): void {
    const message = JSON.parse(text) as { envelope_id?: string; payload?: CallBody };
    if (!message.envelope_id) return;
    record('socket_mode.ack', message as CallBody, { ok: true });
    pendingAcks.get(message.envelope_id)?.(message as { envelope_id: string; payload?: CallBody });
    pendingAcks.delete(message.envelope_id);
  }

  function accept(req: IncomingMessage, socket: Socket): void {
    const key = String(req.headers['sec-websocket-key'] ?? '');
    const acceptKey = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey}`, '', ''].join('\r\n'));
    current = socket;
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (buffered.length < 2) return;
        const opcode = buffered[0]! & 0x0f;
        let length = buffered[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffered.length < 4) return;
          length = buffered.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffered.length < 10) return;
          length = Number(buffered.readBigUInt64BE(2));
          offset = 10;
        }
        const masked = (buffered[1]! & 0x80) !== 0;
        const total = offset + (masked ? 4 : 0) + length;
        if (buffered.length < total) return;
        const mask = masked ? buffered.subarray(offset, offset + 4) : null;
        const payload = Buffer.from(buffered.subarray(total - length, total));
        if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
        buffered = buffered.subarray(total);
        if (opcode === 0x1) onText(payload.toString('utf8'));
        else if (opcode === 0x9) socket.write(frame(0xa, payload));
        else if (opcode === 0x8) {
          socket.end(frame(0x8, payload));
          if (current === socket) current = null;
        }
      }
    });
    socket.on('error', () => socket.destroy());
    sendJson(socket, { type: 'hello', num_connections: 1, debug_info: { host: 'standin' }, connection_info: { app_id: STANDIN_APP_ID } });
    for (const wake of onConnected.splice(0)) wake();
  }

  return {
    accept,
    connected(timeoutMs = 5_000) {
      if (current) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`)), timeoutMs);
        onConnected.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    deliver(type, payload, timeoutMs = 5_000) {
      const socket = current;
      if (!socket) return Promise.reject(new Error('no Socket Mode connection'));
      const envelopeId = randomBytes(8).toString('hex');
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingAcks.delete(envelopeId);
          reject(new Error(`no ack for ${type} envelope within ${timeoutMs} ms`));
        }, timeoutMs);
        pendingAcks.set(envelopeId, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
        sendJson(socket, { envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' });
      });
    },
    close() {
      current?.destroy();
      current = null;
      onConnected = [];
    },
  };
}
