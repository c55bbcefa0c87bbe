import { pushTo } from '../../collections.js';
import { emptyData, defineReader, type ArtifactData, type RecoveredMark } from '../artifact.js';
import { fromAppleTime } from '../apple-time.js';
import { num, str } from '../sql-values.js';
import { readDatabase, type DatabaseLocation, type DatabaseProblems } from '../read-database.js';
import { defineArtifact } from '../declaration.js';
import type { ArtifactDatabase, Row } from '../database.js';

export const remindersDeclaration = defineArtifact({
  id: 'reminders',
  title: 'Reminders',
  locations: {
    stores: {
      domain: 'HomeDomain',
      path: 'Library/Reminders/Container_v1/Stores/Data-*.sqlite',
      kind: 'database',
      ios: { from: 13 },
      naturalKey: [
        { table: 'ZREMCDREMINDER', columns: ['ZCKIDENTIFIER'] },
        { table: 'ZREMCDOBJECT', columns: ['ZCKIDENTIFIER'] },
      ],
    },
    groupStores: {
      domain: 'AppDomainGroup-group.com.apple.reminders',
      path: 'Container_v1/Stores/Data-*.sqlite',
      kind: 'database',
      ios: { from: 17 },
      naturalKey: [{ table: 'ZREMCDREMINDER', columns: ['ZCKIDENTIFIER'] }],
    },
    calendarTasks: {
      domain: 'HomeDomain',
      path: 'Library/Calendar/Calendar.sqlitedb',
      kind: 'database',
      ios: { through: 12 },
      catalog: false,
      naturalKey: [{ table: 'CalendarItem', columns: ['unique_identifier'] }],
    },
  },
  identity: {
    describe: 'the reminder identifier (the calendar item UID before iOS 13)',
    keys: [
      { table: 'ZREMCDREMINDER', columns: ['ZDACALENDARITEMUNIQUEIDENTIFIER'] },
      { table: 'ZREMCDREMINDER', columns: ['ZCKIDENTIFIER'] },
      { table: 'CalendarItem', columns: ['unique_identifier'] },
    ],
  },
  needsNames: false,
  aliases: [],
  formats: ['ics', 'csv', 'json'],
  defaultFormats: ['ics', 'csv', 'json'],
});

/**
 * Reminders. iOS 13 and later: Core Data stores Library/Reminders/Container_v1/Stores/Data-*.sqlite
 * (HomeDomain; the Reminders group container from iOS 17). iOS 16+: table ZREMCDREMINDER; iOS 13 to 15:
 * REMCDReminder rows in ZREMCDOBJECT, picked by their Z_ENT from Z_PRIMARYKEY. Lists: ZREMCDBASELIST
 * (or REMCDList rows in ZREMCDOBJECT), joined by ZLIST. Before iOS 13: tasks in Calendar.sqlitedb
 * (CalendarItem.entity_type 3), their list being the Calendar row.
 * Every column is detected before it is read.
 */

export interface Reminder {
  uid: string;
  list: string;
  title: string | null;
  notes: string | null;
  url: string | null;
  completed: boolean;
  completionDate: Date | null;
  due: Date | null;
  dueAllDay: boolean;
  /** 0 none, 1 high, 5 medium, 9 low (as iCalendar PRIORITY). */
  priority: number | null;
  flagged: boolean;
  /** Deleted on the device, waiting for sync to remove it. */
  markedForDeletion: boolean;
  created: Date | null;
  lastModified: Date | null;
  /** Absolute alarm times, when known. */
  alarms: Date[];
  /** "domain/path" of the database it came from. */
  source: string;
  recovered?: RecoveredMark;
}

const STORE_GLOBS = [
  remindersDeclaration.locations.stores,
  remindersDeclaration.locations.groupStores,
];

function entityNumbers(db: ArtifactDatabase, names: string[]): number[] {
  if (!db.hasTable('Z_PRIMARYKEY')) return [];
  return db
    .all<{ Z_ENT: number }>(
      `SELECT Z_ENT FROM Z_PRIMARYKEY WHERE Z_NAME IN (${names.map(() => '?').join(',')})`,
      ...names,
    )
    .map((r) => r.Z_ENT);
}

const pick = (row: Row, ...columns: string[]): unknown => {
  for (const c of columns)
    if (row[c] !== undefined && row[c] !== null && row[c] !== '') return row[c];
  return null;
};

function reminderFromRow(
  row: Row,
  lists: Map<number, string>,
  label: string,
  recovered?: RecoveredMark,
): Reminder {
  const pk = num(row.Z_PK);
  const completionDate = fromAppleTime(row.ZCOMPLETIONDATE);
  return {
    uid:
      str(pick(row, 'ZDACALENDARITEMUNIQUEIDENTIFIER', 'ZCKIDENTIFIER', 'ZEXTERNALIDENTIFIER')) ??
      `reclaim-reminder-${label.replace(/[^A-Za-z0-9]+/g, '-')}-${pk ?? 'x'}`,
    list: lists.get(num(row.ZLIST) ?? -1) ?? 'Reminders',
    title: str(pick(row, 'ZTITLE1', 'ZTITLE')),
    notes: str(pick(row, 'ZNOTES1', 'ZNOTES')),
    url: null,
    completed:
      num(row.ZCOMPLETED) === 1 || (row.ZCOMPLETED === undefined && completionDate !== null),
    completionDate,
    due: fromAppleTime(row.ZDUEDATE),
    dueAllDay: num(row.ZALLDAY) === 1,
    priority: num(row.ZPRIORITY),
    flagged: num(row.ZFLAGGED) === 1,
    markedForDeletion: num(row.ZMARKEDFORDELETION) === 1,
    created: fromAppleTime(row.ZCREATIONDATE),
    lastModified: fromAppleTime(row.ZLASTMODIFIEDDATE),
    alarms: [],
    source: label,
    ...(recovered ? { recovered } : {}),
  };
}

/** One Reminders store (Core Data, iOS 13 and later). */
function readStore(
  db: ArtifactDatabase,
  problems: DatabaseProblems,
  data: ArtifactData<Reminder>,
  recover: boolean,
): void {
  const label = db.label;
  // The lists.
  const lists = new Map<number, string>();
  const listEnts = entityNumbers(db, [
    'REMCDList',
    'REMCDBaseList',
    'REMCDSmartList',
    'REMCDGroceryList',
  ]);
  const listTable = db.hasTable('ZREMCDBASELIST')
    ? 'ZREMCDBASELIST'
    : db.hasTable('ZREMCDOBJECT') && listEnts.length
      ? 'ZREMCDOBJECT'
      : null;
  if (listTable && db.hasColumn(listTable, 'ZNAME')) {
    const where = listTable === 'ZREMCDOBJECT' ? ` WHERE Z_ENT IN (${listEnts.join(',')})` : '';
    for (const r of db.all(`SELECT Z_PK, ZNAME FROM ${listTable}${where}`))
      if (str(r.ZNAME)) lists.set(num(r.Z_PK)!, str(r.ZNAME)!);
  } else {
    problems.warn(
      `${label}: no list table (ZREMCDBASELIST) with names; reminders are put in "Reminders"`,
    );
  }
  // The reminders.
  let table: string;
  let where = '';
  let ents: number[] = [];
  if (db.hasTable('ZREMCDREMINDER')) table = 'ZREMCDREMINDER';
  else if (db.hasTable('ZREMCDOBJECT') && (ents = entityNumbers(db, ['REMCDReminder'])).length) {
    table = 'ZREMCDOBJECT';
    where = ` WHERE Z_ENT IN (${ents.join(',')})`;
  } else {
    problems.error(
      `${label}: neither ZREMCDREMINDER nor REMCDReminder rows in ZREMCDOBJECT; no reminders read`,
    );
    return;
  }
  if (!db.hasColumn(table, 'ZTITLE') && !db.hasColumn(table, 'ZTITLE1'))
    problems.warn(`${label}: ${table} has no title column`);
  for (const row of db.all(`SELECT * FROM ${table}${where}`))
    data.items.push(reminderFromRow(row, lists, label));
  if (recover) {
    for (const r of db.recovered(table)) {
      if (table === 'ZREMCDOBJECT' && !ents.includes(num(r.values.Z_ENT) ?? -1)) continue;
      const reminder = reminderFromRow(r.values, lists, label, r.recovered);
      if (!reminder.title && !reminder.notes) continue;
      reminder.uid = `${reminder.uid}-recovered-${r.rowid ?? 'x'}`;
      data.items.push(reminder);
    }
  }
}

/** Tasks kept in Calendar.sqlitedb (reminders before iOS 13). */
function readCalendarTasks(
  db: ArtifactDatabase,
  data: ArtifactData<Reminder>,
  recover: boolean,
): void {
  const label = db.label;
  if (!db.hasTable('CalendarItem') || !db.hasColumn('CalendarItem', 'entity_type')) return;
  const calendars = new Map<number, string>();
  if (db.hasTable('Calendar'))
    for (const c of db.all('SELECT rowid AS id, title FROM Calendar'))
      calendars.set(num(c.id)!, str(c.title) ?? `List ${c.id}`);
  const alarmOwner = db.hasTable('Alarm')
    ? ['calendaritem_owner_id', 'owner_id'].find((c) => db.hasColumn('Alarm', c))
    : undefined;
  const alarms = new Map<number, Date[]>();
  if (alarmOwner && db.hasColumn('Alarm', 'trigger_date')) {
    for (const a of db.all(`SELECT ${alarmOwner} AS owner, trigger_date FROM Alarm`)) {
      const at = fromAppleTime(a.trigger_date);
      if (at) pushTo(alarms, num(a.owner)!, at);
    }
  }
  const toReminder = (row: Row, recovered?: RecoveredMark): Reminder => {
    const rowid = num(row.ROWID ?? row.__rowid) ?? 0;
    const completionDate = fromAppleTime(row.completion_date);
    return {
      uid: str(row.unique_identifier) ?? str(row.UUID) ?? `reclaim-calendar-task-${rowid}`,
      list: calendars.get(num(row.calendar_id) ?? -1) ?? 'Reminders',
      title: str(row.summary),
      notes: str(row.description),
      url: str(row.url),
      completed: completionDate !== null,
      completionDate,
      due: fromAppleTime(row.due_date),
      dueAllDay: num(row.due_all_day) === 1,
      priority: num(row.priority),
      flagged: false,
      markedForDeletion: false,
      created: fromAppleTime(row.creation_date),
      lastModified: fromAppleTime(row.last_modified),
      alarms: alarms.get(rowid) ?? [],
      source: label,
      ...(recovered ? { recovered } : {}),
    };
  };
  const rows = db.all(
    'SELECT rowid AS __rowid, * FROM CalendarItem WHERE entity_type = 3 ORDER BY rowid',
  );
  if (rows.length) data.sources.push(label);
  for (const row of rows) data.items.push(toReminder(row));
  if (recover) {
    for (const r of db.recovered('CalendarItem')) {
      if (num(r.values.entity_type) !== 3 || !str(r.values.summary)) continue;
      const reminder = toReminder({ ...r.values, __rowid: r.rowid }, r.recovered);
      reminder.uid = `${reminder.uid}-recovered-${r.rowid ?? 'x'}`;
      data.items.push(reminder);
    }
  }
}

export const remindersArtifact = defineReader(remindersDeclaration, async (source, options) => {
  const data = emptyData<Reminder>('reminders');
  const recover = options.recoverDeleted !== false;
  const read = (
    where: DatabaseLocation,
    reader: (db: ArtifactDatabase, problems: DatabaseProblems) => void,
    recordSource = true,
  ) =>
    readDatabase(
      source,
      where,
      data,
      { title: remindersDeclaration.title, recoverDeleted: recover, recordSource },
      reader,
    );
  for (const stores of STORE_GLOBS) {
    for (const entry of source
      .listAt(stores)
      .sort((a, b) => a.relativePath.localeCompare(b.relativePath))) {
      await read({ domain: entry.domain, path: entry.relativePath }, (db, problems) =>
        readStore(db, problems, data, recover),
      );
    }
  }
  // Calendar.sqlitedb is the calendar's: it counts as a source here only when it holds tasks.
  await read(
    remindersDeclaration.locations.calendarTasks,
    (db) => readCalendarTasks(db, data, recover),
    false,
  );
  if (data.sources.length === 0)
    data.notInBackup.push(
      'This backup holds no Reminders store and no tasks in Calendar.sqlitedb.',
    );
  return data;
});
