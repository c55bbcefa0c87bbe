import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { hashTree, runCli, sha256, writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';
import {
  hostileZip,
  SAMPLE,
  writeSampleExport,
  type SampleFiles,
} from '../support/icloud-export.js';

describe('reclaim info / export / list on an iCloud data export', () => {
  const tmp = tempDir('reclaim-icloud-cli-');
  const root = join(tmp.path, 'MobileSync');
  const input = join(root, 'iCloud export');
  let files: SampleFiles;

  before(async () => {
    files = await writeSampleExport(input);
    await writeBackup(join(root, 'Backup-1'), [
      { domain: 'HomeDomain', relativePath: 'Library/a.txt', data: Buffer.from('a') },
    ]);
  });
  after(() => tmp.cleanup());

  test('info: the archives, what they hold, the missing part, what is never in such an export', () => {
    const run = runCli(['info', input]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Source:\s+iCloud data export/);
    assert.match(run.stdout, new RegExp(SAMPLE.missingPart.replace(/[()]/g, '\\$&')));
    assert.match(run.stdout, /Photos and videos\s+15/);
    assert.match(run.stdout, /iCloud Notizen\.zip: 7 file\(s\), Notes/);
    assert.match(
      run.stdout,
      /never in such an export: Messages, Health data and iCloud device backups/,
    );
    const json = JSON.parse(runCli(['info', input, '--json']).stdout) as Record<string, unknown>;
    assert.equal(json['kind'], 'icloud-export');
    assert.equal(json['complete'], false);
  });

  test('export: the parts that are here are exported, the missing one makes the exit code 6', () => {
    const out = join(tmp.path, 'out');
    const run = runCli(['export', input, out, '--only', 'photos,notes']);
    assert.equal(run.status, 6, run.stderr);
    assert.match(run.stdout, /error: Part 3 of 3 is not here/);
    assert.match(run.stdout, /Photos and videos\s+10 photos, 1 live photos/);
    assert.match(run.stdout, /1 hidden \(not exported: --include-hidden\)/);
    assert.equal(
      sha256(readFileSync(join(out, 'photos', '2021', '2021-05', SAMPLE.photos.exif.name))),
      sha256(files.exif!),
    );
    // reclaim-export.json: the manifest a later export into OUT adds only new records by.
    assert.deepEqual(readdirSync(out).sort(), [
      'export-summary.json',
      'notes',
      'photos',
      'reclaim-export.json',
    ]);
  });

  test('export of one complete zip: exit code 0', () => {
    const out = join(tmp.path, 'contacts-out');
    const run = runCli(['export', join(input, 'iCloud Contacts.zip'), out]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Contacts\s+2 contacts/);
    assert.match(run.stdout, /Messages\s+not in this export/);
    assert.ok(existsSync(join(out, 'contacts', 'contacts.vcf')));
  });

  test('nothing is written inside the export folder', () => {
    const run = runCli(['export', input, join(input, 'out')]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /Refusing to write inside the export folder/);
    assert.ok(!existsSync(join(input, 'out')));
  });

  test('list: the export folder beside the backups', () => {
    const run = runCli(['list', root, '--json']);
    assert.equal(run.status, 0, run.stderr);
    const rows = JSON.parse(run.stdout) as Array<{ kind: string; path: string; finished: boolean }>;
    assert.deepEqual(
      rows.map((r) => [r.kind, r.path.split('/').pop(), r.finished]),
      // Grouped by device, the group with the newest source first: the export is newer than the backup.
      [
        ['icloud-export', 'iCloud export', false],
        ['backup', 'Backup-1', true],
      ],
    );
    assert.match(runCli(['list', root]).stdout, /iCloud data export .* NO: 1 part\(s\) missing/);
  });

  test('a folder with neither a backup nor an export: the usual one-line error', () => {
    const empty = join(tmp.path, 'empty');
    writeFileSync(join(tmp.path, 'note.txt'), 'x');
    const run = runCli(['export', empty, join(tmp.path, 'o')]);
    assert.equal(run.status, 5);
    assert.match(run.stderr, /No such folder/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});

describe('a hostile zip', () => {
  test('unsafe names, bombs and lying sizes are problem lines; the honest file is exported; nothing lands outside OUT', async () => {
    const tmp = tempDir('reclaim-icloud-hostile-');
    try {
      const input = join(tmp.path, 'downloads');
      const out = join(tmp.path, 'work', 'out');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(input, { recursive: true });
      writeFileSync(join(input, 'iCloud Drive.zip'), await hostileZip());
      writeFileSync(join(input, 'broken.zip'), Buffer.from('PK\u0003\u0004 not really a zip'));
      const before = hashTree(input);
      const run = runCli(['export', input, out, '--only', 'drive']);
      assert.equal(run.status, 6, run.stderr);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
      const text = run.stdout;
      assert.match(text, /\.\.\/escape\.txt: refused \(a path that climbs out of the folder/);
      assert.match(text, /\/etc\/passwd\.txt: refused \(an absolute path\)/);
      assert.match(text, /bomb\.bin: refused \(expands \d+ times .*a zip bomb\)/);
      assert.match(text, /huge\.bin: refused \(expands \d+ times/);
      assert.match(text, /past-end\.bin: refused \(.*past the end of the archive\)/);
      assert.match(
        text,
        /liar\.txt could not be exported \(more data than the 10 bytes declared\)/,
      );
      assert.match(text, /broken\.zip: not a readable zip/);
      assert.deepEqual(
        readFileSync(join(out, 'drive', 'files', 'ok', 'fine.txt')).toString(),
        'fine',
      );
      assert.deepEqual(readdirSync(tmp.path).sort(), ['downloads', 'work']);
      assert.deepEqual(readdirSync(join(tmp.path, 'work')), ['out']);
      assert.deepEqual(hashTree(input), before, 'the downloads are untouched');
      const written = [...hashTree(out).keys()];
      assert.ok(
        !written.some((p) => /escape|passwd|bomb|huge|past-end|liar/.test(p)),
        written.join(', '),
      );
      assert.ok(!existsSync('/etc/passwd.txt'));
    } finally {
      tmp.cleanup();
    }
  });
});
