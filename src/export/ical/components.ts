import type { RecoveredMark } from '../../artifacts/artifact.js';
import type { CalendarEvent, Person, Recurrence } from '../../artifacts/calendar/index.js';
import type { Reminder } from '../../artifacts/reminders/index.js';
import { dateValue, duration, floatingDateTime, IcsBuilder, utcDateTime } from './ics.js';
import { isNamedZone, writeVTimezone, zonedDateTime } from './timezone.js';

/**
 * VEVENT and VTODO components. Timed events are written in their own zone (DTSTART;TZID=...) with a
 * VTIMEZONE for it, or in UTC when iOS stored no usable zone; floating ones as local time without a zone;
 * all-day ones as VALUE=DATE with an exclusive DTEND.
 */

export const PRODID = '-//Reclaim//Reclaim iOS backup export//EN';
const DAY = 86_400_000;

export function beginCalendar(ics: IcsBuilder, name: string, color?: string | null): void {
  ics.begin('VCALENDAR').raw('VERSION', '2.0').raw('PRODID', PRODID).raw('CALSCALE', 'GREGORIAN');
  ics.text('X-WR-CALNAME', name);
  if (color) ics.text('X-APPLE-CALENDAR-COLOR', color);
}

function recoveredProps(ics: IcsBuilder, mark: RecoveredMark | undefined): void {
  if (!mark) return;
  ics.text(
    'X-RECLAIM-RECOVERED',
    `${mark.source} (confidence ${mark.confidence}${mark.partial ? ', partial' : ''})`,
  );
  ics.text('CATEGORIES', 'Recovered deleted item');
}

/** The first UTC day of an all-day event (iOS keeps them at floating midnight; some writers at local midnight). */
export function allDayStart(start: Date): Date {
  return new Date(Math.floor((start.getTime() + 12 * 3600_000) / DAY) * DAY);
}

function timeValue(
  event: Pick<CalendarEvent, 'allDay' | 'floating' | 'timeZone'>,
  date: Date,
): { value: string; params: Record<string, string> } {
  if (event.allDay) return { value: dateValue(allDayStart(date)), params: { VALUE: 'DATE' } };
  if (event.floating) return { value: floatingDateTime(date), params: {} };
  if (isNamedZone(event.timeZone))
    return { value: zonedDateTime(date, event.timeZone), params: { TZID: event.timeZone } };
  return { value: utcDateTime(date), params: {} };
}

/** VTIMEZONEs for every zone these events are written in, covering their dates and their recurrences. */
export function writeTimezones(ics: IcsBuilder, events: CalendarEvent[]): void {
  const years = new Map<string, { from: number; to: number }>();
  for (const e of events) {
    if (!e.start || e.allDay || e.floating || !isNamedZone(e.timeZone)) continue;
    const starts = [e.start, e.end, ...e.recurrence.map((r) => r.until)].filter(
      (d): d is Date => d instanceof Date && !Number.isNaN(d.getTime()),
    );
    const openEnded = e.recurrence.some((r) => !r.until && !r.count);
    const from = Math.min(...starts.map((d) => d.getUTCFullYear())) - 1;
    const to =
      Math.max(...starts.map((d) => d.getUTCFullYear())) +
      (openEnded || e.recurrence.length ? 15 : 1);
    const known = years.get(e.timeZone);
    years.set(e.timeZone, {
      from: Math.min(from, known?.from ?? from),
      to: Math.max(to, known?.to ?? to),
    });
  }
  for (const [zone, span] of years) writeVTimezone(ics, zone, span.from, span.to);
}

export function rrule(
  r: Recurrence,
  event: Pick<CalendarEvent, 'allDay' | 'floating' | 'timeZone'>,
): string {
  const parts = [`FREQ=${r.frequency}`];
  if (r.interval > 1) parts.push(`INTERVAL=${r.interval}`);
  if (r.count) parts.push(`COUNT=${r.count}`);
  else if (r.until)
    parts.push(
      `UNTIL=${event.allDay ? dateValue(allDayStart(r.until)) : event.floating ? floatingDateTime(r.until) : utcDateTime(r.until)}`,
    );
  if (r.byDay.length) parts.push(`BYDAY=${r.byDay.join(',')}`);
  if (r.byMonthDay.length) parts.push(`BYMONTHDAY=${r.byMonthDay.join(',')}`);
  if (r.byMonth.length) parts.push(`BYMONTH=${r.byMonth.join(',')}`);
  if (r.bySetPos.length) parts.push(`BYSETPOS=${r.bySetPos.join(',')}`);
  if (r.weekStart) parts.push(`WKST=${r.weekStart}`);
  return parts.join(';');
}

function personProp(ics: IcsBuilder, name: 'ATTENDEE' | 'ORGANIZER', p: Person): void {
  const address = p.email
    ? `mailto:${p.email}`
    : p.phone
      ? `tel:${p.phone.replace(/[^\d+]/g, '')}`
      : null;
  if (!address) return;
  const params: Record<string, string | undefined> = { CN: p.name ?? undefined };
  if (name === 'ATTENDEE') {
    params.ROLE = p.role ?? undefined;
    params.PARTSTAT = p.status ?? undefined;
  }
  ics.uri(name, address, params);
}

/** Writes one VEVENT; false when the event has no start (RFC 5545 needs DTSTART without a METHOD). */
export function writeEvent(ics: IcsBuilder, e: CalendarEvent, exportedAt: Date): boolean {
  if (!e.start) return false;
  ics.begin('VEVENT');
  ics.text('UID', e.uid);
  ics.raw('DTSTAMP', utcDateTime(e.lastModified ?? e.created ?? exportedAt));
  const start = timeValue(e, e.start);
  ics.raw('DTSTART', start.value, start.params);
  if (e.allDay) {
    const first = allDayStart(e.start);
    const days = e.end ? Math.max(1, Math.round((e.end.getTime() - e.start.getTime()) / DAY)) : 1;
    ics.raw('DTEND', dateValue(new Date(first.getTime() + days * DAY)), { VALUE: 'DATE' });
  } else if (e.end && e.end.getTime() >= e.start.getTime()) {
    const end = timeValue(e, e.end);
    ics.raw('DTEND', end.value, end.params);
  }
  if (e.recurrenceId) {
    const rid = timeValue(e, e.recurrenceId);
    ics.raw('RECURRENCE-ID', rid.value, rid.params);
  }
  ics.text('SUMMARY', e.summary);
  ics.text('DESCRIPTION', e.description);
  if (e.location) {
    const text = [e.location.title, e.location.address].filter((t) => t && t.trim()).join('\n');
    ics.text('LOCATION', text);
    if (
      e.location.latitude !== null &&
      e.location.longitude !== null &&
      (e.location.latitude !== 0 || e.location.longitude !== 0)
    ) {
      ics.raw('GEO', `${e.location.latitude};${e.location.longitude}`);
    }
  }
  ics.uri('URL', e.url);
  if (e.status) ics.raw('STATUS', e.status);
  if (e.created) ics.raw('CREATED', utcDateTime(e.created));
  if (e.lastModified) ics.raw('LAST-MODIFIED', utcDateTime(e.lastModified));
  if (e.timeZone && !e.allDay && !e.floating && !isNamedZone(e.timeZone))
    ics.text('X-RECLAIM-TZID', e.timeZone);
  for (const r of e.recurrence) ics.raw('RRULE', rrule(r, e));
  for (const x of e.exceptionDates) {
    const v = timeValue(e, x);
    ics.raw('EXDATE', v.value, v.params);
  }
  if (e.organizer) personProp(ics, 'ORGANIZER', e.organizer);
  for (const a of e.attendees) personProp(ics, 'ATTENDEE', a);
  recoveredProps(ics, e.recovered);
  for (const alarm of e.alarms) {
    ics.begin('VALARM').raw('ACTION', 'DISPLAY');
    if (alarm.at) ics.raw('TRIGGER', utcDateTime(alarm.at), { VALUE: 'DATE-TIME' });
    else ics.raw('TRIGGER', duration(alarm.offsetSeconds ?? 0));
    ics.text('DESCRIPTION', e.summary || 'Reminder');
    ics.end('VALARM');
  }
  ics.end('VEVENT');
  return true;
}

/** Writes one VTODO. */
export function writeTodo(ics: IcsBuilder, r: Reminder, exportedAt: Date): void {
  ics.begin('VTODO');
  ics.text('UID', r.uid);
  ics.raw('DTSTAMP', utcDateTime(r.lastModified ?? r.created ?? exportedAt));
  if (r.created) ics.raw('CREATED', utcDateTime(r.created));
  if (r.lastModified) ics.raw('LAST-MODIFIED', utcDateTime(r.lastModified));
  ics.text('SUMMARY', r.title);
  ics.text('DESCRIPTION', r.notes);
  ics.uri('URL', r.url);
  if (r.due) {
    if (r.dueAllDay) ics.raw('DUE', dateValue(allDayStart(r.due)), { VALUE: 'DATE' });
    else ics.raw('DUE', utcDateTime(r.due));
  }
  if (r.priority !== null && r.priority >= 0 && r.priority <= 9)
    ics.raw('PRIORITY', String(r.priority));
  ics.raw('STATUS', r.completed ? 'COMPLETED' : 'NEEDS-ACTION');
  if (r.completed && r.completionDate) ics.raw('COMPLETED', utcDateTime(r.completionDate));
  if (r.flagged) ics.text('X-APPLE-FLAGGED', 'TRUE');
  recoveredProps(ics, r.recovered);
  for (const alarm of r.alarms ?? []) {
    ics.begin('VALARM').raw('ACTION', 'DISPLAY');
    ics.raw('TRIGGER', utcDateTime(alarm), { VALUE: 'DATE-TIME' });
    ics.text('DESCRIPTION', r.title || 'Reminder');
    ics.end('VALARM');
  }
  ics.end('VTODO');
}
