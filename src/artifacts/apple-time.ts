/** Seconds between the Unix epoch and Apple's (2001-01-01T00:00:00Z). */
export const APPLE_EPOCH_OFFSET = 978307200;

/**
 * A date stored by iOS as time since 2001: seconds (Core Data, most databases) or nanoseconds
 * (sms.db since iOS 11). Null, zero and unreadable values give null.
 */
export function fromAppleTime(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  let n = typeof value === 'bigint' ? Number(value) : Number(value);
  if (!Number.isFinite(n) || n === 0) return null;
  if (Math.abs(n) > 1e11) n /= 1e9;
  const date = new Date((n + APPLE_EPOCH_OFFSET) * 1000);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date stored as Unix seconds. */
export function fromUnixTime(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n === 0) return null;
  return new Date(n * 1000);
}
