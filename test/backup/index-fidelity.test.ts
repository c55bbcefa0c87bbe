import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Backup } from '../../src/backup/backup.js';
import { parseMbdb, serializeMbdb } from '../../src/backup/mbdb.js';
import type { BackupEntry, BackupFileInput } from '../../src/backup/types.js';
import { BackupWriter, type WriterOptions } from '../../src/backup/writer.js';
import { FAST_KDF, runCli } from '../support/backups.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';

const SMS: BackupFileInput = {
  domain: 'HomeDomain',
  relativePath: 'Library/SMS/sms.db',
  data: Buffer.from('not really a database, 41 bytes of text.\n'),
  modified: new Date(Date.UTC(2024, 0, 2)),
};
const NOTE: BackupFileInput = {
  domain: 'HomeDomain',
  relativePath: 'Library/Notes/note.txt',
  data: Buffer.from('hello'),
  modified: new Date(Date.UTC(2024, 0, 3)),
  // fields Reclaim does not use, which a decrypted copy must keep as they are
  statusChanged: new Date(Date.UTC(2024, 5, 6)),
  created: new Date(Date.UTC(2023, 1, 1)),
  protectionClass: 4,
  extras: { inode: 987_654, uid: 0, gid: 20, accessed: 1_717_000_000, flags: 0, rowFlags: 0 },
};

async function write(dir: string, files: BackupFileInput[], options: WriterOptions = {}) {
  const writer = await BackupWriter.create(dir, { keyDerivation: FAST_KDF, ...options });
  writer.addAll(files);
  await writer.finish();
}

/** Everything an index row holds but its key, as written (mbdb keeps no birth time: ctime stands in). */
const rowOf = (e: BackupEntry) => ({ ...e, wrappedKey: null });

test('info: an empty Status.plist is said as such; decrypt of a plain backup is a usage error (2)', async () => {
  const tmp = tempDir();
  try {
    await write(tmp.path, [SMS], { status: {} });
    const info = runCli(['info', tmp.path]);
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout, /Finished: +unknown \(Status\.plist is empty\)/);
    const json = JSON.parse(runCli(['info', tmp.path, '--json']).stdout) as Record<string, unknown>;
    assert.equal(json['finished'], null);
    assert.equal(json['finishedUnknown'], 'Status.plist is empty');
    const decrypt = runCli(['decrypt', tmp.path, join(tmp.path, '..', 'copy-never-written')]);
    assert.equal(decrypt.status, 2, decrypt.stderr);
    assert.match(decrypt.stderr, /not encrypted/);
  } finally {
    tmp.cleanup();
  }
});

for (const [what, content] of [
  ['empty', Buffer.alloc(0)],
  ['not SQLite', Buffer.from('leftover from another tool')],
] as const)
  test(`a Manifest.db that is ${what} beside a valid Manifest.mbdb: the mbdb is read, and said`, async () => {
    const tmp = tempDir();
    try {
      await write(tmp.path, [SMS, NOTE], { format: 'mbdb' });
      writeFileSync(join(tmp.path, 'Manifest.db'), content);
      const files = runCli(['files', tmp.path, '--json']);
      assert.equal(files.status, 0, files.stderr);
      const listed = JSON.parse(files.stdout) as { relativePath: string }[];
      assert.ok(listed.some((f) => f.relativePath === SMS.relativePath));
      assert.match(files.stderr, /Manifest\.db is (empty|not a SQLite).*read from Manifest\.mbdb/);
      assert.equal(Backup.open(tmp.path).format, 'mbdb');
    } finally {
      tmp.cleanup();
    }
  });

test('data longer than the index size: files --json and extract give the count and the list, every byte kept', async () => {
  for (const password of [undefined, 'pw']) {
    const tmp = tempDir();
    try {
      const dir = join(tmp.path, 'b');
      await write(dir, [SMS, NOTE], { format: 'mbdb', ...(password ? { password } : {}) });
      const mbdbPath = join(dir, 'Manifest.mbdb');
      const entries = parseMbdb(readFileSync(mbdbPath));
      const sms = entries.find((e) => e.relativePath === SMS.relativePath)!;
      if (password)
        sms.size -= 5; // the index says less than the data decrypts to
      else appendFileSync(join(dir, sms.fileID), 'extra'); // the stored data grew
      writeFileSync(mbdbPath, serializeMbdb(entries));
      const env: Record<string, string> = password ? { RECLAIM_PASSWORD: password } : {};
      const files = runCli(['files', dir, '--json'], env);
      assert.equal(files.status, 0, files.stderr);
      const listed = JSON.parse(files.stdout) as { relativePath: string; dataSize?: number }[];
      const expected = SMS.data!.length + (password ? 0 : 5);
      assert.deepEqual(
        listed.filter((f) => f.dataSize !== undefined).map((f) => [f.relativePath, f.dataSize]),
        [[SMS.relativePath, expected]],
      );
      assert.match(files.stderr, /1 file\(s\) whose data length differs from the index size/);
      const out = join(tmp.path, 'out');
      const extract = runCli(['extract', dir, out], env);
      assert.match(extract.stderr, /Data length differs from the index size[^\n]*\(1\):/);
      assert.match(
        extract.stderr,
        new RegExp(`HomeDomain/Library/SMS/sms\\.db: ${expected} bytes`),
      );
      assert.match(extract.stdout, /1 differ from the index size/);
      assert.equal(readFileSync(join(out, 'HomeDomain', SMS.relativePath)).length, expected);
    } finally {
      tmp.cleanup();
    }
  }
});

test('--path: a bare * matches across folders; a pattern that matches nothing is said', async () => {
  const tmp = tempDir();
  try {
    await write(tmp.path, [SMS, NOTE]);
    const listed = runCli(['files', tmp.path, '--json', '--path', '*sms.db*']);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { relativePath: string }[]).map((f) => f.relativePath),
      [SMS.relativePath],
    );
    const none = runCli(['files', tmp.path, '--path', '*nothing-like-this*']);
    assert.match(
      none.stderr,
      /Nothing in the backup's index matches --path "\*nothing-like-this\*"/,
    );
    const extract = runCli(['extract', tmp.path, join(tmp.path, '..', 'x-out'), '--path', 'nope']);
    assert.match(extract.stderr, /Nothing in the backup's index matches --path "nope"/);
  } finally {
    tmp.cleanup();
  }
});

for (const format of ['manifest-db', 'mbdb'] as const)
  test(`decrypt (${format}) changes only what encryption requires in the index`, async () => {
    const tmp = tempDir();
    try {
      const source = join(tmp.path, 'enc');
      await write(source, [SMS, NOTE], { format, password: 'pw' });
      const copy = join(tmp.path, 'plain');
      const run = runCli(['decrypt', source, copy], { RECLAIM_PASSWORD: 'pw' });
      assert.equal(run.status, 0, run.stderr);
      const original = Backup.open(source);
      await original.unlock({ password: 'pw' });
      const plain = Backup.open(copy);
      assert.equal(plain.encrypted, false);
      assert.deepEqual(plain.entries().map(rowOf), original.entries().map(rowOf));
      const note = plain.entries().find((e) => e.relativePath === NOTE.relativePath)!;
      assert.equal(note.statusChanged, Date.UTC(2024, 5, 6) / 1000);
      assert.equal(note.protectionClass, 4);
      assert.equal(note.extras?.inode, 987_654);
      if (format === 'mbdb') assert.equal(note.extras?.accessed, 1_717_000_000);
      else assert.equal(note.extras?.rowFlags, 0);
    } finally {
      tmp.cleanup();
    }
  });

test(
  'pyiosbackup iOS 10 fixture: decrypt keeps LastStatusChange and flags 0',
  needsFixtures(),
  async () => {
    const tmp = tempDir();
    try {
      const copy = join(tmp.path, 'plain');
      const source = fixture('backups', 'pyiosbackup-ios10-encrypted');
      const run = runCli(['decrypt', source, copy], { RECLAIM_PASSWORD: '0000' });
      assert.equal(run.status, 0, run.stderr);
      const original = Backup.open(source);
      await original.unlock({ password: '0000' });
      const [before] = original.entries();
      const [after] = Backup.open(copy).entries();
      assert.deepEqual(rowOf(after!), rowOf(before!));
      assert.equal(after!.statusChanged, 1628082509);
      assert.equal(after!.extras?.rowFlags, 0);
    } finally {
      tmp.cleanup();
    }
  },
);
