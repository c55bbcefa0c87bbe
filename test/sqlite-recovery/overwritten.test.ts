// Deleted records that later writes partly overwrote: the freeblock header over a freed cell's first
// 4 bytes, and newer cells over a freed record's tail. Databases built to the real iOS 12.4 sms.db
// schema (and the real Magnet CTF sms.db when the shared fixtures are present).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import {
  carveDatabase,
  type CarveResult,
  type RecoveredRecord,
} from '../../src/sqlite-recovery/index.js';
import { sharedFixtures, tempDir } from '../support/fixtures.js';
import {
  createSmsDb,
  freeblocks,
  insertMessage,
  type Msg,
  openForWriting,
  smsFunctions,
} from './real-schema-db.js';

const tmp = tempDir('reclaim-carve-overwritten-');
after(() => tmp.cleanup());

const PHRASES = [
  'running late, save me a seat',
  'did you see the match last night?',
  'call me when you land',
  'the keys are under the mat',
  'happy birthday!! 🎉',
];

function textFor(i: number): string {
  return `${PHRASES[i % PHRASES.length]} (${i})`.repeat(1 + (i % 3));
}

function fill(db: Database.Database, n: number): Msg[] {
  const out: Msg[] = [];
  db.transaction(() => {
    for (let i = 1; i <= n; i++)
      out.push(
        insertMessage(db, textFor(i), {
          handle: 1 + (i % 6),
          date: 600_000_000_000_000_000n + BigInt(i) * 60_000_000_000n,
          fromMe: i % 2,
        }),
      );
  })();
  return out;
}

function messageRecords(res: CarveResult): {
  records: RecoveredRecord[];
  col: (name: string) => number;
} {
  const columns = res.tables.find((t) => t.name === 'message')!.columns;
  return {
    records: res.records.filter((r) => r.table === 'message'),
    col: (name) => columns.indexOf(name),
  };
}

function assertNoLive(records: RecoveredRecord[], guidCol: number, live: Iterable<string>): void {
  const liveGuids = new Set(live);
  for (const r of records)
    assert.ok(
      !liveGuids.has(String(r.values[guidCol])),
      `live message reported: ${r.values[guidCol]}`,
    );
}

describe('records whose first bytes a freeblock overwrote', () => {
  it('iOS 12.4 sms.db: every deleted text comes back with every value, though its cell lost its first 4 bytes', () => {
    const path = join(tmp.path, 'clobbered.db');
    const db = createSmsDb(path);
    const msgs = fill(db, 160);
    const before = readFileSync(path);
    const deleted = msgs.filter((m) => m.rowid % 7 === 3);
    const del = db.prepare('DELETE FROM message WHERE ROWID = ?');
    for (const m of deleted) del.run(m.rowid); // one statement per message, as Messages does
    db.close();

    // test setup: the freed cells now start with a freeblock header instead of their first bytes
    const file = readFileSync(path);
    const blocks = freeblocks(file, 4096);
    let clobbered = 0;
    for (const m of deleted) {
      const at = file.indexOf(Buffer.from(m.guid + m.text));
      assert.ok(at > 0, `test setup: message ${m.rowid} still in the file`);
      const fb = blocks.find((b) => b.at <= at && at < b.at + b.size);
      if (!fb) continue; // freed at the top of the content area: left whole in unallocated space
      assert.ok(!file.subarray(fb.at, fb.at + 4).equals(before.subarray(fb.at, fb.at + 4)));
      clobbered++;
    }
    assert.ok(clobbered >= deleted.length - 3, `test setup: ${clobbered} freed cells clobbered`);

    const { records, col } = messageRecords(carveDatabase(path));
    assertNoLive(
      records,
      col('guid'),
      msgs.filter((m) => !deleted.includes(m)).map((m) => m.guid),
    );
    for (const m of deleted) {
      const r = records.find((x) => x.values[col('guid')] === m.guid);
      assert.ok(r, `deleted message ${m.rowid} recovered`);
      assert.deepEqual(
        {
          text: r.values[col('text')],
          handle: r.values[col('handle_id')],
          date: r.values[col('date')],
          fromMe: r.values[col('is_from_me')],
          account: r.values[col('account')],
        },
        {
          text: m.text,
          handle: m.handle,
          date: m.date,
          fromMe: m.fromMe,
          account: 'e:owner@example.org',
        },
      );
      assert.ok(m.body.equals(r.values[col('attributedBody')] as Buffer));
      assert.equal(r.partial, undefined);
      assert.equal(r.relation, 'deleted');
    }
  });

  it('tables of 128+ byte headers (Photos ZASSET has 150+ columns on iOS 17): the surviving low byte of the header length', () => {
    const path = join(tmp.path, 'wide.db');
    const db = openForWriting(path);
    // Core Data layout: Z_PK, Z_ENT, Z_OPT, then attributes; integer columns keep the header long
    const attrs = Array.from({ length: 140 }, (_, i) => `ZATTR${i} INTEGER`);
    db.exec(
      `CREATE TABLE ZASSET (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZUUID VARCHAR, ${attrs.join(', ')})`,
    );
    const names = attrs.map((a) => a.split(' ')[0]);
    const ins = db.prepare(
      `INSERT INTO ZASSET (Z_PK, Z_ENT, Z_OPT, ZUUID, ${names.join(', ')}) VALUES (?, 3, 1, ?, ${names.map(() => '?').join(', ')})`,
    );
    const uuid = (i: number): string =>
      `5E1C${String(i).padStart(4, '0')}-9C7D-4F2B-A0B3-00000000${1000 + i}`;
    const value = (i: number, k: number): number | null =>
      (i * 7 + k) % 5 === 0 ? null : (i * 31 + k) % 300;
    for (let i = 1; i <= 100; i++) ins.run(i, uuid(i), ...names.map((_, k) => value(i, k)));
    const before = readFileSync(path);
    const gone = [3, 10, 17, 24, 31, 38, 45, 52, 59, 66, 73, 80, 87, 94];
    for (const i of gone) db.prepare('DELETE FROM ZASSET WHERE Z_PK = ?').run(i);
    db.close();

    const file = readFileSync(path);
    let longHeaders = 0;
    for (const fb of freeblocks(file, 4096)) {
      // payload length (2 bytes), rowid (1), header length (2): the block header took the first 4
      if (before[fb.at + 3]! >= 0x80 && file[fb.at + 4]! < 0x80 && before[fb.at + 2]! < 0x80)
        longHeaders++;
    }
    assert.ok(longHeaders >= 8, `test setup: ${longHeaders} freed cells lost half a header length`);

    const res = carveDatabase(path);
    const got = res.records.filter((r) => r.table === 'ZASSET');
    assert.deepEqual(got.map((r) => r.values[3]).sort(), gone.map(uuid).sort());
    for (const r of got) {
      const i = gone.find((g) => uuid(g) === r.values[3])!;
      assert.deepEqual(
        r.values.slice(4),
        names.map((_, k) => value(i, k)),
      );
      assert.deepEqual(r.values.slice(1, 3), [3, 1]);
    }
  });
});

describe('records whose tail newer cells overwrote', () => {
  it('a deleted text whose space a grown neighbour took keeps its text; the lost columns are named', () => {
    const path = join(tmp.path, 'tail.db');
    const db = createSmsDb(path);
    const msgs = fill(db, 30);
    const victim = insertMessage(db, 'Meet me at the north entrance at seven. '.repeat(10), {
      handle: 4,
      date: 610_000_000_000_000_000n,
    });
    msgs.push(...fill(db, 8));
    const pageOf = (m: Msg): number =>
      Math.floor(readFileSync(path).indexOf(Buffer.from(m.guid + m.text)) / 4096);
    const neighbour = msgs.find((m) => m.rowid > victim.rowid && pageOf(m) === pageOf(victim));
    assert.ok(neighbour, 'test setup: a message on the same page');
    db.prepare('DELETE FROM message WHERE ROWID = ?').run(victim.rowid);
    // A delivery receipt grows the neighbour's row: SQLite moves it into the first freeblock big
    // enough, taking that block's end, which is the deleted text's tail.
    db.prepare(
      "UPDATE message SET cache_roomnames = 'chat901234567890123456789', date_played = date WHERE ROWID = ?",
    ).run(neighbour.rowid);
    db.close();

    const file = readFileSync(path);
    assert.ok(file.includes(Buffer.from(victim.guid + victim.text)), 'test setup: head survives');
    assert.ok(!file.includes(victim.body), 'test setup: the tail was overwritten');

    const { records, col } = messageRecords(
      carveDatabase(path, { naturalKeys: { message: ['guid'] } }),
    );
    const deleted = records.filter((r) => r.relation === 'deleted');
    assertNoLive(deleted, col('guid'), [...msgs.map((m) => m.guid)]);
    const r = deleted.find((x) => x.values[col('guid')] === victim.guid);
    assert.ok(r, 'the overwritten text is recovered');
    assert.equal(r.values[col('text')], victim.text);
    assert.equal(r.values[col('handle_id')], 4);
    assert.equal(r.partial, true);
    for (const lost of ['attributedBody', 'date', 'destination_caller_id', 'is_corrupt']) {
      assert.ok(r.lostColumns?.includes(lost), `${lost} listed as lost`);
      assert.equal(r.values[col(lost)], null);
    }
    assert.ok(!r.lostColumns?.includes('text'));
    // the neighbour's old bytes are its history, not a deletion
    const old = records.find((x) => x.values[col('guid')] === neighbour.guid);
    assert.ok(old, "test setup: the neighbour's old cell is in the file");
    assert.deepEqual([old.relation, old.liveRowid], ['earlierVersion', neighbour.rowid]);
  });

  it('deletes in runs (pages merged and rebuilt): every text whose bytes survive comes back, no live one', () => {
    const path = join(tmp.path, 'runs.db');
    const db = createSmsDb(path);
    const msgs = fill(db, 220);
    const gone = msgs.filter(
      (m) =>
        (m.rowid >= 40 && m.rowid < 52) ||
        (m.rowid >= 120 && m.rowid < 126) ||
        m.rowid % 23 === 0 ||
        m.rowid % 23 === 1,
    );
    const del = db.prepare('DELETE FROM message WHERE ROWID = ?');
    for (const m of gone) del.run(m.rowid);
    db.close();

    const file = readFileSync(path);
    const present = gone.filter((m) => file.includes(Buffer.from(m.guid + m.text)));
    assert.ok(
      present.length >= 20,
      `test setup: ${present.length} deleted texts still in the file`,
    );
    const { records, col } = messageRecords(carveDatabase(path));
    assertNoLive(
      records,
      col('guid'),
      msgs.filter((m) => !gone.includes(m)).map((m) => m.guid),
    );
    for (const m of present) {
      const r = records.find((x) => x.values[col('guid')] === m.guid);
      assert.ok(r, `deleted message ${m.rowid} recovered`);
      assert.equal(r.values[col('text')], m.text);
      assert.equal(r.relation, 'deleted');
    }
  });
});

const CTF = sharedFixtures && join(sharedFixtures, 'databases', 'ios12-magnet-ctf-sms.db');

describe('the real iOS 12 sms.db of the Magnet 2020 CTF', () => {
  it(
    '12 texts deleted in pairs, as a person clears a few from a conversation: the 11 still in the file all come back',
    {
      skip:
        CTF && existsSync(CTF) ? false : 'shared fixture ios12-magnet-ctf-sms.db absent: skipped',
    },
    () => {
      const path = join(tmp.path, 'ctf-sms.db');
      copyFileSync(CTF!, path);
      const db = new Database(path);
      db.pragma('secure_delete = OFF');
      smsFunctions(db);
      const pick = [26, 27, 77, 78, 110, 111, 138, 139, 149, 150, 203, 204];
      const texts = db
        .prepare(
          `SELECT ROWID AS rowid, guid, text FROM message WHERE ROWID IN (${pick.join(',')})`,
        )
        .all() as Array<{ rowid: number; guid: string; text: string }>;
      assert.equal(texts.length, 12);
      // Messages deletes one message per statement; the triggers log it in deleted_messages
      const del = db.prepare('DELETE FROM message WHERE ROWID = ?');
      for (const t of texts) del.run(t.rowid);
      const live = (db.prepare('SELECT guid FROM message').all() as Array<{ guid: string }>).map(
        (r) => r.guid,
      );
      db.close();

      const file = readFileSync(path);
      const present = texts.filter((t) => file.includes(Buffer.from(t.guid + t.text)));
      assert.equal(present.length, 11, 'test setup: 11 of the 12 still in the file');
      const { records, col } = messageRecords(carveDatabase(path));
      assertNoLive(records, col('guid'), live);
      for (const t of present) {
        const r = records.find((x) => x.values[col('guid')] === t.guid);
        assert.ok(r, `deleted text ${t.rowid} recovered`);
        assert.equal(r.values[col('text')], t.text);
      }
    },
  );
});
