import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ARTIFACT_IDS } from '../../src/artifacts/registry.js';
import { BackupSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { Backup } from '../../src/backup/backup.js';
import { buildDemoContent } from '../../demo/src/index.js';
import { smsBackupFiles, type SmsSpec } from '../../demo/src/sms-db.js';
import { exportArtifacts } from '../../src/export/run.js';
import {
  clock,
  formatLocal,
  isoWithOffset,
  localZone,
  zoneLabel,
  type TimeOptions,
} from '../../src/time.js';
import { runCli, writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';

const SENT = new Date('2020-01-15T01:43:08Z');
const NY = 'America/New_York';

describe('src/time.ts', () => {
  test('a time in New York, in UTC (--utc), and as ISO 8601 with the offset', () => {
    assert.equal(formatLocal(SENT, { zone: NY }), '2020-01-14 20:43:08');
    assert.equal(formatLocal(SENT, { zone: NY, seconds: false }), '2020-01-14 20:43');
    assert.equal(zoneLabel({ zone: NY }), 'times in America/New_York');
    assert.equal(isoWithOffset(SENT, { zone: NY }), '2020-01-14T20:43:08.000-05:00');
    assert.equal(formatLocal(SENT, { utc: true }), '2020-01-15 01:43:08 UTC');
    assert.equal(isoWithOffset(SENT, { utc: true }), '2020-01-15T01:43:08.000Z');
    assert.equal(zoneLabel({ utc: true, zone: NY }), 'times in UTC');
    assert.equal(formatLocal(null), 'unknown date');
    assert.equal(formatLocal(new Date(NaN), { zone: NY }), 'unknown date');
    assert.equal(isoWithOffset(null), null);
  });

  test('summer time, half-hour zones, and the day a message falls on', () => {
    const july = new Date('2024-07-04T23:30:00Z');
    assert.equal(isoWithOffset(july, { zone: NY }), '2024-07-04T19:30:00.000-04:00');
    assert.equal(isoWithOffset(july, { zone: 'Asia/Kolkata' }), '2024-07-05T05:00:00.000+05:30');
    assert.equal(isoWithOffset(july, { zone: 'Etc/UTC' }), '2024-07-04T23:30:00.000Z');
    const ny = clock({ zone: NY });
    assert.equal(ny.day(SENT), '2020-01-14');
    assert.equal(ny.month(new Date('2024-03-01T03:00:00Z')), '2024-02');
    assert.equal(ny.column('date'), 'date (America/New_York)');
    assert.equal(clock({ utc: true }).column('date'), 'date');
    // the hour that happens twice when clocks go back: the offset tells them apart
    assert.equal(
      isoWithOffset(new Date('2024-11-03T05:30:00Z'), { zone: NY }),
      '2024-11-03T01:30:00.000-04:00',
    );
    assert.equal(
      isoWithOffset(new Date('2024-11-03T06:30:00Z'), { zone: NY }),
      '2024-11-03T01:30:00.000-05:00',
    );
  });

  test("this computer's zone comes from TZ; an unknown zone falls back to it", () => {
    const saved = process.env['TZ'];
    try {
      process.env['TZ'] = NY;
      assert.equal(localZone(), NY);
      assert.equal(formatLocal(SENT), '2020-01-14 20:43:08');
      assert.equal(clock({ zone: 'Not/AZone' }).zone, NY);
      process.env['TZ'] = 'Europe/Paris';
      assert.equal(formatLocal(SENT), '2020-01-15 02:43:08');
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });
});

const SPEC: SmsSpec = {
  handles: [{ rowid: 1, id: '+14155550100' }],
  chats: [{ rowid: 1, identifier: '+14155550100', handleRowids: [1] }],
  attachments: [],
  messages: [
    {
      rowid: 1,
      chatRowid: 1,
      handleRowid: 1,
      date: SENT.toISOString(),
      text: 'Dinner at 8:30?',
    },
  ],
};

test('TZ=America/New_York: a message sent at 01:43 UTC on 15 January shows as 20:43 on 14 January, zone named; --utc shows 01:43 UTC', async () => {
  const tmp = tempDir();
  try {
    const backup = join(tmp.path, 'backup');
    await writeBackup(backup, smsBackupFiles('ios17', SPEC));
    const exported = (extra: string[]) => {
      const out = join(tmp.path, `out${extra.join('')}`);
      const r = runCli(['export', backup, out, '--only', 'messages', ...extra], { TZ: NY });
      assert.equal(r.status, 0, r.stderr + r.stdout);
      const folder = join(out, 'messages', '+14155550100');
      const read = (ext: string) => readFileSync(join(folder, `+14155550100.${ext}`), 'utf8');
      return {
        stdout: r.stdout,
        html: read('html'),
        txt: read('txt'),
        csv: read('csv'),
        json: read('json'),
      };
    };

    const local = exported([]);
    assert.match(local.html, /<span title="2020-01-14 20:43:08">2020-01-14 20:43:08<\/span>/);
    assert.match(local.html, /<div class="day">2020-01-14<\/div>/);
    assert.match(local.html, /<p>[^<]* \u00b7 times in America\/New_York<\/p>/);
    assert.doesNotMatch(local.html, /UTC/);
    assert.match(
      local.txt,
      /\nTimes in America\/New_York\n\n2020-01-14 20:43:08\n\+14155550100\nDinner at 8:30\?\n/,
    );
    const [header, row] = local.csv.replace(/^\uFEFF/, '').split('\r\n');
    assert.match(header!, /,date \(America\/New_York\),/);
    assert.match(row!, /,2020-01-14T20:43:08\.000-05:00,/);
    assert.equal(JSON.parse(local.json).messages[0].date, '2020-01-14T20:43:08.000-05:00');
    assert.match(local.stdout, /Times are in America\/New_York/);

    const utc = exported(['--utc']);
    assert.match(utc.html, /<span title="2020-01-15 01:43:08 UTC">2020-01-15 01:43:08 UTC<\/span>/);
    assert.match(utc.html, /<div class="day">2020-01-15<\/div>/);
    assert.doesNotMatch(utc.html, /times in|New_York/);
    assert.match(utc.txt, /\n1 message\n\n2020-01-15 01:43:08 UTC\n/);
    assert.match(utc.csv, /,date,/);
    assert.match(utc.csv, /,2020-01-15T01:43:08\.000Z,/);
    assert.equal(JSON.parse(utc.json).messages[0].date, '2020-01-15T01:43:08.000Z');
    assert.match(utc.stdout, /Times are in UTC\./);

    const info = runCli(['info', backup], { TZ: NY });
    assert.match(
      info.stdout,
      /Last backup: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(America\/New_York\)\n/,
    );
    assert.match(
      runCli(['list', tmp.path], { TZ: NY }).stdout,
      /LAST BACKUP \(America\/New_York\)/,
    );
  } finally {
    tmp.cleanup();
  }
});

/** RFC 4180 rows (BOM stripped). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [[]];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') field += s[i++];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === '\r') {
      rows.at(-1)!.push(field);
      field = '';
      if (c === '\r') {
        rows.push([]);
        i++;
      }
    } else field += c;
  }
  rows.pop();
  return rows;
}

/** Every CSV, JSON, HTML and Markdown file under `dir`, by path. */
function exportedFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(csv|json|html|md)$/.test(name))
        files.set(relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

const ISO_UTC = /^-?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ISO_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/;

describe('every exporter shows local times (the demo backup exported in New York and with --utc)', () => {
  const tmp = tempDir();
  let local: Map<string, string>;
  let utc: Map<string, string>;

  before(async () => {
    const backup = join(tmp.path, 'backup');
    await writeBackup(backup, buildDemoContent());
    const workspace = PrivateWorkspace.create();
    try {
      const source = new BackupSource(Backup.open(backup), workspace);
      const run = async (name: string, time: TimeOptions) => {
        const out = join(tmp.path, name);
        await exportArtifacts(source, out, [...ARTIFACT_IDS], {
          read: { recoverDeleted: false },
          export: { time, formats: ['html', 'csv', 'json', 'md', 'txt'] },
        });
        return exportedFiles(out);
      };
      local = await run('local', { zone: NY });
      utc = await run('utc', { utc: true });
    } finally {
      workspace.dispose();
    }
  });
  after(() => tmp.cleanup());

  test('the same files; CSV time columns name the zone and hold the same instants at its offset', () => {
    assert.deepEqual([...local.keys()].sort(), [...utc.keys()].sort());
    const checked = new Set<string>();
    for (const [path, text] of utc) {
      if (!path.endsWith('.csv')) continue;
      const [uHead, ...uRows] = parseCsv(text);
      const [lHead, ...lRows] = parseCsv(local.get(path)!);
      uHead!.forEach((name, col) => {
        const values = uRows.map((r) => r[col] ?? '');
        if (!values.some((v) => ISO_UTC.test(v))) return;
        assert.ok(lHead![col]!.startsWith(`${name} (`), `${path}: ${lHead![col]}`);
        assert.match(lHead![col]!, /America\/New_York\)$/, path);
        values.forEach((v, row) => {
          if (!ISO_UTC.test(v)) return;
          const shown = lRows[row]![col]!;
          assert.match(
            shown,
            /^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d{3}[+-]\d\d:\d\d)?)?$/,
            `${path} ${name}`,
          );
          if (ISO_OFFSET.test(shown))
            assert.equal(Date.parse(shown), Date.parse(v), `${path} ${name}`);
        });
        checked.add(path.split('/')[0]!);
      });
    }
    for (const artifact of [
      'messages',
      'whatsapp',
      'contacts',
      'calls',
      'photos',
      'calendar',
      'reminders',
      'safari',
      'voicemail',
      'voice-memos',
    ])
      assert.ok(checked.has(artifact), `${artifact}: a CSV with times`);
  });

  test('JSON: the same instants, as ISO 8601 with the offset of New York', () => {
    let zoned = 0;
    const walk = (u: unknown, l: unknown, where: string) => {
      if (typeof u === 'string' && ISO_UTC.test(u)) {
        assert.equal(typeof l, 'string', where);
        if (ISO_OFFSET.test(l as string)) {
          assert.equal(Date.parse(l as string), Date.parse(u), where);
          if (/-0[45]:00$/.test(l as string)) zoned++;
        } else assert.match(l as string, /^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d)?$/, where);
      } else if (/\.exported\w*$/.test(where)) {
        // file names and folders carry the local date and time
      } else if (u && typeof u === 'object') {
        for (const key of Object.keys(u))
          walk((u as never)[key], (l as never)[key], `${where}.${key}`);
      } else assert.deepEqual(l, u, where);
    };
    for (const [path, text] of utc)
      if (path.endsWith('.json')) walk(JSON.parse(text), JSON.parse(local.get(path)!), path);
    assert.ok(zoned > 50, `${zoned} times at New York's offset`);
  });

  test('photos keep the zone they were taken in when the library records it', () => {
    const assets = JSON.parse(local.get('photos/photos.json')!).assets as Array<{
      created: string | null;
      timeZoneOffset: number | null;
    }>;
    const zoned = assets.filter((a) => a.created && a.timeZoneOffset !== null);
    assert.ok(zoned.length > 0);
    for (const a of zoned) {
      const m = Math.abs(a.timeZoneOffset!) / 60;
      const offset = `${a.timeZoneOffset! < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      assert.ok(a.created!.endsWith(offset), `${a.created} at ${offset}`);
    }
    assert.ok(
      zoned.some((a) => !/-0[45]:00$/.test(a.created!)),
      'some taken outside New York',
    );
  });

  test('HTML and Markdown: local times with the zone named once per page', () => {
    const notes = local.get('notes/html/index.html')!;
    assert.match(notes, /<p class="meta">\d+ notes \u00b7 times in America\/New_York<\/p>/);
    assert.match(notes, /<time datetime="[^"]+-0[45]:00">\d{4}-\d\d-\d\d \d\d:\d\d<\/time>/);
    const note = [...local].find(
      ([p, t]) =>
        p.startsWith('notes/html/') && !p.endsWith('index.html') && t.includes('Created: '),
    )!;
    assert.match(
      note[1],
      /Created: <time datetime="[^"]+-0[45]:00">[\d -:]+<\/time>.* \u00b7 times in America\/New_York/,
    );
    assert.doesNotMatch(note[1], /UTC/);
    assert.match(utc.get(note[0])!, /Created: <time datetime="[^"]+Z">[\d -:]+ UTC<\/time>/);
    const md = [...local].find(([p]) => p.startsWith('notes/md/'))!;
    assert.match(md[1], /\nmodified: \d{4}-\d\d-\d\dT[\d:.]+-0[45]:00\n/);
    assert.match(
      local.get('messages/index.html')!,
      /conversations \u00b7 times in America\/New_York<\/p>/,
    );
  });
});
