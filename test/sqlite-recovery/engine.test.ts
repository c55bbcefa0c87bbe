import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { carveDatabase, type RecoveredRecord } from '../../src/sqlite-recovery/index.js';
import { tempDir } from '../support/fixtures.js';

const tmp = tempDir('reclaim-carve-');
after(() => tmp.cleanup());

let seed = 7;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}

function open(name: string): Database.Database {
  const db = new Database(join(tmp.path, name));
  db.pragma('secure_delete = OFF');
  return db;
}

const MESSAGE = `CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT,
  replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT, country TEXT,
  attributedBody BLOB, version INTEGER DEFAULT 0, type INTEGER DEFAULT 0, service TEXT, account TEXT,
  date INTEGER, date_read INTEGER, date_delivered INTEGER, is_delivered INTEGER DEFAULT 0, is_from_me INTEGER DEFAULT 0,
  is_read INTEGER DEFAULT 0, cache_roomnames TEXT)`;

interface Msg {
  rowid: number;
  guid: string;
  text: string | null;
  handle: number;
  date: bigint;
  fromMe: number;
  body: Buffer | null;
}

function fillMessages(db: Database.Database, n: number): Msg[] {
  db.exec(MESSAGE);
  db.exec(
    'CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, service TEXT)',
  );
  db.exec('CREATE INDEX message_idx_date ON message(date)');
  const ins =
    db.prepare(`INSERT INTO message (guid, text, handle_id, service, date, date_read, is_from_me, is_read, attributedBody)
    VALUES (?, ?, ?, 'iMessage', ?, 0, ?, 1, ?)`);
  const out: Msg[] = [];
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const text =
        i % 17 === 0
          ? null
          : `Message ${i}: ${'see you at the station '.repeat(1 + Math.floor(rnd() * 6))}`;
      const m: Msg = {
        rowid: i,
        guid: `0B5E${(100000 + i).toString(16).toUpperCase()}-${Math.floor(rnd() * 1e9)}`,
        text,
        handle: 1 + Math.floor(rnd() * 9),
        date: 600000000000000000n + BigInt(i) * 60_000_000_000n, // nanoseconds since 2001, as iOS stores them
        fromMe: i % 2,
        body: i % 5 === 0 ? Buffer.from(`streamtyped ${i}`) : null,
      };
      ins.run(m.guid, m.text, m.handle, m.date, m.fromMe, m.body);
      out.push(m);
    }
    for (let h = 1; h <= 9; h++)
      db.prepare('INSERT INTO handle (id, service) VALUES (?, ?)').run(
        `+4915${h}000${h}`,
        'iMessage',
      );
  })();
  return out;
}

function msgOf(r: RecoveredRecord): {
  guid: unknown;
  text: unknown;
  handle: unknown;
  date: unknown;
} {
  return { guid: r.values[1], text: r.values[2], handle: r.values[5], date: r.values[13] };
}

describe('carving deleted rows from a database file', () => {
  it('recovers exactly the deleted sms.db messages and reports no live row', () => {
    const db = open('sms.db');
    const msgs = fillMessages(db, 400);
    const deleted = msgs.filter((m) => m.rowid % 13 === 0 || (m.rowid > 200 && m.rowid <= 230));
    const del = db.prepare('DELETE FROM message WHERE ROWID = ?');
    db.transaction(() => deleted.forEach((m) => del.run(m.rowid)))();
    db.close();

    const res = carveDatabase(join(tmp.path, 'sms.db'));
    const got = res.records.filter((r) => r.table === 'message');
    const liveGuids = new Set(msgs.filter((m) => !deleted.includes(m)).map((m) => m.guid));
    for (const r of got)
      assert.ok(!liveGuids.has(String(r.values[1])), `live row reported: ${String(r.values[1])}`);
    const byGuid = new Map(got.map((r) => [String(r.values[1]), r]));
    let found = 0;
    for (const m of deleted) {
      const r = byGuid.get(m.guid);
      if (!r) continue;
      found++;
      assert.deepEqual(msgOf(r), { guid: m.guid, text: m.text, handle: m.handle, date: m.date });
      if (r.rowid !== null)
        assert.equal(r.values[0], m.rowid, 'INTEGER PRIMARY KEY alias equals the rowid');
      if (m.body) assert.deepEqual(r.values[8], m.body);
    }
    // b-tree rebalancing after the run of 30 deletes rewrites pages: those rows are physically gone.
    // Every deleted row whose bytes are still in the file must come back.
    const file = readFileSync(join(tmp.path, 'sms.db'));
    // (the guid alone is also in the UNIQUE index; the record body has guid then text, or guid then
    // handle_id when text is NULL, since `replace` = 0 takes no body bytes)
    const bodyStart = (m: Msg): Buffer =>
      Buffer.concat([Buffer.from(m.guid), m.text ? Buffer.from(m.text) : Buffer.from([m.handle])]);
    const present = deleted.filter((m) => file.includes(bodyStart(m)));
    assert.ok(present.length >= 40, `test setup: ${present.length} deleted rows still in the file`);
    assert.ok(
      found >= present.length,
      `recovered ${found} of ${present.length} deleted messages still in the file`,
    );
    assert.equal(got.length, found, 'no extra message records');
  });

  it('recovers a dropped table (ABPerson) from its freed pages, named from the old sqlite_master entry', () => {
    const db = open('AddressBook.sqlitedb');
    db.exec(`CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, First TEXT, Last TEXT, Middle TEXT,
      Organization TEXT, Note TEXT, Kind INTEGER DEFAULT 0, CreationDate INTEGER, ModificationDate INTEGER)`);
    db.exec(
      'CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, value TEXT)',
    );
    const people = Array.from(
      { length: 60 },
      (_, i) =>
        [
          `First${i}`,
          `Last${i}`,
          i % 3 ? null : 'M',
          `Org ${i}`,
          'note '.repeat(i % 7),
          0,
          500000000 + i,
          500000100 + i,
        ] as const,
    );
    const ins = db.prepare(
      'INSERT INTO ABPerson (First, Last, Middle, Organization, Note, Kind, CreationDate, ModificationDate) VALUES (?,?,?,?,?,?,?,?)',
    );
    db.transaction(() => people.forEach((p) => ins.run(...p)))();
    db.prepare('INSERT INTO ABMultiValue (record_id, property, value) VALUES (1, 3, ?)').run(
      '+49 30 123456',
    );
    db.exec('DROP TABLE ABPerson');
    db.close();

    const res = carveDatabase(join(tmp.path, 'AddressBook.sqlitedb'));
    const got = res.records.filter((r) => r.table === 'ABPerson');
    assert.ok(res.tables.some((t) => t.name === 'ABPerson' && t.origin === 'carved'));
    const firsts = new Set(got.map((r) => r.values[1]));
    const missing = people.filter((p) => !firsts.has(p[0]));
    assert.ok(missing.length <= 3, `missing ${missing.length} of ${people.length} dropped rows`);
    for (const r of got) {
      const i = Number(String(r.values[1]).slice(5));
      assert.equal(r.values[2], `Last${i}`);
      assert.equal(r.values[7], 500000000 + i);
    }
    assert.ok(
      !res.records.some((r) => r.table === 'ABMultiValue'),
      'the live ABMultiValue row is not reported',
    );
  });

  it('finds rows that live only in WAL frames (ZCALLRECORD), with the WAL copied before closing', () => {
    const db = open('CallHistory.storedata');
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec(`CREATE TABLE ZCALLRECORD (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZANSWERED INTEGER,
      ZCALLTYPE INTEGER, ZDATE TIMESTAMP, ZDURATION FLOAT, ZADDRESS VARCHAR, ZNAME VARCHAR, ZUNIQUE_ID VARCHAR)`);
    const ins = db.prepare(
      'INSERT INTO ZCALLRECORD (Z_ENT, Z_OPT, ZANSWERED, ZCALLTYPE, ZDATE, ZDURATION, ZADDRESS, ZNAME, ZUNIQUE_ID) VALUES (2, 1, ?, 1, ?, ?, ?, ?, ?)',
    );
    const calls = Array.from({ length: 40 }, (_, i) => ({
      pk: i + 1,
      date: 700000000.5 + i * 3600,
      dur: i * 1.25 + 0.5,
      addr: `+1555000${String(i).padStart(4, '0')}`,
      uid: `UID-${i}-${Math.floor(rnd() * 1e9)}`,
    }));
    for (const c of calls)
      ins.run(c.pk % 2, c.date, c.dur, c.addr, c.pk % 4 ? null : `Caller ${c.pk}`, c.uid);
    const gone = calls.filter((c) => c.pk % 6 === 0);
    for (const c of gone) db.prepare('DELETE FROM ZCALLRECORD WHERE Z_PK = ?').run(c.pk);
    const dbCopy = join(tmp.path, 'copy.storedata');
    copyFileSync(join(tmp.path, 'CallHistory.storedata'), dbCopy);
    copyFileSync(join(tmp.path, 'CallHistory.storedata-wal'), dbCopy + '-wal');
    db.close();

    const res = carveDatabase(dbCopy, { wal: dbCopy + '-wal' });
    const got = res.records.filter((r) => r.table === 'ZCALLRECORD');
    const live = new Set(calls.filter((c) => !gone.includes(c)).map((c) => c.uid));
    for (const r of got)
      assert.ok(!live.has(String(r.values[9])), `live call reported: ${String(r.values[9])}`);
    for (const c of gone) {
      const r = got.find((x) => x.values[9] === c.uid);
      assert.ok(r, `deleted call ${c.pk} recovered`);
      assert.equal(r.values[5], c.date);
      assert.equal(r.values[6], c.dur);
      assert.equal(r.values[7], c.addr);
      assert.match(r.source, /^(wal frame \d+|freeblock page \d+)/);
    }
    assert.ok(
      got.some((r) => r.source.startsWith('wal frame')),
      'some rows come from WAL frames',
    );
    // without the WAL the main file holds only the schema: nothing to carve
    assert.equal(readFileSync(dbCopy).length > 0, true);
  });

  it('reads bytes as well as paths, and never reports an intact database as having deleted rows', () => {
    const db = open('clean.db');
    fillMessages(db, 50);
    db.close();
    const res = carveDatabase(readFileSync(join(tmp.path, 'clean.db')));
    assert.deepEqual(res.records, []);
  });
});
