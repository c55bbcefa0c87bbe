import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate } from './apple-time.js';
import { demoUUID } from './ids.js';
import { NOTESTORE_LEGACY_IOS6_SCHEMA } from './schemas/notestore-legacy-ios6.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/** The legacy notes.sqlite of iOS 4-8 backups (HomeDomain Library/Notes/notes.sqlite): HTML note bodies. */

export interface LegacyDemoNote {
  pk: number;
  title: string;
  html: string;
  created: string;
  modified: string;
  deleted?: boolean;
}
export interface LegacyNotesData {
  accountName: string;
  storeName: string;
  notes: LegacyDemoNote[];
}

export function legacyNotesData(): LegacyNotesData {
  return {
    accountName: 'On My iPhone',
    storeName: 'Notes',
    notes: [
      {
        pk: 1,
        title: 'Groceries',
        created: '2013-04-02T09:00:00Z',
        modified: '2013-04-02T09:05:00Z',
        html: 'Groceries<div>Milk &amp; <b>eggs</b></div><div><br></div><div>Call <a href="https://example.com/shop">the shop</a></div>',
      },
      {
        pk: 2,
        title: 'Old idea',
        created: '2012-11-20T20:00:00Z',
        modified: '2012-11-21T08:30:00Z',
        html: 'Old idea<div><i>Write</i> a &lt;short&gt; story</div>',
        deleted: true,
      },
    ],
  };
}

export function buildLegacyNotes(data: LegacyNotesData = legacyNotesData()): BackupFileInput[] {
  const db = buildSqliteFile(NOTESTORE_LEGACY_IOS6_SCHEMA, (db) => {
    insertRow(db, 'ZACCOUNT', {
      Z_PK: 1,
      Z_ENT: 1,
      Z_OPT: 1,
      ZDEFAULTSTORE: 1,
      ZACCOUNTIDENTIFIER: 'DeviceLocalAccount',
      ZNAME: data.accountName,
    });
    insertRow(db, 'ZSTORE', {
      Z_PK: 1,
      Z_ENT: 7,
      Z_OPT: 1,
      ZEXTERNALIDENTIFIER: 'DeviceLocalStore',
      ZNAME: data.storeName,
      ZACCOUNT: 1,
    });
    for (const n of data.notes) {
      const summary = n.html
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 80);
      insertRow(db, 'ZNOTE', {
        Z_PK: n.pk,
        Z_ENT: 3,
        Z_OPT: 1,
        ZCONTAINSCJK: 0,
        ZCONTENTTYPE: 0,
        ZDELETEDFLAG: n.deleted ? 1 : 0,
        ZINTEGERID: n.pk,
        ZBODY: n.pk,
        ZSTORE: 1,
        ZCREATIONDATE: appleSeconds(n.created),
        ZMODIFICATIONDATE: appleSeconds(n.modified),
        ZGUID: demoUUID(`legacy-note-${n.pk}`),
        ZSUMMARY: summary,
        ZTITLE: n.title,
      });
      insertRow(db, 'ZNOTEBODY', {
        Z_PK: n.pk,
        Z_ENT: 5,
        Z_OPT: 1,
        ZOWNER: n.pk,
        ZCONTENT: n.html,
      });
    }
    for (const [ent, name, max] of [
      [1, 'Account', 1],
      [2, 'NextId', 0],
      [3, 'Note', data.notes.length],
      [4, 'NoteAttachment', 0],
      [5, 'NoteBody', data.notes.length],
      [6, 'NoteChange', 0],
      [7, 'Store', 1],
    ] as const) {
      insertRow(db, 'Z_PRIMARYKEY', { Z_ENT: ent, Z_NAME: name, Z_SUPER: 0, Z_MAX: max });
    }
  });
  const latest =
    data.notes
      .map((n) => n.modified)
      .sort()
      .at(-1) ?? '2013-01-01T00:00:00Z';
  return [
    {
      domain: 'HomeDomain',
      relativePath: 'Library/Notes/notes.sqlite',
      data: db,
      modified: asDate(latest),
    },
  ];
}
