import type { CalendarEvent } from '../artifacts/calendar/index.js';
import type { Reminder } from '../artifacts/reminders/index.js';
import { isoWithOffset, type Clock } from '../time.js';
import { allDayStart } from './ical/components.js';
import { isNamedZone } from './ical/timezone.js';

/** 2024-07-01 */
const dateOnly = (date: Date) => allDayStart(date).toISOString().slice(0, 10);

/**
 * A calendar time for CSV and JSON, kept in the event's own terms: an all-day event's date, a floating
 * event's wall-clock time (no offset), a zoned event's time in its own zone, others in the clock's.
 * With --utc: ISO 8601 in UTC, as always.
 */
export function eventTime(
  event: Pick<CalendarEvent, 'allDay' | 'floating' | 'timeZone'>,
  date: Date | null,
  clock: Clock,
): string | null {
  if (!date || Number.isNaN(date.getTime())) return null;
  if (clock.utc) return date.toISOString();
  if (event.allDay) return dateOnly(date);
  if (event.floating) return date.toISOString().slice(0, 19);
  if (isNamedZone(event.timeZone)) return isoWithOffset(date, { zone: event.timeZone });
  return clock.iso(date);
}

/** The header of such a column: "start (own zone or America/New_York)", or "start" with --utc. */
export function eventColumn(name: string, clock: Clock): string {
  return clock.utc ? name : `${name} (own zone or ${clock.zone})`;
}

/** A reminder's due time: its date when due all day, else in the clock's zone. */
export function dueTime(reminder: Reminder, clock: Clock): string | null {
  if (!reminder.due || Number.isNaN(reminder.due.getTime())) return null;
  return reminder.dueAllDay && !clock.utc ? dateOnly(reminder.due) : clock.iso(reminder.due);
}
