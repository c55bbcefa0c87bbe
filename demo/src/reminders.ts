import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate } from './apple-time.js';
import { CORE_DATA_BOOKKEEPING_SCHEMA, writeCoreDataBookkeeping } from './core-data.js';
import { demoUUID } from './ids.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/**
 * Reminders store: Library/Reminders/Container_v1/Stores/Data-<UUID>.sqlite (a Core Data store).
 * NO REAL SCHEMA of this store is public (see /work/shared/docs/schemas/reminders-ios-unversioned-columns-seen.sql):
 * the tables below hold exactly the columns iLEAPP reads (ZCREATIONDATE, ZLASTMODIFIEDDATE, ZDUEDATE, ZCOMPLETIONDATE,
 * ZTITLE / ZTITLE1, ZNOTES, ZCOMPLETED, ZFLAGGED, ZMARKEDFORDELETION) plus the Core Data keys (Z_PK, Z_ENT, Z_OPT),
 * the list link ZLIST, ZPRIORITY, ZALLDAY and ZCKIDENTIFIER, and the list table ZREMCDBASELIST (ZNAME).
 * Two layouts: 'ios16' (table ZREMCDREMINDER) and 'ios13' (REMCDReminder rows in the shared table ZREMCDOBJECT,
 * picked by Z_ENT from Z_PRIMARYKEY, with both ZTITLE and ZTITLE1 as iLEAPP describes). Dates are seconds since 2001.
 */

export interface DemoReminderList {
  pk: number;
  name: string;
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
}
export interface RemindersData {
  layout: 'ios16' | 'ios13';
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

export function buildReminders(data: RemindersData = remindersData()): BackupFileInput[] {
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
