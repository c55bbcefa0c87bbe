import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import plist from 'plist';
import { keybagOf, loadBackupKeybag, readManifestPlist } from '../../src/backup/manifest-plist.js';
import { formatHashLine, hashTargetFromKeybag } from '../../src/password/hash-line.js';
import { chooseBackend } from '../../src/password/native.js';
import { probeHashcat } from '../../src/password/hashcat/tool.js';
import { deriveKeks } from '../../src/password/verifier.js';
import { fixture, needsFixtures, sharedFixtures, tempDir } from '../support/fixtures.js';
import { writeLowDpicCopy } from './helpers/low-dpic-backup.js';
import { runCli } from './helpers/targets.js';

const dir = tempDir('reclaim-password-backup-');
test.after(() => dir.cleanup());
const env = { XDG_STATE_HOME: join(dir.path, 'state') };
const ios10 = sharedFixtures ? fixture('backups', 'pyiosbackup-ios10-encrypted') : '';
const lowCopy = join(dir.path, 'ios10-low-dpic');

function wordlist(name: string, words: string[]): string {
  const path = join(dir.path, name);
  writeFileSync(path, `${words.join('\n')}\n`);
  return path;
}

test(
  'the real iOS 10.2+ fixture (DPIC 10,000,000) gives up 0000 from a wordlist, and its low-DPIC copy is written',
  needsFixtures(),
  () => {
    const result = runCli(
      [
        'password',
        'recover',
        ios10,
        '--wordlist',
        wordlist('pins.txt', ['1234', '0000']),
        '--json',
      ],
      env,
    );
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout) as {
      found: boolean;
      password: string;
      tried: number;
      seconds: number;
    };
    assert.deepEqual([json.found, json.password], [true, '0000']);
    assert.ok(json.tried >= 1 && json.tried <= 2 && json.seconds >= 0);

    const bag = loadBackupKeybag(ios10);
    const [realKek] = deriveKeks(hashTargetFromKeybag(bag), chooseBackend().backend, [
      Buffer.from('0000'),
    ]);
    mkdirSync(lowCopy);
    writeLowDpicCopy(ios10, lowCopy, '0000', realKek!);
    const copy = keybagOf(readManifestPlist(lowCopy)!);
    assert.equal(copy.dpic, 1000);
    assert.deepEqual(
      copy.classKeys.map((k) => k.protectionClass),
      bag.classKeys.map((k) => k.protectionClass),
    );
  },
);

test(
  'the low-DPIC copy of the pyiosbackup fixture falls to --mask ?d?d?d?d',
  needsFixtures(),
  () => {
    const result = runCli(['password', 'recover', lowCopy, '--mask', '?d?d?d?d'], env);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'Password found: 0000\n', 'printed once, on stdout');
    assert.match(result.stderr, /Trying 10,000 candidates \(mask \?d\?d\?d\?d\)/);
    assert.match(result.stderr, /reclaim info .*--password-file/);
    assert.match(result.stderr, /reclaim extract .* OUT --password-file/);
    assert.doesNotMatch(result.stderr, /0000/, 'the password appears only once');
  },
);

test('the pre-10.2 fixture gives up 0000 to the built-in PIN list', needsFixtures(), () => {
  const result = runCli(
    ['password', 'recover', fixture('backups', 'pyiosbackup-ios9-mbdb-encrypted'), '--json'],
    env,
  );
  assert.equal(result.status, 0, result.stderr);
  const json = JSON.parse(result.stdout) as { found: boolean; password: string; tried: number };
  assert.deepEqual([json.found, json.password], [true, '0000']);
  assert.ok(json.tried >= 3, 'third in the list; threads may finish other batches first');
});

test('CLI errors: unencrypted backup, bad hash line, empty wordlist, malformed mask, both target kinds', () => {
  const plain = join(dir.path, 'plain');
  mkdirSync(plain);
  writeFileSync(
    join(plain, 'Manifest.plist'),
    plist.build({ IsEncrypted: false, Version: '10.0' }),
  );
  const cases: [string[], number, RegExp][] = [
    [
      ['password', 'recover', plain, '--mask', '?d'],
      3,
      /This backup is not encrypted: it has no password to recover/,
    ],
    [
      ['password', 'recover', '--hash', '$itunes_backup$*10*zz'],
      2,
      /Bad hash line: it has 2 fields/,
    ],
    [
      [
        'password',
        'recover',
        '--hash',
        '$itunes_backup$*9*00*1*00**',
        '--wordlist',
        wordlist('empty.txt', []),
      ],
      2,
      /Bad hash line/,
    ],
    [
      [
        'password',
        'recover',
        '--hash',
        formatHashLine({
          version: 9,
          wrappedKey: Buffer.alloc(40),
          iterations: 10,
          salt: Buffer.alloc(20),
          dpic: null,
          dpsl: null,
        }),
        '--wordlist',
        wordlist('empty2.txt', []),
      ],
      2,
      /Wordlist .*empty2.txt is empty/,
    ],
    [
      [
        'password',
        'recover',
        '--hash',
        formatHashLine({
          version: 9,
          wrappedKey: Buffer.alloc(40),
          iterations: 10,
          salt: Buffer.alloc(20),
          dpic: null,
          dpsl: null,
        }),
        '--mask',
        '?d?q',
      ],
      2,
      /Malformed mask "\?d\?q": unknown charset \?q/,
    ],
    [
      ['password', 'recover', plain, '--hash', '$itunes_backup$*9*00'],
      2,
      /either a backup folder or --hash, not both/,
    ],
    [['password', 'recover'], 2, /Give a backup folder, or a hash line with --hash/],
  ];
  for (const [args, status, message] of cases) {
    const result = runCli(args, env);
    assert.equal(result.status, status, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stdout, '');
  }
});

test('not found: --json says so with the count, and the exit code is 5', () => {
  const line = formatHashLine({
    version: 9,
    wrappedKey: Buffer.alloc(40, 1),
    iterations: 10,
    salt: Buffer.alloc(20),
    dpic: null,
    dpsl: null,
  });
  const result = runCli(
    ['password', 'recover', '--hash', line, '--mask', '?d?d', '--json', '--threads', '1'],
    env,
  );
  assert.equal(result.status, 5);
  const json = JSON.parse(result.stdout) as Record<string, unknown>;
  assert.deepEqual(
    { ...json, seconds: 0 },
    { found: false, password: null, tried: 100, seconds: 0 },
  );
});

test(
  'with RECLAIM_PBKDF2_KERNEL=node (the fallback when the addon is missing) the search still succeeds',
  needsFixtures(),
  () => {
    const result = runCli(['password', 'recover', lowCopy, '--mask', '000?d'], {
      ...env,
      RECLAIM_PBKDF2_KERNEL: 'node',
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /with Node's crypto/);
    assert.equal(result.stdout, 'Password found: 0000\n');
  },
);

test(
  'hashcat accepts our lines and cracks the low-DPIC and pre-10.2 ones (when installed)',
  needsFixtures(),
  (t) => {
    const usable = probeHashcat();
    if (typeof usable === 'string') return t.skip(`hashcat not usable: ${usable}`);
    // 100 candidates are enough to show hashcat takes our lines (hashcat.test.ts runs the engine).
    const crack = (mode: string, line: string) =>
      spawnSync(
        'hashcat',
        // Its own session name: hashcat refuses to start beside another run of the default one.
        [
          '-m',
          mode,
          '-a',
          '3',
          '--session',
          `reclaim-test-${process.pid}`,
          '--potfile-disable',
          '--quiet',
          '-O',
          line,
          '00?d?d',
        ],
        { encoding: 'utf8', timeout: 600_000 },
      );
    const low = runCli(['password', 'hash', lowCopy]).stdout.trim();
    assert.match(crack('14800', low).stdout, new RegExp(`${low.replace(/[$*]/g, '\\$&')}:0000`));
    const old = runCli([
      'password',
      'hash',
      fixture('backups', 'pyiosbackup-ios9-mbdb-encrypted'),
    ]).stdout.trim();
    assert.match(crack('14700', old).stdout, /:0000$/m);
    const real = runCli(['password', 'hash', ios10]).stdout.trim();
    const potfile = join(dir.path, 'empty.potfile');
    writeFileSync(potfile, '');
    const show = spawnSync('hashcat', ['-m', '14800', '--potfile-path', potfile, '--show', real], {
      encoding: 'utf8',
    });
    assert.equal(show.status, 0, `hashcat parses the real line: ${show.stdout}${show.stderr}`);
    assert.doesNotMatch(show.stdout + show.stderr, /exception|No hashes loaded/i);
  },
);
