import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  /** Exactly the bytes that arrived, as a verifier must see them. */
  body: string;
  status: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly hooks: ReceivedHook[];
  /** The statuses to answer the next requests with (then 200 again). */
  answerNext(...statuses: number[]): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedHook[]>;
  close(): Promise<void>;
}

/** A local host-site endpoint that records every webhook it gets. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const hooks: ReceivedHook[] = [];
  const queued: number[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = queued.shift() ?? 200;
      hooks.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'ok' : 'no');
      for (const wake of [...waiters]) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/coaching`,
    hooks,
    answerNext: (...statuses) => void queued.push(...statuses),
    waitFor(count, timeoutMs = 10_000) {
      if (hooks.length >= count) return Promise.resolve(hooks.slice(0, count));
      return new Promise((resolve, reject) => {
        const wake = () => {
          if (hooks.length < count) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(hooks.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`only ${hooks.length} of ${count} webhooks arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
