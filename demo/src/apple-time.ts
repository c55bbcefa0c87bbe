/** Date conversions used by iOS databases. All demo dates are written as UTC ISO strings. */

/** 2001-01-01T00:00:00Z in Unix seconds ("Mac absolute time" epoch, also called Cocoa time). */
export const APPLE_EPOCH_UNIX = 978_307_200;

export function unixSeconds(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad date: ${iso}`);
  return ms / 1000;
}

/** Seconds since 2001-01-01 UTC (Core Data TIMESTAMP, Calendar, Safari, Notes). */
export function appleSeconds(iso: string): number {
  return unixSeconds(iso) - APPLE_EPOCH_UNIX;
}

/** Nanoseconds since 2001-01-01 UTC, as sms.db stores dates from iOS 11 on. */
export function appleNanoseconds(iso: string): bigint {
  return BigInt(Math.round(appleSeconds(iso))) * 1_000_000_000n;
}

export function asDate(iso: string): Date {
  return new Date(Date.parse(iso));
}
