import { createHmac } from 'node:crypto';
import type { Core } from '../../core/core.types.js';
import { PermanentJobError, RetryLaterError, type Job } from '../../core/jobs/job.schema.js';

export const WEBHOOK_HEADERS = {
  id: 'x-scheduler-event-id',
  timestamp: 'x-scheduler-timestamp',
  signature: 'x-scheduler-signature',
} as const;

const TIMEOUT_MS = 10_000;

/** `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>`: what the README's verifier recomputes. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Posts core's webhook jobs to the host site's URLs. The body is the event
 * as planned (stable across retries, with its stable id); the timestamp and
 * signature are made per attempt, so a receiver can refuse old replays. A
 * 2xx is delivered; a timeout, a network error, 408, 429 or a 5xx is retried
 * with backoff (429 after its Retry-After); any other answer is refused for
 * good and recorded.
 */
export function registerWebhookDelivery(core: Core, options: { urls: string[]; secret: string; fetch?: typeof fetch }): void {
  const send = options.fetch ?? fetch;
  core.jobs.handle(
    'webhook',
    async (job: Job) => {
      const url = String(job.payload.url);
      const body = JSON.stringify(job.payload.event);
      const timestamp = Math.floor(core.clock.now().getTime() / 1000);
      const event = job.payload.event as { id: string; type: string };
      let response: Response;
      try {
        response = await send(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'coaching-scheduler-webhooks/1',
            [WEBHOOK_HEADERS.id]: event.id,
            [WEBHOOK_HEADERS.timestamp]: String(timestamp),
            [WEBHOOK_HEADERS.signature]: signWebhook(options.secret, timestamp, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        await response.body?.cancel();
      } catch (error) {
        throw new Error(`webhook ${event.type} to ${url} failed: ${(error as Error).message}`, { cause: error });
      }
      if (response.ok) return { result: { status: response.status } };
      const retryAfter = Number(response.headers.get('retry-after'));
      if (response.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0) {
        throw new RetryLaterError(`webhook ${event.type} to ${url}: 429, retry after ${retryAfter} s`, retryAfter * 1000);
      }
      if (response.status === 408 || response.status === 429 || response.status >= 500) {
        throw new Error(`webhook ${event.type} to ${url} answered ${response.status}`);
      }
      throw new PermanentJobError(`webhook ${event.type} to ${url} answered ${response.status}; not retried`);
    },
    { targets: options.urls },
  );
}
