import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { fileIdOf } from '../../src/backup/file-id.js';
import { readManifestDb, serializeManifestDb } from '../../src/backup/manifest-db.js';
import { FILES_COLUMNS, readFilesFromPages } from '../../src/backup/manifest-pages.js';
import type { BackupEntry } from '../../src/backup/types.js';

function entries(): BackupEntry[] {
  const list: BackupEntry[] = [];
  for (let i = 0; i < 3000; i++) {
    const domain = `AppDomain-app${i % 7}`;
    // Long paths spill records onto overflow pages; non-ASCII names test the text decoding.
    const relativePath = i % 500 === 0 ? `Library/${'long-'.repeat(2000)}${i}` : `Library/ü-${i}`;
    list.push({
      domain,
      relativePath,
      fileID: fileIdOf(domain, relativePath),
      kind: i % 10 === 0 ? 'directory' : i % 97 === 0 ? 'symlink' : 'file',
      size: i * 1000,
      mode: i % 10 === 0 ? 0o40755 : i % 97 === 0 ? 0o120755 : 0o100644,
      modified: 1_700_000_000 + i,
      created: 1_600_000_000,
      statusChanged: 1_700_000_000,
      protectionClass: 3,
      wrappedKey: Buffer.alloc(44, i & 255),
      target: i % 97 === 0 ? '../target' : null,
    });
  }
  return list;
}

function sqliteRows(path: string): unknown[][] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(`SELECT ${FILES_COLUMNS.join(', ')} FROM Files`)
      .raw(true)
      .all() as unknown[][];
  } finally {
    db.close();
  }
}

test("Manifest.db's Files rows read from its pages equal SQLite's, in SQLite's order", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'reclaim-pages-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'Manifest.db');
  writeFileSync(path, serializeManifestDb(entries()));
  const expected = sqliteRows(path);
  const read: unknown[][] = [];
  // The path comes as its UTF-8 bytes (a view): compared as the text SQLite gives.
  const ok = readFilesFromPages(path, expected.length, (row) =>
    read.push(
      row.map((v, i) => (Buffer.isBuffer(v) ? (i === 2 ? v.toString('utf8') : Buffer.from(v)) : v)),
    ),
  );
  assert.equal(ok, true);
  assert.equal(read.length, 3000);
  assert.deepEqual(read, expected);
  // Another count than SQLite's: not trusted.
  assert.equal(
    readFilesFromPages(path, expected.length + 1, () => {}),
    false,
  );
  const index = readManifestDb(path);
  assert.deepEqual(
    index.entries.toArray().map((e) => e.relativePath),
    entries().map((e) => e.relativePath),
  );
});

test('a Manifest.db whose pages are damaged is read by SQLite as far as it can, never half from pages', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'reclaim-pages-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'Manifest.db');
  const bytes = serializeManifestDb(entries());
  // A leaf page in the middle of the table turned to garbage.
  const pageSize = bytes.readUInt16BE(16);
  bytes.fill(0xa5, pageSize * 40, pageSize * 41);
  writeFileSync(path, bytes);
  let rows = 0;
  assert.equal(
    readFilesFromPages(path, 3000, () => rows++),
    false,
  );
  try {
    const index = readManifestDb(path);
    // SQLite's own reading (whatever it could give) is what comes back.
    assert.ok(index.entries.length <= 3000);
  } catch (error) {
    assert.match((error as Error).message, /Manifest\.db/);
  }
});

test('a path that is not valid UTF-8 sends the whole index through SQLite, as before', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'reclaim-pages-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'Manifest.db');
  writeFileSync(path, serializeManifestDb(entries().slice(0, 50)));
  const db = new Database(path);
  db.prepare("UPDATE Files SET relativePath = CAST(x'4c6962ff' AS TEXT) WHERE rowid = 7").run();
  db.close();
  assert.equal(
    readFilesFromPages(path, 50, () => {}),
    false,
  );
  const index = readManifestDb(path);
  assert.equal(index.entries.length, 50);
  assert.equal(index.entries.relativePath(6), 'Lib\uFFFD');
});
