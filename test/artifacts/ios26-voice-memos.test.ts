import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  voiceMemosArtifact,
  voiceMemosDeclaration,
  type VoiceMemo,
} from '../../src/artifacts/voice-memos/index.js';
import {
  buildVoiceMemos,
  qtaAudio,
  voiceMemosData,
  type VoiceMemosData,
} from '../../demo/src/voice-memos.js';
import { assertGracefulDrops, dropEachColumn } from '../support/column-drop.js';
import { exportFiles, readFiles } from '../support/loose-files.js';

const { groupCloudRecordings } = voiceMemosDeclaration.locations;

function ios26Data(): VoiceMemosData {
  const data = voiceMemosData();
  data.memos[0]!.folder = 'Band';
  data.memos.push(
    {
      pk: 3,
      label: 'Spatial birdsong',
      recordedAt: '2025-09-20T06:10:00Z',
      durationSeconds: 31,
      fileName: '20250919 231000.qta',
      audio: qtaAudio('2025-09-20T06:10:00Z', 31),
      folder: 'Band',
    },
    {
      pk: 4,
      label: 'Interview (iCloud)',
      recordedAt: '2025-06-01T15:00:00Z',
      durationSeconds: 600,
      fileName: '20250601 080000.m4a',
      audio: Buffer.alloc(0),
      iCloudOnly: true,
    },
  );
  data.unlisted = [
    {
      fileName: '20250801 120000.m4a',
      audio: qtaAudio('2025-08-01T19:00:00Z', 12),
      manifest: { title: 'Edited take', created: '2025-08-01T19:00:00Z' },
    },
    { fileName: '20250802 093000.qta', audio: qtaAudio('2025-08-02T16:30:00Z', 8) },
  ];
  return data;
}

describe('voice memos built to the iOS 26 layout (app group, .qta audio, folders)', () => {
  const data = ios26Data();
  const files = buildVoiceMemos(data, { ios: 'ios26' });

  test('every recording comes out: .qta kept as .qta, folders, iCloud-only said, unlisted ones titled from their manifest', async () => {
    const read = await readFiles<VoiceMemo>(files, 'voice-memos');
    assert.deepEqual(read.problems, []);
    assert.equal(read.items.length, 6);
    const by = (title: string) => read.items.find((m) => m.title === title)!;
    assert.equal(by('Spatial birdsong').folder, 'Band');
    assert.equal(by('Spatial birdsong').file?.relativePath, 'Recordings/20250919 231000.qta');
    assert.equal(by('Interview (iCloud)').file, null);
    assert.match(by('Interview (iCloud)').note!, /only in iCloud/);
    assert.ok(read.notInBackup.some((l) => /1 voice memo\(s\) are kept only in iCloud/.test(l)));
    assert.equal(by('Edited take').recordedAt?.toISOString(), '2025-08-01T19:00:00.000Z');
    const bare = read.items.find((m) => m.fileName === '20250802 093000.qta')!;
    assert.equal(bare.title, null);
    assert.equal(bare.recordedAt?.toISOString(), '2025-08-02T09:30:00.000Z');
  });

  test('the export copies each audio file byte for byte under its own extension', async () => {
    const { results, written } = await exportFiles(files, ['voice-memos']);
    assert.deepEqual(results[0]!.problems, []);
    const qta = [...written].filter(([path]) => path.endsWith('.qta'));
    assert.equal(qta.length, 2);
    assert.ok(
      qta.some(
        ([path, bytes]) =>
          /Spatial birdsong\.qta$/.test(path) && bytes.equals(data.memos[2]!.audio),
      ),
    );
    const csv = written.get('voice-memos/voice-memos.csv')!.toString('utf8');
    assert.match(csv, /Spatial birdsong,.*,Band\r\n/);
  });

  test('each optional column dropped in turn: every recording still comes out, one problem line', async () => {
    const result = await dropEachColumn<VoiceMemo>({
      files,
      database: groupCloudRecordings,
      read: (source) => voiceMemosArtifact.read(source, {}),
    });
    assertGracefulDrops(result, {
      // Without ZPATH the rows cannot name their files: both come out, apart.
      allowNewItems: ['ZCLOUDRECORDING.ZPATH'],
      fields: {
        'ZCLOUDRECORDING.ZPATH': [
          'file',
          'fileName',
          'note',
          'title',
          'folder',
          'id',
          'recordedAt',
          'durationSeconds',
        ],
      },
    });
  });
});
