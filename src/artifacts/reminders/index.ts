import { declaredIdentity } from '../identity.js';
import { pushTo } from '../../collections.js';
import { emptyData, defineReader, type ArtifactData, type RecoveredMark } from '../artifact.js';
import { fromAppleTime } from '../apple-time.js';
import { columnList, num, str } from '../sql-values.js';
import {
  fileAt,
  readDatabase,
  type DatabaseLocation,
  type DatabaseProblems,
} from '../read-database.js';
import { defineArtifact } from '../declaration.js';
import type { ArtifactDatabase, Row } from '../database.js';
import { attachEarlierVersions, attachOtherVersions, type EarlierVersion } from '../history.js';
import { CALENDAR_TASKS_SCHEMA, REMINDERS_STORE_SCHEMA } from './schema.js';

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
      schema: REMINDERS_STORE_SCHEMA,
    },
    groupStores: {
      domain: 'AppDomainGroup-group.com.apple.reminders',
      path: 'Container_v1/Stores/Data-*.sqlite',
      kind: 'database',
      ios: { from: 17 },
      naturalKey: [
        { table: 'ZREMCDREMINDER', columns: ['ZCKIDENTIFIER'] },
        { table: 'ZREMCDOBJECT', columns: ['ZCKIDENTIFIER'] },
      ],
      schema: REMINDERS_STORE_SCHEMA,
    },
    calendarTasks: {
      domain: 'HomeDomain',
      path: 'Library/Calendar/Calendar.sqlitedb',
      kind: 'database',
      ios: { through: 12 },
      catalog: false,
      naturalKey: [
        { table: 'CalendarItem', columns: ['unique_identifier'] },
        { table: 'CalendarItem', columns: ['summary', 'start_date'] },
        { table: 'CalendarItem', columns: ['summary', 'creation_date'] },
      ],
      schema: CALENDAR_TASKS_SCHEMA,
    },
  },
  identity: {
    describe: 'the reminder identifier (the calendar item UID before iOS 13)',
    keys: [
      {
        fields: ['uid'],
        from: {
          table: 'ZREMCDREMINDER',
          columns: ['ZDACALENDARITEMUNIQUEIDENTIFIER', 'ZCKIDENTIFIER', 'ZEXTERNALIDENTIFIER'],
        },
      },
      { fields: ['uid'], from: { table: 'CalendarItem', columns: ['unique_identifier'] } },
    ],
  },
  needsNames: false,
  aliases: [],
  formats: ['ics', 'csv', 'json'],
  defaultFormats: ['ics', 'csv', 'json'],
});

/** A reminder by its uid (a recovered copy's uid without the suffix that keeps it apart in an export). */
export const remindersIdentity = declaredIdentity<Reminder>()(remindersDeclaration, {
  volatile: ['source'],
  canonical: { uid: (uid) => String(uid).replace(/-recovered-[^-]*$/, '') },
});

/**
 * Reminders. iOS 13 and later: Core Data stores Library/Reminders/Container_v1/Stores/Data-*.sqlite
 * (HomeDomain; the Reminders group container from iOS 17). iOS 16+: table ZREMCDREMINDER; iOS 13 to 15:
 * REMCDReminder rows in ZREMCDOBJECT, picked by their Z_ENT from Z_PRIMARYKEY. Lists: ZREMCDBASELIST
 * (or REMCDList rows in ZREMCDOBJECT), joined by ZLIST. Subtasks name their parent in ZPARENTREMINDER;
 * tags are hashtag rows of ZREMCDOBJECT (ZHASHTAGLABEL → ZREMCDHASHTAGLABEL.ZNAME) linked to their
 * reminder by a ZREMINDER<n> column whose number moves between model versions; sections are
 * ZREMCDBASESECTION rows a list's ZMEMBERSHIPSOFREMINDERSINSECTIONSASDATA (JSON) assigns reminders to;
 * the URL is ZICSURL or a URL attachment row (ZURL). Before iOS 13: tasks in Calendar.sqlitedb
 * (CalendarItem.entity_type 3), their list being the Calendar row.
 * Every column is detected before it is read (schema.ts declares them).
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
  /** A subtask: the uid of its parent reminder. */
  parent?: string | null;
  /** Tags (#hashtags), without the '#'. */
  tags?: string[];
  /** The section of its list it sits in. */
  section?: string | null;
  /** "domain/path" of the database it came from. */
  source: string;
  recovered?: RecoveredMark;
  /** Earlier versions of this reminder (old copies of its row, with other values). */
  earlierVersions?: EarlierVersion[];
}

const HISTORY = { ignore: ['uid', 'source'], bookkeeping: ['lastModified'] };

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
    url: str(row.ZICSURL),
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
    parent: null,
    tags: [],
    section: null,
    source: label,
    ...(recovered ? { recovered } : {}),
  };
}

const MAX_MEMBERSHIP_JSON = 4 * 1024 * 1024;

/** Section of each reminder (by its ZCKIDENTIFIER), from the lists' membership JSON and the section rows. */
function sectionsOf(db: ArtifactDatabase, problems: DatabaseProblems): Map<string, string> {
  const bySection = new Map<string, string>();
  const out = new Map<string, string>();
  if (
    !db.hasTable('ZREMCDBASESECTION') ||
    !db.hasColumn('ZREMCDBASELIST', 'ZMEMBERSHIPSOFREMINDERSINSECTIONSASDATA')
  )
    return out;
  if (db.hasColumn('ZREMCDBASESECTION', 'ZCKIDENTIFIER'))
    for (const r of db.all('SELECT * FROM ZREMCDBASESECTION')) {
      const id = str(r.ZCKIDENTIFIER);
      const name = str(r.ZDISPLAYNAME);
      if (id && name) bySection.set(id, name);
    }
  let unreadable = 0;
  for (const r of db.all(
    'SELECT ZMEMBERSHIPSOFREMINDERSINSECTIONSASDATA AS m FROM ZREMCDBASELIST WHERE ZMEMBERSHIPSOFREMINDERSINSECTIONSASDATA IS NOT NULL',
  )) {
    const raw = Buffer.isBuffer(r.m) ? r.m : typeof r.m === 'string' ? Buffer.from(r.m) : null;
    if (!raw || raw.length > MAX_MEMBERSHIP_JSON) continue;
    try {
      const parsed = JSON.parse(raw.toString('utf8')) as { memberships?: unknown };
      const list = Array.isArray(parsed.memberships) ? parsed.memberships : [];
      for (const m of list as Array<Record<string, unknown>>) {
        const member = typeof m?.memberID === 'string' ? m.memberID : null;
        const group = typeof m?.groupID === 'string' ? bySection.get(m.groupID) : undefined;
        if (member && group) out.set(member, group);
      }
    } catch {
      unreadable++;
    }
  }
  if (unreadable) problems.warn(`${db.label}: ${unreadable} list(s) with unreadable section data`);
  return out;
}

/** Tags and URL attachments: rows of ZREMCDOBJECT linked to a reminder by a ZREMINDER<n> column. */
function linkedObjects(db: ArtifactDatabase): {
  tags: Map<number, string[]>;
  urls: Map<number, string>;
} {
  const tags = new Map<number, string[]>();
  const urls = new Map<number, string>();
  if (!db.hasTable('ZREMCDOBJECT')) return { tags, urls };
  const links = db.columns('ZREMCDOBJECT').filter((c) => /^ZREMINDER\d*$/i.test(c));
  if (links.length === 0) return { tags, urls };
  const reminderOf = (row: Row): number | null => {
    for (const c of links) {
      const v = num(row[c]);
      if (v !== null && v > 0) return v;
    }
    return null;
  };
  const labels = new Map<number, string>();
  if (db.hasTable('ZREMCDHASHTAGLABEL') && db.hasColumn('ZREMCDHASHTAGLABEL', 'ZNAME'))
    for (const r of db.all('SELECT Z_PK, ZNAME FROM ZREMCDHASHTAGLABEL')) {
      const name = str(r.ZNAME);
      if (name) labels.set(num(r.Z_PK)!, name.replace(/^#/, ''));
    }
  const urlEnts = new Set(entityNumbers(db, ['REMCDURLAttachment']));
  const hasLabel = db.hasColumn('ZREMCDOBJECT', 'ZHASHTAGLABEL');
  const hasUrl = db.hasColumn('ZREMCDOBJECT', 'ZURL');
  if (!hasLabel && !hasUrl) return { tags, urls };
  for (const row of db.all(
    `SELECT * FROM ZREMCDOBJECT WHERE ${[hasLabel ? 'ZHASHTAGLABEL IS NOT NULL' : '', hasUrl ? 'ZURL IS NOT NULL' : ''].filter(Boolean).join(' OR ')}`,
  )) {
    const reminder = reminderOf(row);
    if (reminder === null) continue;
    const label = hasLabel ? labels.get(num(row.ZHASHTAGLABEL) ?? -1) : undefined;
    if (label) {
      const list = tags.get(reminder) ?? [];
      if (!list.includes(label)) list.push(label);
      tags.set(reminder, list);
    }
    const url = hasUrl ? str(row.ZURL) : null;
    if (url && (urlEnts.size === 0 || urlEnts.has(num(row.Z_ENT) ?? -1)) && !urls.has(reminder))
      urls.set(reminder, url);
  }
  return { tags, urls };
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
  } else if (!listTable) {
    // (A list table without ZNAME is said by the schema check.)
    problems.warn(`${label}: no list table (ZREMCDBASELIST); reminders are put in "Reminders"`);
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
  if (table === 'ZREMCDOBJECT' && !db.hasColumn(table, 'ZTITLE') && !db.hasColumn(table, 'ZTITLE1'))
    problems.warn(`${label}: ${table} has no title column`);
  const sections = sectionsOf(db, problems);
  const { tags, urls } = linkedObjects(db);
  const rows: Array<{ pk: number | null; parent: number | null; reminder: Reminder }> = [];
  const live = new Map<number, Reminder>();
  for (const row of db.all(`SELECT * FROM ${table}${where}`)) {
    const reminder = reminderFromRow(row, lists, label);
    const pk = num(row.Z_PK);
    if (pk !== null) {
      reminder.tags = tags.get(pk) ?? [];
      reminder.url = urls.get(pk) ?? reminder.url;
    }
    const ck = str(row.ZCKIDENTIFIER);
    reminder.section = ck ? (sections.get(ck) ?? null) : null;
    rows.push({ pk, parent: num(row.ZPARENTREMINDER), reminder });
    live.set(pk ?? -1, reminder);
    data.items.push(reminder);
  }
  const uidByPk = new Map(rows.map((l) => [l.pk, l.reminder.uid]));
  for (const l of rows)
    if (l.parent !== null && l.parent > 0) l.reminder.parent = uidByPk.get(l.parent) ?? null;
  if (recover) {
    attachEarlierVersions(
      db,
      table,
      live,
      (values, mark) => reminderFromRow(values, lists, label, mark),
      HISTORY,
    );
    for (const r of db.recovered(table)) {
      if (table === 'ZREMCDOBJECT' && !ents.includes(num(r.values.Z_ENT) ?? -1)) continue;
      const reminder = reminderFromRow(r.values, lists, label, r.recovered);
      if (!reminder.title && !reminder.notes) continue;
      attachOtherVersions(
        reminder,
        r,
        (values, mark) => reminderFromRow(values, lists, label, mark),
        HISTORY,
      );
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
    for (const c of db.all(
      `SELECT rowid AS id, ${columnList(db, 'Calendar', ['title'])} FROM Calendar`,
    ))
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
  const live = new Map<number, Reminder>();
  for (const row of rows) {
    const reminder = toReminder(row);
    live.set(num(row.__rowid) ?? -1, reminder);
    data.items.push(reminder);
  }
  if (recover) {
    attachEarlierVersions(db, 'CalendarItem', live, (values, mark) => toReminder(values, mark), {
      ...HISTORY,
      ignore: [...HISTORY.ignore, 'alarms'],
    });
    for (const r of db.recovered('CalendarItem')) {
      if (num(r.values.entity_type) !== 3 || !str(r.values.summary)) continue;
      const reminder = toReminder({ ...r.values, __rowid: r.rowid }, r.recovered);
      attachOtherVersions(
        reminder,
        r,
        (values, mark) => toReminder({ ...values, __rowid: r.rowid }, mark),
        HISTORY,
      );
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
      await read(fileAt(stores, entry.relativePath), (db, problems) =>
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
  if (data.sources.length === 0 && data.problems.length === 0)
    data.notInBackup.push(
      'This backup holds no Reminders store and no tasks in Calendar.sqlitedb.',
    );
  return data;
});
