import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  voicemailArtifact,
  voicemailDeclaration,
  type Voicemail,
} from '../../src/artifacts/voicemail/index.js';
import { buildVoicemail, voicemailData } from '../../demo/src/voicemail.js';
import { assertGracefulDrops, dropEachColumn } from '../support/column-drop.js';
import { exportFiles } from '../support/loose-files.js';

const { database } = voicemailDeclaration.locations;

describe('voicemail built to the iOS 26 schema (iOS 16.3 layout, inferred unchanged)', () => {
  const data = voicemailData();
  data.voicemails[0]!.transcript = 'Hi, this is the dentist confirming Thursday at 9.';
  const files = buildVoicemail(data, { ios: 'ios26' });

  test('every voicemail is exported with its audio bytes and its transcript', async () => {
    const { results, written } = await exportFiles(files, ['voicemail']);
    assert.deepEqual(results[0]!.problems, []);
    assert.equal(results[0]!.items, data.voicemails.length);
    const csv = written.get('voicemail/voicemail.csv')!.toString('utf8');
    assert.match(csv, /confirming Thursday at 9/);
    const audio = [...written].filter(([path]) => path.endsWith('.amr'));
    assert.equal(audio.length, data.voicemails.length);
    for (const v of data.voicemails)
      assert.ok(
        audio.some(([, bytes]) => bytes.equals(v.audio)),
        `audio of ${v.rowid}`,
      );
  });

  test('each optional column dropped in turn: every voicemail still comes out, one problem line', async () => {
    const result = await dropEachColumn<Voicemail>({
      files,
      database,
      read: (source) => voicemailArtifact.read(source, { recoverDeleted: false }),
      key: (v) => String(v.rowid),
    });
    assertGracefulDrops(result, {
      fields: {
        'voicemail.sender': ['sender'],
        'voicemail.date': ['receivedAt'],
        'voicemail.duration': ['durationSeconds'],
        'voicemail.flags': ['read'],
        'voicemail.trashed_date': ['trashed', 'trashedAt'],
        'voicemail.callback_num': ['callbackNumber'],
      },
    });
  });
});
