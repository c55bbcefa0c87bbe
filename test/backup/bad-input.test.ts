import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import createBplist from 'bplist-creator';
import { parseMbdb, serializeMbdb } from '../../src/backup/mbdb.js';
import { fileIdOf } from '../../src/backup/file-id.js';
import { readPlistDict } from '../../src/backup/plist.js';
import { ExitCode } from '../../src/errors.js';
import { runCli, writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';

const files = [
  { domain: 'HomeDomain', relativePath: 'Library/Notes/a.txt', data: Buffer.from('first file') },
  { domain: 'HomeDomain', relativePath: 'Library/Notes/b.txt', data: Buffer.from('second file') },
];

/** Runs `fn` on a fresh generated backup and checks the CLI's one-line error and exit code. */
async function expectCliError(
  name: string,
  options: { format?: 'manifest-db' | 'mbdb'; password?: string },
  damage: (dir: string) => void,
  args: (dir: string, out: string) => string[],
  code: number,
  message: RegExp,
): Promise<void> {
  await test(name, async () => {
    const tmp = tempDir();
    try {
      const dir = join(tmp.path, 'backup');
      await writeBackup(dir, files, options);
      damage(dir);
      const out = join(tmp.path, 'out');
      const result = runCli(
        args(dir, out),
        options.password ? { RECLAIM_PASSWORD: 'wrong one' } : {},
      );
      assert.equal(result.status, code, `exit code; stderr: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.deepEqual(
        readdirSync(tmp.path).sort(),
        existsSync(out) ? ['backup', 'out'] : ['backup'],
        'nothing written beside',
      );
    } finally {
      tmp.cleanup();
    }
  });
}

const filesArgs = (dir: string) => ['files', dir];

await expectCliError(
  'truncated Manifest.db',
  {},
  (d) => truncateSync(join(d, 'Manifest.db'), 1000),
  filesArgs,
  ExitCode.badInput,
  /^reclaim: Manifest\.db/m,
);
await expectCliError(
  'garbage Manifest.db',
  {},
  (d) => writeFileSync(join(d, 'Manifest.db'), Buffer.alloc(8192, 0x41)),
  filesArgs,
  ExitCode.badInput,
  /Manifest\.db is not an SQLite database/,
);
await expectCliError(
  'truncated Manifest.mbdb',
  { format: 'mbdb' },
  (d) => truncateSync(join(d, 'Manifest.mbdb'), 40),
  filesArgs,
  ExitCode.badInput,
  /Manifest\.mbdb is truncated/,
);
await expectCliError(
  'corrupt Info.plist',
  {},
  (d) => writeFileSync(join(d, 'Info.plist'), '<?xml version="1.0"?><plist><dict><key>x'),
  (d) => ['info', d],
  ExitCode.badInput,
  /Info\.plist is damaged/,
);
await expectCliError(
  'corrupt binary Manifest.plist',
  {},
  (d) => truncateSync(join(d, 'Manifest.plist'), 30),
  (d) => ['info', d],
  ExitCode.badInput,
  /Manifest\.plist is damaged/,
);
await expectCliError(
  'truncated keybag',
  { password: 'right' },
  (d) => {
    const manifest = readPlistDict(join(d, 'Manifest.plist'), 'Manifest.plist');
    manifest['BackupKeyBag'] = (manifest['BackupKeyBag'] as Buffer).subarray(0, 101);
    writeFileSync(join(d, 'Manifest.plist'), createBplist(manifest));
  },
  filesArgs,
  ExitCode.badInput,
  /Keybag is truncated/,
);
await expectCliError(
  'wrong password',
  { password: 'right' },
  () => undefined,
  filesArgs,
  ExitCode.wrongPassword,
  /^reclaim: Wrong password/m,
);
await expectCliError(
  'wrong password on extract writes nothing',
  { password: 'right' },
  () => undefined,
  (d, out) => ['extract', d, out],
  ExitCode.wrongPassword,
  /Wrong password/,
);
await expectCliError(
  'not a backup folder',
  {},
  (d) => rmSync(join(d, 'Manifest.db')),
  filesArgs,
  ExitCode.notFound,
  /Not an iOS backup/,
);
await expectCliError(
  'output inside the backup is refused',
  {},
  () => undefined,
  (d) => ['extract', d, join(d, 'x')],
  ExitCode.usage,
  /Refusing to write inside the backup folder/,
);

test('missing class key and missing data files: partial extraction, listed, non-zero exit', async () => {
  const tmp = tempDir();
  try {
    const dir = join(tmp.path, 'backup');
    await writeBackup(dir, files, { format: 'mbdb', password: 'pw' });
    const entries = parseMbdb(readFileSync(join(dir, 'Manifest.mbdb')));
    const a = entries.find((e) => e.relativePath.endsWith('a.txt'))!;
    a.wrappedKey!.writeUInt32LE(99, 0);
    writeFileSync(join(dir, 'Manifest.mbdb'), serializeMbdb(entries));
    const b = entries.find((e) => e.relativePath.endsWith('b.txt'))!;
    rmSync(join(dir, b.fileID));
    const out = join(tmp.path, 'out');
    const result = runCli(['extract', dir, out], { RECLAIM_PASSWORD: 'pw' });
    assert.equal(result.status, ExitCode.partial, result.stderr);
    assert.match(result.stderr, /Missing class key 99/);
    assert.match(result.stdout, /Extracted 0 files .* 1 missing, 0 refused, 1 failed/);
    assert.equal(existsSync(join(out, 'HomeDomain', 'Library', 'Notes', 'a.txt')), false);
  } finally {
    tmp.cleanup();
  }
});

test('hostile relative paths and fileIDs are refused and nothing lands outside OUT', async () => {
  const tmp = tempDir();
  try {
    const dir = join(tmp.path, 'backup');
    const hostile = [
      { domain: 'HomeDomain', relativePath: '../../../escaped.txt', data: Buffer.from('x') },
      { domain: 'HomeDomain', relativePath: '/tmp/absolute.txt', data: Buffer.from('x') },
      { domain: '..', relativePath: 'escaped-domain.txt', data: Buffer.from('x') },
      { domain: 'HomeDomain', relativePath: 'a/../../b.txt', data: Buffer.from('x') },
      { domain: 'HomeDomain', relativePath: 'ok/fine.txt', data: Buffer.from('fine') },
    ];
    await writeBackup(dir, hostile);
    const db = new Database(join(dir, 'Manifest.db'));
    db.prepare('UPDATE Files SET fileID = ? WHERE fileID = ?').run(
      '../../../../etc/passwd',
      fileIdOf('HomeDomain', 'ok/fine.txt'),
    );
    db.close();
    rmSync(join(dir, 'Manifest.db-wal'), { force: true });
    const out = join(tmp.path, 'sub', 'out');
    const result = runCli(['extract', dir, out]);
    assert.equal(result.status, 0, result.stderr);
    // 4 files, the 6 folders above them, and the row whose fileID climbs out
    assert.match(result.stderr, /Refused \(unsafe names, or data that may not be read\) \(11\)/);
    assert.match(result.stderr, /fileID "..\/..\/..\/..\/etc\/passwd" is not 40 hex digits/);
    for (const h of hostile.slice(0, 4))
      assert.ok(
        result.stderr.includes(JSON.stringify(`${h.domain}/${h.relativePath}`)),
        h.relativePath,
      );
    assert.match(result.stdout, /Extracted 0 files/);
    assert.deepEqual(readdirSync(tmp.path).sort(), ['backup', 'sub']);
    assert.deepEqual(readdirSync(join(tmp.path, 'sub')), ['out']);
    const listing = runCli(['files', dir]);
    assert.match(listing.stderr, /refused: .*fileID "..\/..\/..\/..\/etc\/passwd"/);
  } finally {
    tmp.cleanup();
  }
});
