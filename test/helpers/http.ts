/** Small fetch wrappers that keep test bodies about behaviour, not plumbing. */
import { request as httpRequest } from 'node:http';

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  const type = response.headers.get('content-type') ?? '';
  return /json/.test(type) ? JSON.parse(text) : text;
}

export async function getJson<T = unknown>(url: string, init: RequestInit = {}): Promise<JsonResponse<T>> {
  const response = await fetch(url, { ...init, method: 'GET' });
  return { status: response.status, headers: response.headers, body: (await readBody(response)) as T };
}

export async function sendJson<T = unknown>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  init: RequestInit = {},
): Promise<JsonResponse<T>> {
  const headers = new Headers(init.headers);
  if (body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(url, {
    ...init,
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, headers: response.headers, body: (await readBody(response)) as T };
}

/** Polls until `url` answers with `status`, for processes that take a moment to come up. */
export async function waitForStatus(url: string, status: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === status) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

export interface RawAnswer {
  /** 0 when no HTTP answer came, -1 when Node would not send the request; `text` then says why. */
  status: number;
  headers: Headers;
  text: string;
}

/**
 * A request sent exactly as given, which fetch refuses to do: any method
 * (TRACE), any path bytes (`%ZZ`), any headers (17 KB of them). Never throws.
 */
export function rawRequest(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string, timeoutMs = 15_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    let req: ReturnType<typeof httpRequest>;
    try {
      req = httpRequest({ hostname, port, method, path, headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const h = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) h.set(name, Array.isArray(value) ? value.join(', ') : value);
          resolve({ status: res.statusCode ?? 0, headers: h, text });
        });
      });
    } catch (error) {
      // Node itself refuses to send it (a header with characters HTTP does not allow).
      resolve({ status: -1, headers: new Headers(), text: String(error) });
      return;
    }
    req.setTimeout(timeoutMs, () => req.destroy(new Error('client timeout')));
    req.on('error', (error) => resolve({ status: 0, headers: new Headers(), text: String(error) }));
    if (body !== undefined && method !== 'GET' && method !== 'HEAD') req.write(body);
    req.end();
  });
}
