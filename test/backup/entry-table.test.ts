import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EntryTable, EntryTableBuilder } from '../../src/backup/entry-table.js';
import { fileIdOf } from '../../src/backup/file-id.js';
import type { BackupEntry } from '../../src/backup/types.js';

const entry = (i: number, more: Partial<BackupEntry> = {}): BackupEntry => ({
  domain: `AppDomain-app${i % 3}`,
  relativePath: `Library/é-${i}.dat`,
  fileID: fileIdOf(`AppDomain-app${i % 3}`, `Library/é-${i}.dat`),
  kind: 'file',
  size: 2 ** 40 + i,
  mode: 0o100644,
  modified: 1_700_000_000 + i,
  created: -5,
  statusChanged: 1_700_000_001,
  protectionClass: 3,
  wrappedKey: Buffer.from([3, 0, 0, 0, ...Array.from({ length: 40 }, (_, b) => (b + i) & 255)]),
  target: null,
  ...more,
});

test('the compact index gives back every field of every row as it was read', () => {
  const entries: BackupEntry[] = [];
  for (let i = 0; i < 5000; i++)
    entries.push(entry(i, { extras: { rowFlags: 1, flags: 0, inode: i, uid: 501, gid: 501 } }));
  entries.push(
    entry(5000, { kind: 'directory', mode: 0o40755, size: 0, wrappedKey: null, extras: {} }),
    entry(5001, { kind: 'symlink', target: '../x', wrappedKey: null }),
    entry(5002, {
      extras: { inode: 7, accessed: 9, properties: [[Buffer.from('n'), null]] },
    }),
  );
  const table = EntryTable.from(entries);
  assert.equal(table.length, entries.length);
  assert.deepEqual(table.toArray(), entries);
  assert.deepEqual([...table], entries);
  assert.equal(table.kind(5000), 'directory');
  assert.equal(table.size(3), 2 ** 40 + 3);
  assert.equal(table.indexOf('AppDomain-app2', 'Library/é-5.dat'), 5);
  assert.equal(table.indexOf('AppDomain-app2', 'Library/é-6.dat'), -1);
  assert.equal(table.indexOf('nope', 'Library/é-5.dat'), -1);
});

test('columns stay exact when a value outgrows 32 bits, extras start late and rows outnumber the room made', () => {
  const entries: BackupEntry[] = [];
  for (let i = 0; i < 300; i++) {
    const more: Partial<BackupEntry> = {
      size: i === 250 ? 2 ** 33 : i,
      modified: i === 260 ? 1.5 : i,
    };
    if (i >= 100) more.extras = i % 2 ? { inode: 2 ** 40 + i } : { uid: -1 };
    entries.push(entry(i, more));
  }
  const builder = new EntryTableBuilder(10);
  for (const e of entries) builder.add(e);
  const table = builder.build();
  assert.deepEqual(table.toArray(), entries);
  assert.equal(table.size(250), 2 ** 33);
  assert.equal(table.size(249), 249);
  assert.equal(table.modified(260), 1.5);
});

test('a path listed twice is found at its first row; paths are matched byte for byte', () => {
  const twice = entry(1, { wrappedKey: null });
  const table = EntryTable.from([entry(0), twice, entry(2), { ...twice, size: 9 }]);
  assert.equal(table.indexOf(twice.domain, twice.relativePath), 1);
  assert.equal(table.indexOf(twice.domain, twice.relativePath.normalize('NFD')), -1);
  assert.equal(table.indexOf(twice.domain, `${twice.relativePath}x`), -1);
  assert.equal(table.wrappedKey(1), null);
  assert.equal(table.relativePath(3), 'Library/é-1.dat');
});
