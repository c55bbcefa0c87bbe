import type { IcsBuilder } from './ics.js';

/**
 * Time zones for iCalendar: wall-clock times in a named zone, and VTIMEZONE components built from the zone
 * rules Node carries (ICU's copy of the IANA database), so that a weekly 9:00 meeting stays at 9:00 on both
 * sides of a daylight-saving change in every calendar app.
 */

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(zone: string): Intl.DateTimeFormat | null {
  if (!formatters.has(zone)) {
    try {
      formatters.set(
        zone,
        new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        }),
      );
    } catch {
      formatters.set(zone, null); // not a zone this runtime knows
    }
  }
  return formatters.get(zone)!;
}

/** True for a zone name usable as TZID (UTC and unknown names are not: those events are written in UTC). */
export function isNamedZone(zone: string | null | undefined): zone is string {
  return !!zone && !/^(utc|gmt|etc\/utc|etc\/gmt|_float)$/i.test(zone) && formatter(zone) !== null;
}

/** Minutes east of UTC in `zone` at instant `ms`. */
export function offsetMinutes(zone: string, ms: number): number {
  const parts = formatter(zone)!.formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

const pad = (n: number) => String(n).padStart(2, '0');

function wallText(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** 20240309T091500: the wall-clock time of `date` in `zone`, for DTSTART;TZID=zone. */
export function zonedDateTime(date: Date, zone: string): string {
  return wallText(date.getTime() + offsetMinutes(zone, date.getTime()) * 60_000);
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

interface Transition {
  at: number;
  from: number;
  to: number;
}

const DAY = 86_400_000;

/** Offset changes in [fromYear, toYear], found day by day, then to the minute. */
function transitions(zone: string, fromYear: number, toYear: number): Transition[] {
  const found: Transition[] = [];
  let previous = offsetMinutes(zone, Date.UTC(fromYear, 0, 1));
  for (let t = Date.UTC(fromYear, 0, 1) + DAY; t <= Date.UTC(toYear, 11, 31); t += DAY) {
    const current = offsetMinutes(zone, t);
    if (current === previous) continue;
    let low = t - DAY;
    let high = t;
    while (high - low > 60_000) {
      const mid = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offsetMinutes(zone, mid) === previous) low = mid;
      else high = mid;
    }
    found.push({ at: high, from: previous, to: current });
    previous = current;
  }
  return found;
}

/**
 * Writes a VTIMEZONE covering the years from `fromYear` to `toYear` (one observance per change: exact
 * for the past, and for the future as far as the runtime's rules go).
 */
export function writeVTimezone(
  ics: IcsBuilder,
  zone: string,
  fromYear: number,
  toYear: number,
): void {
  ics.begin('VTIMEZONE').raw('TZID', zone);
  const changes = transitions(zone, fromYear, toYear);
  if (changes.length === 0) {
    const offset = offsetText(offsetMinutes(zone, Date.UTC(fromYear, 0, 1)));
    ics
      .begin('STANDARD')
      .raw('DTSTART', '19700101T000000')
      .raw('TZOFFSETFROM', offset)
      .raw('TZOFFSETTO', offset)
      .end('STANDARD');
  } else {
    // The offset in force before the first change, from the start of the range.
    const first = changes[0]!;
    const before = offsetText(first.from);
    ics
      .begin(first.from < first.to ? 'STANDARD' : 'DAYLIGHT')
      .raw('DTSTART', `${fromYear}0101T000000`)
      .raw('TZOFFSETFROM', before)
      .raw('TZOFFSETTO', before)
      .end(first.from < first.to ? 'STANDARD' : 'DAYLIGHT');
    for (const change of changes) {
      const kind = change.to > change.from ? 'DAYLIGHT' : 'STANDARD';
      // DTSTART of an observance is the local time just before the change, in the old offset.
      ics
        .begin(kind)
        .raw('DTSTART', wallText(change.at + change.from * 60_000))
        .raw('TZOFFSETFROM', offsetText(change.from))
        .raw('TZOFFSETTO', offsetText(change.to))
        .end(kind);
    }
  }
  ics.end('VTIMEZONE');
}
