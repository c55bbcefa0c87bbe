import ICAL from 'ical.js';
import { posix } from 'node:path';
import { emptyData, type ArtifactData } from '../artifacts/artifact.js';
import type {
  Alarm,
  CalendarEvent,
  Frequency,
  Person,
  Recurrence,
} from '../artifacts/calendar/index.js';
import type { Reminder } from '../artifacts/reminders/index.js';
import type { Catalog } from './catalog.js';
import { LIMITS } from './limits.js';
import { decodeText } from './text.js';
import { readWhole } from './volume.js';

/**
 * Calendars and reminders of an export: .ics files (VEVENT and VTODO in the same stream), parsed by ical.js into
 * the same records a backup's Calendar.sqlitedb and Reminders stores give, so the same exporters re-emit them.
 */

const MAX_COMPONENTS = 1_000_000;

type Prop = [string, Record<string, unknown>, string, ...unknown[]];
type Component = [string, Prop[], Component[]];

const zones = new Map<string, Intl.DateTimeFormat | null>();
function zoneFormat(zone: string): Intl.DateTimeFormat | null {
  if (!zones.has(zone)) {
    try {
      zones.set(
        zone,
        new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
        }),
      );
    } catch {
      zones.set(zone, null);
    }
  }
  return zones.get(zone)!;
}

/** The instant at which a zone's clocks show `wall` (wall-clock milliseconds written as if UTC). */
function wallToInstant(wall: number, zone: string): number | null {
  const format = zoneFormat(zone);
  if (!format) return null;
  const offsetAt = (ms: number) => {
    const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    const shown = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
    return shown - Math.floor(ms / 1000) * 1000;
  };
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  return guess;
}

interface Moment {
  date: Date;
  allDay: boolean;
  floating: boolean;
  zone: string | null;
}

function momentOf(prop: Prop | undefined, value: unknown = prop?.[3]): Moment | null {
  if (!prop || typeof value !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(Z)?)?$/.exec(value);
  if (!m) return null;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (!m[4]) return { date: new Date(wall), allDay: true, floating: false, zone: null };
  if (m[7]) return { date: new Date(wall), allDay: false, floating: false, zone: 'UTC' };
  const tzid = typeof prop[1]['tzid'] === 'string' ? prop[1]['tzid'].replace(/^\//, '') : null;
  const instant = tzid ? wallToInstant(wall, tzid) : null;
  if (tzid && instant !== null)
    return { date: new Date(instant), allDay: false, floating: false, zone: tzid };
  return { date: new Date(wall), allDay: false, floating: true, zone: null };
}

const textOf = (v: unknown): string | null =>
  typeof v === 'string' ? v.trim() || null : v == null ? null : String(v);

/** -PT15M, P1D, -P1DT2H: seconds (negative before). */
function durationSeconds(text: string): number | null {
  const m = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!m) return null;
  const s =
    +(m[2] ?? 0) * 604800 +
    +(m[3] ?? 0) * 86400 +
    +(m[4] ?? 0) * 3600 +
    +(m[5] ?? 0) * 60 +
    +(m[6] ?? 0);
  return m[1] === '-' ? -s : s;
}

function recurrenceOf(value: unknown): Recurrence | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  const freq = String(r['freq'] ?? '').toUpperCase();
  if (!['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(freq)) return null;
  const until =
    typeof r['until'] === 'string' ? momentOf(['until', {}, 'date-time'], r['until']) : null;
  return {
    frequency: freq as Frequency,
    interval: Number(r['interval'] ?? 1) || 1,
    count: r['count'] !== undefined ? Number(r['count']) : null,
    until: until?.date ?? null,
    byDay: list(r['byday']).map(String),
    byMonthDay: list(r['bymonthday']).map(Number),
    byMonth: list(r['bymonth']).map(Number),
    bySetPos: list(r['bysetpos']).map(Number),
    weekStart: typeof r['wkst'] === 'string' ? r['wkst'] : null,
  };
}

function personOf(prop: Prop): Person {
  const address = String(prop[3] ?? '');
  return {
    name: textOf(prop[1]['cn']),
    email: /^mailto:/i.test(address) ? address.slice(7) : null,
    phone: /^tel:/i.test(address) ? address.slice(4) : null,
    status: textOf(prop[1]['partstat']),
    role: textOf(prop[1]['role']),
  };
}

class Props {
  constructor(readonly list: Prop[]) {}
  one(name: string): Prop | undefined {
    return this.list.find((p) => p[0] === name);
  }
  all(name: string): Prop[] {
    return this.list.filter((p) => p[0] === name);
  }
  text(name: string): string | null {
    return textOf(this.one(name)?.[3]);
  }
  moment(name: string): Moment | null {
    return momentOf(this.one(name));
  }
}

function alarmsOf(component: Component): Alarm[] {
  return component[2]
    .filter((c) => c[0] === 'valarm')
    .map((c): Alarm | null => {
      const trigger = new Props(c[1]).one('trigger');
      const value = String(trigger?.[3] ?? '');
      const at = momentOf(trigger, value);
      if (at) return { offsetSeconds: null, at: at.date };
      const seconds = durationSeconds(value);
      return seconds === null ? null : { offsetSeconds: seconds, at: null };
    })
    .filter((a): a is Alarm => a !== null);
}

function eventOf(
  component: Component,
  calendar: string,
  calendarId: number,
  n: number,
): CalendarEvent {
  const p = new Props(component[1]);
  const start = p.moment('dtstart');
  const end = p.moment('dtend');
  const duration = durationSeconds(p.text('duration') ?? '');
  const geo = p.one('geo')?.[3];
  const location = p.text('location');
  return {
    rowid: n,
    uid: p.text('uid') ?? `reclaim-icloud-event-${calendarId}-${n}`,
    calendarId,
    calendar,
    account: 'iCloud',
    summary: p.text('summary'),
    description: p.text('description'),
    url: p.text('url'),
    start: start?.date ?? null,
    end:
      end?.date ??
      (start && duration !== null ? new Date(start.date.getTime() + duration * 1000) : null),
    allDay: start?.allDay ?? false,
    timeZone: start?.zone && start.zone !== 'UTC' ? start.zone : null,
    floating: start?.floating ?? false,
    location:
      location || Array.isArray(geo)
        ? {
            title: location,
            address: null,
            latitude: Array.isArray(geo) ? Number(geo[0]) : null,
            longitude: Array.isArray(geo) ? Number(geo[1]) : null,
          }
        : null,
    recurrence: p
      .all('rrule')
      .map((r) => recurrenceOf(r[3]))
      .filter((r): r is Recurrence => r !== null),
    exceptionDates: p
      .all('exdate')
      .flatMap((prop) => prop.slice(3).map((v) => momentOf(prop, v)?.date))
      .filter((d): d is Date => d instanceof Date),
    recurrenceId: p.moment('recurrence-id')?.date ?? null,
    alarms: alarmsOf(component),
    organizer: p.one('organizer') ? personOf(p.one('organizer')!) : null,
    attendees: p.all('attendee').map(personOf),
    status: p.text('status'),
    created: p.moment('created')?.date ?? null,
    lastModified: (p.moment('last-modified') ?? p.moment('dtstamp'))?.date ?? null,
  };
}

function reminderOf(component: Component, list: string, source: string): Reminder {
  const p = new Props(component[1]);
  const due = p.moment('due');
  const completed = p.moment('completed');
  const priority = Number(p.text('priority') ?? NaN);
  return {
    uid: p.text('uid') ?? `${source}#${p.text('summary') ?? ''}`,
    list,
    title: p.text('summary'),
    notes: p.text('description'),
    url: p.text('url'),
    completed: /^completed$/i.test(p.text('status') ?? '') || completed !== null,
    completionDate: completed?.date ?? null,
    due: due?.date ?? null,
    dueAllDay: due?.allDay ?? false,
    priority: Number.isFinite(priority) ? priority : null,
    flagged: false,
    markedForDeletion: false,
    created: p.moment('created')?.date ?? null,
    lastModified: (p.moment('last-modified') ?? p.moment('dtstamp'))?.date ?? null,
    alarms: alarmsOf(component)
      .map(
        (a) =>
          a.at ??
          (due && a.offsetSeconds !== null
            ? new Date(due.date.getTime() + a.offsetSeconds * 1000)
            : null),
      )
      .filter((d): d is Date => d !== null),
    source,
  };
}

export interface CalendarsRead {
  events: ArtifactData<CalendarEvent>;
  reminders: ArtifactData<Reminder>;
}

export async function readIcloudCalendars(catalog: Catalog): Promise<CalendarsRead> {
  const events = emptyData<CalendarEvent>('calendar');
  const reminders = emptyData<Reminder>('reminders');
  let count = 0;
  for (const [index, { volume, path }] of catalog.calendars.entries()) {
    const source = `${volume.id}/${path}`;
    try {
      const { text } = decodeText(await readWhole(volume, path, LIMITS.textFile));
      const parsed = ICAL.parse(text) as unknown;
      const calendars = (
        Array.isArray(parsed) && parsed[0] === 'vcalendar' ? [parsed] : (parsed as unknown[])
      ) as Component[];
      for (const cal of calendars) {
        if (!Array.isArray(cal) || cal[0] !== 'vcalendar') continue;
        const name =
          new Props(cal[1]).text('x-wr-calname') ?? posix.basename(path).replace(/\.[^.]+$/, '');
        let sawEvent = false;
        let sawTodo = false;
        for (const c of cal[2]) {
          if (++count > MAX_COMPONENTS) break;
          if (c[0] === 'vevent') {
            events.items.push(eventOf(c, name, index + 1, events.items.length + 1));
            sawEvent = true;
          } else if (c[0] === 'vtodo') {
            reminders.items.push(reminderOf(c, name, source));
            sawTodo = true;
          }
        }
        if (sawEvent) events.sources.push(source);
        if (sawTodo) reminders.sources.push(source);
      }
    } catch (error) {
      const problem = {
        severity: 'error' as const,
        message: `${volume.id}: ${path}: not a readable iCalendar file (${(error as Error).message})`,
      };
      events.problems.push(problem);
      reminders.problems.push(problem);
    }
  }
  if (count > MAX_COMPONENTS) {
    const problem = {
      severity: 'warning' as const,
      message: `more than ${MAX_COMPONENTS} events and reminders; the rest not read`,
    };
    events.problems.push(problem);
    reminders.problems.push(problem);
  }
  return { events, reminders };
}
