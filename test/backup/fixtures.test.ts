import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Backup } from '../../src/backup/backup.js';
import { summarize } from '../../src/backup/describe.js';
import { deriveKek, parseKeybag, unlockKeybag } from '../../src/backup/keybag.js';
import { WrongPasswordError } from '../../src/errors.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';

test(
  'mvt iOS 14 plain backup: index, Info.plist and sms.db as its README says',
  needsFixtures(),
  async () => {
    const backup = Backup.open(fixture('backups', 'mvt-ios14-plain'));
    const entries = backup.entries();
    assert.equal(entries.length, 3721);
    const kinds = { file: 0, directory: 0, symlink: 0 };
    for (const e of entries) kinds[e.kind]++;
    assert.deepEqual(kinds, { file: 1089, directory: 2618, symlink: 14 });
    const summary = summarize(backup);
    assert.equal(summary.productType, 'iPhone9,3');
    assert.equal(summary.model, 'iPhone 7');
    assert.equal(summary.iosVersion, '14.3');
    assert.equal(summary.lastBackupDate, '2021-12-03T19:33:13.000Z');
    assert.deepEqual(summary.missingParts, ['Manifest.plist', 'Status.plist']);
    const sms = backup.find('HomeDomain', 'Library/SMS/sms.db')!;
    assert.equal(sms.fileID, '3d0d7e5fb2ce288813306e4d4636395e047a3d28');
    const data = await backup.readEntry(sms);
    assert.equal(data.length, 28_672);
    assert.equal(data.subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
  },
);

test(
  'mvt plain backup extracts its 10 present files as stored, though its index still lists keys',
  needsFixtures(),
  async () => {
    const { extractBackup } = await import('../../src/backup/extract.js');
    const tmp = tempDir();
    try {
      const summary = await extractBackup(
        Backup.open(fixture('backups', 'mvt-ios14-plain')),
        tmp.path,
      );
      assert.deepEqual(
        [summary.extracted, summary.failed.length, summary.missing.length, summary.symlinks],
        [10, 0, 1079, 14],
      );
      const sms = readFileSync(join(tmp.path, 'HomeDomain', 'Library', 'SMS', 'sms.db'));
      assert.equal(sms.length, 28_672);
      assert.equal(sms.subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
    } finally {
      tmp.cleanup();
    }
  },
);

test(
  'pyiosbackup iOS 10.2+ encrypted backup: wrong password fails cleanly, 0000 decrypts',
  needsFixtures(),
  async () => {
    const backup = Backup.open(fixture('backups', 'pyiosbackup-ios10-encrypted'));
    assert.equal(backup.encrypted, true);
    await assert.rejects(backup.unlock({ password: '1234' }), WrongPasswordError);
    assert.equal(backup.locked, true);
    await backup.unlock({ password: '0000' });
    const entries = backup.entries();
    assert.equal(entries.length, 1);
    const [e] = entries;
    assert.deepEqual(
      {
        domain: e!.domain,
        relativePath: e!.relativePath,
        fileID: e!.fileID,
        size: e!.size,
        mode: e!.mode,
        kind: e!.kind,
        modified: e!.modified,
        statusChanged: e!.statusChanged,
        created: e!.created,
      },
      {
        domain: 'MyTestDomain',
        relativePath: 'Media/Test.txt',
        fileID: '5727bd1c5fa1055e15d8b4a75a74793c84b5ffdc',
        size: 9,
        mode: 33261,
        kind: 'file',
        modified: 1628082463,
        statusChanged: 1628082509,
        created: 1627974948,
      },
    );
    assert.equal((await backup.readEntry(e!)).toString(), 'Test data');
  },
);

test(
  'pyiosbackup iOS 9 mbdb encrypted backup: one record, class 4, decrypts',
  needsFixtures(),
  async () => {
    const backup = Backup.open(fixture('backups', 'pyiosbackup-ios9-mbdb-encrypted'));
    assert.equal(backup.format, 'mbdb');
    const [e] = backup.entries();
    assert.equal(e!.domain, 'MyTestDomain');
    assert.equal(e!.relativePath, 'Media/Test.txt');
    assert.equal(e!.size, 9);
    assert.equal(e!.protectionClass, 4);
    await assert.rejects(backup.unlock({ password: 'wrong' }), WrongPasswordError);
    await backup.unlock({ password: '0000' });
    assert.equal((await backup.readEntry(e!)).toString(), 'Test data');
  },
);

test('real device keybag unlocks with the empty password only', needsFixtures(), async () => {
  const bag = parseKeybag(
    readFileSync(fixture('keybags', 'real-device-unencrypted-backup.keybag')),
  );
  assert.equal(bag.version, 5);
  assert.equal(bag.iterations, 10_000);
  assert.equal(bag.dpic, null);
  assert.equal(unlockKeybag(bag, await deriveKek(bag, '')).size, 11);
  assert.throws(() => unlockKeybag(bag, Buffer.alloc(32)), WrongPasswordError);
  for (const wrong of ['password', '1234', '0000']) {
    await assert.rejects(
      async () => unlockKeybag(bag, await deriveKek(bag, wrong)),
      WrongPasswordError,
    );
  }
});

test(
  'the fast MBFile reader agrees with the general NSKeyedArchiver decoder on every real record',
  needsFixtures(),
  async () => {
    const { default: Database } = await import('better-sqlite3');
    const { readMBFile } = await import('../../src/backup/mbfile.js');
    const { decodeKeyedArchive } = await import('../../src/backup/nskeyedarchiver.js');
    const tmp = tempDir();
    const copy = join(tmp.path, 'Manifest.db');
    copyFileSync(fixture('backups', 'mvt-ios14-plain', 'Manifest.db'), copy);
    const db = new Database(copy, { readonly: true, fileMustExist: true });
    try {
      const blobs = (db.prepare('SELECT file FROM Files').raw(true).all() as [Buffer][]).map(
        ([blob]) => blob,
      );
      assert.equal(blobs.length, 3721);
      for (const blob of blobs) {
        const full = decodeKeyedArchive(blob) as Record<string, unknown>;
        const fast = readMBFile(blob) as Record<string, unknown>;
        for (const field of [
          'Mode',
          'Size',
          'LastModified',
          'Birth',
          'LastStatusChange',
          'ProtectionClass',
          'EncryptionKey',
          'Target',
        ]) {
          assert.deepEqual(fast[field], full[field], field);
        }
      }
    } finally {
      db.close();
      tmp.cleanup();
    }
  },
);
