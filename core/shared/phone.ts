import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DomainError } from './errors.js';

/**
 * Validates a phone number and returns it in E.164. Numbers must carry their
 * country code: we serve people in many countries and cannot guess one.
 */
export function normalisePhone(raw: string, path = 'phone'): string {
  const trimmed = raw.trim();
  const parsed = trimmed ? parsePhoneNumberFromString(trimmed) : undefined;
  if (!parsed || !parsed.isValid()) {
    const message = trimmed
      ? `"${trimmed.slice(0, 40)}" is not a valid phone number. Use the international format with the country code, e.g. +44 20 7946 0958.`
      : 'Enter a phone number in the international format, e.g. +44 20 7946 0958.';
    throw new DomainError('phone.invalid', message, { issues: [{ path, message }] });
  }
  return parsed.number;
}

/** Like normalisePhone, but null instead of an error (for optional data such as a Slack profile). */
export function tryNormalisePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    return normalisePhone(raw);
  } catch {
    return null;
  }
}

/**
 * An E.164 number as people write it, in the international format with the
 * country's own grouping (`+44 20 7946 0018`). The server formats, so the
 * browser never needs the phone metadata.
 */
export function formatPhoneForDisplay(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
