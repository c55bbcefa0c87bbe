/**
 * Times as people remember them: in the clock of the computer running Reclaim (TZ respected), with the
 * zone named once per page or column. `utc: true` is the --utc behaviour: UTC, marked on every time.
 * Pure (Intl and Date only), so the web UI can import it too.
 */

export interface TimeOptions {
  /** An IANA zone ("America/New_York"); default: this computer's. */
  zone?: string;
  /** Show times in UTC, each marked "UTC" (--utc). */
  utc?: boolean;
}

export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC. */
  offsetMinutes: number;
}

const UTC_NAMES = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/UCT',
  'Etc/Universal',
  'Etc/Zulu',
  'UCT',
  'Universal',
  'Zulu',
]);
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      f = null;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** The zone as Intl knows it, "UTC" for every alias of UTC, or null when unknown. */
export function normalizeZone(zone: string | null | undefined): string | null {
  if (!zone) return null;
  if (UTC_NAMES.has(zone)) return 'UTC';
  const f = formatterFor(zone);
  if (!f) return null;
  const resolved = f.resolvedOptions().timeZone;
  return UTC_NAMES.has(resolved) ? 'UTC' : resolved;
}

/** This computer's zone (TZ respected), "UTC" when it cannot be told. */
export function localZone(): string {
  let zone: string | undefined;
  try {
    zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    zone = undefined;
  }
  return (zone && zone !== 'Etc/Unknown' && normalizeZone(zone)) || 'UTC';
}

/** The zone times are shown in: UTC with --utc, else the one asked for, else this computer's. */
export function zoneOf(options: TimeOptions = {}): string {
  if (options.utc) return 'UTC';
  return normalizeZone(options.zone) ?? localZone();
}

const MINUTE = 60_000;
const BUCKET = 15 * MINUTE; // every zone change since 1970 falls on a quarter hour
const CACHE_FROM = Date.UTC(1970, 0, 1);
const CACHE_TO = Date.UTC(2200, 0, 1);
const offsetCache = new Map<string, Map<number, number>>();

function computeOffset(zone: string, ms: number): number {
  const f = formatterFor(zone);
  if (!f) return 0;
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(ms)) p[part.type] = part.value;
  let year = Number(p['year']);
  if (/^b/i.test(p['era'] ?? '')) year = 1 - year;
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(p['month']) - 1, Number(p['day']));
  wall.setUTCHours(Number(p['hour']), Number(p['minute']), Number(p['second']), 0);
  const offset = Math.round((wall.getTime() - Math.floor(ms / 1000) * 1000) / MINUTE);
  return Number.isFinite(offset) && Math.abs(offset) <= 18 * 60 ? offset : 0;
}

/** Minutes east of UTC in `zone` at `date`. */
export function offsetMinutes(date: Date, zone: string): number {
  const ms = date.getTime();
  if (zone === 'UTC' || Number.isNaN(ms)) return 0;
  if (ms < CACHE_FROM || ms >= CACHE_TO) return computeOffset(zone, ms);
  let cache = offsetCache.get(zone);
  if (!cache) offsetCache.set(zone, (cache = new Map()));
  if (cache.size > 100_000) cache.clear();
  const bucket = Math.floor(ms / BUCKET);
  let offset = cache.get(bucket);
  if (offset === undefined) cache.set(bucket, (offset = computeOffset(zone, bucket * BUCKET)));
  return offset;
}

/** The date and time a clock in `zone` showed at `date`. */
export function wallClock(date: Date, zone: string): WallClock {
  const offset = offsetMinutes(date, zone);
  const d = new Date(date.getTime() + offset * MINUTE);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    offsetMinutes: offset,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const valid = (date: Date | null | undefined): date is Date =>
  date instanceof Date && !Number.isNaN(date.getTime());

/** As Date.prototype.toISOString writes years: four digits, or signed six outside 0-9999. */
function isoYear(year: number): string {
  return year >= 0 && year <= 9999
    ? pad(year, 4)
    : `${year < 0 ? '-' : '+'}${pad(Math.abs(year), 6)}`;
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** "2020-01-14" */
export function dayText(w: WallClock): string {
  return `${isoYear(w.year)}-${pad(w.month)}-${pad(w.day)}`;
}

/** ISO 8601 with the offset of `zone`: "2020-01-14T20:43:08.000-05:00" ("...Z" in UTC); null when unknown. */
export function isoWithOffset(
  date: Date | null | undefined,
  options: TimeOptions = {},
): string | null {
  return isoIn(date, zoneOf(options));
}

/** ISO 8601 at a fixed offset (minutes east of UTC), as a photo's capture zone gives it. */
export function isoAtOffset(date: Date | null | undefined, minutes: number): string | null {
  if (!valid(date)) return null;
  const d = new Date(date.getTime() + minutes * MINUTE);
  return `${d.toISOString().slice(0, -1)}${offsetText(minutes)}`;
}

export interface FormatOptions extends TimeOptions {
  /** Include seconds (default true). */
  seconds?: boolean;
}

/**
 * "2020-01-14 20:43:08" in the local clock (the zone is named once elsewhere: see zoneLabel), or
 * "2020-01-15 01:43:08 UTC" with `utc`; "unknown date" when there is none.
 */
export function formatLocal(date: Date | null | undefined, options: FormatOptions = {}): string {
  return formatIn(date, zoneOf(options), options.utc === true, options.seconds !== false);
}

function formatIn(date: Date | null | undefined, zone: string, utc: boolean, seconds: boolean) {
  if (!valid(date)) return 'unknown date';
  const w = wallClock(date, zone);
  const time = `${pad(w.hour)}:${pad(w.minute)}${seconds ? `:${pad(w.second)}` : ''}`;
  return `${dayText(w)} ${time}${utc ? ' UTC' : ''}`;
}

function isoIn(date: Date | null | undefined, zone: string): string | null {
  if (!valid(date)) return null;
  return zone === 'UTC' ? date.toISOString() : isoAtOffset(date, offsetMinutes(date, zone));
}

/** "times in America/New_York" */
export function zoneLabel(options: TimeOptions = {}): string {
  return `times in ${zoneOf(options)}`;
}

/** One zone's formatting, resolved once (for exporters writing many times). */
export interface Clock {
  readonly zone: string;
  /** --utc: every time marked UTC, columns and JSON exactly as UTC exports always were. */
  readonly utc: boolean;
  /** "times in America/New_York" */
  readonly label: string;
  /** "2020-01-14 20:43:08" (or "... UTC" with --utc); "unknown date". */
  text(date: Date | null | undefined, seconds?: boolean): string;
  /** ISO 8601 with the offset; null when unknown. */
  iso(date: Date | null | undefined): string | null;
  wall(date: Date): WallClock;
  /** "2020-01-14"; null when unknown. */
  day(date: Date | null | undefined): string | null;
  /** "2020-01"; null when unknown. */
  month(date: Date | null | undefined): string | null;
  /** A CSV column of times: "date (America/New_York)", or just "date" with --utc. */
  column(name: string): string;
}

export function clock(options: TimeOptions = {}): Clock {
  const zone = zoneOf(options);
  const utc = options.utc === true;
  return {
    zone,
    utc,
    label: `times in ${zone}`,
    text: (date, seconds = true) => formatIn(date, zone, utc, seconds),
    iso: (date) => isoIn(date, zone),
    wall: (date) => wallClock(date, zone),
    day: (date) => (valid(date) ? dayText(wallClock(date, zone)) : null),
    month: (date) => (valid(date) ? dayText(wallClock(date, zone)).slice(0, -3) : null),
    column: (name) => (utc ? name : `${name} (${zone})`),
  };
}

/** Today's behaviour (--utc), for callers that are given no options. */
export const UTC_CLOCK: Clock = clock({ utc: true });
