import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { carveDatabase } from '../../src/sqlite-recovery/index.js';
import { tempDir } from '../support/fixtures.js';

const tmp = tempDir('reclaim-carve-fuzz-');
after(() => tmp.cleanup());

/** mulberry32: a small seeded PRNG, so every failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample(): { db: Buffer; wal: Buffer } {
  const path = join(tmp.path, 'sample.db');
  const db = new Database(path);
  db.pragma('secure_delete = OFF');
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER, f REAL, b BLOB)');
  db.exec('CREATE TABLE w (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID');
  const ins = db.prepare('INSERT INTO t (name, n, f, b) VALUES (?, ?, ?, ?)');
  for (let i = 0; i < 300; i++)
    ins.run(`name-${i}-${'x'.repeat(i % 50)}`, i * 1000, i / 7, Buffer.alloc(i % 40, i));
  for (let i = 0; i < 50; i++)
    db.prepare('INSERT INTO w VALUES (?, ?)').run(`k${i}`, 'v'.repeat(i * 30));
  db.exec('DELETE FROM t WHERE id % 3 = 0');
  db.exec("DELETE FROM w WHERE k LIKE 'k1%'");
  const wal = readFileSync(path + '-wal');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = readFileSync(path);
  db.close();
  return { db: bytes, wal };
}

describe('corrupted and truncated input', () => {
  const { db, wal } = sample();

  it('carves the intact sample (sanity)', () => {
    const res = carveDatabase(db, { wal });
    assert.ok(res.records.length > 0);
  });

  it('never throws on random byte corruption, truncation or garbage (seeded, 150 cases)', () => {
    const rnd = prng(20240611);
    for (let i = 0; i < 150; i++) {
      const kind = i % 5;
      let bytes = Buffer.from(db);
      let walBytes: Buffer | undefined;
      if (kind === 0 || kind === 3) {
        const flips = 1 + Math.floor(rnd() * 200);
        for (let k = 0; k < flips; k++)
          bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
      }
      if (kind === 1 || kind === 3) bytes = bytes.subarray(0, Math.floor(rnd() * bytes.length));
      if (kind === 2) {
        // corrupt the structures that drive loops: header, page headers, pointers, freelist
        for (let p = 0; p < bytes.length; p += 4096) {
          for (let k = 0; k < 12; k++)
            if (rnd() < 0.5) bytes[p + (p === 0 ? 100 : 0) + k] = Math.floor(rnd() * 256);
        }
        bytes.writeUInt32BE(Math.floor(rnd() * 2 ** 32), 32);
      }
      if (kind === 4) {
        walBytes = Buffer.from(wal);
        for (let k = 0; k < 100; k++)
          walBytes[Math.floor(rnd() * walBytes.length)] = Math.floor(rnd() * 256);
        walBytes = walBytes.subarray(0, Math.floor(walBytes.length * (0.5 + rnd() / 2)));
      }
      const res = carveDatabase(bytes, walBytes ? { wal: walBytes } : {});
      assert.ok(Array.isArray(res.records), `case ${i}`);
    }
  });

  it('handles empty input, a lone header and pure noise', () => {
    const rnd = prng(7);
    const noise = Buffer.alloc(64 * 1024);
    for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(rnd() * 256);
    for (const b of [Buffer.alloc(0), db.subarray(0, 100), noise, Buffer.alloc(8192)]) {
      const res = carveDatabase(b);
      assert.ok(Array.isArray(res.records));
    }
  });
});
