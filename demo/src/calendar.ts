import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate } from './apple-time.js';
import { demoUUID } from './ids.js';
import { person } from './people.js';
import { CALENDAR_IOS11_2_SCHEMA } from './schemas/calendar-ios11-2.js';
import { addColumns, buildSqliteFile, insertRow } from './sqlite-file.js';

/**
 * Library/Calendar/Calendar.sqlitedb: the real iOS 11.2 schema, migrated (ALTER TABLE ADD COLUMN) with the
 * five CalendarItem columns the real iOS 14.3 file has in addition. Dates are seconds since 2001.
 * CalendarItem.entity_type 2 = event. Recurrence.frequency 2 = weekly. Alarm.trigger_interval: seconds before start (negative).
 * No reminder: from iOS 13 reminders live in the Reminders app's own store, not in Calendar.sqlitedb.
 */
export const CALENDAR_IOS14_3_EXTRA_COLUMNS = [
  'end_location_id INTEGER',
  'contact_identifier TEXT',
  'recurrence_set TEXT',
  'flags INTEGER',
  'contact_name TEXT',
] as const;

export interface DemoCalendar {
  rowid: number;
  title: string;
  color: string;
}
export interface DemoEvent {
  rowid: number;
  calendarRowid: number;
  summary: string;
  start: string;
  end: string;
  allDay: boolean;
  timeZone: string;
  location: {
    rowid: number;
    title: string;
    address: string;
    latitude: number;
    longitude: number;
  } | null;
  weeklyOnDay: string | null;
  alarmMinutesBefore: number | null;
  attendees: Array<{ rowid: number; name: string; email: string }>;
  /** Optional extras (the default demo data leaves them out, so its bytes stay the same). */
  description?: string;
  url?: string;
  /** A full recurrence; frequency 1 daily, 2 weekly, 3 monthly, 4 yearly; specifier as iOS writes it ("D=0MO,0WE"). */
  recurrence?: {
    frequency: number;
    interval: number;
    count?: number;
    until?: string;
    specifier?: string;
  };
  /** Alarms at more than one offset (minutes before the start). */
  moreAlarmsMinutesBefore?: number[];
}
/** A reminder kept as a task in Calendar.sqlitedb (before iOS 13): CalendarItem.entity_type 3. */
export interface DemoCalendarTask {
  rowid: number;
  calendarRowid: number;
  title: string;
  notes?: string;
  due?: string;
  dueAllDay?: boolean;
  completed?: string;
  priority?: number;
}
export interface CalendarData {
  calendars: DemoCalendar[];
  events: DemoEvent[];
  tasks?: DemoCalendarTask[];
}

export function calendarData(): CalendarData {
  const jamie = person('jamie'),
    sam = person('sam');
  return {
    calendars: [
      { rowid: 1, title: 'Home', color: '#1BADF8' },
      { rowid: 2, title: 'Work', color: '#CC73E1' },
    ],
    events: [
      {
        rowid: 1,
        calendarRowid: 1,
        summary: 'Dinner with Jamie',
        start: '2024-03-09T03:15:00Z',
        end: '2024-03-09T04:45:00Z',
        allDay: false,
        timeZone: 'America/Los_Angeles',
        location: {
          rowid: 1,
          title: 'Thai Basil',
          address: '1450 Valencia St, San Francisco, CA 94110',
          latitude: 37.7487,
          longitude: -122.4203,
        },
        weeklyOnDay: null,
        alarmMinutesBefore: null,
        attendees: [],
      },
      {
        rowid: 2,
        calendarRowid: 1,
        summary: 'Dentist cleaning',
        start: '2024-04-09T16:30:00Z',
        end: '2024-04-09T17:30:00Z',
        allDay: false,
        timeZone: 'America/Los_Angeles',
        location: {
          rowid: 2,
          title: 'Oak Street Dental',
          address: '210 Oak St, San Francisco, CA 94102',
          latitude: 37.7749,
          longitude: -122.4218,
        },
        weeklyOnDay: null,
        alarmMinutesBefore: 60,
        attendees: [],
      },
      {
        rowid: 3,
        calendarRowid: 2,
        summary: 'Team standup',
        start: '2024-09-02T16:00:00Z',
        end: '2024-09-02T16:15:00Z',
        allDay: false,
        timeZone: 'America/Los_Angeles',
        location: null,
        weeklyOnDay: 'MO',
        alarmMinutesBefore: 10,
        attendees: [],
      },
      {
        rowid: 4,
        calendarRowid: 1,
        summary: 'Mount Tam hike',
        start: '2025-01-18T08:00:00Z',
        end: '2025-01-19T08:00:00Z',
        allDay: true,
        timeZone: '_float',
        location: null,
        weeklyOnDay: null,
        alarmMinutesBefore: null,
        attendees: [
          { rowid: 1, name: 'Jamie Chen', email: jamie.email! },
          { rowid: 2, name: 'Sam Rivera', email: sam.email! },
        ],
      },
    ],
  };
}

export function buildCalendar(data: CalendarData = calendarData()): BackupFileInput[] {
  const schema = [
    ...CALENDAR_IOS11_2_SCHEMA,
    ...addColumns('CalendarItem', CALENDAR_IOS14_3_EXTRA_COLUMNS),
  ];
  const db = buildSqliteFile(schema, (db) => {
    insertRow(db, 'Store', {
      ROWID: 1,
      name: 'Default',
      type: 0,
      disabled: 0,
      persistent_id: demoUUID('calendar-store'),
      flags: 0,
    });
    data.calendars.forEach((c, i) => {
      insertRow(db, 'Calendar', {
        ROWID: c.rowid,
        store_id: 1,
        title: c.title,
        flags: 0,
        color: c.color,
        type: 'local',
        supported_entity_types: 4,
        display_order: i,
        UUID: demoUUID(`calendar-${c.rowid}`),
      });
    });
    let alarmRowid = 0;
    for (const e of data.events) {
      if (e.location) {
        insertRow(db, 'Location', {
          ROWID: e.location.rowid,
          title: e.location.title,
          address: e.location.address,
          latitude: e.location.latitude,
          longitude: e.location.longitude,
          item_owner_id: e.rowid,
        });
      }
      insertRow(db, 'CalendarItem', {
        ROWID: e.rowid,
        summary: e.summary,
        location_id: e.location?.rowid ?? 0,
        start_date: appleSeconds(e.start),
        start_tz: e.timeZone,
        end_date: appleSeconds(e.end),
        end_tz: e.timeZone,
        all_day: e.allDay ? 1 : 0,
        calendar_id: e.calendarRowid,
        orig_item_id: 0,
        organizer_id: 0,
        status: 0,
        invitation_status: 0,
        availability: 0,
        privacy_level: 0,
        last_modified: appleSeconds(e.start) - 7 * 86400,
        sequence_num: 0,
        hidden: 0,
        has_recurrences: e.weeklyOnDay ? 1 : 0,
        has_attendees: e.attendees.length ? 1 : 0,
        UUID: demoUUID(`event-${e.rowid}`),
        unique_identifier: demoUUID(`event-uid-${e.rowid}`),
        entity_type: 2,
        creation_date: appleSeconds(e.start) - 7 * 86400,
        calendar_scale: null,
        ...(e.description !== undefined ? { description: e.description } : {}),
        ...(e.url !== undefined ? { url: e.url } : {}),
        ...(e.recurrence ? { has_recurrences: 1 } : {}),
      });
      if (e.recurrence) {
        const r = e.recurrence;
        insertRow(db, 'Recurrence', {
          frequency: r.frequency,
          interval: r.interval,
          week_start: 0,
          count: r.count ?? 0,
          end_date: r.until ? appleSeconds(r.until) : null,
          specifier: r.specifier ?? null,
          owner_id: e.rowid,
          UUID: demoUUID(`recurrence-${e.rowid}`),
        });
      }
      for (const minutes of e.moreAlarmsMinutesBefore ?? []) {
        insertRow(db, 'Alarm', {
          ROWID: ++alarmRowid,
          trigger_interval: -60 * minutes,
          type: 0,
          calendaritem_owner_id: e.rowid,
          UUID: demoUUID(`alarm-${e.rowid}-${minutes}`),
          disabled: 0,
        });
      }
      if (e.weeklyOnDay) {
        insertRow(db, 'Recurrence', {
          frequency: 2,
          interval: 1,
          week_start: 0,
          count: 0,
          specifier: `D=0${e.weeklyOnDay}`,
          owner_id: e.rowid,
          UUID: demoUUID(`recurrence-${e.rowid}`),
        });
      }
      if (e.alarmMinutesBefore !== null) {
        insertRow(db, 'Alarm', {
          ROWID: ++alarmRowid,
          trigger_interval: -60 * e.alarmMinutesBefore,
          type: 0,
          calendaritem_owner_id: e.rowid,
          UUID: demoUUID(`alarm-${e.rowid}`),
          disabled: 0,
        });
      }
      for (const a of e.attendees) {
        insertRow(db, 'Identity', {
          rowid: a.rowid,
          display_name: a.name,
          address: `mailto:${a.email}`,
        });
        insertRow(db, 'Participant', {
          ROWID: a.rowid,
          entity_type: 7,
          type: 1,
          status: 0,
          role: 1,
          identity_id: a.rowid,
          owner_id: e.rowid,
          UUID: demoUUID(`participant-${a.rowid}`),
          email: a.email,
          is_self: 0,
        });
      }
    }
    for (const t of data.tasks ?? []) {
      insertRow(db, 'CalendarItem', {
        ROWID: t.rowid,
        summary: t.title,
        description: t.notes ?? null,
        calendar_id: t.calendarRowid,
        entity_type: 3,
        all_day: 0,
        orig_item_id: 0,
        organizer_id: 0,
        due_date: t.due ? appleSeconds(t.due) : null,
        due_tz: t.due ? (t.dueAllDay ? '_float' : 'UTC') : null,
        due_all_day: t.dueAllDay ? 1 : 0,
        completion_date: t.completed ? appleSeconds(t.completed) : null,
        priority: t.priority ?? 0,
        hidden: 0,
        has_recurrences: 0,
        has_attendees: 0,
        UUID: demoUUID(`task-${t.rowid}`),
        unique_identifier: demoUUID(`task-uid-${t.rowid}`),
        creation_date: appleSeconds('2017-05-01T09:00:00Z'),
      });
    }
  });
  return [
    {
      domain: 'HomeDomain',
      relativePath: 'Library/Calendar/Calendar.sqlitedb',
      data: db,
      modified: asDate('2025-01-12T10:00:00Z'),
    },
  ];
}
