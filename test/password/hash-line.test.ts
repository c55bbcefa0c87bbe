import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { keybagOf, readManifestPlist } from '../../src/backup/manifest-plist.js';
import { ReclaimError } from '../../src/errors.js';
import {
  formatHashLine,
  hashTargetFromKeybag,
  parseHashLine,
} from '../../src/password/hash-line.js';
import { fixture, needsFixtures } from '../support/fixtures.js';
import { runCli } from './helpers/targets.js';

const GOOD_10 =
  '$itunes_backup$*10*17a3b858e79bc273be43a9f113b71efe7ec8e7e401396b350180b4592ef45db67ffef7b2d64329a5*10000*2721336781705041205314422175267631184867*1000*99fafc983e732998adb9fadc162a2e382143f115';
const GOOD_9 =
  '$itunes_backup$*9*ebd7f9b33293b2511f0a4139d5b213feff51476968863cef60ec38d720497b6ff39a0bb63fa9f84e*10000*2202015774208421818002001652122401871832**';

test('hash lines parse into their fields and format back unchanged', () => {
  const t = parseHashLine(GOOD_10);
  assert.equal(t.version, 10);
  assert.equal(t.wrappedKey.length, 40);
  assert.equal(t.iterations, 10000);
  assert.equal(t.dpic, 1000);
  assert.equal(t.dpsl!.toString('hex'), '99fafc983e732998adb9fadc162a2e382143f115');
  assert.equal(formatHashLine(t), GOOD_10);
  const old = parseHashLine(`  ${GOOD_9}\n`);
  assert.equal(old.version, 9);
  assert.equal(old.dpic, null);
  assert.equal(formatHashLine(old), GOOD_9);
});

test('every line of password-vectors.tsv parses and round-trips', needsFixtures(), () => {
  const lines = readFileSync(fixture('password-vectors.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  assert.ok(lines.length >= 9);
  for (const line of lines) {
    const hash = line.split('\t')[2]!;
    assert.equal(formatHashLine(parseHashLine(hash)), hash);
  }
});

test('a bad hash line is a clear usage error naming the field', () => {
  const bad: [string, RegExp][] = [
    ['hello', /must start with \$itunes_backup\$\*/],
    ['$itunes_backup$*10*abc', /fields after the prefix, not 6/],
    [GOOD_10.replace('*10*', '*11*'), /version "11"/],
    [GOOD_10.replace('17a3b858', '17a3b85'), /WPKY must be 80 hex digits/],
    [GOOD_10.replace('*10000*', '*ten*'), /ITER must be a whole number/],
    [GOOD_10.replace('*1000*', '*0*'), /DPIC must be a whole number/],
    [GOOD_10.replace('99fafc98', 'zzfafc98'), /DPSL must be 40 hex digits/],
    [
      GOOD_10.replace('2721336781705041205314422175267631184867', '27'),
      /SALT must be 40 hex digits/,
    ],
    [`${GOOD_9.slice(0, -2)}*5*ab`, /version 9 lines end with two empty fields/],
  ];
  for (const [line, reason] of bad) {
    assert.throws(
      () => parseHashLine(line),
      (e: unknown) =>
        e instanceof ReclaimError &&
        e.exitCode === 2 &&
        /^Bad hash line: /.test(e.message) &&
        reason.test(e.message),
      line,
    );
  }
});

test(
  '`password hash` of the encrypted fixtures prints lines whose fields match their keybags',
  needsFixtures(),
  () => {
    for (const [name, version] of [
      ['pyiosbackup-ios10-encrypted', 10],
      ['pyiosbackup-ios9-mbdb-encrypted', 9],
    ] as const) {
      const dir = fixture('backups', name);
      const { status, stdout } = runCli(['password', 'hash', dir]);
      assert.equal(status, 0);
      const line = stdout.trim();
      const bag = keybagOf(readManifestPlist(dir)!);
      const t = parseHashLine(line);
      assert.equal(t.version, version);
      assert.equal(line, formatHashLine(hashTargetFromKeybag(bag)));
      assert.ok(
        bag.classKeys.some((k) => k.wrappedKey.equals(t.wrappedKey)),
        'WPKY is one of the class keys',
      );
      assert.deepEqual(
        [t.iterations, t.salt, t.dpic, t.dpsl],
        [bag.iterations, bag.salt, bag.dpic, bag.dpsl],
      );
    }
    assert.match(
      runCli(['password', 'hash', fixture('backups', 'pyiosbackup-ios10-encrypted')]).stdout,
      /\*10000000\*0{40}\n$/,
    );
  },
);

test('`password hash` of an unencrypted backup or a non-backup says why', needsFixtures(), () => {
  const plain = runCli(['password', 'hash', fixture('backups', 'mvt-ios14-plain')]);
  assert.notEqual(plain.status, 0);
  assert.match(plain.stderr, /No Manifest.plist|not encrypted/);
  const none = runCli(['password', 'hash', fixture('databases')]);
  assert.equal(none.status, 5);
  assert.match(none.stderr, /not a backup folder/);
});
