// Hostile backups, part 1: the source is never written to, and nothing is read from outside it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { fileIdOf } from '../../src/backup/file-id.js';
import { ExitCode } from '../../src/errors.js';
import { writeBackup } from '../support/backups.js';
import { filesUnder, hasMkfifo, inScene, mkfifo } from './harness.js';

const files = [
  { domain: 'HomeDomain', relativePath: 'Library/Notes/a.txt', data: Buffer.from('first file') },
  { domain: 'HomeDomain', relativePath: 'Library/Notes/b.txt', data: Buffer.from('second file') },
  { domain: 'MediaDomain', relativePath: 'Media/c.txt', data: Buffer.from('third file') },
];
const dataPath = (backup: string, domain: string, path: string) => {
  const id = fileIdOf(domain, path);
  return join(backup, id.slice(0, 2), id);
};
const noPipes = { skip: hasMkfifo ? false : 'mkfifo is not available here' };

test('point 1: OUT or BACKUP reached through a link never writes into the backup', async () => {
  await inScene(async (scene) => {
    const backup = scene.path('b');
    await writeBackup(backup, files);
    symlinkSync(backup, scene.path('link'));
    symlinkSync(backup, scene.path('outlink'));
    const refused = /^reclaim: Refusing to write inside the backup folder/;
    // The repro: `reclaim extract link b/out` wrote into b.
    for (const [command, source, out] of [
      ['extract', scene.path('link'), join(backup, 'out')],
      ['export', scene.path('link'), join(backup, 'out')],
      ['extract', backup, scene.path('outlink', 'new')],
      ['decrypt', backup, scene.path('outlink', 'copy')],
      ['extract', backup, join(scene.path('outlink'), '..', 'b', 'x')],
    ] as const) {
      await scene.check([command, source, out], { code: ExitCode.usage, message: refused });
    }
    // A link inside an existing OUT that leads into the backup: those entries are refused, the rest
    // extracted, and nothing is created inside the backup.
    const out = scene.path('out');
    mkdirSync(out);
    symlinkSync(backup, join(out, 'HomeDomain'));
    const result = await scene.check(['extract', backup, out], {
      code: ExitCode.ok,
      out,
      message: /leads there through a link/,
    });
    assert.match(result.stdout, /Extracted 1 files/);
    assert.equal(readFileSync(join(out, 'MediaDomain', 'Media', 'c.txt'), 'utf8'), 'third file');
  });
});

test('point 3: a data file that is a link leaving the backup is refused and listed', async () => {
  await inScene(async (scene) => {
    const backup = scene.path('b');
    await writeBackup(backup, files);
    writeFileSync(scene.path('secret.txt'), 'not backup data');
    const a = dataPath(backup, 'HomeDomain', 'Library/Notes/a.txt');
    rmSync(a);
    symlinkSync(scene.path('secret.txt'), a);
    // A link that stays inside the backup is followed.
    const b = dataPath(backup, 'HomeDomain', 'Library/Notes/b.txt');
    const moved = join(backup, 'moved-b');
    writeFileSync(moved, readFileSync(b));
    rmSync(b);
    symlinkSync(moved, b);
    const out = scene.path('out');
    const result = await scene.check(['extract', backup, out], {
      code: ExitCode.ok,
      out,
      message:
        /HomeDomain\/Library\/Notes\/a\.txt: its data file is a link to .*secret\.txt, outside the backup folder: refused/,
    });
    assert.match(result.stdout, /Extracted 2 files .* 1 refused/);
    assert.equal(existsSync(join(out, 'HomeDomain', 'Library', 'Notes', 'a.txt')), false);
    assert.equal(
      readFileSync(join(out, 'HomeDomain', 'Library', 'Notes', 'b.txt'), 'utf8'),
      'second file',
    );
    for (const file of filesUnder(out))
      assert.notEqual(readFileSync(join(out, file), 'utf8'), 'not backup data', file);
  });
});

test('point 5: named pipes are refused before anything opens them', noPipes, async () => {
  await inScene(async (scene) => {
    const plain = scene.path('plain');
    await writeBackup(plain, files);
    const out = scene.path('out');
    // A data file that is a pipe: refused and listed, the rest extracted.
    const a = dataPath(plain, 'HomeDomain', 'Library/Notes/a.txt');
    rmSync(a);
    mkfifo(a);
    // Status.plist and Info.plist as pipes: optional, so said and skipped.
    rmSync(join(plain, 'Status.plist'));
    mkfifo(join(plain, 'Status.plist'));
    rmSync(join(plain, 'Info.plist'));
    mkfifo(join(plain, 'Info.plist'));
    const result = await scene.check(['extract', plain, out], {
      code: ExitCode.ok,
      out,
      timeoutMs: 30_000,
      message: /a\.txt: its data file is a named pipe, not a regular file: refused/,
    });
    assert.match(result.stderr, /warning: Status\.plist is a named pipe, not a regular file/);
    assert.match(result.stderr, /warning: Info\.plist is a named pipe/);
    assert.match(result.stdout, /Extracted 2 files .* 1 refused/);

    // Manifest.db, Manifest.plist and Manifest.mbdb as pipes: damaged input, exit 3, no hang.
    for (const [format, name] of [
      ['manifest-db', 'Manifest.db'],
      ['manifest-db', 'Manifest.plist'],
      ['mbdb', 'Manifest.mbdb'],
    ] as const) {
      const dir = scene.path(`pipe-${name}`);
      await writeBackup(dir, files, { format });
      rmSync(join(dir, name));
      mkfifo(join(dir, name));
      await scene.check(['files', dir], {
        code: ExitCode.badInput,
        timeoutMs: 30_000,
        message: new RegExp(
          `^reclaim: ${name.replace('.', '\\.')} is a named pipe, not a regular file`,
        ),
      });
    }
  });
});

test('point 10: fileIDs like ../x or NULL are refused and listed, not dropped silently', async () => {
  await inScene(async (scene) => {
    const backup = scene.path('b');
    await writeBackup(backup, files);
    const db = new Database(join(backup, 'Manifest.db'));
    db.prepare('UPDATE Files SET fileID = ? WHERE fileID = ?').run(
      '../x',
      fileIdOf('HomeDomain', 'Library/Notes/a.txt'),
    );
    db.prepare('UPDATE Files SET fileID = NULL WHERE fileID = ?').run(
      fileIdOf('HomeDomain', 'Library/Notes/b.txt'),
    );
    db.close();
    const out = scene.path('out');
    const result = await scene.check(['extract', backup, out], {
      code: ExitCode.ok,
      out,
      message: /"HomeDomain\/Library\/Notes\/a\.txt": fileID "\.\.\/x" is not 40 hex digits/,
    });
    assert.match(result.stderr, /"HomeDomain\/Library\/Notes\/b\.txt": fileID NULL is not 40 hex/);
    assert.match(result.stdout, /Extracted 1 files .* 2 refused, 0 failed/);
    assert.deepEqual(filesUnder(out), [join('MediaDomain', 'Media', 'c.txt')]);
  });
});

test('point 15: a folder named Manifest.db is damaged input (exit 3), in one line', async () => {
  await inScene(async (scene) => {
    const backup = scene.path('b');
    await writeBackup(backup, files);
    rmSync(join(backup, 'Manifest.db'));
    mkdirSync(join(backup, 'Manifest.db'));
    for (const args of [
      ['files', backup],
      ['info', backup],
      ['extract', backup, scene.path('o')],
    ]) {
      const result = await scene.check(args, {
        code: ExitCode.badInput,
        message: /^reclaim: Manifest\.db is a folder, not a regular file/,
      });
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    }
  });
});
