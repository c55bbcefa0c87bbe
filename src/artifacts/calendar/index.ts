import { pushTo } from '../../collections.js';
import { readDatabase, type DatabaseProblems } from '../read-database.js';
import { num, str } from '../sql-values.js';
import { emptyData, defineReader, type RecoveredMark } from '../artifact.js';
import { fromAppleTime } from '../apple-time.js';
import { defineArtifact } from '../declaration.js';
import { declaredIdentity } from '../identity.js';
import type { ArtifactDatabase, Row } from '../database.js';
import type { ArtifactSource } from '../source.js';
import { attachEarlierVersions, attachOtherVersions, type EarlierVersion } from '../history.js';
import { CALENDAR_SCHEMA } from './schema.js';

/**
 * Calendar events from HomeDomain Library/Calendar/Calendar.sqlitedb (iOS 6 to 26). Columns differ per
 * version (Alarm.owner_id became calendaritem_owner_id, Location gained address, ...): every column is
 * detected before it is read, and missing tables become problems, never crashes.
 * CalendarItem.entity_type 2 = event, 3 = task (reminders before iOS 13: the reminders artifact reads those).
 */

export const calendarDeclaration = defineArtifact({
  id: 'calendar',
  title: 'Calendar',
  locations: {
    database: {
      domain: 'HomeDomain',
      path: 'Library/Calendar/Calendar.sqlitedb',
      kind: 'database',
      naturalKey: [
        { table: 'CalendarItem', columns: ['unique_identifier'] },
        { table: 'CalendarItem', columns: ['summary', 'start_date'] },
        { table: 'CalendarItem', columns: ['summary', 'creation_date'] },
      ],
      schema: CALENDAR_SCHEMA,
    },
  },
  identity: {
    describe: 'the event UID with its recurrence id (the occurrence a changed one replaces)',
    keys: [
      {
        fields: ['uid', 'recurrenceId'],
        from: { table: 'CalendarItem', columns: ['unique_identifier', 'orig_date'] },
      },
    ],
  },
  needsNames: false,
  aliases: [],
  formats: ['ics', 'csv', 'json'],
  defaultFormats: ['ics', 'csv', 'json'],
});

export const calendarIdentity = declaredIdentity<CalendarEvent>()(calendarDeclaration, {
  volatile: ['rowid', 'calendarId'],
});

export const CALENDAR_DOMAIN = calendarDeclaration.locations.database.domain;
export const CALENDAR_PATH = calendarDeclaration.locations.database.path;

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface Recurrence {
  frequency: Frequency;
  interval: number;
  count: number | null;
  until: Date | null;
  /** RRULE BYDAY values: "MO", "2TU", "-1FR". */
  byDay: string[];
  byMonthDay: number[];
  byMonth: number[];
  bySetPos: number[];
  weekStart: string | null;
}

export interface Alarm {
  /** Seconds relative to the start (negative: before). */
  offsetSeconds: number | null;
  /** An absolute trigger time, when the alarm has one instead. */
  at: Date | null;
}

export interface Person {
  name: string | null;
  email: string | null;
  phone?: string | null;
  /** RFC 5545 PARTSTAT (ACCEPTED, DECLINED, ...), when known. */
  status: string | null;
  /** RFC 5545 ROLE, when known. */
  role: string | null;
}

export interface EventLocation {
  title: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface CalendarEvent {
  rowid: number;
  uid: string;
  calendarId: number | null;
  calendar: string;
  account: string | null;
  summary: string | null;
  description: string | null;
  url: string | null;
  start: Date | null;
  end: Date | null;
  allDay: boolean;
  /** IANA zone the event was made in; null for floating or unknown. */
  timeZone: string | null;
  floating: boolean;
  location: EventLocation | null;
  recurrence: Recurrence[];
  exceptionDates: Date[];
  /** For a changed occurrence of a recurring event: the occurrence it replaces. */
  recurrenceId: Date | null;
  alarms: Alarm[];
  organizer: Person | null;
  attendees: Person[];
  status: string | null;
  created: Date | null;
  lastModified: Date | null;
  recovered?: RecoveredMark;
  /** Earlier versions of this event (old copies of its row a sync left behind, with other values). */
  earlierVersions?: EarlierVersion[];
}

const HISTORY = { ignore: ['rowid'], bookkeeping: ['lastModified'] };

export interface CalendarInfo {
  id: number;
  title: string;
  color: string | null;
  account: string | null;
}

const FREQUENCIES: Record<number, Frequency> = {
  1: 'DAILY',
  2: 'WEEKLY',
  3: 'MONTHLY',
  4: 'YEARLY',
};
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const PARTSTAT: Record<number, string> = {
  1: 'NEEDS-ACTION',
  2: 'ACCEPTED',
  3: 'DECLINED',
  4: 'TENTATIVE',
  5: 'DELEGATED',
  6: 'COMPLETED',
  7: 'IN-PROCESS',
};
const ROLES: Record<number, string> = {
  1: 'REQ-PARTICIPANT',
  2: 'OPT-PARTICIPANT',
  3: 'CHAIR',
  4: 'NON-PARTICIPANT',
};
const EVENT_STATUS: Record<number, string> = { 1: 'CONFIRMED', 2: 'TENTATIVE', 3: 'CANCELLED' };

/**
 * The Recurrence.specifier text: keys separated by ';', e.g. "D=0MO,0WE" (0 = every week, +2/-1 = which
 * one in the month), "M=1,15" (days of the month), "O=3,4" (months), "P=-1" (set positions).
 */
export function parseSpecifier(
  spec: string | null,
): Pick<Recurrence, 'byDay' | 'byMonthDay' | 'byMonth' | 'bySetPos'> {
  const out = {
    byDay: [] as string[],
    byMonthDay: [] as number[],
    byMonth: [] as number[],
    bySetPos: [] as number[],
  };
  if (!spec) return out;
  for (const part of spec.split(';')) {
    const [key, value = ''] = part.split('=');
    const values = value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    switch (key?.trim().toUpperCase()) {
      case 'D':
        for (const v of values) {
          const m = /^([+-]?\d+)?([A-Z]{2})$/i.exec(v);
          if (!m) continue;
          const n = Number(m[1] ?? 0);
          out.byDay.push(`${n !== 0 ? String(n) : ''}${m[2]!.toUpperCase()}`);
        }
        break;
      case 'M':
        out.byMonthDay.push(...values.map(Number).filter((n) => Number.isInteger(n) && n !== 0));
        break;
      case 'O':
        out.byMonth.push(
          ...values.map(Number).filter((n) => Number.isInteger(n) && n >= 1 && n <= 12),
        );
        break;
      case 'P':
        out.bySetPos.push(...values.map(Number).filter((n) => Number.isInteger(n) && n !== 0));
        break;
    }
  }
  return out;
}

/** Reads the rows of a table, or [] with a warning when it is absent. */
function tableRows(db: ArtifactDatabase, table: string, problems: DatabaseProblems): Row[] {
  if (!db.hasTable(table)) {
    problems.warn(`${db.label}: table ${table} is missing; its details are left out`);
    return [];
  }
  return db.all(`SELECT rowid AS __rowid, * FROM "${table}"`);
}

function groupBy(rows: Row[], column: string | null): Map<number, Row[]> {
  const map = new Map<number, Row[]>();
  if (!column) return map;
  for (const row of rows) {
    const key = num(row[column]);
    if (key === null) continue;
    pushTo(map, key, row);
  }
  return map;
}

const firstColumn = (db: ArtifactDatabase, table: string, candidates: string[]): string | null =>
  db.hasTable(table) ? (candidates.find((c) => db.hasColumn(table, c)) ?? null) : null;

/** Everything the CalendarItem rows refer to, read once. */
export interface CalendarContext {
  calendars: Map<number, CalendarInfo>;
  locations: Map<number, Row>;
  recurrences: Map<number, Row[]>;
  alarms: Map<number, Row[]>;
  participants: Map<number, Row>;
  participantsByOwner: Map<number, Row[]>;
  identities: Map<number, Row>;
  exceptions: Map<number, Row[]>;
}

function readCalendarContext(db: ArtifactDatabase, problems: DatabaseProblems): CalendarContext {
  const stores = new Map(
    tableRows(db, 'Store', problems).map((r) => [num(r.__rowid)!, str(r.name)]),
  );
  const calendars = new Map<number, CalendarInfo>();
  for (const r of tableRows(db, 'Calendar', problems)) {
    const id = num(r.__rowid)!;
    calendars.set(id, {
      id,
      title: str(r.title) ?? `Calendar ${id}`,
      color: str(r.color),
      account: stores.get(num(r.store_id) ?? -1) ?? null,
    });
  }
  const participants = tableRows(db, 'Participant', problems);
  const alarmOwner = firstColumn(db, 'Alarm', ['calendaritem_owner_id', 'owner_id']);
  return {
    calendars,
    locations: new Map(tableRows(db, 'Location', problems).map((r) => [num(r.__rowid)!, r])),
    recurrences: groupBy(tableRows(db, 'Recurrence', problems), 'owner_id'),
    alarms: groupBy(tableRows(db, 'Alarm', problems), alarmOwner),
    participants: new Map(participants.map((r) => [num(r.__rowid)!, r])),
    participantsByOwner: groupBy(participants, 'owner_id'),
    identities: new Map(tableRows(db, 'Identity', problems).map((r) => [num(r.__rowid)!, r])),
    exceptions: db.hasTable('ExceptionDate')
      ? groupBy(db.all('SELECT * FROM ExceptionDate'), 'owner_id')
      : new Map(),
  };
}

function person(ctx: CalendarContext, row: Row): Person {
  const identity = ctx.identities.get(num(row.identity_id) ?? -1);
  const address = str(identity?.address);
  const email =
    str(row.email) ??
    (address && /^mailto:/i.test(address)
      ? address.replace(/^mailto:/i, '')
      : address?.includes('@')
        ? address
        : null);
  const name =
    str(identity?.display_name) ??
    ([str(identity?.first_name), str(identity?.last_name)].filter(Boolean).join(' ') || null);
  return {
    name,
    email,
    phone: str(row.phone_number),
    status: PARTSTAT[num(row.status) ?? -1] ?? null,
    role: ROLES[num(row.role) ?? -1] ?? null,
  };
}

function recurrenceOf(row: Row, byMonthMask: unknown): Recurrence | null {
  const frequency = FREQUENCIES[num(row.frequency) ?? -1];
  if (!frequency) return null;
  const spec = parseSpecifier(str(row.specifier));
  const mask = num(byMonthMask);
  if (mask && spec.byMonth.length === 0)
    for (let m = 1; m <= 12; m++) if (mask & (1 << (m - 1))) spec.byMonth.push(m);
  const count = num(row.count);
  const weekStart = num(row.week_start);
  return {
    frequency,
    interval: Math.max(1, num(row.interval) ?? 1),
    count: count && count > 0 ? count : null,
    until: count && count > 0 ? null : fromAppleTime(row.end_date),
    ...spec,
    weekStart: weekStart && weekStart >= 1 && weekStart <= 7 ? WEEKDAYS[weekStart - 1]! : null,
  };
}

/** One CalendarItem row (live or recovered) as an event. */
function eventFromRow(row: Row, ctx: CalendarContext, recovered?: RecoveredMark): CalendarEvent {
  const rowid = num(row.ROWID ?? row.__rowid) ?? 0;
  const calendarId = num(row.calendar_id);
  const cal = calendarId !== null ? ctx.calendars.get(calendarId) : undefined;
  const tz = str(row.start_tz);
  const floating = tz === '_float';
  const loc = ctx.locations.get(num(row.location_id) ?? -1);
  const organizerId = num(row.organizer_id);
  const organizerRow = organizerId ? ctx.participants.get(organizerId) : undefined;
  const attendees = (ctx.participantsByOwner.get(rowid) ?? [])
    .filter((p) => num(p.__rowid) !== organizerId)
    .map((p) => person(ctx, p));
  const alarms: Alarm[] = (ctx.alarms.get(rowid) ?? [])
    .filter((a) => num(a.disabled) !== 1)
    .map((a) => ({
      offsetSeconds: num(a.trigger_date) ? null : (num(a.trigger_interval) ?? 0),
      at: fromAppleTime(a.trigger_date),
    }));
  const recurrence = (ctx.recurrences.get(rowid) ?? [])
    .map((r) => recurrenceOf(r, r.by_month_months))
    .filter((r): r is Recurrence => r !== null);
  return {
    rowid,
    uid: str(row.unique_identifier) ?? str(row.UUID) ?? `reclaim-calendar-item-${rowid}`,
    calendarId,
    calendar: cal?.title ?? (calendarId !== null ? `Calendar ${calendarId}` : 'Calendar'),
    account: cal?.account ?? null,
    summary: str(row.summary),
    description: str(row.description),
    url: str(row.url) ?? str(row.conference_url_detected) ?? str(row.conference_url),
    start: fromAppleTime(row.start_date),
    end: fromAppleTime(row.end_date),
    allDay: num(row.all_day) === 1,
    timeZone: tz && !floating ? tz : null,
    floating,
    location: loc
      ? {
          title: str(loc.title),
          address: str(loc.address),
          latitude: num(loc.latitude),
          longitude: num(loc.longitude),
        }
      : null,
    recurrence,
    exceptionDates: (ctx.exceptions.get(rowid) ?? [])
      .map((e) => fromAppleTime(e.date))
      .filter((d): d is Date => d !== null),
    recurrenceId: num(row.orig_item_id) ? fromAppleTime(row.orig_date) : null,
    alarms,
    organizer: organizerRow ? person(ctx, organizerRow) : null,
    attendees,
    status: EVENT_STATUS[num(row.status) ?? -1] ?? null,
    created: fromAppleTime(row.creation_date),
    lastModified: fromAppleTime(row.last_modified),
    ...(recovered ? { recovered } : {}),
  };
}

export interface CalendarRead {
  events: CalendarEvent[];
  calendars: CalendarInfo[];
}

export const calendarArtifact = defineReader(
  calendarDeclaration,
  async (source: ArtifactSource, options) => {
    const data = emptyData<CalendarEvent>('calendar');
    const found = await readDatabase(
      source,
      calendarDeclaration.locations.database,
      data,
      { title: calendarDeclaration.title, recoverDeleted: options.recoverDeleted },
      (db, problems) => {
        if (!db.hasTable('CalendarItem')) {
          problems.error(`${db.label}: table CalendarItem is missing; no events can be read`);
          return;
        }
        const ctx = readCalendarContext(db, problems);
        const hasType = db.hasColumn('CalendarItem', 'entity_type');
        const isEvent = (row: Row) => !hasType || num(row.entity_type) !== 3;
        const rows = db
          .all(
            `SELECT rowid AS __rowid, * FROM CalendarItem ORDER BY ${db.hasColumn('CalendarItem', 'start_date') ? 'start_date, ' : ''}rowid`,
          )
          .filter(isEvent);
        const live = new Map<number, CalendarEvent>();
        for (const row of rows) {
          const event = eventFromRow(row, ctx);
          live.set(event.rowid, event);
          data.items.push(event);
        }
        // A changed occurrence carries its master's UID.
        const byRow = new Map(data.items.map((e) => [e.rowid, e]));
        for (const row of rows) {
          const master = byRow.get(num(row.orig_item_id) ?? -1);
          const event = byRow.get(num(row.__rowid) ?? -1);
          if (master && event && event !== master) event.uid = master.uid;
        }
        if (options.recoverDeleted !== false) {
          // old copies of live events (a sync rewrote them) are their history, never events of their own
          attachEarlierVersions(
            db,
            'CalendarItem',
            live,
            (values, mark) => {
              const event = eventFromRow(values, ctx, mark);
              event.uid = live.get(event.rowid)?.uid ?? event.uid;
              return event;
            },
            HISTORY,
          );
          for (const r of db.recovered('CalendarItem')) {
            if (!isEvent(r.values) || (r.values.summary === null && r.values.start_date === null))
              continue;
            const event = eventFromRow({ ...r.values, __rowid: r.rowid }, ctx, r.recovered);
            attachOtherVersions(
              event,
              r,
              (values, mark) => eventFromRow({ ...values, __rowid: r.rowid }, ctx, mark),
              HISTORY,
            );
            event.uid = `${event.uid}-recovered-${r.rowid ?? 'x'}`;
            data.items.push(event);
          }
        }
      },
    );
    if (found === 'absent')
      data.notInBackup.push(
        'This backup holds no Calendar.sqlitedb (calendars kept only in iCloud are not in backups).',
      );
    return data;
  },
);
