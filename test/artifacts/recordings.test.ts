import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { BackupSource, LooseFilesSource } from '../../src/artifacts/source.js';
import { voicemailArtifact } from '../../src/artifacts/voicemail/index.js';
import { voiceMemosArtifact } from '../../src/artifacts/voice-memos/index.js';
import { PrivateWorkspace, withWorkspace } from '../../src/artifacts/workspace.js';
import { Backup } from '../../src/backup/backup.js';
import { buildSilentAmr } from '../../demo/src/media/amr.js';
import { buildDemoContent, demoData, person } from '../../demo/src/index.js';
import { exportArtifacts } from '../../src/export/run.js';
import { sha256, writeBackup } from '../support/backups.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';

const JAMIE = (() => {
  const p = person('jamie');
  return [p.first, p.last].filter(Boolean).join(' ');
})();

describe('voice memos and voicemail from a generated backup', () => {
  test('readable file names, bytes and dates kept, CSV with titles and contact names', async () => {
    const data = demoData();
    data.voicemail.voicemails.push({
      rowid: 3,
      sender: person('jamie'),
      date: '2025-03-01T09:00:00Z',
      durationSeconds: 5,
      read: true,
      trashed: true,
      audio: buildSilentAmr(5),
    });
    const dir = tempDir('reclaim-recordings-');
    const workspace = PrivateWorkspace.create();
    try {
      await writeBackup(
        join(dir.path, 'backup'),
        buildDemoContent({ only: ['voice-memos', 'voicemail', 'contacts'], data }),
      );
      const source = new BackupSource(Backup.open(join(dir.path, 'backup')), workspace);
      const results = await exportArtifacts(
        source,
        join(dir.path, 'out'),
        ['voice-memos', 'voicemail'],
        { export: { time: { utc: true } } },
      );
      assert.deepEqual(
        results.flatMap((r) => r.problems),
        [],
      );

      const memosDir = join(dir.path, 'out', 'voice-memos');
      assert.deepEqual(readdirSync(memosDir).sort(), [
        '2024-03-12 1630 Guitar riff idea.m4a',
        '2025-01-18 0215 Trailhead directions.m4a',
        'voice-memos.csv',
        'voice-memos.json',
      ]);
      for (const m of data['voice-memos'].memos) {
        const path = join(
          memosDir,
          readdirSync(memosDir).find((f) => f.includes(m.label))!,
        );
        assert.equal(sha256(readFileSync(path)), sha256(m.audio));
        assert.equal(statSync(path).mtime.toISOString(), new Date(m.recordedAt).toISOString());
      }
      const memoCsv = readFileSync(join(memosDir, 'voice-memos.csv'), 'utf8');
      assert.match(
        memoCsv,
        /Guitar riff idea,2024-03-12T16:30:00.000Z,42.5,false,MediaDomain\/Media\/Recordings\/20240312 093000.m4a/,
      );

      const vmDir = join(dir.path, 'out', 'voicemail');
      assert.deepEqual(readdirSync(vmDir).sort(), [
        '2024-04-02 1610 Oak Street Dental.amr',
        '2025-02-10 1742 Linda Morgan.amr',
        `2025-03-01 0900 ${JAMIE} (deleted).amr`,
        'voicemail.csv',
        'voicemail.json',
      ]);
      for (const v of data.voicemail.voicemails) {
        const file = readdirSync(vmDir).find((f) => f.startsWith(v.date.slice(0, 10)))!;
        assert.equal(sha256(readFileSync(join(vmDir, file))), sha256(v.audio));
        assert.equal(
          statSync(join(vmDir, file)).mtime.toISOString(),
          new Date(v.date).toISOString(),
        );
      }
      const csv = readFileSync(join(vmDir, 'voicemail.csv'), 'utf8').split('\r\n');
      assert.match(
        csv[1]!,
        /^1,2024-04-02T16:10:40.000Z,\+14155550111,Oak Street Dental,\+14155550111,14,true,false,,/,
      );
      assert.match(csv[2]!, /^2,2025-02-10T17:42:00.000Z,\+14155550189,Linda Morgan,/);
      assert.match(
        csv[3]!,
        /^3,2025-03-01T09:00:00.000Z,[^,]+,[^,]+,[^,]+,5,true,true,2025-03-02T09:00:00.000Z,/,
      );
      const vm = results.find((r) => r.artifact === 'voicemail')!;
      assert.equal(vm.counts['voicemails'], 3);
      assert.equal(vm.counts['deleted'], 1);
    } finally {
      workspace.dispose();
      dir.cleanup();
    }
  });

  test('audio without a database is still exported; a corrupt database is an error entry, not a crash', async () => {
    const dir = tempDir('reclaim-recordings-');
    const workspace = PrivateWorkspace.create();
    try {
      const amr = buildSilentAmr(3);
      await writeBackup(join(dir.path, 'backup'), [
        {
          domain: 'HomeDomain',
          relativePath: 'Library/Voicemail/voicemail.db',
          data: Buffer.alloc(3000, 7),
        },
        {
          domain: 'HomeDomain',
          relativePath: 'Library/Voicemail/7.amr',
          data: amr,
          modified: new Date('2024-01-02T03:04:05Z'),
        },
        {
          domain: 'MediaDomain',
          relativePath: 'Media/Recordings/20240101 120000.m4a',
          data: Buffer.from('m4a'),
          modified: new Date('2024-01-01T12:00:00Z'),
        },
      ]);
      const source = new BackupSource(Backup.open(join(dir.path, 'backup')), workspace);
      const vm = await voicemailArtifact.read(source, {});
      assert.equal(vm.problems.filter((p) => p.severity === 'error').length, 1);
      assert.match(
        vm.problems[0]!.message,
        /^Voicemail: HomeDomain\/Library\/Voicemail\/voicemail.db is not a readable SQLite database/,
      );
      assert.equal(vm.items.length, 1);
      assert.equal(vm.items[0]!.rowid, 7);
      assert.equal(vm.items[0]!.receivedAt?.toISOString(), '2024-01-02T03:04:05.000Z');
      const memos = await voiceMemosArtifact.read(source, {});
      assert.equal(memos.items.length, 1);
      assert.equal(memos.items[0]!.recordedAt?.toISOString(), '2024-01-01T12:00:00.000Z');
      assert.equal(memos.items[0]!.note, 'not listed in the recordings database');
    } finally {
      workspace.dispose();
      dir.cleanup();
    }
  });
});

describe('voicemail: real iOS 15.3.1 voicemail.db', () => {
  test('ios15-voicemail.db is read without error (0 live rows)', needsFixtures(), async () => {
    await withWorkspace(async (workspace) => {
      const source = new LooseFilesSource(
        [
          {
            domain: 'HomeDomain',
            relativePath: 'Library/Voicemail/voicemail.db',
            path: fixture('databases', 'ios15-voicemail.db'),
          },
        ],
        workspace,
      );
      const data = await voicemailArtifact.read(source, {});
      assert.deepEqual(
        data.problems.filter((p) => p.severity === 'error'),
        [],
      );
      assert.deepEqual(data.sources, ['HomeDomain/Library/Voicemail/voicemail.db']);
      assert.equal(data.items.filter((v) => !v.recovered).length, 0);
      for (const v of data.items)
        assert.ok(v.recovered, 'anything found must come from deleted space, marked');
    });
  });
});
