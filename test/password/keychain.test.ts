import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  checkKeychain,
  lookInKeychain,
  parseKeychainDump,
  secretCandidates,
} from '../../src/password/keychain.js';
import { tempDir, repoRoot } from '../support/fixtures.js';
import { writeBackup } from '../support/backups.js';
import { lowDpicTarget, runCli } from './helpers/targets.js';

const BIN = join(repoRoot, 'test', 'password', 'bin');
const dir = tempDir('reclaim-keychain-');
test.after(() => dir.cleanup());
let runs = 0;

interface Item {
  service: string;
  account?: string;
  label?: string;
  password?: string;
  refuse?: boolean;
  hex?: boolean;
  kind?: 'inet';
}

/** A made-up Keychain for the stand-in `security`, and where its calls are logged. */
function keychain(items: Item[]) {
  const n = runs++;
  const file = join(dir.path, `keychain-${n}.json`);
  const log = join(dir.path, `calls-${n}.log`);
  writeFileSync(file, JSON.stringify(items));
  const env = {
    PATH: `${BIN}${delimiter}${process.env['PATH']}`,
    RECLAIM_STANDIN_NODE: process.execPath,
    RECLAIM_STANDIN_KEYCHAIN: file,
    RECLAIM_STANDIN_LOG: log,
  };
  const calls = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { tool: string; argv: string[] });
  return { env, calls };
}

const UDID = '00008110-000A1C8E0C38801E';
const OTHERS: Item[] = [
  { service: 'AirPort', account: 'Home Wi-Fi', password: 'wifi-secret' },
  { service: 'example.com', account: 'me', password: 'web-secret', kind: 'inet' },
];

test('the dump parser finds every backup item by service or label, accounts decoded', () => {
  const { env } = keychain([
    ...OTHERS,
    { service: 'iPhone Backup', account: UDID, password: 'x' },
    { service: 'ipad backup', account: 'Ünïcode iPad', password: 'x' },
    { service: 'com.apple.itunes', label: 'iOS Backup', account: 'x', password: 'x' },
    { service: 'Time Machine Backup', account: 'x', password: 'x' },
  ]);
  const dump = execFileSync(join(BIN, 'security'), ['dump-keychain'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  assert.deepEqual(parseKeychainDump(dump), [
    { service: 'iPhone Backup', account: UDID, label: 'iPhone Backup' },
    { service: 'ipad backup', account: 'Ünïcode iPad', label: 'ipad backup' },
    { service: 'com.apple.itunes', account: 'x', label: 'iOS Backup' },
  ]);
  assert.deepEqual(secretCandidates('hunter2\n'), ['hunter2']);
  assert.deepEqual(secretCandidates('c3a4\n'), ['c3a4', 'ä']);
});

test('lookInKeychain: only on a Mac; reads the backup items, never the others', async () => {
  const { env, calls } = keychain([
    ...OTHERS,
    { service: 'iPhone Backup', account: UDID, password: 'first' },
    { service: 'iPad Backup', account: 'iPad-1', password: 'no', refuse: true },
    { service: 'iPhone Backup', account: 'other-phone', password: 'ünï', hex: true },
  ]);
  const merged = { ...process.env, ...env };
  assert.deepEqual(await lookInKeychain({ platform: 'linux', env: merged }), { kind: 'not-mac' });
  assert.deepEqual(await lookInKeychain({ platform: 'darwin', env: { PATH: dir.path } }), {
    kind: 'no-tool',
  });
  const found = await lookInKeychain({ platform: 'darwin', env: merged });
  assert.equal(found.kind, 'found');
  if (found.kind !== 'found') return;
  assert.deepEqual(
    found.secrets.map((s) => [s.item.account, s.candidates.at(-1)]),
    [
      [UDID, 'first'],
      ['other-phone', 'ünï'],
    ],
  );
  assert.deepEqual(
    found.refused.map((i) => i.account),
    ['iPad-1'],
  );
  const reads = calls().filter((c) => c.argv[0] === 'find-generic-password');
  assert.deepEqual(
    reads.map((c) => c.argv),
    [
      ['find-generic-password', '-s', 'iPhone Backup', '-a', UDID, '-w'],
      ['find-generic-password', '-s', 'iPad Backup', '-a', 'iPad-1', '-w'],
      ['find-generic-password', '-s', 'iPhone Backup', '-a', 'other-phone', '-w'],
    ],
  );
  const none = keychain(OTHERS);
  assert.deepEqual(
    await lookInKeychain({ platform: 'darwin', env: { ...process.env, ...none.env } }),
    { kind: 'none' },
  );
});

test('checkKeychain tries every remembered secret and names the one that unlocks', async () => {
  const { target } = lowDpicTarget('correct horse', null, 100);
  const { env } = keychain([
    { service: 'iPad Backup', account: 'old-ipad', password: 'wrong horse' },
    { service: 'iPhone Backup', account: UDID, password: 'correct horse' },
  ]);
  const check = await checkKeychain(target, {
    platform: 'darwin',
    env: { ...process.env, ...env },
  });
  assert.deepEqual(check.hit, {
    item: { service: 'iPhone Backup', account: UDID, label: 'iPhone Backup' },
    password: 'correct horse',
  });
});

test('recover on a Mac: the Keychain password unlocks the backup, said where from, never printed', async () => {
  const backup = join(dir.path, 'backup');
  await writeBackup(backup, [], {
    password: 'Kéychain 2019',
    keyDerivation: { iterations: 100, dpic: 1000 },
  });
  const { env, calls } = keychain([
    ...OTHERS,
    { service: 'iPad Backup', account: 'old-ipad', password: 'not it' },
    { service: 'iPhone Backup', account: UDID, password: 'Kéychain 2019' },
  ]);
  const result = runCli(['password', 'recover', backup, '--mask', '?d'], {
    ...env,
    RECLAIM_PLATFORM: 'darwin',
  });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(
    result.stdout,
    `Password found in the Keychain item "iPhone Backup" (account ${UDID}) (not printed here).\n`,
  );
  assert.match(result.stderr, /Looking in this Mac's Keychain/);
  assert.match(result.stderr, /security find-generic-password -s "iPhone Backup" -a "[^"]+" -w/);
  assert.doesNotMatch(result.stdout + result.stderr, /Kéychain 2019|Trying \d+ candidates/);
  for (const call of calls()) assert.ok(!call.argv.includes('Kéychain 2019'));
  assert.ok(!calls().some((c) => c.argv.includes('AirPort') || c.argv.includes('example.com')));

  const json = runCli(['password', 'recover', backup, '--mask', '?d', '--json'], {
    ...env,
    RECLAIM_PLATFORM: 'darwin',
  });
  assert.deepEqual(
    { ...JSON.parse(json.stdout), seconds: 0 },
    {
      found: true,
      password: null,
      source: 'keychain',
      keychain: { service: 'iPhone Backup', account: UDID },
      tried: 0,
      seconds: 0,
    },
  );
});

test('recover: a Keychain password that does not fit, --no-keychain, and other systems', () => {
  const { line } = lowDpicTarget('42', null, 100);
  const wrong = keychain([{ service: 'iPhone Backup', account: UDID, password: 'not it' }]);
  const mac = { ...wrong.env, RECLAIM_PLATFORM: 'darwin' };
  const miss = runCli(['password', 'recover', '--hash', line, '--mask', '?d?d'], mac);
  assert.equal(miss.status, 0, miss.stderr);
  assert.match(
    miss.stderr,
    /"iPhone Backup" \(account [^)]+\) does not unlock this hash: going on/,
  );
  assert.equal(miss.stdout, 'Password found: 42\n');

  const skipped = keychain([{ service: 'iPhone Backup', account: UDID, password: '42' }]);
  const noKeychain = runCli(
    ['password', 'recover', '--hash', line, '--mask', '?d?d', '--no-keychain'],
    {
      ...skipped.env,
      RECLAIM_PLATFORM: 'darwin',
    },
  );
  assert.equal(noKeychain.stdout, 'Password found: 42\n');
  assert.doesNotMatch(noKeychain.stderr, /Keychain/);
  assert.throws(() => skipped.calls(), /ENOENT/);

  const linux = runCli(['password', 'recover', '--hash', line, '--mask', '?d?d'], {
    ...skipped.env,
    RECLAIM_PLATFORM: 'linux',
  });
  assert.equal(linux.stdout, 'Password found: 42\n');
  assert.match(linux.stderr, /Only a Mac keeps a remembered backup password/);
  assert.throws(() => skipped.calls(), /ENOENT/);
});
