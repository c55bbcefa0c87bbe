import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoContent } from '../../demo/src/index.js';
import { BackupWriter } from '../../src/backup/writer.js';
import type { BackupFileInput } from '../../src/backup/types.js';
import { FAST_KDF, runCli } from '../support/backups.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';

interface Group {
  reason: string;
  items: number;
  bytes: number;
  databases: string[];
  examples: string[];
}
interface Summary {
  artifact: string;
  items: number;
  notInBackup: string[];
  problems: { severity: string; message: string }[];
  missing: {
    listed: { files: number; bytes: number };
    present: { files: number; bytes: number };
    reasons: Group[];
  };
}

const ADDRESS_BOOK = 'Library/AddressBook/AddressBook.sqlitedb';
const CALL_HISTORY = 'Library/CallHistoryDB/CallHistory.storedata';
const TYPES = ['messages', 'contacts', 'calls', 'voicemail'] as const;

/** The demo's messages, contacts, calls and voicemail; `dropped` listed in the index without data. */
async function backupWithout(
  dir: string,
  dropped: string[],
  keep: (f: BackupFileInput) => boolean = () => true,
): Promise<Map<string, number>> {
  const writer = await BackupWriter.create(dir, { keyDerivation: FAST_KDF });
  const sizes = new Map<string, number>();
  for (const file of buildDemoContent({ only: TYPES }).filter(keep)) {
    if (dropped.includes(file.relativePath)) {
      writer.addMissing(file, file.data!.length);
      sizes.set(file.relativePath, file.data!.length);
    } else writer.addAll([file]);
  }
  await writer.finish();
  return sizes;
}

const summaryOf = (out: string) =>
  JSON.parse(readFileSync(join(out, 'export-summary.json'), 'utf8')) as Summary[];
const byArtifact = (all: Summary[], id: string) => all.find((s) => s.artifact === id)!;

test('databases listed without their data: said as such, the export exits 6, the summary says what and why', async () => {
  const tmp = tempDir();
  try {
    const backup = join(tmp.path, 'backup');
    // the address book and call history listed without data; the text's photo not even listed
    const sizes = await backupWithout(
      backup,
      [ADDRESS_BOOK, CALL_HISTORY],
      (f) => !f.relativePath.endsWith('IMG_0001.jpeg'),
    );
    const out = join(tmp.path, 'out');
    const run = runCli(['export', backup, out, '--only', TYPES.join(',')]);
    assert.equal(run.status, 6, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /holds no (address book|call history)/);
    assert.match(
      run.stdout,
      new RegExp(`HomeDomain/${ADDRESS_BOOK}: listed in the backup's index, but its data`),
    );
    assert.match(run.stdout, /Contacts +its data is not in this folder/);
    assert.match(run.stdout, /missing: 1 item\(s\), [\d.]+ [kK]?B: offloaded to iCloud/);

    const all = summaryOf(out);
    const contacts = byArtifact(all, 'contacts');
    assert.equal(contacts.items, 0);
    assert.equal(contacts.notInBackup.length, 0);
    const [notHere] = contacts.missing.reasons;
    assert.equal(notHere!.reason, 'not-in-folder');
    assert.deepEqual(notHere!.databases, [`HomeDomain/${ADDRESS_BOOK}`]);
    assert.equal(notHere!.bytes, sizes.get(ADDRESS_BOOK));
    // AddressBookImages.sqlitedb is there: listed 2, present 1
    assert.equal(contacts.missing.listed.files, 2);
    assert.equal(contacts.missing.present.files, 1);
    assert.equal(
      contacts.missing.listed.bytes - contacts.missing.present.bytes,
      sizes.get(ADDRESS_BOOK),
    );
    const calls = byArtifact(all, 'calls');
    assert.deepEqual(calls.missing.reasons[0]!.databases, [`HomeDomain/${CALL_HISTORY}`]);
    assert.ok(!calls.notInBackup.some((l) => /holds no/.test(l)));

    const messages = byArtifact(all, 'messages');
    assert.ok(messages.items > 0);
    assert.deepEqual(
      messages.missing.reasons.map((r) => [r.reason, r.items, r.examples]),
      [['offloaded', 1, ['IMG_0001.jpeg']]],
    );
    assert.ok(messages.missing.reasons[0]!.bytes > 0, 'the attachment size from sms.db');
    // voicemail is whole: nothing missing
    assert.deepEqual(byArtifact(all, 'voicemail').missing.reasons, []);
  } finally {
    tmp.cleanup();
  }
});

test('a whole backup: nothing missing, the export exits 0', async () => {
  const tmp = tempDir();
  try {
    const backup = join(tmp.path, 'backup');
    await backupWithout(backup, []);
    const out = join(tmp.path, 'out');
    const run = runCli(['export', backup, out, '--only', 'contacts,calls,voicemail']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /missing:/);
    for (const s of summaryOf(out)) {
      assert.deepEqual(s.missing.reasons, [], s.artifact);
      assert.equal(s.missing.listed.files, s.missing.present.files);
      assert.ok(s.missing.listed.files > 0, s.artifact);
    }
  } finally {
    tmp.cleanup();
  }
});

test('mvt fixture: its missing databases named with the reason, exit 6', needsFixtures(), () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.path, 'out');
    const run = runCli(['export', fixture('backups', 'mvt-ios14-plain'), out]);
    assert.equal(run.status, 6, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /holds no (address book|call history|Notes|voicemail)/);
    // 1,089 file rows, 11 of them stored (fixture README): the rest said in one line
    assert.match(
      run.stdout,
      /The backup's index lists 1079 file\(s\) \([\d.]+ MB\) whose data is not/,
    );
    const all = summaryOf(out);
    const databases = (id: string) =>
      all
        .find((s) => s.artifact === id)!
        .missing.reasons.filter((r) => r.reason === 'not-in-folder')
        .flatMap((r) => r.databases);
    assert.deepEqual(databases('contacts'), [
      'HomeDomain/Library/AddressBook/AddressBook.sqlitedb',
      'HomeDomain/Library/AddressBook/AddressBookImages.sqlitedb',
    ]);
    assert.deepEqual(databases('calls'), [
      'HomeDomain/Library/CallHistoryDB/CallHistory.storedata',
    ]);
    assert.deepEqual(databases('voicemail'), ['HomeDomain/Library/Voicemail/voicemail.db']);
    assert.ok(databases('notes').includes('AppDomainGroup-group.com.apple.notes/NoteStore.sqlite'));
    assert.ok(databases('safari').includes('HomeDomain/Library/Safari/History.db'));
    assert.deepEqual(databases('photos'), ['CameraRollDomain/Media/PhotoData/Photos.sqlite']);
    const photos = all.find((s) => s.artifact === 'photos')!.missing;
    assert.equal(photos.present.files, 0);
    assert.equal(photos.listed.files, photos.reasons[0]!.items);
    // sms.db is there
    assert.deepEqual(databases('messages'), []);
  } finally {
    tmp.cleanup();
  }
});
