import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatPasswordGuidance, passwordGuidance } from '../../src/device/password-guidance.js';
import { runCli, writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';

const PASSWORD = 'Tiger-1987';

describe('reclaim password recover: when the password stays lost', () => {
  const dir = tempDir('reclaim-lost-password-');
  const backup = join(dir.path, 'My Backup');
  const words = join(dir.path, 'words.txt');
  const env = { XDG_STATE_HOME: join(dir.path, 'state') };
  before(async () => {
    await writeBackup(
      backup,
      [{ domain: 'HomeDomain', relativePath: 'Library/a.txt', data: Buffer.from('kept') }],
      { password: PASSWORD },
    );
    writeFileSync(words, 'tiger\nTiger1987\ntiger-1987\n');
  });
  after(() => dir.cleanup());

  test('a search that ends without the password says plainly what can still be done', () => {
    const r = runCli(['password', 'recover', backup, '--wordlist', words, '--threads', '1'], env);
    assert.equal(r.status, 5, r.stderr);
    assert.equal(r.stdout, '');
    const text = r.stderr;
    assert.match(text, /^Not found: none of the 3 candidates tried \(\d+ s\) is the password\.$/m);
    assert.match(text, /Apple keeps no copy of a backup password/);
    // 1. better candidates, and what to remember
    assert.match(text, /^1\. Keep trying, with better candidates$/m);
    assert.match(text, /screen passcode when encryption was turned on/);
    assert.match(text, /Keychain Access: search for "iOS Backup"/);
    assert.ok(text.includes(`reclaim password recover '${backup}' --remember`), text);
    assert.match(text, /A six-digit passcode is 1,000,000 candidates: about .* on this computer/);
    // 2. the hash to hashcat (an iOS 10.2+ keybag: mode 14800)
    assert.match(text, /^2\. Hand the hash to hashcat on a GPU$/m);
    assert.ok(text.includes(`reclaim password hash '${backup}' > backup.hash`));
    assert.match(text, /hashcat -m 14800 -a 3 backup\.hash '\?d\?d\?d\?d\?d\?d'/);
    // 3. Reset All Settings on the device, what it keeps and resets, then a fresh encrypted backup
    assert.match(
      text,
      /^3\. Make new encrypted backups again: Reset All Settings \(iOS 11 or later\)$/m,
    );
    assert.match(
      text,
      /Settings › General › Transfer or Reset iPhone \(or iPad\) › Reset › Reset All Settings/,
    );
    assert.match(text, /Keeps: Your data stays: photos, messages, apps/);
    assert.match(text, /Resets: .*Home Screen layout and wallpaper.*removes the backup password/);
    assert.match(text, /run `reclaim backup --encrypt` with a new password/);
    assert.match(text, /Backups made with the forgotten password stay locked/);
    assert.ok(!text.includes(PASSWORD));
  });

  test('--json keeps its one object on stdout; the guidance goes to stderr only without it', () => {
    const r = runCli(['password', 'recover', backup, '--wordlist', words, '--json'], env);
    assert.equal(r.status, 5, r.stderr);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['found', 'password', 'tried', 'seconds']);
    assert.deepEqual([json['found'], json['tried']], [false, 3]);
    assert.doesNotMatch(r.stderr, /What you can still do/);

    const right = join(dir.path, 'right.txt');
    writeFileSync(right, `nope\n${PASSWORD}\n`);
    const found = runCli(['password', 'recover', backup, '--wordlist', right], env);
    assert.equal(found.status, 0, found.stderr);
    assert.doesNotMatch(found.stderr, /What you can still do/);
  });

  test('a search longer than a day is refused, with the guidance instead of the wait', () => {
    const r = runCli(
      ['password', 'recover', backup, '--mask', '?a?a?a?a?a?a?a?a?a?a', '--no-keychain'],
      env,
    );
    assert.equal(r.status, 2, r.stderr);
    const lines = r.stderr.split('\n');
    assert.match(lines[0]!, /^reclaim: This search has [\d,]+ candidates: about/);
    assert.equal(lines.filter((l) => l.startsWith('reclaim:')).length, 1);
    assert.doesNotMatch(r.stderr, /^Trying /m, 'no search started');
    assert.match(r.stderr, /What you can still do:/);
    assert.match(r.stderr, /Hand the hash to hashcat on a GPU/);
    assert.match(r.stderr, /Reset All Settings/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});

test('the guidance names the hashcat mode of older keybags and quotes awkward paths', () => {
  const old = passwordGuidance({ situation: 'wrong', backup: "/b/it's here", hashVersion: 9 });
  const text = formatPasswordGuidance(old);
  assert.match(text, /^The password given does not open this backup\.$/m);
  assert.ok(text.includes(`reclaim password hash '/b/it'\\''s here' > backup.hash`), text);
  assert.match(text, /hashcat -m 14700 backup\.hash/);
  assert.match(text, /before iOS 10\.2 are far quicker to test/);
  const unknown = passwordGuidance({ situation: 'not-given' });
  assert.match(
    unknown.ways[1]!.steps[1]!,
    /hashcat -m 14800 .*\(-m 14700 for a backup made before iOS 10\.2\)/,
  );
  assert.ok(unknown.ways[0]!.steps[0]!.includes('recover BACKUP'));
  assert.ok(unknown.sources.every((s) => s.startsWith('https://support.apple.com/')));
});
