import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashTree, runCli, sampleFiles, sha256, writeBackup } from '../support/backups.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';

test('list, info, files --json, key, extract --key-file and decrypt, as a user runs them', async () => {
  const tmp = tempDir();
  try {
    const files = sampleFiles();
    const source = join(tmp.path, 'Backup', '00008110-000000000000001E');
    await writeBackup(source, files, {
      password: 'pw',
      device: {
        deviceName: 'Test Phone',
        productType: 'iPhone14,2',
        productVersion: '17.1',
        buildVersion: '21B74',
        serialNumber: 'S',
        udid: '00008110-000000000000001E',
      },
    });
    const listed = JSON.parse(
      runCli(['list', join(tmp.path, 'Backup'), '--json']).stdout,
    ) as Record<string, unknown>[];
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!['model'], 'iPhone 13 Pro');
    assert.equal(listed[0]!['encrypted'], true);
    assert.equal(listed[0]!['finished'], true);
    assert.equal(listed[0]!['filesOnDisk'], files.length);

    const info = JSON.parse(runCli(['info', source, '--json']).stdout) as Record<string, unknown>;
    assert.equal(info['deviceName'], 'Test Phone');
    assert.equal(info['iosVersion'], '17.1');

    const passwordFile = join(tmp.path, 'password.txt');
    writeFileSync(passwordFile, 'pw\n');
    const listing = JSON.parse(
      runCli(['files', source, '--password-file', passwordFile, '--json', '--path', '**/*.bin'])
        .stdout,
    ) as { relativePath: string; kind: string; size: number }[];
    assert.equal(listing.length, 9);
    assert.ok(listing.every((e) => e.kind === 'file' && Object.keys(e).length === 5));

    const key = runCli(['key', source], { RECLAIM_PASSWORD: 'pw' });
    assert.equal(key.status, 0, key.stderr);
    assert.match(key.stdout, /^[0-9a-f]{64}\n$/);
    assert.doesNotMatch(key.stdout + key.stderr, /\bpw\b/);
    const keyFile = join(tmp.path, 'key.txt');
    writeFileSync(keyFile, key.stdout);

    const out = join(tmp.path, 'out');
    const extracted = runCli(['extract', source, out, '--key-file', keyFile]);
    assert.equal(extracted.status, 0, extracted.stderr);
    const hashes = hashTree(out);
    for (const f of files)
      assert.equal(hashes.get(join(f.domain, f.relativePath)), sha256(f.data!));

    const plain = join(tmp.path, 'plain');
    const decrypted = runCli(['decrypt', source, plain, '--key-file', keyFile]);
    assert.equal(decrypted.status, 0, decrypted.stderr);
    const plainInfo = JSON.parse(runCli(['info', plain, '--json']).stdout) as Record<
      string,
      unknown
    >;
    assert.equal(plainInfo['encrypted'], false);
    const out2 = join(tmp.path, 'out2');
    assert.equal(runCli(['extract', plain, out2]).status, 0);
    assert.deepEqual(hashTree(out2), hashes);
  } finally {
    tmp.cleanup();
  }
});

test('list of the shared fixture backups', needsFixtures(), () => {
  const result = runCli(['list', fixture('backups'), '--json']);
  assert.equal(result.status, 0, result.stderr);
  const rows = JSON.parse(result.stdout) as {
    path: string;
    encrypted: boolean;
    format: string;
    indexedFiles: number | null;
  }[];
  assert.deepEqual(
    rows.map((r) => [r.path.split('/').pop(), r.encrypted, r.format, r.indexedFiles]),
    [
      ['mvt-ios14-plain', false, 'manifest-db', 3721],
      ['pyiosbackup-ios10-encrypted', true, 'manifest-db', null],
      ['pyiosbackup-ios9-mbdb-encrypted', true, 'mbdb', 1],
    ],
  );
});
