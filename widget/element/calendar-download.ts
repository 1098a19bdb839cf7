import type { BookingDto } from '../api/contract.schema.js';
import type { BookingApiClient } from './api-client.js';

/**
 * Saves a session's .ics file. A plain link cannot carry the bearer token, so
 * the file is fetched and handed to the browser as a blob download.
 */
export async function downloadCalendar(client: BookingApiClient, booking: BookingDto): Promise<void> {
  const blob = await client.calendar(booking.id);
  const url = URL.createObjectURL(new Blob([blob], { type: 'text/calendar' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `coaching-session-${booking.startsAt.slice(0, 10)}.ics`;
  link.rel = 'noopener';
  link.click();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
