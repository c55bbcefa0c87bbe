// Where deleted data hides besides the main file: rollback journals, earlier WAL generations (older
// salts), uncommitted WAL tails; and WITHOUT ROWID tables.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { carveDatabase, type RecoveredRecord } from '../../src/sqlite-recovery/index.js';
import { tempDir } from '../support/fixtures.js';

const tmp = tempDir('reclaim-carve-sources-');
after(() => tmp.cleanup());

const path = (name: string): string => join(tmp.path, name);
const texts = (recs: RecoveredRecord[], table: string, col: number): string[] =>
  recs.filter((r) => r.table === table).map((r) => String(r.values[col]));

describe('deleted data outside the main file', () => {
  it('rollback journal: old page images give back rows that the main file no longer holds', () => {
    const db = new Database(path('journal.db'));
    db.pragma('journal_mode = PERSIST'); // the journal stays after commit, header zeroed, page images kept
    db.exec('CREATE TABLE note (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT)');
    const ins = db.prepare('INSERT INTO note (title, body) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 40; i++) ins.run(`title ${i}`, `journalled body number ${i} `.repeat(3));
    })();
    db.pragma('secure_delete = ON'); // the main file's copy is wiped: only the journal keeps the rows
    db.exec('DELETE FROM note WHERE id % 4 = 0');
    db.close();
    const main = readFileSync(path('journal.db'));
    assert.ok(
      !main.includes(Buffer.from('journalled body number 8 ')),
      'test setup: wiped from the main file',
    );

    const without = carveDatabase(path('journal.db'));
    assert.deepEqual(
      without.records.filter((r) => r.table === 'note'),
      [],
    );
    const res = carveDatabase(path('journal.db'), { journal: path('journal.db-journal') });
    const got = res.records.filter((r) => r.table === 'note');
    assert.ok(res.stats.journalPages > 0);
    const want = Array.from({ length: 10 }, (_, k) => 4 * (k + 1));
    for (const id of want) {
      const r = got.find((x) => x.rowid === id);
      assert.ok(r, `deleted note ${id} recovered from the journal`);
      assert.deepEqual(r.values, [id, `title ${id}`, `journalled body number ${id} `.repeat(3)]);
      assert.match(r.source, /^journal page \d+ \(record \d+\)$/);
    }
    assert.equal(got.length, want.length, 'live notes are not reported');
  });

  it('WAL: frames of an earlier generation (older salts) survive past the restart point and are carved', () => {
    const db = new Database(path('gen.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE msg (id INTEGER PRIMARY KEY, text TEXT)');
    const ins = db.prepare('INSERT INTO msg (text) VALUES (?)');
    // generation 1: many small commits, then the rows are deleted with secure_delete on
    for (let i = 1; i <= 30; i++) ins.run(`generation one message ${i}`);
    db.pragma('secure_delete = ON');
    db.exec('DELETE FROM msg WHERE id > 20');
    db.pragma('wal_checkpoint(PASSIVE)'); // everything checkpointed: the next writer restarts the WAL
    // generation 2: one small commit overwrites only the first frames, with new salts
    ins.run('generation two');
    const walCopy = path('gen-copy.db-wal');
    copyFileSync(path('gen.db'), path('gen-copy.db'));
    copyFileSync(path('gen.db-wal'), walCopy);
    db.close();

    const res = carveDatabase(path('gen-copy.db'), { wal: walCopy });
    const got = res.records.filter((r) => r.table === 'msg');
    const old = got.filter((r) => /earlier generation/.test(r.source));
    assert.ok(
      old.length > 0,
      `rows from earlier-generation frames: ${got.map((r) => r.source).join('; ')}`,
    );
    for (let i = 21; i <= 30; i++) {
      const r = got.find((x) => x.values[1] === `generation one message ${i}`);
      assert.ok(r, `deleted message ${i} recovered`);
      assert.equal(r.rowid, i);
    }
    assert.ok(
      !texts(got, 'msg', 1).some((t) => /generation one message ([1-9]|1\d|20)$/.test(t)),
      'live rows never reported',
    );
    assert.ok(!texts(got, 'msg', 1).includes('generation two'));
  });

  it('WAL: frames of a transaction that never committed (spilled by a small cache) are carved and marked', () => {
    const db = new Database(path('tail.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('cache_size = 2'); // forces dirty pages into the WAL before COMMIT
    db.exec('CREATE TABLE draft (id INTEGER PRIMARY KEY, text TEXT)');
    db.prepare('INSERT INTO draft (text) VALUES (?)').run('committed draft');
    db.exec('BEGIN');
    const ins = db.prepare('INSERT INTO draft (text) VALUES (?)');
    for (let i = 1; i <= 400; i++) ins.run(`never committed draft ${i} ${'.'.repeat(40)}`);
    copyFileSync(path('tail.db'), path('tail-copy.db'));
    copyFileSync(path('tail.db-wal'), path('tail-copy.db-wal'));
    db.exec('ROLLBACK');
    db.close();

    const live = new Database(path('tail-copy.db'), { readonly: true });
    assert.deepEqual(
      live.prepare('SELECT text FROM draft').all(),
      [{ text: 'committed draft' }],
      'SQLite sees only the commit',
    );
    live.close();
    const res = carveDatabase(path('tail-copy.db'), { wal: path('tail-copy.db-wal') });
    const got = res.records.filter((r) => r.table === 'draft');
    const tail = got.filter((r) => /uncommitted/.test(r.source));
    assert.ok(tail.length >= 100, `rows from the uncommitted tail: ${tail.length}`);
    for (const r of tail) assert.match(String(r.values[1]), /^never committed draft \d+ \.{40}$/);
    assert.ok(!texts(got, 'draft', 1).includes('committed draft'), 'the committed row is live');
  });
});

describe('WITHOUT ROWID tables', () => {
  it('deleted rows come back keyed by their primary key columns, rowid null, live rows never', () => {
    const db = new Database(path('wr.db'));
    db.pragma('secure_delete = OFF');
    db.exec(
      'CREATE TABLE kv (grp TEXT NOT NULL, k INTEGER NOT NULL, v TEXT, n REAL, PRIMARY KEY (grp, k)) WITHOUT ROWID',
    );
    const ins = db.prepare('INSERT INTO kv (v, grp, k, n) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 200; i++)
        ins.run(`value number ${i} ${'#'.repeat(i % 17)}`, `group-${i % 5}`, i, i + 0.5);
    })();
    db.exec('DELETE FROM kv WHERE k % 7 = 3');
    db.close();

    const res = carveDatabase(path('wr.db'));
    const got = res.records.filter((r) => r.table === 'kv');
    const deleted = Array.from({ length: 200 }, (_, i) => i + 1).filter((i) => i % 7 === 3);
    const row = (i: number): unknown[] => [
      `group-${i % 5}`,
      i,
      `value number ${i} ${'#'.repeat(i % 17)}`,
      i + 0.5,
    ];
    // every reported row is exactly one of the deleted rows (values in column order, no rowid)
    for (const r of got) {
      assert.equal(r.rowid, null);
      const i = r.values[1] as number;
      assert.ok(deleted.includes(i), `only deleted rows: got k=${String(i)}`);
      assert.deepEqual(r.values, row(i), `exact values of kv ${i}`);
    }
    assert.equal(new Set(got.map((r) => r.values[1])).size, got.length, 'each once');
    // A cell freed next to another freed cell merges into one freeblock; when the delete also
    // overwrote the length of its first (text) key column, that length is only known when the
    // neighbour is found: one such row here stays out rather than be guessed.
    assert.ok(got.length >= deleted.length - 1, `recovered ${got.length} of ${deleted.length}`);
  });
});

describe('tables migrated with ALTER TABLE ... ADD COLUMN', () => {
  it('rows written before the migration keep shorter records, and still come back when deleted', () => {
    const db = new Database(path('alter.db'));
    db.pragma('secure_delete = OFF');
    db.exec(
      'CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT, date INTEGER)',
    );
    const old = db.prepare('INSERT INTO message (guid, text, date) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 120; i++)
        old.run(`GUID-OLD-${i}`, `written before the update ${i}`, 600000000 + i);
    })();
    db.exec('ALTER TABLE message ADD COLUMN service TEXT');
    db.exec('ALTER TABLE message ADD COLUMN is_from_me INTEGER DEFAULT 0');
    const now = db.prepare(
      'INSERT INTO message (guid, text, date, service, is_from_me) VALUES (?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (let i = 121; i <= 240; i++)
        now.run(`GUID-NEW-${i}`, `written after the update ${i}`, 600000000 + i, 'iMessage', i % 2);
    })();
    db.exec('DELETE FROM message WHERE ROWID % 10 = 4');
    db.close();

    const got = carveDatabase(path('alter.db')).records.filter((r) => r.table === 'message');
    const deleted = Array.from({ length: 240 }, (_, i) => i + 1).filter((i) => i % 10 === 4);
    for (const i of deleted) {
      const r = got.find((x) => x.values[1] === `GUID-${i <= 120 ? 'OLD' : 'NEW'}-${i}`);
      assert.ok(
        r,
        `deleted message ${i} (${i <= 120 ? 'before' : 'after'} the migration) recovered`,
      );
      const tail = i <= 120 ? [null, null] : ['iMessage', i % 2];
      assert.deepEqual(r.values.slice(2), [
        `written ${i <= 120 ? 'before' : 'after'} the update ${i}`,
        600000000 + i,
        ...tail,
      ]);
    }
    assert.equal(got.length, deleted.length, 'no live row reported');
  });
});
