import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { buildCallHistory } from '../../demo/src/call-history.js';
import { buildNotes, notesData } from '../../demo/src/notes.js';
import { smsIos26Spec } from '../../demo/src/sms-db-ios26-sample.js';
import { smsBackupFiles } from '../../demo/src/sms-db.js';
import { buildWhatsAppIos26 } from '../../demo/src/whatsapp-ios26.js';
import { whatsAppIos26Spec } from '../../demo/src/whatsapp-ios26-sample.js';
import { notesDeclaration } from '../../src/artifacts/notes/index.js';
import type { BackupFileInput } from '../../src/backup/types.js';
import { runCli, writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';

const { noteStore } = notesDeclaration.locations;

/** The iOS 26 NoteStore as a later iOS might write it: a new table, a new column, one read column gone. */
function drifted(files: BackupFileInput[], dir: string): BackupFileInput[] {
  const path = join(dir, 'drift.sqlite');
  return files.map((f) => {
    if (f.domain !== noteStore.domain || f.relativePath !== noteStore.path) return f;
    writeFileSync(path, f.data!);
    const db = new Database(path);
    db.exec('CREATE TABLE ZICFUTURETHING (Z_PK INTEGER PRIMARY KEY, ZWHAT TEXT)');
    db.exec('ALTER TABLE ZICCLOUDSYNCINGOBJECT ADD COLUMN ZSOMETHINGNEW BLOB');
    db.exec('ALTER TABLE ZICCLOUDSYNCINGOBJECT DROP COLUMN ZTITLE2');
    db.close();
    return { ...f, data: readFileSync(path) };
  });
}

const device = {
  deviceName: 'Schema Phone',
  productType: 'iPhone17,1',
  productVersion: '26.1',
  buildVersion: '23B85',
  serialNumber: 'S',
  udid: '00008140-000000000000001E',
};

test('reclaim info names the iOS version and lists the tables and columns Reclaim does not know', async () => {
  const tmp = tempDir();
  try {
    const known = join(tmp.path, 'known');
    const files = [
      ...buildNotes(notesData(), { ios: 'ios26' }),
      ...buildCallHistory(undefined, { ios: 'ios26' }),
      ...smsBackupFiles('ios26', smsIos26Spec()),
      ...buildWhatsAppIos26(whatsAppIos26Spec()),
    ];
    await writeBackup(known, files, { device });
    const plain = JSON.parse(runCli(['info', known, '--json']).stdout) as {
      iosVersion: string;
      schemas: { checked: boolean; databases: Array<Record<string, unknown>> };
    };
    assert.equal(plain.iosVersion, '26.1');
    assert.equal(plain.schemas.checked, true);
    const notes = plain.schemas.databases.find(
      (d) => d['database'] === `${noteStore.domain}/${noteStore.path}`,
    )!;
    assert.deepEqual(
      [notes['readBy'], notes['unknownTables'], notes['unknownColumns'], notes['missingColumns']],
      [['notes'], [], [], []],
    );
    // Every database of the iOS 26 builders is known through and through.
    assert.deepEqual(
      plain.schemas.databases.map((d) => [
        d['database'],
        d['unknownTables'],
        d['unknownColumns'],
        d['missingColumns'],
      ]),
      [
        'AppDomainGroup-group.com.apple.notes/NoteStore.sqlite',
        'AppDomainGroup-group.net.whatsapp.WhatsApp.shared/ChatStorage.sqlite',
        'AppDomainGroup-group.net.whatsapp.WhatsApp.shared/ContactsV2.sqlite',
        'HomeDomain/Library/CallHistoryDB/CallHistory.storedata',
        'HomeDomain/Library/SMS/sms.db',
      ].map((db) => [db, [], [], []]),
    );
    const clean = runCli(['info', known]);
    assert.equal(clean.status, 0, clean.stderr);
    assert.match(clean.stdout, /^iOS:\s+26\.1 \(23B85\)$/m);
    assert.match(clean.stdout, /Database schemas: \d+ database\(s\) checked, all known/);
    assert.doesNotMatch(clean.stderr, /does not know/);

    const changed = join(tmp.path, 'changed');
    await writeBackup(changed, drifted(files, tmp.path), { device });
    const json = JSON.parse(runCli(['info', changed, '--json']).stdout) as typeof plain;
    const report = json.schemas.databases.find(
      (d) => d['database'] === `${noteStore.domain}/${noteStore.path}`,
    )!;
    assert.deepEqual(report['unknownTables'], ['ZICFUTURETHING']);
    assert.deepEqual(report['unknownColumns'], ['ZICCLOUDSYNCINGOBJECT.ZSOMETHINGNEW']);
    assert.deepEqual(report['missingColumns'], ['ZICCLOUDSYNCINGOBJECT.ZTITLE2']);
    const text = runCli(['info', changed]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /1 differ from what this version of Reclaim knows/);
    assert.match(text.stdout, /unknown tables: ZICFUTURETHING$/m);
    assert.match(text.stdout, /unknown columns: ZICCLOUDSYNCINGOBJECT\.ZSOMETHINGNEW$/m);
    assert.match(text.stdout, /missing columns \(left empty\): ZICCLOUDSYNCINGOBJECT\.ZTITLE2$/m);
    assert.match(text.stderr, /tables or columns this version of Reclaim does not know/);
    assert.match(runCli(['info', changed, '--no-schemas']).stdout, /not checked \(not asked/);
  } finally {
    tmp.cleanup();
  }
});

test('reclaim info checks an encrypted backup only when given its password, never asking', async () => {
  const tmp = tempDir();
  try {
    const source = join(tmp.path, 'enc');
    await writeBackup(source, drifted(buildNotes(notesData(), { ios: 'ios26' }), tmp.path), {
      password: 'pw',
      device,
    });
    const locked = runCli(['info', source]);
    assert.equal(locked.status, 0, locked.stderr);
    assert.match(
      locked.stdout,
      /Database schemas: not checked \(encrypted backup: give --password-file/,
    );
    const passwordFile = join(tmp.path, 'pw.txt');
    writeFileSync(passwordFile, 'pw\n');
    const json = JSON.parse(
      runCli(['info', source, '--json', '--password-file', passwordFile]).stdout,
    ) as {
      schemas: { checked: boolean; databases: Array<{ unknownTables: string[] }> };
    };
    assert.equal(json.schemas.checked, true);
    assert.deepEqual(
      json.schemas.databases.map((d) => d.unknownTables),
      [['ZICFUTURETHING']],
    );
  } finally {
    tmp.cleanup();
  }
});
