import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  callsArtifact,
  callsDeclaration,
  type CallRecord,
} from '../../src/artifacts/calls/index.js';
import { buildCallHistory, callHistoryData } from '../../demo/src/call-history.js';
import { buildLegacyCallHistory } from '../../demo/src/call-history-legacy.js';
import { assertGracefulDrops, dropEachColumn } from '../support/column-drop.js';
import { exportFiles, readFiles } from '../support/loose-files.js';

const { store, legacyHome } = callsDeclaration.locations;

describe('call history built to the iOS 26 schema (iOS 17 layout, participant join renumbered)', () => {
  const data = callHistoryData();
  const files = buildCallHistory(data, { ios: 'ios26' });

  test('every call comes out, in the CSV and JSON export, with its number, direction and type', async () => {
    const { results, written } = await exportFiles(files, ['calls']);
    assert.deepEqual(results[0]!.problems, []);
    assert.equal(results[0]!.items, data.calls.length);
    const json = JSON.parse(written.get('calls/calls.json')!.toString('utf8')) as Array<
      Record<string, unknown>
    >;
    const calls = Array.isArray(json) ? json : (json as { calls: typeof json }).calls;
    assert.equal(calls.length, data.calls.length);
    const csv = written.get('calls/calls.csv')!.toString('utf8');
    for (const c of data.calls) assert.ok(csv.includes(c.person.phone), c.person.phone);
    assert.match(csv, /FaceTime video/);
    assert.match(csv, /FaceTime audio/);
  });

  test('each optional column dropped in turn: every call still comes out, one problem line', async () => {
    const result = await dropEachColumn<CallRecord>({
      files,
      database: store,
      read: (source) => callsArtifact.read(source, { recoverDeleted: false }),
    });
    assertGracefulDrops(result, {
      fields: {
        'ZCALLRECORD.ZDATE': ['date'],
        'ZCALLRECORD.ZDURATION': ['durationSeconds'],
        'ZCALLRECORD.ZORIGINATED': ['direction', 'missed'],
        'ZCALLRECORD.ZANSWERED': ['answered', 'missed'],
        'ZCALLRECORD.ZCALLTYPE': ['kind', 'rawType'],
      },
    });
    const read = await readFiles<CallRecord>(files, 'calls');
    assert.equal(read.items.length, data.calls.length);
  });

  test('call_history.db (iOS 9 layout): each optional column dropped in turn', async () => {
    const legacy = buildLegacyCallHistory({ calls: data.calls });
    const result = await dropEachColumn<CallRecord>({
      files: legacy,
      database: legacyHome,
      read: (source) => callsArtifact.read(source, { recoverDeleted: false }),
    });
    assertGracefulDrops(result, { maxChangedFields: 6 });
  });
});
