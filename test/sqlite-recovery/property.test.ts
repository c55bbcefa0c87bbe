// Property tests (fast-check): whatever bytes the carver is given, it returns a well-formed result
// and terminates. No timing assertions: a hang would show up as the test never finishing, and every
// loop in the engine is bounded (cycle guards and iteration caps), which the cycle cases below exercise.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { carveDatabase, type CarveResult } from '../../src/sqlite-recovery/index.js';
import { tempDir } from '../support/fixtures.js';

const tmp = tempDir('reclaim-carve-prop-');
after(() => tmp.cleanup());

const PAGE = 1024;

/**
 * A small database with every structure the carver walks: rowid and WITHOUT ROWID tables, an index,
 * rows with overflow chains, freeblocks, freelist trunk and leaf pages, a dropped table, and a WAL
 * with several commits (kept by copying it before the writer closes).
 */
function sample(): { db: Buffer; wal: Buffer; journal: Buffer } {
  const path = join(tmp.path, 'sample.db');
  const db = new Database(path);
  db.pragma(`page_size = ${PAGE}`);
  db.pragma('secure_delete = OFF');
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER, f REAL, b BLOB)');
  db.exec('CREATE INDEX t_name ON t(name)');
  db.exec('CREATE TABLE w (k TEXT PRIMARY KEY, v TEXT, n INTEGER) WITHOUT ROWID');
  db.exec('CREATE TABLE gone (a TEXT, b INTEGER)');
  const ins = db.prepare('INSERT INTO t (name, n, f, b) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 120; i++)
      ins.run(
        `name-${i}-${'x'.repeat(i % 30)}`,
        i * 1000,
        i / 7,
        Buffer.alloc(i % 11 === 0 ? 3000 : i % 40, i),
      );
    for (let i = 0; i < 40; i++)
      db.prepare('INSERT INTO w VALUES (?, ?, ?)').run(`k${i}`, 'v'.repeat(i * 20), i);
    for (let i = 0; i < 30; i++) db.prepare('INSERT INTO gone VALUES (?, ?)').run(`gone ${i}`, i);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('DELETE FROM t WHERE id % 3 = 0');
  db.exec("DELETE FROM w WHERE k LIKE 'k1%'");
  db.exec('DROP TABLE gone');
  db.exec("UPDATE t SET name = name || '!' WHERE id % 5 = 1");
  const wal = readFileSync(path + '-wal');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = readFileSync(path);
  db.close();

  // a rollback journal: a transaction left hot by copying the journal while it is open
  const jpath = join(tmp.path, 'journal.db');
  const j = new Database(jpath);
  j.pragma(`page_size = ${PAGE}`);
  j.pragma('journal_mode = PERSIST');
  j.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)');
  for (let i = 0; i < 50; i++) j.prepare('INSERT INTO t (s) VALUES (?)').run(`journal row ${i}`);
  j.exec('DELETE FROM t WHERE id % 2 = 0');
  const journal = readFileSync(jpath + '-journal');
  j.close();
  return { db: bytes, wal, journal };
}

const { db: DB, wal: WAL, journal: JOURNAL } = sample();

/** The carver's contract: a result of the documented shape, or a clean Error (never a TypeError etc.). */
function carveChecked(
  db: Uint8Array,
  opts: { wal?: Uint8Array; journal?: Uint8Array } = {},
): CarveResult | null {
  let res: CarveResult;
  try {
    res = carveDatabase(db, opts);
  } catch (e) {
    assert.ok(e instanceof Error, 'throws only Error objects');
    assert.ok(
      !(e instanceof TypeError || e instanceof RangeError || e instanceof SyntaxError),
      `no programming error: ${String(e)}`,
    );
    assert.ok(!e.message.includes('\n'), 'a one-line message');
    return null;
  }
  assert.ok(Array.isArray(res.records) && Array.isArray(res.warnings) && Array.isArray(res.tables));
  for (const r of res.records) {
    assert.equal(typeof r.table, 'string');
    assert.ok(r.rowid === null || typeof r.rowid === 'number');
    assert.ok(Array.isArray(r.values));
    assert.ok(typeof r.source === 'string' && r.source.length > 0);
    assert.ok(r.confidence >= 0 && r.confidence <= 1, `confidence ${r.confidence}`);
    for (const v of r.values) {
      assert.ok(
        v === null || ['number', 'bigint', 'string'].includes(typeof v) || Buffer.isBuffer(v),
        `value of type ${typeof v}`,
      );
    }
  }
  for (const w of res.warnings) assert.equal(typeof w, 'string');
  return res;
}

const mutations = fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), {
  minLength: 1,
  maxLength: 300,
});

function mutate(src: Buffer, muts: Array<{ at: number; byte: number }>): Buffer {
  const out = Buffer.from(src);
  for (const m of muts) out[m.at % out.length] = m.byte;
  return out;
}

describe('carving never crashes or hangs on damaged input (fast-check)', () => {
  it('the intact sample carves, with deleted rows from the WAL and the main file', () => {
    const res = carveChecked(DB, { wal: WAL })!;
    assert.ok(res.records.some((r) => r.table === 't'));
    assert.ok(
      res.records.some((r) => r.table === 'w'),
      'WITHOUT ROWID rows too',
    );
  });

  it('random bytes overwritten anywhere in the database', () => {
    fc.assert(
      fc.property(mutations, (muts) => void carveChecked(mutate(DB, muts))),
      { numRuns: 120, seed: 4711 },
    );
  });

  it('page structures overwritten: b-tree headers, cell pointers, child and overflow page numbers, freelist', () => {
    const structural = fc.array(
      fc.record({
        page: fc.integer({ min: 1, max: Math.floor(DB.length / PAGE) }),
        field: fc.integer({ min: 0, max: 15 }), // header bytes and the first cell pointers
        value: fc.integer({ min: 0, max: 255 }),
      }),
      { minLength: 1, maxLength: 60 },
    );
    fc.assert(
      fc.property(structural, fc.nat(), fc.nat(), (edits, trunk, count) => {
        const b = Buffer.from(DB);
        for (const e of edits)
          b[(e.page - 1) * PAGE + (e.page === 1 ? 100 : 0) + e.field] = e.value;
        b.writeUInt32BE(trunk % 64, 32); // first freelist trunk: often a live or nonsense page
        b.writeUInt32BE(count, 36);
        carveChecked(b);
      }),
      { numRuns: 120, seed: 99 },
    );
  });

  it('truncated files, with and without their WAL', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: DB.length }),
        fc.nat({ max: WAL.length }),
        fc.boolean(),
        (n, w, withWal) => {
          carveChecked(DB.subarray(0, n), withWal ? { wal: WAL.subarray(0, w) } : {});
        },
      ),
      { numRuns: 80, seed: 3 },
    );
  });

  it('random WAL garbage: pure noise, a valid header with noise frames, a real WAL with flipped bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 20_000 }),
        mutations,
        fc.integer({ min: 0, max: 2 }),
        (noise, muts, kind) => {
          let wal: Buffer;
          if (kind === 0) wal = Buffer.from(noise);
          else if (kind === 1) wal = Buffer.concat([WAL.subarray(0, 32), Buffer.from(noise)]);
          else wal = mutate(WAL, muts);
          carveChecked(DB, { wal });
        },
      ),
      { numRuns: 80, seed: 12 },
    );
  });

  it('rollback journal garbage and damaged journals', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 8000 }),
        mutations,
        fc.boolean(),
        (noise, muts, real) => {
          carveChecked(DB, { journal: real ? mutate(JOURNAL, muts) : Buffer.from(noise) });
        },
      ),
      { numRuns: 60, seed: 5 },
    );
  });

  it('pure noise and tiny inputs as the database', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16_384 }), (b) => void carveChecked(b)),
      { numRuns: 60, seed: 8 },
    );
    for (const b of [Buffer.alloc(0), DB.subarray(0, 100), Buffer.alloc(PAGE * 3)]) carveChecked(b);
  });
});

describe('cycles and absurd counts terminate', () => {
  const pages = Math.floor(DB.length / PAGE);
  const pageAt = (n: number): number => (n - 1) * PAGE;

  it('a freelist trunk that lists itself as next trunk, and one claiming a huge leaf count', () => {
    const b = Buffer.from(DB);
    const trunk = pages; // the last page, made into a trunk pointing at itself
    b.writeUInt32BE(trunk, 32);
    b.writeUInt32BE(pages, 36);
    b.writeUInt32BE(trunk, pageAt(trunk));
    b.writeUInt32BE(0xffffffff, pageAt(trunk) + 4);
    const res = carveChecked(b)!;
    assert.ok(
      res.warnings.some((w) => /cycle|claims/.test(w)),
      res.warnings.join('; '),
    );
  });

  it('b-tree interior pages whose children point back at the root or themselves', () => {
    const b = Buffer.from(DB);
    let changed = 0;
    for (let n = 1; n <= pages; n++) {
      const h = pageAt(n) + (n === 1 ? 100 : 0);
      if (b[h] === 0x05 || b[h] === 0x02) {
        b.writeUInt32BE(n, h + 8); // right child = itself
        const cells = b.readUInt16BE(h + 3);
        for (let c = 0; c < cells; c++)
          b.writeUInt32BE(c % 2 ? 1 : n, pageAt(n) + b.readUInt16BE(h + 12 + 2 * c));
        changed++;
      }
    }
    assert.ok(changed > 0, 'test setup: the sample has interior pages');
    carveChecked(b);
  });

  it('overflow chains that loop, on every page', () => {
    const b = Buffer.from(DB);
    // the first 4 bytes of every page that is not a b-tree page (overflow, freelist) point at page 2
    for (let n = 2; n <= pages; n++) {
      if (![0x02, 0x05, 0x0a, 0x0d].includes(b[pageAt(n)]!))
        b.writeUInt32BE(n % 2 ? n : 2, pageAt(n));
    }
    carveChecked(b);
    carveChecked(b, { wal: WAL });
  });

  it('freeblock chains that loop or point backwards, and cell counts past the page', () => {
    const b = Buffer.from(DB);
    for (let n = 2; n <= pages; n++) {
      const h = pageAt(n);
      if (b[h] !== 0x0d && b[h] !== 0x0a) continue;
      const first = b.readUInt16BE(h + 1);
      if (first)
        b.writeUInt16BE(first, h + first); // the first freeblock points at itself
      else b.writeUInt16BE(0xffff, h + 3); // absurd cell count
    }
    carveChecked(b);
  });

  it('a WAL whose commit frame claims billions of pages', () => {
    // re-sign a one-frame WAL so that its checksums hold and the commit counts
    const w = Buffer.from(WAL.subarray(0, 32 + 24 + PAGE));
    w.writeUInt32BE(0xfffffff0, 32 + 4);
    const big = (w.readUInt32BE(0) & 1) === 1; // 0x377f0683: big-endian checksum words
    const word = (buf: Buffer, i: number): number =>
      big ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const cks = (buf: Buffer, off: number, len: number, s: [number, number]): [number, number] => {
      let [a, c] = s;
      for (let i = off; i < off + len; i += 8) {
        a = (a + word(buf, i) + c) >>> 0;
        c = (c + word(buf, i + 4) + a) >>> 0;
      }
      return [a, c];
    };
    let s = cks(w, 0, 24, [0, 0]);
    w.writeUInt32BE(s[0], 24);
    w.writeUInt32BE(s[1], 28);
    s = cks(w, 32, 8, s);
    s = cks(w, 56, PAGE, s);
    w.writeUInt32BE(s[0], 32 + 16);
    w.writeUInt32BE(s[1], 32 + 20);
    const res = carveChecked(DB, { wal: w })!;
    assert.ok(
      res.stats.pages <= Math.ceil(DB.length / PAGE) + 1,
      `page count stays bounded by the bytes (${res.stats.pages})`,
    );
  });
});
