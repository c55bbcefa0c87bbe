import type { ArtifactData } from '../artifacts/artifact.js';
import { pushTo } from '../collections.js';
import { join } from 'node:path';
import type { Problem } from '../artifacts/artifact.js';
import { calendarDeclaration, type CalendarEvent } from '../artifacts/calendar/index.js';
import { toCsv } from './csv.js';
import { defineExporter } from './exporter.js';
import { safeFileName, UniqueNames, writeFileAtomic } from './files.js';
import { beginCalendar, rrule, writeEvent, writeTimezones } from './ical/components.js';
import { IcsBuilder } from './ical/ics.js';
import { toJson } from './json.js';
import { eventColumn, eventTime } from './event-times.js';
import { clock, type Clock } from '../time.js';

/** One event as calendar.json holds it (times in the event's own zone, all-day events as dates). */
export function eventJson(e: CalendarEvent, times: Clock): Record<string, unknown> {
  return {
    ...e,
    start: eventTime(e, e.start, times),
    end: eventTime(e, e.end, times),
    recurrenceId: eventTime(e, e.recurrenceId, times),
    exceptionDates: e.exceptionDates.map((d) => eventTime(e, d, times)),
  };
}

/** One .ics per calendar (RFC 5545), events.csv and calendar.json. */
export const calendarExporter = defineExporter(
  calendarDeclaration,
  async (data: ArtifactData<CalendarEvent>, context) => {
    const problems: Problem[] = [];
    const counts: Record<string, number> = {
      events: data.items.length,
      recovered: data.items.filter((e) => e.recovered).length,
    };
    let files = 0;
    const exportedAt = new Date();
    const times = clock(context.options.time);
    if (context.formats.includes('ics')) {
      const byCalendar = new Map<string, CalendarEvent[]>();
      for (const e of data.items) {
        const key = `${e.calendarId ?? ''}\0${e.calendar}`;
        pushTo(byCalendar, key, e);
      }
      const names = new UniqueNames();
      let skipped = 0;
      let done = 0;
      for (const events of byCalendar.values()) {
        const ics = new IcsBuilder();
        beginCalendar(ics, events[0]!.calendar);
        writeTimezones(ics, events);
        for (const e of events) {
          if (!writeEvent(ics, e, exportedAt)) skipped++;
          context.onProgress?.(++done, data.items.length);
        }
        ics.end('VCALENDAR');
        writeFileAtomic(
          join(context.outDir, names.take(`${safeFileName(events[0]!.calendar, 'Calendar')}.ics`)),
          ics.toString(),
        );
        files++;
      }
      counts.calendars = byCalendar.size;
      if (skipped)
        problems.push({
          severity: 'warning',
          message: `Calendar: ${skipped} event(s) without a start date are only in the CSV and JSON files`,
        });
    }
    if (context.formats.includes('csv')) {
      const header = [
        'calendar',
        'account',
        'summary',
        eventColumn('start', times),
        eventColumn('end', times),
        'all_day',
        'time_zone',
        'location',
        'address',
        'recurrence',
        times.utc ? 'alarms_minutes' : `alarms_minutes (or times in ${times.zone})`,
        'organizer',
        'attendees',
        'description',
        'url',
        'uid',
        'recovered',
        'recovered_from',
      ];
      const rows = data.items.map((e) => [
        e.calendar,
        e.account,
        e.summary,
        eventTime(e, e.start, times),
        eventTime(e, e.end, times),
        e.allDay,
        e.floating ? 'floating' : e.timeZone,
        e.location?.title,
        e.location?.address,
        e.recurrence.map((r) => rrule(r, e)).join(' | '),
        e.alarms
          .map((a) => (a.at ? times.iso(a.at) : String((a.offsetSeconds ?? 0) / 60)))
          .join(' | '),
        e.organizer ? [e.organizer.name, e.organizer.email].filter(Boolean).join(' ') : '',
        e.attendees
          .map((a) => [a.name, a.email ? `<${a.email}>` : ''].filter(Boolean).join(' '))
          .join('; '),
        e.description,
        e.url,
        e.uid,
        e.recovered ? 'yes' : '',
        e.recovered?.source,
      ]);
      writeFileAtomic(join(context.outDir, 'events.csv'), toCsv(header, rows, times));
      files++;
    }
    if (context.formats.includes('json')) {
      const events = data.items.map((e) => eventJson(e, times));
      writeFileAtomic(join(context.outDir, 'calendar.json'), toJson({ events }, times));
      files++;
    }
    return { artifact: 'calendar', counts, files, problems };
  },
);
