import { tableView } from '../components/table-view.js';
import type { Fields } from '../items.js';
import { formatInZone, formatTime } from '../time.js';

const DAY = 86_400_000;

/** An all-day event's day: iOS keeps them at floating midnight, so the UTC day is the one meant. */
function dayOf(value: string): string {
  const d = new Date(Math.floor((Date.parse(value) + 12 * 3600_000) / DAY) * DAY);
  return d.toISOString().slice(0, 10);
}

/** Start and end: a date for all-day events, else the time in the event's own zone, named. */
function eventTime(key: string, e: Fields): string | undefined {
  if (key !== 'start' && key !== 'end') return undefined;
  const value = e[key];
  if (typeof value !== 'string') return '';
  if (e['allDay']) {
    if (key === 'end') {
      // The end of an all-day event is the next midnight: show the last day it covers.
      const last = new Date(Date.parse(dayOf(value)) - DAY).toISOString().slice(0, 10);
      return last >= dayOf(String(e['start'] ?? value))
        ? `${last} (all day)`
        : `${dayOf(value)} (all day)`;
    }
    return `${dayOf(value)} (all day)`;
  }
  if (e['floating'])
    return `${value.slice(0, 10)} ${value.slice(11, 16)} (floating: same clock time everywhere)`;
  if (typeof e['timeZone'] === 'string' && e['timeZone']) return formatInZone(value, e['timeZone']);
  return `${formatTime(value)} (your time)`;
}

/** Calendar: all-day events as dates, timed ones in their own time zone with the zone shown. */
export const calendarView = tableView('calendar', {
  label: 'Calendar',
  columns: ['summary', 'start', 'end', 'calendar', 'location', 'allDay'],
  date: 'start',
  cell: eventTime,
});
