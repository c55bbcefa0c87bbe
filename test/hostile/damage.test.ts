// Hostile backups, part 4: damage that used to look like success (or like total failure).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import createBplist from 'bplist-creator';
import { fileIdOf } from '../../src/backup/file-id.js';
import { parseMbdb, serializeMbdb } from '../../src/backup/mbdb.js';
import { buildDemoContent } from '../../demo/src/index.js';
import { ExitCode } from '../../src/errors.js';
import { writeBackup } from '../support/backups.js';
import { editContent, filesUnder, inScene, reclaim, snapshot } from './harness.js';

const PASSWORD = 'hostile-pw';
const file = (relativePath: string, data: string | Buffer, domain = 'HomeDomain') => ({
  domain,
  relativePath,
  data: Buffer.isBuffer(data) ? data : Buffer.from(data),
});
const dataPath = (backup: string, domain: string, path: string) => {
  const id = fileIdOf(domain, path);
  return join(backup, id.slice(0, 2), id);
};

test('point 8: names too long for the file system are shortened (hash kept, mapping listed)', async () => {
  await inScene(async (scene) => {
    const ascii250 = `Library/${'a'.repeat(246)}.txt`;
    const long = `Library/${'é'.repeat(200)}.txt`;
    const longFolder = `${'d'.repeat(300)}/inner.txt`;
    const backup = scene.path('b');
    await writeBackup(backup, [
      file(ascii250, 'two hundred and fifty'),
      file(long, 'four hundred bytes'),
      file(longFolder, 'inside a long folder'),
      file('Library/short.txt', 'short'),
    ]);
    const out = scene.path('out');
    const result = await scene.check(['extract', backup, out], {
      code: ExitCode.ok,
      out,
      message: /^Shortened names \(too long for this file system\) \(3\):$/,
    });
    assert.match(result.stdout, /Extracted 4 files .* 0 failed/);
    // 250 characters fit (the temporary name no longer adds to it).
    assert.equal(readFileSync(join(out, 'HomeDomain', ascii250), 'utf8'), 'two hundred and fifty');
    const library = readdirSync(join(out, 'HomeDomain', 'Library'));
    const shortened = library.find((n) => n.startsWith('é'))!;
    assert.match(shortened, /^é+~[0-9a-f]{16}\.txt$/);
    assert.ok(Buffer.byteLength(shortened) <= 255);
    assert.equal(
      readFileSync(join(out, 'HomeDomain', 'Library', shortened), 'utf8'),
      'four hundred bytes',
    );
    assert.ok(result.stderr.includes(`HomeDomain/${long} -> HomeDomain/Library/${shortened}`));
    const folder = readdirSync(join(out, 'HomeDomain')).find((n) => n.startsWith('d'))!;
    assert.match(folder, /^d+~[0-9a-f]{16}$/);
    assert.equal(
      readFileSync(join(out, 'HomeDomain', folder, 'inner.txt'), 'utf8'),
      'inside a long folder',
    );
  });
});

test('point 9: an entry named like a temporary file never mixes with the file it shadows', async () => {
  await inScene(async (scene) => {
    const backup = scene.path('b');
    const entries = [
      file('Library/x', 'the bytes of x'),
      file('Library/.x.reclaim-part', 'the bytes of .x.reclaim-part'),
      file('Library/.x.partial', 'the bytes of .x.partial'),
    ];
    await writeBackup(backup, entries);
    for (let run = 0; run < 3; run++) {
      const out = scene.path(`out-${run}`);
      const result = await scene.check(['extract', backup, out], { code: ExitCode.ok, out });
      assert.match(result.stdout, /Extracted 3 files .* 0 failed/);
      for (const entry of entries)
        assert.equal(
          readFileSync(join(out, 'HomeDomain', entry.relativePath), 'utf8'),
          entry.data.toString(),
        );
      assert.equal(filesUnder(out).length, 3, 'no temporary file left');
    }
  });
});

test('point 12: cut or badly padded ciphertext is a failure (exit 6), never written as content', async () => {
  await inScene(async (scene) => {
    const backup = scene.path('b');
    const big = Buffer.alloc(5 << 20, 0x41);
    await writeBackup(
      backup,
      [
        file('Library/cut.bin', Buffer.alloc(1000, 0x41)),
        file('Library/badpad.bin', Buffer.alloc(1000, 0x41)),
        file('Library/badpad-big.bin', big),
        file('Library/fine.bin', 'fine'),
      ],
      { password: PASSWORD },
    );
    const stored = (name: string) => dataPath(backup, 'HomeDomain', `Library/${name}`);
    truncateSync(stored('cut.bin'), 1003);
    // Without its last block the data ends in content bytes (0x41), which are no valid padding.
    truncateSync(stored('badpad.bin'), 992);
    truncateSync(stored('badpad-big.bin'), big.length - 16);
    const out = scene.path('out');
    const result = await scene.check(['extract', backup, out], {
      code: ExitCode.partial,
      out,
      env: { RECLAIM_PASSWORD: PASSWORD },
      message:
        /^ {2}HomeDomain\/Library\/cut\.bin: its encrypted data is cut \(1003 bytes, not whole 16-byte AES blocks\); not written$/,
    });
    for (const name of ['badpad.bin', 'badpad-big.bin'])
      assert.ok(
        result.stderr.includes(
          `HomeDomain/Library/${name}: its encrypted data ends without valid padding (a damaged file key or damaged data); not written`,
        ),
        result.stderr,
      );
    assert.match(result.stdout, /Extracted 1 files .* 3 failed/);
    assert.deepEqual(filesUnder(out), [join('HomeDomain', 'Library', 'fine.bin')]);
  });
});

test('point 12: garbage attributedBody and undecodable note bodies are problem lines (exit 6), not content', async () => {
  await inScene(async (scene) => {
    const content = buildDemoContent({ only: ['messages', 'notes'] });
    // A typedstream header, then a string whose length runs past the end.
    const garbage = Buffer.concat([
      Buffer.from('040b73747265616d747970656481e803', 'hex'),
      Buffer.from([0x84, 0x7f, 0x01, 0x02]),
    ]);
    editContent(content, 'Library/SMS/sms.db', (data) => {
      const db = new Database(data);
      db.prepare(
        'UPDATE message SET text = NULL, attributedBody = ? WHERE ROWID = (SELECT min(ROWID) FROM message WHERE text IS NOT NULL)',
      ).run(garbage);
      const bytes = db.serialize();
      db.close();
      return bytes;
    });
    editContent(content, 'NoteStore.sqlite', (data) => {
      const db = new Database(data);
      db.prepare(
        `UPDATE ZICNOTEDATA SET ZDATA = ? WHERE Z_PK = (SELECT min(d.Z_PK) FROM ZICNOTEDATA d
           JOIN ZICCLOUDSYNCINGOBJECT o ON o.Z_PK = d.ZNOTE WHERE coalesce(o.ZISPASSWORDPROTECTED, 0) = 0 AND d.ZDATA IS NOT NULL)`,
      ).run(Buffer.from('not a note document at all, just bytes'));
      const bytes = db.serialize();
      db.close();
      return bytes;
    });
    const backup = scene.path('b');
    await writeBackup(backup, content);
    const out = scene.path('out');
    const result = await scene.check(['export', backup, out, '--only', 'messages,notes'], {
      code: ExitCode.partial,
      out,
      timeoutMs: 90_000,
      message:
        /^ {4}error: Messages: 1 message text is damaged \(attributedBody does not decode\): that message is kept without text$/,
    });
    assert.match(
      result.stdout,
      /^ {4}error: Notes: 1 note body\(ies\) are damaged and could not be decoded/m,
    );
    for (const path of filesUnder(out)) {
      const text = readFileSync(join(out, path), 'latin1');
      assert.ok(!text.includes('streamtyped'), `${path} holds no garbage`);
      assert.ok(!text.includes('not a note document at all'), `${path} holds no garbage`);
    }
  });
});

test('point 13: a LastModified of 2^62 writes the file without a time, and says so', async () => {
  await inScene(async (scene) => {
    const backup = scene.path('b');
    await writeBackup(backup, [
      file('Library/far.txt', 'far future'),
      file('Library/ok.txt', 'ok'),
    ]);
    const record = createBplist({
      $version: 100000,
      $archiver: 'NSKeyedArchiver',
      $top: { root: { UID: 1 } },
      $objects: [
        '$null',
        {
          LastModified: 2n ** 62n,
          Size: 10,
          Mode: 0o100644,
          ProtectionClass: 0,
          $class: { UID: 2 },
        },
        { $classname: 'MBFile', $classes: ['MBFile', 'NSObject'] },
      ],
    });
    const db = new Database(join(backup, 'Manifest.db'));
    db.prepare('UPDATE Files SET file = ? WHERE fileID = ?').run(
      record,
      fileIdOf('HomeDomain', 'Library/far.txt'),
    );
    db.close();
    const out = scene.path('out');
    const result = await scene.check(['extract', backup, out], {
      code: ExitCode.ok,
      out,
      message:
        /^ {2}HomeDomain\/Library\/far\.txt: its modification time \(46116860184273\d{5}\) is out of range: written without it$/,
    });
    assert.match(result.stdout, /Extracted 2 files .* 0 failed/);
    assert.equal(readFileSync(join(out, 'HomeDomain', 'Library', 'far.txt'), 'utf8'), 'far future');
  });
});

test('point 14: a damaged Info.plist or Status.plist is said and the extract goes on', async () => {
  await inScene(async (scene) => {
    const backup = scene.path('b');
    await writeBackup(backup, [file('Library/a.txt', 'a'), file('Library/b.txt', 'b')]);
    writeFileSync(join(backup, 'Info.plist'), '<?xml version="1.0"?><plist><dict><key>x');
    truncateSync(join(backup, 'Status.plist'), 20);
    const out = scene.path('out');
    const result = await scene.check(['extract', backup, out], {
      code: ExitCode.ok,
      out,
      message:
        /^reclaim: warning: Info\.plist is damaged or not a property list \(.*\); going on without it\.$/,
    });
    assert.match(
      result.stderr,
      /^reclaim: warning: Status\.plist is damaged or not a property list/m,
    );
    assert.equal(filesUnder(out).length, 2);
    // `info` describes those files: what it shows is incomplete, and it ends with "damaged input".
    await scene.check(['info', backup], {
      code: ExitCode.badInput,
      message: /^reclaim: warning: Info\.plist is damaged/,
    });
  });
});

test('point 14: a damaged Manifest.mbdb gives the records before the damage and says where it stopped', async () => {
  await inScene(async (scene) => {
    const backup = scene.path('b');
    const names = ['a', 'b', 'c', 'd'].map((n) => file(`Library/${n}.txt`, `file ${n}`));
    await writeBackup(backup, names, { format: 'mbdb' });
    const mbdb = join(backup, 'Manifest.mbdb');
    const entries = parseMbdb(readFileSync(mbdb));
    const cutAt = entries.findIndex((e) => e.relativePath === 'Library/c.txt');
    const offset = serializeMbdb(entries.slice(0, cutAt)).length;
    truncateSync(mbdb, offset + 12);
    const out = scene.path('out');
    const result = await scene.check(['extract', backup, out], {
      code: ExitCode.partial,
      out,
      message: new RegExp(
        `^ {2}Manifest\\.mbdb is damaged at byte ${offset} \\(truncated at byte \\d+\\): the ${cutAt} records before it were read, the rest of the index is lost$`,
      ),
    });
    assert.deepEqual(filesUnder(out).sort(), [
      join('HomeDomain', 'Library', 'a.txt'),
      join('HomeDomain', 'Library', 'b.txt'),
    ]);
    assert.match(result.stdout, /Extracted 2 files/);
  });
});

test('point 15: XML parser complaints never reach the terminal (one line per problem)', async () => {
  await inScene(async (scene) => {
    const backup = scene.path('b');
    await writeBackup(backup, [file('Library/a.txt', 'a')]);
    // "&amp y": the XML parser logged "[xmldom error] EntityRef: expecting ;" and went on.
    writeFileSync(
      join(backup, 'Info.plist'),
      '<?xml version="1.0"?><plist version=1.0><dict><key>Device Name</key><string>x &amp y</string></dict></plist>',
    );
    const info = await scene.check(['info', backup], {
      code: ExitCode.badInput,
      message:
        /^reclaim: warning: Info\.plist is damaged or not a property list \(EntityRef: expecting ;\); going on without it\.$/,
    });
    assert.equal(info.stderr.trim().split('\n').length, 1, info.stderr);
    const out = scene.path('out');
    const extract = await scene.check(['extract', backup, out], { code: ExitCode.ok, out });
    assert.equal(extract.stderr.match(/^reclaim: /gm)?.length, 1, extract.stderr);
  });
});

test('point 15: two extracts into one OUT at the same time both succeed with identical output', async () => {
  await inScene(async (scene) => {
    const backup = scene.path('b');
    const many = Array.from({ length: 300 }, (_, i) =>
      file(`Library/Data/${i % 7}/file-${i}.bin`, Buffer.alloc(1000 + i * 37, i)),
    );
    many.push(file('Library/big.bin', Buffer.alloc(6 << 20, 7)));
    await writeBackup(backup, many, { password: PASSWORD });
    const env = { RECLAIM_PASSWORD: PASSWORD };
    const reference = scene.path('reference');
    await scene.check(['extract', backup, reference], { code: ExitCode.ok, out: reference, env });
    const shared = scene.path('shared');
    const before = snapshot(scene.area, [shared, scene.tmp]);
    const [first, second] = await Promise.all(
      [0, 1].map(() =>
        reclaim(['extract', backup, shared], { tmp: scene.tmp, env, timeoutMs: 120_000 }),
      ),
    );
    for (const run of [first!, second!]) {
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, / 0 failed/);
    }
    assert.deepEqual([...snapshot(shared)].sort(), [...snapshot(reference)].sort());
    assert.deepEqual([...snapshot(scene.area, [shared, scene.tmp])], [...before]);
  });
});
