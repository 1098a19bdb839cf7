import type { BookingDto, BookingScope, CoachDto, OpenSlotsResponseDto } from '../api/contract.schema.js';

/**
 * A failed call with the API's stable code (`slot.taken`, `auth.token_expired`,
 * …), `network` when the server could not be reached. Answers are not
 * re-validated here: the server validates against the shared contract and the
 * tests check its answers, so no schema library ships to every student.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status, or null when the server could not be reached. */
    readonly status: number | null,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';

interface Options {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal | undefined;
  headers?: Record<string, string>;
}

/** The widget API. The token is read at each call, so a renewed one applies to the very next request. */
export class BookingApiClient {
  readonly base: string;

  constructor(
    api: string,
    private readonly token: () => string | null,
  ) {
    this.base = `${api.replace(/\/+$/, '')}/api/v1`;
  }

  openSlots(query: { from: Date; to: Date; coachId?: string | undefined; cursor?: string | undefined }, signal?: AbortSignal): Promise<OpenSlotsResponseDto> {
    const params = new URLSearchParams({ from: query.from.toISOString(), to: query.to.toISOString(), limit: '500' });
    if (query.coachId) params.set('coachId', query.coachId);
    if (query.cursor) params.set('cursor', query.cursor);
    return this.json(`/slots?${params}`, { signal });
  }

  coaches(cursor: string | null, signal?: AbortSignal): Promise<{ coaches: CoachDto[]; nextCursor: string | null }> {
    return this.json(`/coaches?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal });
  }

  async book(slotId: string, idempotencyKey: string): Promise<BookingDto> {
    return (await this.json<{ booking: BookingDto }>('/bookings', { method: 'POST', body: { slotId }, headers: { 'Idempotency-Key': idempotencyKey } })).booking;
  }

  async reschedule(bookingId: string, slotId: string): Promise<BookingDto> {
    return (await this.json<{ booking: BookingDto }>(`/bookings/${encodeURIComponent(bookingId)}/reschedule`, { method: 'POST', body: { slotId } })).booking;
  }

  hold(slotId: string): Promise<{ hold: { slotId: string; expiresAt: string } }> {
    return this.json(`/slots/${encodeURIComponent(slotId)}/hold`, { method: 'POST', body: {} });
  }

  async release(slotId: string): Promise<void> {
    await this.send(`/slots/${encodeURIComponent(slotId)}/hold`, { method: 'DELETE' });
  }

  mine(scope: BookingScope, signal?: AbortSignal): Promise<{ bookings: BookingDto[] }> {
    return this.json(`/me/bookings?scope=${scope}&limit=50`, { signal });
  }

  async cancel(bookingId: string): Promise<BookingDto> {
    return (await this.json<{ booking: BookingDto }>(`/bookings/${encodeURIComponent(bookingId)}/cancel`, { method: 'POST', body: {} })).booking;
  }

  /** The session as an .ics file; fetched (not linked) because it needs the student's token. */
  async calendar(bookingId: string): Promise<Blob> {
    return (await this.send(`/bookings/${encodeURIComponent(bookingId)}/calendar.ics`, {})).blob();
  }

  private async json<T>(path: string, options: Options): Promise<T> {
    return (await this.send(path, options)).json() as Promise<T>;
  }

  private async send(path: string, { method = 'GET', body, signal, headers = {} }: Options): Promise<Response> {
    const token = this.token();
    const all: Record<string, string> = { ...headers };
    if (token) all.Authorization = `Bearer ${token}`;
    if (body !== undefined) all['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.base + path, { method, headers: all, signal: signal ?? null, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ApiError(null, 'network', 'Cannot reach the booking service.');
    }
    if (response.ok) return response;
    const problem = (await response.json().catch(() => null)) as { code?: unknown; detail?: unknown } | null;
    const code = typeof problem?.code === 'string' ? problem.code : response.status === 503 ? 'service.unavailable' : `http.${response.status}`;
    throw new ApiError(response.status, code, typeof problem?.detail === 'string' ? problem.detail : `The booking service answered ${response.status}.`);
  }
}
