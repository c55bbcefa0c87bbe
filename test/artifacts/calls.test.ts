import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { callsArtifact } from '../../src/artifacts/calls/index.js';
import { LooseFilesSource, BackupSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { Backup } from '../../src/backup/backup.js';
import { buildLegacyCallHistory } from '../../demo/src/call-history-legacy.js';
import {
  buildDemoContent,
  CALL_TYPE,
  demoData,
  displayName,
  type CallHistoryData,
  type DemoCall,
} from '../../demo/src/index.js';
import { formatDuration } from '../../src/export/calls.js';
import { exportArtifacts } from '../../src/export/run.js';
import { toCsv } from '../../src/export/csv.js';
import { writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';

const tmp = tempDir('reclaim-calls-test-');
after(() => tmp.cleanup());

const KIND: Record<number, string> = {
  [CALL_TYPE.phone]: 'Phone',
  [CALL_TYPE.faceTimeVideo]: 'FaceTime video',
  [CALL_TYPE.faceTimeAudio]: 'FaceTime audio',
};

/** Splits the exporter's CSV (quoted fields, CRLF rows) back into rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [],
    field = '',
    quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('call history: generated CallHistory.storedata (real iOS 17 schema) in a generated backup', () => {
  const calls: CallHistoryData = { ...demoData().calls, deletedPks: [4] };
  const out = join(tmp.path, 'out');
  let rows: string[][] = [];
  let json: Array<Record<string, unknown>> = [];

  before(async () => {
    const dir = join(tmp.path, 'backup');
    await writeBackup(
      dir,
      buildDemoContent({
        only: ['contacts', 'calls'],
        data: { ...demoData(), calls },
      }),
    );
    const workspace = PrivateWorkspace.create();
    try {
      const results = await exportArtifacts(
        new BackupSource(Backup.open(dir), workspace),
        out,
        ['calls'],
        { export: { time: { utc: true } } },
      );
      assert.deepEqual(results[0]!.problems, []);
      assert.equal(results[0]!.recovered, 1);
    } finally {
      workspace.dispose();
    }
    rows = parseCsv(readFileSync(join(out, 'calls', 'calls.csv'), 'utf8'));
    json = JSON.parse(readFileSync(join(out, 'calls', 'calls.json'), 'utf8')) as Array<
      Record<string, unknown>
    >;
  });

  test('every call exactly as put in, with names resolved; the deleted call back and marked', () => {
    const header = rows[0]!;
    const col = (row: string[], name: string) => row[header.indexOf(name)]!;
    assert.equal(rows.length - 1, calls.calls.length);
    for (const c of calls.calls) {
      const date = new Date(c.date).toISOString();
      const row = rows.find((r) => col(r, 'date') === date);
      assert.ok(row, date);
      assert.equal(col(row, 'number'), c.person.phone);
      assert.equal(col(row, 'name'), displayName(c.person));
      assert.equal(col(row, 'direction'), c.outgoing ? 'outgoing' : 'incoming');
      assert.equal(col(row, 'answered'), c.answered ? 'yes' : 'no');
      assert.equal(col(row, 'missed'), !c.outgoing && !c.answered ? 'yes' : 'no');
      assert.equal(col(row, 'type'), KIND[c.callType]);
      assert.equal(Number(col(row, 'duration_seconds')), c.durationSeconds);
      assert.equal(col(row, 'duration'), formatDuration(c.durationSeconds));
      assert.equal(col(row, 'service'), c.serviceProvider);
      const deleted = calls.deletedPks!.includes(c.pk);
      assert.equal(col(row, 'recovered'), deleted ? 'yes' : '');
      assert.equal(col(row, 'recovered_from') !== '', deleted);
      if (!deleted) assert.equal(col(row, 'id'), `storedata:${c.pk}`);
    }
    const recovered = json.filter((c) => c.recovered);
    assert.equal(recovered.length, 1);
    assert.equal(recovered[0]!.name, 'Priya Patel');
    assert.equal(recovered[0]!.kind, 'facetime-video');
    assert.equal(
      json.find((c) => c.id === 'storedata:1')!.date,
      new Date(calls.calls[0]!.date).toISOString(),
    );
  });

  test('CSV fields with commas and quotes survive (exporter helper)', () => {
    assert.deepEqual(parseCsv(toCsv(['a'], [['x, "y"']])), [['a'], ['x, "y"']]);
  });
});

describe('call history: the old call_history.db (real iOS 9.3.5 schema)', () => {
  test('calls, directions, FaceTime and a deleted call recovered', async () => {
    const demo: DemoCall[] = demoData().calls.calls;
    const files = buildLegacyCallHistory({ calls: demo, deletedPks: [2] });
    const path = join(tmp.path, 'call_history.db');
    writeFileSync(path, files[0]!.data!);
    const workspace = PrivateWorkspace.create();
    try {
      const data = await callsArtifact.read(
        new LooseFilesSource(
          [{ domain: 'HomeDomain', relativePath: 'Library/CallHistory/call_history.db', path }],
          workspace,
        ),
        {},
      );
      assert.deepEqual(data.problems, []);
      assert.equal(data.items.length, demo.length);
      for (const c of demo) {
        const got = data.items.find(
          (x) => x.date?.toISOString() === new Date(c.date).toISOString(),
        )!;
        assert.ok(got, c.date);
        assert.equal(got.address, c.person.phone);
        assert.equal(got.direction, c.outgoing ? 'outgoing' : 'incoming');
        assert.equal(got.durationSeconds, c.durationSeconds);
        assert.equal(got.answered, c.answered);
        assert.equal(got.kind, c.serviceProvider === 'com.apple.FaceTime' ? 'facetime' : 'phone');
        assert.equal(got.database, 'call_history.db');
        assert.equal(Boolean(got.recovered), c.pk === 2);
      }
    } finally {
      workspace.dispose();
    }
  });
});

describe('call history: bad input gives problems, never a crash', () => {
  test('unknown version (no ZCALLRECORD), missing columns, not a database', async () => {
    const workspace = PrivateWorkspace.create();
    try {
      const read = (path: string) =>
        callsArtifact.read(
          new LooseFilesSource(
            [
              {
                domain: 'HomeDomain',
                relativePath: 'Library/CallHistoryDB/CallHistory.storedata',
                path,
              },
            ],
            workspace,
          ),
          {},
        );
      const noTable = join(tmp.path, 'no-table.storedata');
      const a = new Database(noTable);
      a.exec('CREATE TABLE ZSOMETHINGELSE (Z_PK INTEGER PRIMARY KEY)');
      a.close();
      const r1 = await read(noTable);
      assert.equal(r1.items.length, 0);
      assert.match(r1.problems[0]!.message, /no ZCALLRECORD table/);

      const fewColumns = join(tmp.path, 'few.storedata');
      const b = new Database(fewColumns);
      b.exec(
        'CREATE TABLE ZCALLRECORD (Z_PK INTEGER PRIMARY KEY, ZADDRESS BLOB, ZDURATION FLOAT, ZFUTURE VARCHAR)',
      );
      b.prepare('INSERT INTO ZCALLRECORD VALUES (1, ?, 12.5, ?)').run(
        Buffer.from('+14155550123'),
        'x',
      );
      b.close();
      const r2 = await read(fewColumns);
      assert.equal(r2.items.length, 1);
      assert.equal(r2.items[0]!.address, '+14155550123');
      assert.equal(r2.items[0]!.durationSeconds, 12.5);
      assert.match(r2.problems.map((p) => p.message).join('\n'), /lacks ZDATE/);

      const junk = join(tmp.path, 'junk.storedata');
      writeFileSync(junk, Buffer.alloc(5000, 0xab));
      const r3 = await read(junk);
      assert.equal(r3.items.length, 0);
      assert.equal(r3.problems[0]!.severity, 'error');

      const none = await callsArtifact.read(new LooseFilesSource([], workspace), {});
      assert.equal(none.items.length, 0);
      assert.equal(none.problems.length, 0);
      assert.ok(none.notInBackup.length >= 1);
    } finally {
      workspace.dispose();
    }
  });
});
