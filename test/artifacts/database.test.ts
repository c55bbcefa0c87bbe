// Deleted rows of databases built to the real iOS schemas come back through the artifact layer
// (LooseFilesSource -> openDatabase -> recovered(table)), from the main file and from WAL frames.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { ArtifactDatabase, RecoveredRow } from '../../src/artifacts/database.js';
import { LooseFilesSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { ADDRESSBOOK_IOS15_SCHEMA } from '../../demo/src/schemas/addressbook-ios15.js';
import { CALLHISTORY_IOS17_SCHEMA } from '../../demo/src/schemas/callhistory-ios17.js';
import { SMS_IOS12_4_SCHEMA } from '../../demo/src/schemas/sms-ios12-4.js';
import { tempDir } from '../support/fixtures.js';

const tmp = tempDir('reclaim-artifact-db-');
const workspace = PrivateWorkspace.create();
after(() => {
  workspace.dispose();
  tmp.cleanup();
});

type Value = string | number | bigint | Buffer | null;
type Row = Record<string, Value>;

let seed = 11;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

interface Built {
  /** The "device" copies (db and -wal), taken while the writer still had the WAL open. */
  dir: string;
  dbPath: string;
  walPath: string;
}

/**
 * A database to a real schema, with secure_delete off as on a device: `checkpointed` rows are deleted
 * and checkpointed into the main file; then, with automatic checkpoints off, `walOnly` rows are deleted
 * so that the deletion exists only in WAL frames. The db and its -wal are copied aside before closing
 * (closing the last connection would checkpoint and remove the WAL).
 */
function build(
  name: string,
  schema: readonly string[],
  fill: (db: Database.Database) => void,
  checkpointed: (db: Database.Database) => void,
  walOnly: (db: Database.Database) => void,
): Built {
  const work = join(tmp.path, `${name}.work`);
  mkdirSync(work);
  const path = join(work, name);
  const db = new Database(path);
  db.pragma('secure_delete = OFF');
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  // functions iOS registers in-process for its triggers and defaults
  for (const fn of [
    'ab_generate_guid',
    'ab_update_value_from_trigger',
    'delete_attachment_path',
    'before_delete_attachment_path',
  ]) {
    db.function(fn, { varargs: true }, (...args: unknown[]) => (args[0] ?? null) as Value);
  }
  for (const sql of schema) if (!/^CREATE VIRTUAL TABLE/i.test(sql)) db.exec(sql);
  db.transaction(() => fill(db))();
  db.transaction(() => checkpointed(db))();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.transaction(() => walOnly(db))();
  const dir = join(tmp.path, `${name}.device`);
  mkdirSync(dir);
  const dbPath = join(dir, name);
  copyFileSync(path, dbPath);
  copyFileSync(path + '-wal', dbPath + '-wal');
  db.close();
  assert.ok(readFileSync(dbPath + '-wal').length > 32, 'test setup: the WAL holds frames');
  return { dir, dbPath, walPath: dbPath + '-wal' };
}

async function open(b: Built, domain: string, relativePath: string): Promise<ArtifactDatabase> {
  const source = new LooseFilesSource(
    [
      { domain, relativePath, path: b.dbPath },
      { domain, relativePath: relativePath + '-wal', path: b.walPath },
    ],
    workspace,
  );
  const db = await source.openDatabase(domain, relativePath, { recoverDeleted: true });
  assert.ok(db, 'database found');
  return db;
}

function same(a: Value | undefined, b: Value | undefined): boolean {
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b))
    return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  if (typeof a === 'bigint' || typeof b === 'bigint')
    return (
      a !== null &&
      b !== null &&
      a !== undefined &&
      b !== undefined &&
      BigInt(a as number) === BigInt(b as number)
    );
  return a === b;
}

/** Every expected row is recovered once by its key, with these column values; returns the matches. */
function expectRecovered(
  rows: RecoveredRow[],
  expected: Row[],
  key: string,
  columns: string[],
): RecoveredRow[] {
  const out: RecoveredRow[] = [];
  for (const e of expected) {
    const hits = rows.filter((r) => same(r.values[key], e[key]));
    assert.equal(
      hits.length,
      1,
      `deleted row ${String(e[key])} recovered exactly once (got ${hits.length})`,
    );
    const r = hits[0]!;
    for (const c of columns)
      assert.ok(
        same(r.values[c], e[c]),
        `${String(e[key])}.${c}: got ${String(r.values[c])}, want ${String(e[c])}`,
      );
    assert.ok(
      r.recovered.source.length > 0 && r.recovered.confidence > 0 && r.recovered.confidence <= 1,
    );
    out.push(r);
  }
  return out;
}

/** No recovered row equals a live row (same key, or same values in every compared column). */
function noLiveRows(db: ArtifactDatabase, table: string, rows: RecoveredRow[], key: string): void {
  const live = db.all<Row>(`SELECT * FROM "${table}"`);
  const liveKeys = new Set(live.map((r) => String(r[key])));
  for (const r of rows)
    assert.ok(
      !liveKeys.has(String(r.values[key])),
      `live ${table} row reported as deleted: ${String(r.values[key])}`,
    );
}

const WAL_SOURCE =
  /^wal frame \d+|^db page \d+ \(superseded by wal\)|^(freeblock|unallocated) page \d+ \(wal frame \d+\)/;

describe('ArtifactDatabase.recovered on databases built to real iOS schemas', () => {
  it('sms.db: messages deleted into the main file and only into WAL frames come back under their column names', async () => {
    const messages: Row[] = [];
    const b = build(
      'sms.db',
      SMS_IOS12_4_SCHEMA,
      (db) => {
        const h = db.prepare(
          "INSERT INTO handle (id, country, service, uncanonicalized_id) VALUES (?, 'de', 'iMessage', ?)",
        );
        for (let i = 1; i <= 12; i++) h.run(`+4917${i}000${i}`, `017${i}000${i}`);
        db.prepare(
          "INSERT INTO chat (guid, style, state, chat_identifier, service_name) VALUES ('iMessage;-;+491710001', 45, 3, '+491710001', 'iMessage')",
        ).run();
        const ins = db.prepare(
          `INSERT INTO message (guid, text, handle_id, service, date, date_read, date_delivered, is_from_me, is_read, attributedBody)
           VALUES (?, ?, ?, 'iMessage', ?, ?, 0, ?, 1, ?)`,
        );
        for (let i = 1; i <= 600; i++) {
          const m: Row = {
            ROWID: i,
            guid: `6B1F${(0x10000 + i).toString(16).toUpperCase()}-${Math.floor(rnd() * 1e9)}-4C2A`,
            text:
              i % 19 === 0
                ? null
                : `Message ${i}: ${'are we still on for dinner tonight? '.repeat(1 + Math.floor(rnd() * 5))}`,
            handle_id: 1 + (i % 12),
            date: 600000000000000000n + BigInt(i) * 61_000_000_000n,
            date_read: i % 3 ? 600000000000000000 + i * 1000 : 0,
            is_from_me: i % 2,
            attributedBody:
              i % 4 === 0
                ? Buffer.from(`streamtyped\u0081\u00e8\u0003@NSAttributedString ${i}`)
                : null,
          };
          ins.run(m.guid, m.text, m.handle_id, m.date, m.date_read, m.is_from_me, m.attributedBody);
          messages.push(m);
        }
      },
      (db) => {
        const del = db.prepare('DELETE FROM message WHERE ROWID = ?');
        for (const m of messages) if ((m.ROWID as number) % 11 === 3) del.run(m.ROWID);
      },
      (db) => {
        const del = db.prepare('DELETE FROM message WHERE ROWID = ?');
        for (const m of messages) if ((m.ROWID as number) % 11 === 7) del.run(m.ROWID);
      },
    );
    const walBefore = sha(b.walPath);
    const db = await open(b, 'HomeDomain', 'Library/SMS/sms.db');
    try {
      // the private copy's WAL was carved before SQLite opened it, and SQLite left it as it was
      assert.ok(
        db.files.wal && existsSync(db.files.wal),
        'the -wal was copied beside the private copy',
      );
      assert.notEqual(db.files.wal, b.walPath, 'never the original');
      assert.equal(sha(db.files.wal), walBefore, 'private WAL bytes unchanged after opening');
      // SQLite sees the WAL's committed state: the WAL-only deletes are gone for it
      const liveCount = db.all<{ n: number }>('SELECT count(*) AS n FROM message')[0]!.n;
      const inMain = messages.filter((m) => (m.ROWID as number) % 11 === 3);
      const inWal = messages.filter((m) => (m.ROWID as number) % 11 === 7);
      assert.equal(liveCount, messages.length - inMain.length - inWal.length);

      const rows = db.recovered('message');
      const cols = [
        'ROWID',
        'guid',
        'text',
        'handle_id',
        'service',
        'date',
        'date_read',
        'is_from_me',
        'is_read',
        'attributedBody',
      ];
      const withService = (m: Row): Row => ({ ...m, service: 'iMessage', is_read: 1 });
      const fromWal = expectRecovered(rows, inWal.map(withService), 'guid', cols);
      for (const r of fromWal) {
        assert.match(
          r.recovered.source,
          WAL_SOURCE,
          `WAL-only delete ${String(r.values.guid)} marked with its WAL origin`,
        );
        assert.equal(r.rowid, r.values.ROWID, 'rowid and INTEGER PRIMARY KEY alias agree');
      }
      // deletes checkpointed into the main file: freeblocks whose first bytes the delete overwrote
      const fromMain = expectRecovered(
        rows,
        inMain.map(withService),
        'guid',
        cols.filter((c) => c !== 'ROWID'),
      );
      for (const r of fromMain)
        assert.match(
          r.recovered.source,
          /^(freeblock|unallocated) page \d+( \(wal frame \d+\))?$|^db page \d+ \(superseded by wal\)/,
        );
      noLiveRows(db, 'message', rows, 'guid');
      assert.equal(rows.length, inMain.length + inWal.length, 'nothing but the deleted messages');
      // the triggers' bookkeeping rows are live in their own tables and never reported
      assert.deepEqual(db.recovered('deleted_messages'), []);
      assert.deepEqual(db.recovered('handle'), []);
      assert.deepEqual(db.recovered('no_such_table'), []);
    } finally {
      db.close();
    }
    assert.equal(sha(db.files.wal!), walBefore, 'private WAL bytes unchanged after closing');
  });

  it('AddressBook: deleted ABPerson and ABMultiValue rows, from the main file and from WAL frames', async () => {
    const people: Row[] = [];
    const values: Row[] = [];
    const b = build(
      'AddressBook.sqlitedb',
      ADDRESSBOOK_IOS15_SCHEMA,
      (db) => {
        const p = db.prepare(
          `INSERT INTO ABPerson (First, Last, Organization, Note, Kind, CreationDate, ModificationDate, guid, StoreID, DisplayName)
           VALUES (?, ?, ?, ?, 0, ?, ?, ?, 0, ?)`,
        );
        const mv = db.prepare(
          'INSERT INTO ABMultiValue (record_id, property, identifier, label, value, guid) VALUES (?, ?, ?, 1, ?, ?)',
        );
        for (let i = 1; i <= 150; i++) {
          const person: Row = {
            ROWID: i,
            First: `Anna${i}`,
            Last: `Schmidt-${i}`,
            Organization: i % 3 ? `Firma ${i} GmbH` : null,
            Note: i % 5 ? null : `met at conference ${i}`,
            CreationDate: 600000000 + i * 17,
            ModificationDate: 700000000 + i * 13,
            guid: `AB${i}-${Math.floor(rnd() * 1e9)}`,
            DisplayName: i % 7 ? null : `Anna ${i}`,
          };
          p.run(
            person.First,
            person.Last,
            person.Organization,
            person.Note,
            person.CreationDate,
            person.ModificationDate,
            person.guid,
            person.DisplayName,
          );
          people.push(person);
          for (const [property, value] of [
            [3, `+49 30 ${1000000 + i}`],
            [4, `anna${i}@example.org`],
          ] as const) {
            const row: Row = {
              UID: values.length + 1,
              record_id: i,
              property,
              identifier: values.length,
              value,
              guid: `MV${values.length + 1}-${Math.floor(rnd() * 1e9)}`,
            };
            mv.run(row.record_id, row.property, row.identifier, row.value, row.guid);
            values.push(row);
          }
        }
      },
      (db) => {
        for (const p of people)
          if ((p.ROWID as number) % 9 === 2)
            db.prepare('DELETE FROM ABPerson WHERE ROWID = ?').run(p.ROWID);
        for (const v of values)
          if ((v.UID as number) % 13 === 5)
            db.prepare('DELETE FROM ABMultiValue WHERE UID = ?').run(v.UID);
      },
      (db) => {
        for (const p of people)
          if ((p.ROWID as number) % 9 === 6)
            db.prepare('DELETE FROM ABPerson WHERE ROWID = ?').run(p.ROWID);
        for (const v of values)
          if ((v.UID as number) % 13 === 9)
            db.prepare('DELETE FROM ABMultiValue WHERE UID = ?').run(v.UID);
      },
    );
    const db = await open(b, 'HomeDomain', 'Library/AddressBook/AddressBook.sqlitedb');
    try {
      const persons = db.recovered('ABPerson');
      const pcols = [
        'First',
        'Last',
        'Organization',
        'Note',
        'CreationDate',
        'ModificationDate',
        'guid',
        'DisplayName',
      ];
      expectRecovered(
        persons,
        people.filter((p) => (p.ROWID as number) % 9 === 2),
        'guid',
        pcols,
      );
      const walPeople = expectRecovered(
        persons,
        people.filter((p) => (p.ROWID as number) % 9 === 6),
        'guid',
        ['ROWID', ...pcols],
      );
      for (const r of walPeople) assert.match(r.recovered.source, WAL_SOURCE);
      noLiveRows(db, 'ABPerson', persons, 'guid');
      assert.equal(
        persons.length,
        people.filter((p) => [2, 6].includes((p.ROWID as number) % 9)).length,
      );

      const mvs = db.recovered('ABMultiValue');
      const mcols = ['record_id', 'property', 'identifier', 'value', 'guid'];
      expectRecovered(
        mvs,
        values.filter((v) => (v.UID as number) % 13 === 5),
        'guid',
        mcols,
      );
      const walMvs = expectRecovered(
        mvs,
        values.filter((v) => (v.UID as number) % 13 === 9),
        'guid',
        ['UID', ...mcols],
      );
      for (const r of walMvs) assert.match(r.recovered.source, WAL_SOURCE);
      noLiveRows(db, 'ABMultiValue', mvs, 'guid');
      assert.equal(
        mvs.length,
        values.filter((v) => [5, 9].includes((v.UID as number) % 13)).length,
      );
    } finally {
      db.close();
    }
  });

  it('CallHistory: deleted ZCALLRECORD rows with REAL dates and durations, including WAL-only deletes', async () => {
    const calls: Row[] = [];
    const b = build(
      'CallHistory.storedata',
      CALLHISTORY_IOS17_SCHEMA,
      (db) => {
        const ins = db.prepare(
          `INSERT INTO ZCALLRECORD (Z_ENT, Z_OPT, ZANSWERED, ZCALLTYPE, ZORIGINATED, ZREAD, ZDATE, ZDURATION, ZADDRESS, ZISO_COUNTRY_CODE, ZNAME, ZSERVICE_PROVIDER, ZUNIQUE_ID)
           VALUES (2, 1, ?, 1, ?, 1, ?, ?, ?, 'de', ?, 'com.apple.Telephony', ?)`,
        );
        for (let i = 1; i <= 200; i++) {
          const c: Row = {
            Z_PK: i,
            ZANSWERED: i % 2,
            ZORIGINATED: i % 3 === 0 ? 1 : 0,
            ZDATE: 700000000.25 + i * 3600.5,
            ZDURATION: i % 5 === 0 ? 0 : i * 7.75,
            ZADDRESS: `+49151${String(1000000 + i)}`,
            ZNAME: i % 4 ? null : `Caller ${i}`,
            ZUNIQUE_ID: `C0FFEE${i}-${Math.floor(rnd() * 1e9)}`,
          };
          ins.run(
            c.ZANSWERED,
            c.ZORIGINATED,
            c.ZDATE,
            c.ZDURATION,
            c.ZADDRESS,
            c.ZNAME,
            c.ZUNIQUE_ID,
          );
          calls.push(c);
        }
      },
      (db) => {
        for (const c of calls)
          if ((c.Z_PK as number) % 8 === 1)
            db.prepare('DELETE FROM ZCALLRECORD WHERE Z_PK = ?').run(c.Z_PK);
      },
      (db) => {
        for (const c of calls)
          if ((c.Z_PK as number) % 8 === 5)
            db.prepare('DELETE FROM ZCALLRECORD WHERE Z_PK = ?').run(c.Z_PK);
      },
    );
    const db = await open(b, 'HomeDomain', 'Library/CallHistoryDB/CallHistory.storedata');
    try {
      const rows = db.recovered('ZCALLRECORD');
      const cols = [
        'ZANSWERED',
        'ZORIGINATED',
        'ZDATE',
        'ZDURATION',
        'ZADDRESS',
        'ZNAME',
        'ZUNIQUE_ID',
      ];
      expectRecovered(
        rows,
        calls.filter((c) => (c.Z_PK as number) % 8 === 1),
        'ZUNIQUE_ID',
        cols,
      );
      const wal = expectRecovered(
        rows,
        calls.filter((c) => (c.Z_PK as number) % 8 === 5),
        'ZUNIQUE_ID',
        ['Z_PK', ...cols],
      );
      for (const r of wal) assert.match(r.recovered.source, WAL_SOURCE);
      noLiveRows(db, 'ZCALLRECORD', rows, 'ZUNIQUE_ID');
      assert.equal(
        rows.length,
        calls.filter((c) => [1, 5].includes((c.Z_PK as number) % 8)).length,
      );
    } finally {
      db.close();
    }
  });

  it('without recovery, or without deletions, nothing is reported', async () => {
    const b = build(
      'clean.db',
      ['CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)'],
      (db) => {
        for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t (s) VALUES (?)').run(`row ${i}`);
      },
      () => {},
      (db) => db.prepare("INSERT INTO t (s) VALUES ('in the wal')").run(),
    );
    const source = new LooseFilesSource(
      [
        { domain: 'D', relativePath: 'clean.db', path: b.dbPath },
        { domain: 'D', relativePath: 'clean.db-wal', path: b.walPath },
      ],
      workspace,
    );
    const a = (await source.openDatabase('D', 'clean.db'))!;
    try {
      assert.deepEqual(a.recovered('t'), []);
      assert.equal(a.all<{ n: number }>('SELECT count(*) AS n FROM t')[0]!.n, 101);
    } finally {
      a.close();
    }
    const off = (await source.openDatabase('D', 'clean.db', { recoverDeleted: false }))!;
    try {
      assert.deepEqual(off.recovered('t'), []);
      assert.deepEqual(off.carveWarnings, []);
    } finally {
      off.close();
    }
  });
});
