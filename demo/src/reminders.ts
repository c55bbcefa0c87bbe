import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate } from './apple-time.js';
import { CORE_DATA_BOOKKEEPING_SCHEMA, writeCoreDataBookkeeping } from './core-data.js';
import { demoUUID } from './ids.js';
import { REMINDERS_IOS26_TABLES } from './schemas/reminders-ios26.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/**
 * Reminders store: Library/Reminders/Container_v1/Stores/Data-<UUID>.sqlite (a Core Data store).
 * NO REAL SCHEMA of this store is public (see /work/shared/docs/schemas/reminders-ios-unversioned-columns-seen.sql):
 * the tables below hold exactly the columns iLEAPP reads (ZCREATIONDATE, ZLASTMODIFIEDDATE, ZDUEDATE, ZCOMPLETIONDATE,
 * ZTITLE / ZTITLE1, ZNOTES, ZCOMPLETED, ZFLAGGED, ZMARKEDFORDELETION) plus the Core Data keys (Z_PK, Z_ENT, Z_OPT),
 * the list link ZLIST, ZPRIORITY, ZALLDAY and ZCKIDENTIFIER, and the list table ZREMCDBASELIST (ZNAME).
 * Two layouts: 'ios16' (table ZREMCDREMINDER) and 'ios13' (REMCDReminder rows in the shared table ZREMCDOBJECT,
 * picked by Z_ENT from Z_PRIMARYKEY, with both ZTITLE and ZTITLE1 as iLEAPP describes). Dates are seconds since 2001.
 * A third, 'ios26' (schemas/reminders-ios26.ts, reconstructed), in the Reminders app group (iOS 17+), adds subtasks
 * (ZPARENTREMINDER), tags (hashtag rows of ZREMCDOBJECT linked by ZREMINDER3), sections (ZREMCDBASESECTION and the
 * list's membership JSON) and URLs (ZICSURL, or a URL attachment row of ZREMCDOBJECT).
 */

export interface DemoReminderList {
  pk: number;
  name: string;
  /** Sections of the list (ios26 layout). */
  sections?: string[];
}
export interface DemoReminder {
  pk: number;
  listPk: number;
  title: string;
  notes?: string;
  due?: string;
  dueAllDay?: boolean;
  completed?: string;
  priority?: number;
  flagged?: boolean;
  created: string;
  /** ios26 layout: the pk of the reminder it is a subtask of. */
  parentPk?: number;
  /** ios26 layout: tags, without '#'. */
  tags?: string[];
  /** ios26 layout: a section of its list. */
  section?: string;
  /** ios26 layout: a URL, kept in ZICSURL ('ics') or in a URL attachment row ('attachment'). */
  url?: { value: string; kept: 'ics' | 'attachment' };
}
export interface RemindersData {
  layout: 'ios16' | 'ios13' | 'ios26';
  storeId: string;
  lists: DemoReminderList[];
  reminders: DemoReminder[];
}

export function remindersData(): RemindersData {
  return {
    layout: 'ios16',
    storeId: demoUUID('reminders-store'),
    lists: [
      { pk: 1, name: 'Errands' },
      { pk: 2, name: 'Trip prep' },
    ],
    reminders: [
      {
        pk: 1,
        listPk: 1,
        title: 'Pick up dry cleaning',
        due: '2025-01-20T17:00:00Z',
        priority: 5,
        created: '2025-01-14T08:00:00Z',
      },
      {
        pk: 2,
        listPk: 1,
        title: 'Renew library card',
        completed: '2025-01-10T12:30:00Z',
        created: '2025-01-02T08:00:00Z',
      },
      {
        pk: 3,
        listPk: 2,
        title: 'Pack rain jacket',
        notes: 'The blue one,\nnot the yellow',
        due: '2025-01-18T00:00:00Z',
        dueAllDay: true,
        priority: 1,
        flagged: true,
        created: '2025-01-12T08:00:00Z',
      },
    ],
  };
}

/** The bundled demo's reminders: one "Groceries" list (one done, one due, one with a note). */
export function demoRemindersData(): RemindersData {
  return {
    layout: 'ios16',
    storeId: demoUUID('demo-reminders-store'),
    lists: [{ pk: 1, name: 'Groceries' }],
    reminders: [
      {
        pk: 1,
        listPk: 1,
        title: 'Oat milk',
        due: '2025-01-18T17:00:00Z',
        priority: 5,
        created: '2025-01-14T08:10:00Z',
      },
      {
        pk: 2,
        listPk: 1,
        title: 'Coffee beans',
        completed: '2025-01-15T09:20:00Z',
        created: '2025-01-14T08:11:00Z',
      },
      {
        pk: 3,
        listPk: 1,
        title: 'Limes',
        notes: 'For the pad thai',
        created: '2025-01-14T08:12:00Z',
      },
    ],
  };
}

const LIST_TABLE = `CREATE TABLE ZREMCDBASELIST ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZMARKEDFORDELETION INTEGER, ZCKIDENTIFIER VARCHAR, ZNAME VARCHAR, ZCREATIONDATE TIMESTAMP, ZLASTMODIFIEDDATE TIMESTAMP );`;
const REMINDER_COLUMNS =
  'Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCOMPLETED INTEGER, ZFLAGGED INTEGER, ZMARKEDFORDELETION INTEGER, ZPRIORITY INTEGER, ZALLDAY INTEGER, ZLIST INTEGER, ZCREATIONDATE TIMESTAMP, ZLASTMODIFIEDDATE TIMESTAMP, ZDUEDATE TIMESTAMP, ZCOMPLETIONDATE TIMESTAMP, ZCKIDENTIFIER VARCHAR, ZNOTES VARCHAR, ZTITLE VARCHAR';

/** The app-group store of iOS 17 and later: subtasks, tags, sections and URLs (ios26 layout). */
function buildIos26Store(data: RemindersData): Buffer {
  const ENT = { list: 11, section: 13, hashtag: 20, url: 22, label: 25, reminder: 31 } as const;
  const labels = [...new Set(data.reminders.flatMap((r) => r.tags ?? []))];
  const sectionPk = new Map<string, number>();
  return buildSqliteFile([...CORE_DATA_BOOKKEEPING_SCHEMA, ...REMINDERS_IOS26_TABLES], (db) => {
    const objects: Array<Record<string, string | number | null>> = [];
    for (const r of data.reminders) {
      for (const tag of r.tags ?? [])
        objects.push({
          Z_ENT: ENT.hashtag,
          ZREMINDER3: r.pk,
          ZHASHTAGLABEL: labels.indexOf(tag) + 1,
          ZNAME: tag,
        });
      if (r.url?.kept === 'attachment')
        objects.push({ Z_ENT: ENT.url, ZREMINDER2: r.pk, ZURL: r.url.value });
    }
    writeCoreDataBookkeeping(
      db,
      [
        { ent: 9, name: 'REMCDBaseList', max: data.lists.length },
        { ent: ENT.list, name: 'REMCDList', superEnt: 9, max: data.lists.length },
        {
          ent: 12,
          name: 'REMCDBaseSection',
          max: data.lists.reduce((n, l) => n + (l.sections?.length ?? 0), 0),
        },
        { ent: ENT.section, name: 'REMCDListSection', superEnt: 12, max: 0 },
        { ent: 19, name: 'REMCDObject', max: objects.length },
        { ent: ENT.hashtag, name: 'REMCDHashtag', superEnt: 19, max: 0 },
        { ent: 21, name: 'REMCDAttachment', superEnt: 19, max: 0 },
        { ent: ENT.url, name: 'REMCDURLAttachment', superEnt: 21, max: 0 },
        { ent: ENT.label, name: 'REMCDHashtagLabel', max: labels.length },
        { ent: ENT.reminder, name: 'REMCDReminder', max: data.reminders.length },
      ],
      { storeUUID: data.storeId, frameworkVersion: 1500, modelVersionIdentifiers: [] },
    );
    for (const l of data.lists) {
      const memberships: Array<{ memberID: string; groupID: string }> = [];
      for (const name of l.sections ?? []) {
        const pk = sectionPk.size + 1;
        sectionPk.set(`${l.pk}/${name}`, pk);
        insertRow(db, 'ZREMCDBASESECTION', {
          Z_PK: pk,
          Z_ENT: ENT.section,
          Z_OPT: 1,
          ZMARKEDFORDELETION: 0,
          ZCKIDENTIFIER: demoUUID(`reminder-section-${l.pk}-${name}`),
          ZDISPLAYNAME: name,
        });
      }
      for (const r of data.reminders)
        if (r.listPk === l.pk && r.section)
          memberships.push({
            memberID: demoUUID(`reminder-${r.pk}`),
            groupID: demoUUID(`reminder-section-${l.pk}-${r.section}`),
          });
      insertRow(db, 'ZREMCDBASELIST', {
        Z_PK: l.pk,
        Z_ENT: ENT.list,
        Z_OPT: 1,
        ZISGROUP: 0,
        ZMARKEDFORDELETION: 0,
        ZCKIDENTIFIER: demoUUID(`reminder-list-${l.pk}`),
        ZNAME: l.name,
        ZMEMBERSHIPSOFREMINDERSINSECTIONSASDATA: memberships.length
          ? Buffer.from(JSON.stringify({ memberships }))
          : null,
      });
    }
    labels.forEach((name, i) =>
      insertRow(db, 'ZREMCDHASHTAGLABEL', { Z_PK: i + 1, Z_ENT: ENT.label, Z_OPT: 1, ZNAME: name }),
    );
    objects.forEach((o, i) => insertRow(db, 'ZREMCDOBJECT', { Z_PK: i + 1, Z_OPT: 1, ...o }));
    for (const r of data.reminders) {
      insertRow(db, 'ZREMCDREMINDER', {
        Z_PK: r.pk,
        Z_ENT: ENT.reminder,
        Z_OPT: 1,
        ZCOMPLETED: r.completed ? 1 : 0,
        ZFLAGGED: r.flagged ? 1 : 0,
        ZMARKEDFORDELETION: 0,
        ZPRIORITY: r.priority ?? 0,
        ZALLDAY: r.dueAllDay ? 1 : 0,
        ZACCOUNT: 1,
        ZLIST: r.listPk,
        ZPARENTREMINDER: r.parentPk ?? null,
        ZCREATIONDATE: appleSeconds(r.created),
        ZLASTMODIFIEDDATE: appleSeconds(r.created) + 60,
        ZDUEDATE: r.due ? appleSeconds(r.due) : null,
        ZCOMPLETIONDATE: r.completed ? appleSeconds(r.completed) : null,
        ZCKIDENTIFIER: demoUUID(`reminder-${r.pk}`),
        ZICSURL: r.url?.kept === 'ics' ? r.url.value : null,
        ZNOTES: r.notes ?? null,
        ZTITLE: r.title,
      });
    }
  });
}

export function buildReminders(data: RemindersData = remindersData()): BackupFileInput[] {
  if (data.layout === 'ios26')
    return [
      {
        domain: 'AppDomainGroup-group.com.apple.reminders',
        relativePath: `Container_v1/Stores/Data-${data.storeId}.sqlite`,
        data: buildIos26Store(data),
        modified: asDate('2025-01-15T10:00:00Z'),
      },
    ];
  const ios16 = data.layout === 'ios16';
  const reminderTable = ios16 ? 'ZREMCDREMINDER' : 'ZREMCDOBJECT';
  const schema = [
    ...CORE_DATA_BOOKKEEPING_SCHEMA,
    LIST_TABLE,
    `CREATE TABLE ${reminderTable} ( ${REMINDER_COLUMNS}${ios16 ? '' : ', ZTITLE1 VARCHAR, ZIDENTIFIER BLOB'} );`,
  ];
  const reminderEnt = ios16 ? 31 : 24;
  const db = buildSqliteFile(schema, (db) => {
    writeCoreDataBookkeeping(
      db,
      [
        { ent: 9, name: 'REMCDBaseList', max: data.lists.length },
        { ent: 11, name: 'REMCDList', superEnt: 9, max: data.lists.length },
        ...(ios16
          ? []
          : [
              { ent: 20, name: 'REMCDObject', max: data.reminders.length },
              { ent: 22, name: 'REMCDAlarm', superEnt: 20, max: 0 },
            ]),
        {
          ent: reminderEnt,
          name: 'REMCDReminder',
          ...(ios16 ? {} : { superEnt: 20 }),
          max: data.reminders.length,
        },
      ],
      { storeUUID: data.storeId, frameworkVersion: 1241, modelVersionIdentifiers: [] },
    );
    for (const l of data.lists) {
      insertRow(db, 'ZREMCDBASELIST', {
        Z_PK: l.pk,
        Z_ENT: 11,
        Z_OPT: 1,
        ZMARKEDFORDELETION: 0,
        ZCKIDENTIFIER: demoUUID(`reminder-list-${l.pk}`),
        ZNAME: l.name,
      });
    }
    if (!ios16) {
      // Another entity's row in the shared table, which the reader must leave out.
      insertRow(db, 'ZREMCDOBJECT', {
        Z_PK: 1000,
        Z_ENT: 22,
        Z_OPT: 1,
        ZTITLE: 'not a reminder (alarm row)',
      });
    }
    for (const r of data.reminders) {
      insertRow(db, reminderTable, {
        Z_PK: r.pk,
        Z_ENT: reminderEnt,
        Z_OPT: 1,
        ZCOMPLETED: r.completed ? 1 : 0,
        ZFLAGGED: r.flagged ? 1 : 0,
        ZMARKEDFORDELETION: 0,
        ZPRIORITY: r.priority ?? 0,
        ZALLDAY: r.dueAllDay ? 1 : 0,
        ZLIST: r.listPk,
        ZCREATIONDATE: appleSeconds(r.created),
        ZLASTMODIFIEDDATE: appleSeconds(r.created) + 60,
        ZDUEDATE: r.due ? appleSeconds(r.due) : null,
        ZCOMPLETIONDATE: r.completed ? appleSeconds(r.completed) : null,
        ZCKIDENTIFIER: demoUUID(`reminder-${r.pk}`),
        ZNOTES: r.notes ?? null,
        ...(ios16 ? { ZTITLE: r.title } : { ZTITLE1: r.title, ZTITLE: null }),
      });
    }
  });
  return [
    {
      domain: 'HomeDomain',
      relativePath: `Library/Reminders/Container_v1/Stores/Data-${data.storeId}.sqlite`,
      data: db,
      modified: asDate('2025-01-15T10:00:00Z'),
    },
  ];
}
