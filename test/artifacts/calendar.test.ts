import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import Database from 'better-sqlite3';
import { Backup } from '../../src/backup/backup.js';
import type { BackupFileInput } from '../../src/backup/types.js';
import { calendarArtifact } from '../../src/artifacts/calendar/index.js';
import { BackupSource, LooseFilesSource } from '../../src/artifacts/source.js';
import { withWorkspace } from '../../src/artifacts/workspace.js';
import { exportArtifacts } from '../../src/export/run.js';
import { escapeText, foldLine } from '../../src/export/ical/ics.js';
import { buildCalendar, calendarData, type CalendarData } from '../../demo/src/calendar.js';
import { writeBackup } from '../support/backups.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';

async function exportFiles(files: BackupFileInput[], out: string, backupDir: string) {
  await writeBackup(backupDir, files);
  return withWorkspace(async (ws) => {
    const source = new BackupSource(Backup.open(backupDir), ws);
    const [result] = await exportArtifacts(source, out, ['calendar'], {
      export: { time: { utc: true } },
    });
    return result!;
  });
}

function vevents(icsText: string): ICAL.Component[] {
  return new ICAL.Component(ICAL.parse(icsText)).getAllSubcomponents('vevent');
}

const HOSTILE = 'Budget; Q3, "final" <script>alert(1)</script> \\ back\nsecond line';

function richData(): CalendarData {
  const data = calendarData();
  data.calendars.push({ rowid: 3, title: 'Side, projects; <b>', color: '#00FF00' });
  data.events.push(
    {
      rowid: 10,
      calendarRowid: 3,
      summary: HOSTILE,
      start: '2024-06-03T15:00:00Z',
      end: '2024-06-03T16:30:00Z',
      allDay: false,
      timeZone: 'Europe/Berlin',
      location: {
        rowid: 10,
        title: 'Café Ünïcode, Raum 3',
        address: 'Straße 1; Berlin',
        latitude: 52.52,
        longitude: 13.405,
      },
      weeklyOnDay: null,
      alarmMinutesBefore: 15,
      moreAlarmsMinutesBefore: [1440],
      attendees: [{ rowid: 10, name: 'Dana, "D" Smith', email: 'dana@example.com' }],
      description:
        'Line one\nLine two, with comma; and semicolon \\ backslash. ' + 'Long text '.repeat(20),
      url: 'https://example.com/meet?a=1&b=2',
      recurrence: { frequency: 2, interval: 2, count: 6, specifier: 'D=0MO,0WE' },
    },
    {
      rowid: 11,
      calendarRowid: 3,
      summary: 'Monthly review',
      start: '2024-01-09T09:00:00Z',
      end: '2024-01-09T10:00:00Z',
      allDay: false,
      timeZone: 'UTC',
      location: null,
      weeklyOnDay: null,
      alarmMinutesBefore: 0,
      attendees: [],
      recurrence: { frequency: 3, interval: 1, until: '2024-12-31T23:59:59Z', specifier: 'D=+2TU' },
    },
    {
      rowid: 12,
      calendarRowid: 3,
      summary: 'Holiday trip',
      start: '2024-07-01T00:00:00Z',
      end: '2024-07-04T00:00:00Z',
      allDay: true,
      timeZone: '_float',
      location: null,
      weeklyOnDay: null,
      alarmMinutesBefore: null,
      attendees: [],
      recurrence: { frequency: 4, interval: 1 },
    },
  );
  return data;
}

test('RFC 5545 text escaping and folding at 75 octets without splitting characters', () => {
  assert.equal(escapeText('a,b;c\\d\ne\r\nf'), 'a\\,b\\;c\\\\d\\ne\\nf');
  const line = 'SUMMARY:' + 'é'.repeat(100);
  const folded = foldLine(line);
  for (const physical of folded.split('\r\n'))
    assert.ok(Buffer.byteLength(physical) <= 75, physical);
  assert.equal(
    folded
      .split('\r\n')
      .map((l, i) => (i ? l.slice(1) : l))
      .join(''),
    line,
  );
  assert.ok(!folded.includes('\uFFFD'));
});

test('generated Calendar.sqlitedb exports exactly its events, recurrences, alarms and attendees (ical.js reads them back)', async () => {
  const tmp = tempDir();
  try {
    const data = richData();
    const result = await exportFiles(
      buildCalendar(data),
      join(tmp.path, 'out'),
      join(tmp.path, 'backup'),
    );
    assert.equal(result.items, data.events.length);
    assert.deepEqual(result.problems, []);
    const dir = join(tmp.path, 'out', 'calendar');
    const icsFiles = readdirSync(dir)
      .filter((f) => f.endsWith('.ics'))
      .sort();
    assert.deepEqual(icsFiles, ['Home.ics', 'Side, projects; _b_.ics', 'Work.ics']);
    const parsed = new Map<string, ICAL.Component>();
    for (const f of icsFiles) {
      const text = readFileSync(join(dir, f), 'utf8');
      assert.ok(
        text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75),
        `${f}: a line is over 75 octets`,
      );
      assert.ok(!/[^\r]\n/.test(text), `${f}: bare LF`);
      const cal = new ICAL.Component(ICAL.parse(text));
      assert.equal(cal.getFirstPropertyValue('version'), '2.0');
      // As a calendar app does: the file's own VTIMEZONEs define its TZIDs.
      for (const zone of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
      for (const v of vevents(text)) {
        assert.ok(v.getFirstPropertyValue('dtstamp'), 'DTSTAMP');
        parsed.set(String(v.getFirstPropertyValue('summary')), v);
      }
    }
    assert.equal(parsed.size, data.events.length);
    for (const e of data.events) {
      const v = parsed.get(e.summary);
      assert.ok(v, `event ${e.summary} missing`);
      const ev = new ICAL.Event(v);
      assert.equal(ev.startDate.isDate, e.allDay, `${e.summary} all-day`);
      if (e.allDay) {
        assert.equal(ev.startDate.toString(), e.start.slice(0, 10));
        assert.equal(ev.endDate.toString(), e.end.slice(0, 10));
      } else {
        assert.equal(ev.startDate.toJSDate().toISOString(), new Date(e.start).toISOString());
        assert.equal(ev.endDate.toJSDate().toISOString(), new Date(e.end).toISOString());
      }
      const triggers = v
        .getAllSubcomponents('valarm')
        .map((a) => (a.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds())
        .sort((a, b) => a - b);
      const expected = [e.alarmMinutesBefore, ...(e.moreAlarmsMinutesBefore ?? [])]
        .filter((m): m is number => m !== null)
        .map((m) => (m ? -60 * m : 0))
        .sort((a, b) => a - b);
      assert.deepEqual(triggers, expected, `${e.summary} alarms`);
      assert.deepEqual(
        v.getAllProperties('attendee').map((p) => [p.getParameter('cn'), p.getFirstValue()]),
        e.attendees.map((a) => [a.name.replace(/"/g, ' '), `mailto:${a.email}`]),
      );
    }
    const rule = (summary: string) =>
      ({
        ...(parsed.get(summary)!.getFirstPropertyValue('rrule') as ICAL.Recur).toJSON(),
      }) as Record<string, unknown>;
    assert.deepEqual(rule('Team standup'), { freq: 'WEEKLY', byday: 'MO' });
    assert.deepEqual(rule(HOSTILE), { freq: 'WEEKLY', interval: 2, count: 6, byday: ['MO', 'WE'] });
    const monthly = rule('Monthly review');
    assert.deepEqual(
      { ...monthly, until: undefined },
      { freq: 'MONTHLY', byday: '2TU', until: undefined },
    );
    assert.equal(String(monthly.until), '2024-12-31T23:59:59Z');
    assert.deepEqual(rule('Holiday trip'), { freq: 'YEARLY' });
    // Occurrences expand as the database means them: every other Monday and Wednesday, six times.
    const it = new ICAL.Event(parsed.get(HOSTILE)!).iterator();
    const dates: string[] = [];
    for (let next = it.next(); next; next = it.next())
      dates.push(next.toJSDate().toISOString().slice(0, 10));
    assert.deepEqual(dates, [
      '2024-06-03',
      '2024-06-05',
      '2024-06-17',
      '2024-06-19',
      '2024-07-01',
      '2024-07-03',
    ]);
    // A weekly 9:00 meeting in Los Angeles stays at 9:00 local across the change from PDT to PST (3 Nov 2024).
    const standup = parsed.get('Team standup')!;
    assert.equal(standup.getFirstProperty('dtstart')!.getParameter('tzid'), 'America/Los_Angeles');
    const weekly = new ICAL.Event(standup).iterator();
    const utcHours = new Map<string, number>();
    for (let next = weekly.next(), n = 0; next && n < 12; next = weekly.next(), n++)
      utcHours.set(next.toJSDate().toISOString().slice(0, 10), next.toJSDate().getUTCHours());
    assert.equal(utcHours.get('2024-10-28'), 16);
    assert.equal(utcHours.get('2024-11-04'), 17);
    // Hostile text comes back exactly, and other fields survive.
    const hostile = parsed.get(HOSTILE)!;
    assert.equal(
      hostile.getFirstPropertyValue('description'),
      data.events.find((e) => e.rowid === 10)!.description,
    );
    assert.equal(
      hostile.getFirstPropertyValue('location'),
      'Café Ünïcode, Raum 3\nStraße 1; Berlin',
    );
    assert.equal(hostile.getFirstPropertyValue('url'), 'https://example.com/meet?a=1&b=2');
    // CSV and JSON carry the same text.
    const csv = readFileSync(join(dir, 'events.csv'), 'utf8');
    assert.ok(csv.includes(`"${HOSTILE.replace(/"/g, '""')}"`));
    const json = JSON.parse(readFileSync(join(dir, 'calendar.json'), 'utf8'));
    assert.equal(json.events.find((e: { rowid: number }) => e.rowid === 10).summary, HOSTILE);
  } finally {
    tmp.cleanup();
  }
});

test(
  'mvt iOS 14.3 backup: its cut-down Calendar.sqlitedb exports to an .ics ical.js parses',
  needsFixtures(),
  async () => {
    const tmp = tempDir();
    try {
      const results = await withWorkspace(async (ws) =>
        exportArtifacts(
          new BackupSource(Backup.open(fixture('backups', 'mvt-ios14-plain')), ws),
          tmp.path,
          ['calendar'],
          { export: { time: { utc: true } } },
        ),
      );
      assert.equal(results[0]!.items, 1);
      assert.ok(results[0]!.problems.some((p) => /table Calendar is missing/.test(p.message)));
      const files = readdirSync(join(tmp.path, 'calendar')).filter((f) => f.endsWith('.ics'));
      assert.equal(files.length, 1);
      const [v] = vevents(readFileSync(join(tmp.path, 'calendar', files[0]!), 'utf8'));
      assert.equal(v!.getFirstPropertyValue('summary'), 'Super interesting meeting');
      assert.equal(v!.getFirstPropertyValue('description'), 'very very interesting things');
      assert.equal(v!.getFirstPropertyValue('uid'), 'FAE72C77-4932-47FD-885C-A084D502F3C4');
      assert.equal(
        new ICAL.Event(v!).startDate.toJSDate().toISOString(),
        '2023-04-18T09:15:00.000Z',
      );
      assert.equal(new ICAL.Event(v!).endDate.toJSDate().toISOString(), '2023-04-18T10:15:00.000Z');
      assert.equal(v!.getFirstPropertyValue('organizer'), 'mailto:user@example.org');
    } finally {
      tmp.cleanup();
    }
  },
);

test('bad calendar databases give problems, not crashes', async () => {
  const tmp = tempDir();
  try {
    const noItems = join(tmp.path, 'no-items.sqlitedb');
    const db = new Database(noItems);
    db.exec('CREATE TABLE Calendar (ROWID INTEGER PRIMARY KEY, title TEXT)');
    db.close();
    const odd = join(tmp.path, 'odd.sqlitedb');
    const db2 = new Database(odd);
    db2.exec(
      'CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY, summary TEXT, start_date REAL, weird_future_column BLOB)',
    );
    db2.prepare("INSERT INTO CalendarItem VALUES (1, ?, 700000000, x'00')").run('Only a summary');
    db2.close();
    const garbage = join(tmp.path, 'garbage.sqlitedb');
    writeFileSync(garbage, Buffer.alloc(3000, 7));
    const read = (path: string) =>
      withWorkspace((ws) =>
        calendarArtifact.read(
          new LooseFilesSource(
            [{ domain: 'HomeDomain', relativePath: 'Library/Calendar/Calendar.sqlitedb', path }],
            ws,
          ),
          {},
        ),
      );
    const a = await read(noItems);
    assert.equal(a.items.length, 0);
    assert.ok(
      a.problems.some((p) => p.severity === 'error' && /CalendarItem is missing/.test(p.message)),
    );
    const b = await read(odd);
    assert.equal(b.items.length, 1);
    assert.equal(b.items[0]!.summary, 'Only a summary');
    assert.equal(
      b.items[0]!.start!.toISOString(),
      new Date((700000000 + 978307200) * 1000).toISOString(),
    );
    const c = await read(garbage);
    assert.equal(c.items.length, 0);
    assert.ok(
      c.problems.some(
        (p) => p.severity === 'error' && /not a readable SQLite database/.test(p.message),
      ),
    );
  } finally {
    tmp.cleanup();
  }
});
