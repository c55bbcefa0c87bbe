/**
 * Every time the page shows goes through here, in the person's own time zone (this browser's), on the
 * shared clock of src/time.ts (pure Intl and Date) that the exports use too.
 */
import { clock, formatLocal, localZone, normalizeZone, type TimeOptions } from '../../src/time.js';

type When = string | number | Date | null | undefined;

/** The clock the server names (GET /api/time): this computer's zone, or UTC with --utc. */
let settings: TimeOptions = {};

/** Set once the page knows the server's clock; every time shown afterwards follows it. */
export function setTimeSettings(next: { zone: string; utc: boolean }): void {
  settings = next.utc ? { utc: true } : { zone: next.zone };
}

const toDate = (value: When): Date | null => {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
};

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-01-16 19:30" in local time ('' when unknown). */
export function formatTime(value: When): string {
  const d = toDate(value);
  if (!d) return typeof value === 'string' ? value : '';
  return formatLocal(d, { ...settings, seconds: false });
}

/** "2025-01-16": the local day, also the key dates are grouped by. */
export function dayKey(value: When): string {
  return clock(settings).day(toDate(value)) ?? '';
}

/** "Thursday 16 January 2025": a date header. */
export function formatDay(value: When): string {
  const d = toDate(value);
  if (!d) return 'Date unknown';
  return d.toLocaleDateString(undefined, {
    timeZone: shownZone(),
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

/** "January 2025". */
export function formatMonth(value: When): string {
  const d = toDate(value);
  return d
    ? d.toLocaleDateString(undefined, { timeZone: shownZone(), month: 'long', year: 'numeric' })
    : 'Date unknown';
}

/** "+05:30": an offset east of UTC given in seconds. */
export function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(seconds / 60));
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A time as the clock showed it where it happened (an offset in seconds east of UTC), with the offset. */
export function formatAtOffset(value: When, offsetSeconds: number): string {
  const d = toDate(value);
  if (!d) return '';
  const there = new Date(d.getTime() + offsetSeconds * 1000);
  return `${formatLocal(there, { zone: 'UTC', seconds: false })} (UTC${formatOffset(offsetSeconds)})`;
}

/** A time in a named zone (an event's own), with the zone named. */
export function formatInZone(value: When, zone: string): string {
  const d = toDate(value);
  if (!d) return '';
  const known = normalizeZone(zone);
  if (!known) return `${formatTime(d)} (local time; zone ${zone} unknown)`;
  return `${formatLocal(d, { zone: known, seconds: false })} (${zone})`;
}

/** The zone times are shown in, for a page to say once. */
export const shownZone = (): string => (settings.utc ? 'UTC' : (settings.zone ?? localZone()));

/** "Times in Europe/Paris (this computer's time zone)": said once on every page. */
export const zoneNote = (): string =>
  settings.utc ? 'Times in UTC' : `Times in ${shownZone()} (this computer's time zone)`;
