/**
 * Every time the page shows goes through here, in the person's own time zone (this browser's). When the
 * shared src/time.ts (formatLocal, pure Intl and Date) reaches this branch, these become calls to it.
 */
type When = string | number | Date | null | undefined;

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
  return `${dayKey(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2025-01-16": the local day, also the key dates are grouped by. */
export function dayKey(value: When): string {
  const d = toDate(value);
  if (!d) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "Thursday 16 January 2025": a date header. */
export function formatDay(value: When): string {
  const d = toDate(value);
  if (!d) return 'Date unknown';
  return d.toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

/** "January 2025". */
export function formatMonth(value: When): string {
  const d = toDate(value);
  return d ? d.toLocaleDateString(undefined, { month: 'long', year: 'numeric' }) : 'Date unknown';
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
  const day = `${there.getUTCFullYear()}-${pad(there.getUTCMonth() + 1)}-${pad(there.getUTCDate())}`;
  return `${day} ${pad(there.getUTCHours())}:${pad(there.getUTCMinutes())} (UTC${formatOffset(offsetSeconds)})`;
}

/** A time in a named zone (an event's own), with the zone named. */
export function formatInZone(value: When, zone: string): string {
  const d = toDate(value);
  if (!d) return '';
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(d);
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} (${zone})`;
  } catch {
    return `${formatTime(d)} (local time; zone ${zone} unknown)`;
  }
}

/** The zone times are shown in, for a page to say once. */
export const localZoneName = (): string =>
  Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
