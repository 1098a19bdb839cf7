import type * as z from 'zod/mini';
import {
  bookingResponseSchema,
  bookingsResponseSchema,
  coachesResponseSchema,
  problemSchema,
  slotsResponseSchema,
  type BookingDto,
  type BookingScope,
  type CoachDto,
  type SlotDto,
} from '../api/contract.schema.js';

/** A failed call, carrying the API's stable code so the UI can react to `slot.taken` and friends. */
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

interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** Talks to the widget API; every answer is checked against the shared contract before the UI sees it. */
export class BookingApiClient {
  readonly signedIn: boolean;
  private readonly base: string;

  constructor(
    api: string,
    private readonly token: string | null,
  ) {
    this.base = `${api.replace(/\/+$/, '')}/api/v1`;
    this.signedIn = Boolean(token);
  }

  async coaches(signal?: AbortSignal): Promise<CoachDto[]> {
    const coaches: CoachDto[] = [];
    let cursor: string | null = null;
    // Pages of 100; an organisation rarely has more, but none is ever left out.
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page: z.infer<typeof coachesResponseSchema> = await this.request(`/coaches?limit=100${query}`, coachesResponseSchema, { signal });
      coaches.push(...page.coaches);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return coaches;
  }

  async slots(coachId: string, from: Date, to: Date, signal?: AbortSignal): Promise<SlotDto[]> {
    const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
    const { slots } = await this.request(`/coaches/${encodeURIComponent(coachId)}/slots?${query}`, slotsResponseSchema, { signal });
    return slots;
  }

  async book(slotId: string, idempotencyKey: string): Promise<BookingDto> {
    const { booking } = await this.request('/bookings', bookingResponseSchema, {
      method: 'POST',
      body: { slotId },
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    return booking;
  }

  async myBookings(scope: BookingScope, limit: number, signal?: AbortSignal): Promise<{ bookings: BookingDto[]; more: boolean }> {
    const page = await this.request(`/me/bookings?scope=${scope}&limit=${limit}`, bookingsResponseSchema, { signal });
    return { bookings: page.bookings, more: page.nextOffset !== null };
  }

  async cancel(bookingId: string): Promise<BookingDto> {
    const { booking } = await this.request(`/bookings/${encodeURIComponent(bookingId)}/cancel`, bookingResponseSchema, { method: 'POST', body: {} });
    return booking;
  }

  /** The session as an .ics file; fetched (not linked) because it needs the student's token. */
  async calendar(bookingId: string): Promise<Blob> {
    const response = await this.send(`/bookings/${encodeURIComponent(bookingId)}/calendar.ics`, {});
    return response.blob();
  }

  private async request<S extends z.ZodMiniType>(path: string, schema: S, options: RequestOptions): Promise<z.output<S>> {
    const response = await this.send(path, options);
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new ApiError(response.status, 'response.invalid', 'The booking service sent an answer this page does not understand. Reload and try again.');
    return parsed.data as z.output<S>;
  }

  private async send(path: string, { method = 'GET', body, signal, headers = {} }: RequestOptions): Promise<Response> {
    const init: RequestInit = { method, headers: { Accept: 'application/json, application/problem+json', ...headers }, signal: signal ?? null, credentials: 'omit' };
    if (this.token) (init.headers as Record<string, string>).Authorization = `Bearer ${this.token}`;
    if (body !== undefined) {
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, init);
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ApiError(null, 'network', 'Cannot reach the booking service. Check your connection and try again.');
    }
    if (response.ok) return response;
    const problem = problemSchema.safeParse(await response.json().catch(() => undefined));
    if (problem.success) throw new ApiError(response.status, problem.data.code, problem.data.detail);
    throw new ApiError(response.status, `http.${response.status}`, `The booking service answered with an error (${response.status}). Try again in a moment.`);
  }
}
