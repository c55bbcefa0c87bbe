// Hostile backups, part 3: inputs built to hang Reclaim or blow up its memory.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { fileIdOf } from '../../src/backup/file-id.js';
import { gunzipIfNeeded, MAX_NOTE_BODY_BYTES } from '../../src/artifacts/notes/document.js';
import { buildDemoContent } from '../../demo/src/index.js';
import { ExitCode } from '../../src/errors.js';
import { writeBackup } from '../support/backups.js';
import {
  archiveBomb,
  editContent,
  editKeybag,
  filesUnder,
  inScene,
  plistBomb,
  u32,
} from './harness.js';

const files = [
  { domain: 'HomeDomain', relativePath: 'Library/Notes/a.txt', data: Buffer.from('first file') },
  { domain: 'HomeDomain', relativePath: 'Library/Notes/b.txt', data: Buffer.from('second file') },
];
const PASSWORD = 'hostile-pw';

test('point 4: plist bombs (shared references) end in a clear exit 3, in seconds', async () => {
  await inScene(async (scene) => {
    // The 2^40 Info.plist: `info` ran 83 s into a 4.3 GB out-of-memory crash.
    const infoBomb = scene.path('info-bomb');
    await writeBackup(infoBomb, files);
    writeFileSync(join(infoBomb, 'Info.plist'), plistBomb(40));
    assert.ok(readFileSync(join(infoBomb, 'Info.plist')).length < 500);
    const bomb =
      /is damaged or not a property list \(binary plist expands to more than \d+ entries through shared references \(a plist bomb\)\)/;
    await scene.check(['info', infoBomb], {
      code: ExitCode.badInput,
      timeoutMs: 20_000,
      message: new RegExp(`^reclaim: warning: Info\\.plist ${bomb.source}`),
    });
    // Info.plist only describes the backup: extraction says so and goes on.
    const out = scene.path('out');
    await scene.check(['extract', infoBomb, out], {
      code: ExitCode.ok,
      out,
      timeoutMs: 20_000,
      message: /^reclaim: warning: Info\.plist is damaged .*plist bomb.*; going on without it\.$/,
    });
    assert.equal(filesUnder(out).length, 2);

    // As Manifest.plist (encryption state, keybag): nothing can be read without it.
    const manifestBomb = scene.path('manifest-bomb');
    await writeBackup(manifestBomb, files);
    writeFileSync(join(manifestBomb, 'Manifest.plist'), plistBomb(40));
    await scene.check(['files', manifestBomb], {
      code: ExitCode.badInput,
      timeoutMs: 20_000,
      message: new RegExp(`^reclaim: Manifest\\.plist ${bomb.source}`),
    });

    // Inside one Manifest.db file record: that record is damaged (exit 6), the others are read.
    const recordBomb = scene.path('record-bomb');
    await writeBackup(recordBomb, files);
    const db = new Database(join(recordBomb, 'Manifest.db'));
    db.prepare('UPDATE Files SET file = ? WHERE fileID = ?').run(
      archiveBomb(40),
      fileIdOf('HomeDomain', 'Library/Notes/a.txt'),
    );
    db.close();
    const listing = await scene.check(['files', recordBomb], {
      code: ExitCode.partial,
      timeoutMs: 20_000,
      message:
        /^damaged: HomeDomain\/Library\/Notes\/a\.txt: damaged file record \(Archived object expands to more than \d+ entries .*archive bomb\)/,
    });
    assert.match(listing.stdout, /Library\/Notes\/b\.txt/);

    // Nesting past any real plist: refused as well.
    const deep = scene.path('deep');
    await writeBackup(deep, files);
    writeFileSync(join(deep, 'Manifest.plist'), plistBomb(100));
    await scene.check(['files', deep], {
      code: ExitCode.badInput,
      timeoutMs: 20_000,
      message:
        /^reclaim: Manifest\.plist is damaged or not a property list \(binary plist nests too deeply\)/,
    });
  });
});

test('point 6: keybag round counts iOS never writes are refused at once (exit 3), with an estimate', async () => {
  await inScene(async (scene) => {
    const env = { RECLAIM_PASSWORD: PASSWORD };
    const huge = scene.path('huge-dpic');
    await writeBackup(huge, files, { password: PASSWORD });
    editKeybag(huge, (records) => {
      records.find((r) => r.tag === 'DPIC')!.value = u32(0x7fffffff);
    });
    // 2^31-1 rounds computed for about 14 minutes in silence.
    for (const args of [
      ['files', huge],
      ['key', huge],
      ['extract', huge, scene.path('o')],
    ]) {
      const result = await scene.check(args, {
        code: ExitCode.badInput,
        env,
        timeoutMs: 30_000,
        message:
          /^reclaim: Keybag looks damaged or hostile: its DPIC \(PBKDF2-SHA256\) asks for 2,147,483,647 rounds \(iOS uses at most 10,000,000\); deriving the key would take about \d+ (minutes|hours|days) here\. Give --force to derive it anyway\.$/,
      });
      assert.ok(result.ms < 30_000);
    }
    // 2^31 and more gave "unexpected error" (exit 1): no derivation can run that many, even forced.
    const beyond = scene.path('beyond');
    await writeBackup(beyond, files, { password: PASSWORD });
    editKeybag(beyond, (records) => {
      records.find((r) => r.tag === 'ITER')!.value = u32(0xffffffff);
    });
    await scene.check(['files', beyond, '--force'], {
      code: ExitCode.badInput,
      env,
      message:
        /^reclaim: Keybag is damaged: its ITER \(PBKDF2-SHA1\) asks for 4,294,967,295 rounds, more than any key derivation can run\.$/,
    });
  });
});

test('point 7: a note body that inflates to 1 GiB is stopped at the cap and reported damaged', async () => {
  // Concatenated gzip members, each 1 MiB of zeros: a 1 MiB file standing for 1 GiB.
  const member = gzipSync(Buffer.alloc(1 << 20));
  const bomb = Buffer.concat(Array.from({ length: 1024 }, () => member));
  assert.ok(bomb.length < 2 << 20);
  const before = process.memoryUsage().rss;
  const started = Date.now();
  assert.throws(() => gunzipIfNeeded(bomb), /inflates past 64 MiB, far beyond any real note/);
  assert.ok(Date.now() - started < 10_000, 'stopped quickly');
  assert.ok(
    process.memoryUsage().rss - before < 4 * MAX_NOTE_BODY_BYTES,
    'memory stays near the cap',
  );

  await inScene(async (scene) => {
    const content = buildDemoContent({ only: ['notes'] });
    let bombed = '';
    editContent(content, 'NoteStore.sqlite', (data) => {
      const db = new Database(data);
      const row = db
        .prepare(
          `SELECT d.Z_PK AS pk, o.ZTITLE1 AS title FROM ZICNOTEDATA d JOIN ZICCLOUDSYNCINGOBJECT o ON o.Z_PK = d.ZNOTE
           WHERE d.ZDATA IS NOT NULL AND o.ZTITLE1 IS NOT NULL AND coalesce(o.ZISPASSWORDPROTECTED, 0) = 0 ORDER BY d.Z_PK LIMIT 1`,
        )
        .get() as { pk: number; title: string };
      bombed = row.title;
      db.prepare('UPDATE ZICNOTEDATA SET ZDATA = ? WHERE Z_PK = ?').run(bomb, row.pk);
      const bytes = db.serialize();
      db.close();
      return bytes;
    });
    const backup = scene.path('notes-bomb');
    await writeBackup(backup, content);
    const out = scene.path('out');
    const result = await scene.check(['export', backup, out, '--only', 'notes'], {
      code: ExitCode.partial,
      out,
      timeoutMs: 60_000,
      message:
        /^ {4}error: Notes: 1 note body\(ies\) are damaged and could not be decoded \(listed by title only\): /,
    });
    assert.ok(result.stdout.includes(JSON.stringify(bombed)), result.stdout);
    assert.ok(readdirSync(join(out, 'notes')).length > 0, 'the other notes are exported');
  });
});

test('point 11: a cut class key says "keybag damaged" (exit 3), not "wrong password"', async () => {
  await inScene(async (scene) => {
    const env = { RECLAIM_PASSWORD: PASSWORD };
    const cut = scene.path('cut');
    await writeBackup(cut, files, { password: PASSWORD });
    editKeybag(cut, (records) => {
      const key = records.find((r) => r.tag === 'WPKY')!;
      key.value = key.value.subarray(0, 32);
    });
    await scene.check(['files', cut], {
      code: ExitCode.badInput,
      env,
      message:
        /^reclaim: Keybag is damaged: class key \d+ is 32 bytes, not 40, so no password can unlock this backup\.$/,
    });
    // The same with a wrong password: still damaged, since no password could ever unlock it.
    await scene.check(['files', cut], {
      code: ExitCode.badInput,
      env: { RECLAIM_PASSWORD: 'wrong' },
      message: /^reclaim: Keybag is damaged: class key/,
    });
    // A damaged class key that is whole: the right password unwraps the others.
    const flipped = scene.path('flipped');
    await writeBackup(flipped, files, { password: PASSWORD });
    editKeybag(flipped, (records) => {
      const keys = records.filter((r) => r.tag === 'WPKY');
      const last = keys[keys.length - 1]!;
      last.value = Buffer.from(last.value);
      last.value[10]! ^= 0xff;
    });
    await scene.check(['files', flipped], {
      code: ExitCode.badInput,
      env,
      message:
        /^reclaim: Keybag is damaged: the password unlocks it, but class key\(s\) \d+ do not unwrap\.$/,
    });
    await scene.check(['files', flipped], {
      code: ExitCode.wrongPassword,
      env: { RECLAIM_PASSWORD: 'wrong' },
      message: /^reclaim: Wrong password/,
    });
  });
});
