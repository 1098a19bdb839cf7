import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { STANDIN_APP_ID, STANDIN_TEAM_ID, type CallBody } from './slack-standin.js';

/**
 * Requests as Slack sends them, signed as Slack signs them: v0 HMAC-SHA256
 * of `v0:<timestamp>:<raw body>` with the signing secret, in
 * X-Slack-Signature, the timestamp (seconds, real time: the receiver checks
 * it against its own clock) in X-Slack-Request-Timestamp.
 */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Replace the signature, e.g. with a wrong one. */
  signature?: string;
  /** Marks a redelivery, as Slack does: X-Slack-Retry-Num and X-Slack-Retry-Reason. */
  retryNum?: number;
}

export interface SlackResponse {
  status: number;
  text: string;
  /** Parsed JSON body, or null when the body is empty or not JSON. */
  json: CallBody | null;
  /** Time from sending the request to having the whole response: the ack latency. */
  ms: number;
}

export interface ButtonPress {
  userId: string;
  actionId: string;
  value: string;
  blockId?: string;
  /** Where the button was: a posted message, an ephemeral reply, or a view (App Home, a modal). */
  container:
    | { type: 'message'; channel: string; ts: string; ephemeral?: boolean; blocks?: unknown[] }
    | { type: 'view'; view: CallBody };
  responseUrl?: string;
  /** A select instead of a button: its type and the option picked (dispatch_action in a modal). */
  select?: { type: 'static_select' | 'external_select'; option: { text: string; value: string } };
  /** Shorthand for a static select whose option's text is its value. */
  selected?: string;
  /** A choice in an overflow menu: the option's value. */
  overflow?: string;
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(++counter).toString(36)}${randomBytes(3).toString('hex')}`;

/** Builds, signs and sends Slack requests to one app, recording each round trip's latency. */
export type RequestKind = 'command' | 'block_actions' | 'view_submission' | 'event';

export class SlackRequests {
  readonly latencies: number[] = [];
  readonly latenciesByKind = new Map<RequestKind, number[]>();

  constructor(
    private readonly endpoint: string,
    private readonly signingSecret: string,
    private readonly teamId = STANDIN_TEAM_ID,
  ) {}

  async send(body: string, contentType: string, options: SendOptions = {}): Promise<SlackResponse> {
    const kind: RequestKind = contentType === 'application/json' ? 'event' : body.startsWith('payload=') ? (body.includes('view_submission') ? 'view_submission' : 'block_actions') : 'command';
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(this.signingSecret, timestamp, body),
    };
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    const started = performance.now();
    const response = await fetch(this.endpoint, { method: 'POST', headers, body });
    const text = await response.text();
    const ms = performance.now() - started;
    if (response.status < 400) {
      this.latencies.push(ms);
      this.latenciesByKind.set(kind, [...(this.latenciesByKind.get(kind) ?? []), ms]);
    }
    let json: CallBody | null = null;
    try {
      json = text ? (JSON.parse(text) as CallBody) : null;
    } catch {
      json = null;
    }
    return { status: response.status, text, json, ms };
  }

  /** Form-encoded body of a slash command. */
  commandBody(input: { userId: string; text?: string; channelId?: string; responseUrl: string; triggerId?: string; command?: string }): string {
    return new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: this.teamId,
      team_domain: 'test',
      channel_id: input.channelId ?? 'C0GENERAL',
      channel_name: 'general',
      user_id: input.userId,
      user_name: input.userId.toLowerCase(),
      command: input.command ?? '/availability',
      text: input.text ?? '',
      api_app_id: STANDIN_APP_ID,
      is_enterprise_install: 'false',
      response_url: input.responseUrl,
      trigger_id: input.triggerId ?? nextId('trg.'),
    }).toString();
  }

  command(input: Parameters<SlackRequests['commandBody']>[0], options?: SendOptions): Promise<SlackResponse> {
    return this.send(this.commandBody(input), 'application/x-www-form-urlencoded', options);
  }

  /** Form-encoded `payload=` of a block_actions interaction (a button press). */
  blockActionBody(press: ButtonPress): string {
    const actionTs = `${Math.floor(Date.now() / 1000)}.${String(++counter).padStart(6, '0')}`;
    const select =
      press.select ?? (press.selected === undefined ? undefined : { type: 'static_select' as const, option: { text: press.selected, value: press.selected } });
    const action =
      press.overflow !== undefined
        ? { type: 'overflow', action_id: press.actionId, block_id: press.blockId ?? nextId('b'), selected_option: { text: { type: 'plain_text', text: press.overflow }, value: press.overflow }, action_ts: actionTs }
        : select
        ? { type: select.type, action_id: press.actionId, block_id: press.blockId ?? nextId('b'), selected_option: { text: { type: 'plain_text', text: select.option.text, emoji: true }, value: select.option.value }, action_ts: actionTs }
        : { type: 'button', action_id: press.actionId, block_id: press.blockId ?? nextId('b'), value: press.value, text: { type: 'plain_text', text: 'Button' }, action_ts: actionTs };
    const base = {
      type: 'block_actions',
      user: { id: press.userId, username: press.userId.toLowerCase(), name: press.userId.toLowerCase(), team_id: this.teamId },
      api_app_id: STANDIN_APP_ID,
      token: 'deprecated-verification-token',
      trigger_id: nextId('trg.'),
      team: { id: this.teamId, domain: 'test' },
      enterprise: null,
      is_enterprise_install: false,
      actions: [action],
    };
    const c = press.container;
    const payload =
      c.type === 'view'
        ? { ...base, container: { type: 'view', view_id: c.view.id }, view: c.view }
        : {
            ...base,
            container: { type: 'message', message_ts: c.ts, channel_id: c.channel, is_ephemeral: c.ephemeral ?? false },
            channel: { id: c.channel, name: 'directmessage' },
            message: c.ephemeral ? undefined : { type: 'message', user: 'UBOT', ts: c.ts, text: '', blocks: c.blocks ?? [] },
            response_url: press.responseUrl ?? '',
            state: { values: {} },
          };
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  }

  blockAction(press: ButtonPress, options?: SendOptions): Promise<SlackResponse> {
    return this.send(this.blockActionBody(press), 'application/x-www-form-urlencoded', options);
  }

  /**
   * A view_submission for a modal the app opened (as the stand-in answered
   * views.open, with its id and hash) with `values` typed in.
   */
  viewSubmissionBody(input: { userId: string; view: CallBody; values: Record<string, Record<string, CallBody>> }): string {
    const payload = {
      type: 'view_submission',
      team: { id: this.teamId, domain: 'test' },
      user: { id: input.userId, username: input.userId.toLowerCase(), name: input.userId.toLowerCase(), team_id: this.teamId },
      api_app_id: STANDIN_APP_ID,
      token: 'deprecated-verification-token',
      trigger_id: nextId('trg.'),
      view: { ...input.view, state: { values: input.values } },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  }

  viewSubmission(input: Parameters<SlackRequests['viewSubmissionBody']>[0], options?: SendOptions): Promise<SlackResponse> {
    return this.send(this.viewSubmissionBody(input), 'application/x-www-form-urlencoded', options);
  }

  /** Form-encoded `payload=` of a block_suggestion: an external_select asking for its options as someone types. */
  blockSuggestionBody(input: { userId: string; actionId: string; blockId: string; value: string; view: CallBody }): string {
    const payload = {
      type: 'block_suggestion',
      user: { id: input.userId, username: input.userId.toLowerCase(), name: input.userId.toLowerCase(), team_id: this.teamId },
      container: { type: 'view', view_id: input.view.id },
      api_app_id: STANDIN_APP_ID,
      token: 'deprecated-verification-token',
      action_id: input.actionId,
      block_id: input.blockId,
      value: input.value,
      team: { id: this.teamId, domain: 'test' },
      enterprise: null,
      is_enterprise_install: false,
      view: input.view,
    };
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  }

  blockSuggestion(input: Parameters<SlackRequests['blockSuggestionBody']>[0], options?: SendOptions): Promise<SlackResponse> {
    return this.send(this.blockSuggestionBody(input), 'application/x-www-form-urlencoded', options);
  }

  /** JSON body of an Events API callback. */
  eventBody(event: CallBody): string {
    return JSON.stringify({
      token: 'deprecated-verification-token',
      team_id: this.teamId,
      api_app_id: STANDIN_APP_ID,
      event: { event_ts: `${Date.now() / 1000}`, ...event },
      type: 'event_callback',
      event_id: nextId('Ev'),
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
  }

  event(event: CallBody, options?: SendOptions): Promise<SlackResponse> {
    return this.send(this.eventBody(event), 'application/json', options);
  }

  appHomeOpened(userId: string, options?: SendOptions): Promise<SlackResponse> {
    return this.event({ type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home' }, options);
  }

  /** Median round trip of the successful requests so far (of one kind, if given), in ms. */
  medianLatency(kind?: RequestKind): number {
    return median(kind ? (this.latenciesByKind.get(kind) ?? []) : this.latencies);
  }

  /** "median 21.3 ms over 25 (command 12.1, block_actions 9.8, view_submission 48.0, event 7.5)" */
  latencySummary(): string {
    const kinds = [...this.latenciesByKind.entries()].map(([kind, list]) => `${kind} ${median(list).toFixed(1)}`).join(', ');
    return `median ${this.medianLatency().toFixed(1)} ms, max ${Math.max(...this.latencies).toFixed(1)} ms over ${this.latencies.length} requests (${kinds})`;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
