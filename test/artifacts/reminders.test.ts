import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import Database from 'better-sqlite3';
import { Backup } from '../../src/backup/backup.js';
import type { BackupFileInput } from '../../src/backup/types.js';
import { remindersArtifact } from '../../src/artifacts/reminders/index.js';
import { BackupSource, LooseFilesSource } from '../../src/artifacts/source.js';
import { withWorkspace } from '../../src/artifacts/workspace.js';
import { exportArtifacts } from '../../src/export/run.js';
import { buildCalendar, calendarData } from '../../demo/src/calendar.js';
import { buildReminders, remindersData, type RemindersData } from '../../demo/src/reminders.js';
import { writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';

const HOSTILE = 'Buy milk, eggs; <script>alert("x")</script>\nthen \\ go home';

async function exportFiles(files: BackupFileInput[], root: string) {
  await writeBackup(join(root, 'backup'), files);
  return withWorkspace(
    async (ws) =>
      (
        await exportArtifacts(
          new BackupSource(Backup.open(join(root, 'backup')), ws),
          join(root, 'out'),
          ['reminders'],
          { export: { time: { utc: true } } },
        )
      )[0]!,
  );
}

function todosIn(dir: string): Map<string, { list: string; todo: ICAL.Component }> {
  const map = new Map<string, { list: string; todo: ICAL.Component }>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ics'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    assert.ok(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75));
    const cal = new ICAL.Component(ICAL.parse(text));
    for (const t of cal.getAllSubcomponents('vtodo'))
      map.set(String(t.getFirstPropertyValue('summary')), {
        list: String(cal.getFirstPropertyValue('x-wr-calname')),
        todo: t,
      });
  }
  return map;
}

function withHostile(layout: RemindersData['layout']): RemindersData {
  const data = remindersData();
  data.layout = layout;
  data.reminders.push({
    pk: 4,
    listPk: 2,
    title: HOSTILE,
    notes: 'a, b; c',
    completed: '2025-01-16T09:00:00Z',
    priority: 9,
    created: '2025-01-15T08:00:00Z',
  });
  return data;
}

for (const layout of ['ios16', 'ios13'] as const) {
  test(`reminders store (${layout} layout) exports every reminder as a VTODO with completion, due date and priority`, async () => {
    const tmp = tempDir();
    try {
      const data = withHostile(layout);
      const result = await exportFiles(buildReminders(data), tmp.path);
      assert.equal(result.items, data.reminders.length);
      assert.deepEqual(result.problems, []);
      const dir = join(tmp.path, 'out', 'reminders');
      assert.deepEqual(
        readdirSync(dir)
          .filter((n) => n.endsWith('.ics'))
          .sort(),
        ['Errands.ics', 'Trip prep.ics'],
      );
      const todos = todosIn(dir);
      assert.equal(todos.size, data.reminders.length);
      for (const r of data.reminders) {
        const found = todos.get(r.title);
        assert.ok(found, r.title);
        const t = found.todo;
        assert.equal(found.list, data.lists.find((l) => l.pk === r.listPk)!.name);
        assert.equal(t.getFirstPropertyValue('status'), r.completed ? 'COMPLETED' : 'NEEDS-ACTION');
        const completed = t.getFirstPropertyValue('completed') as ICAL.Time | null;
        assert.equal(
          completed ? completed.toJSDate().toISOString() : null,
          r.completed ? new Date(r.completed).toISOString() : null,
        );
        const due = t.getFirstPropertyValue('due') as ICAL.Time | null;
        if (!r.due) assert.equal(due, null);
        else if (r.dueAllDay) assert.equal(due!.toString(), r.due.slice(0, 10));
        else assert.equal(due!.toJSDate().toISOString(), new Date(r.due).toISOString());
        assert.equal(t.getFirstPropertyValue('priority') ?? 0, r.priority ?? 0);
        assert.equal(t.getFirstPropertyValue('description'), r.notes ?? null);
      }
      const csv = readFileSync(join(dir, 'reminders.csv'), 'utf8');
      assert.ok(csv.includes(`"${HOSTILE.replace(/"/g, '""')}"`));
      assert.equal(csv.trim().split('\r\n').length, 1 + data.reminders.length); // records end in CRLF; embedded newlines are bare LF inside quotes
      assert.ok(!csv.includes('not a reminder'));
    } finally {
      tmp.cleanup();
    }
  });
}

test('older reminders kept as tasks in Calendar.sqlitedb become VTODOs; events stay in the calendar', async () => {
  const tmp = tempDir();
  try {
    const cal = calendarData();
    cal.tasks = [
      {
        rowid: 20,
        calendarRowid: 1,
        title: 'Call the plumber',
        due: '2017-06-02T16:00:00Z',
        priority: 1,
      },
      {
        rowid: 21,
        calendarRowid: 2,
        title: HOSTILE,
        completed: '2017-06-03T10:00:00Z',
        notes: 'done',
      },
    ];
    const result = await exportFiles(buildCalendar(cal), tmp.path);
    assert.equal(result.items, 2);
    const todos = todosIn(join(tmp.path, 'out', 'reminders'));
    assert.deepEqual([...todos.keys()].sort(), ['Call the plumber', HOSTILE].sort());
    assert.equal(todos.get('Call the plumber')!.list, 'Home');
    assert.equal(
      todos.get('Call the plumber')!.todo.getFirstPropertyValue('status'),
      'NEEDS-ACTION',
    );
    assert.equal(
      (todos.get('Call the plumber')!.todo.getFirstPropertyValue('due') as ICAL.Time)
        .toJSDate()
        .toISOString(),
      '2017-06-02T16:00:00.000Z',
    );
    assert.equal(todos.get(HOSTILE)!.list, 'Work');
    assert.equal(todos.get(HOSTILE)!.todo.getFirstPropertyValue('status'), 'COMPLETED');
    assert.equal(
      (todos.get(HOSTILE)!.todo.getFirstPropertyValue('completed') as ICAL.Time)
        .toJSDate()
        .toISOString(),
      '2017-06-03T10:00:00.000Z',
    );
    // The calendar artifact leaves the tasks out.
    const calendar = await withWorkspace(
      async (ws) =>
        (
          await exportArtifacts(
            new BackupSource(Backup.open(join(tmp.path, 'backup')), ws),
            join(tmp.path, 'out2'),
            ['calendar'],
            { export: { time: { utc: true } } },
          )
        )[0]!,
    );
    assert.equal(calendar.items, cal.events.length);
  } finally {
    tmp.cleanup();
  }
});

test('a reminders store without the expected tables gives a problem, not a crash', async () => {
  const tmp = tempDir();
  try {
    const path = join(tmp.path, 'Data-X.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE ZSOMETHINGELSE (Z_PK INTEGER PRIMARY KEY, ZFOO TEXT)');
    db.close();
    const data = await withWorkspace((ws) =>
      remindersArtifact.read(
        new LooseFilesSource(
          [
            {
              domain: 'HomeDomain',
              relativePath: 'Library/Reminders/Container_v1/Stores/Data-X.sqlite',
              path,
            },
          ],
          ws,
        ),
        {},
      ),
    );
    assert.equal(data.items.length, 0);
    assert.ok(
      data.problems.some((p) => p.severity === 'error' && /ZREMCDREMINDER/.test(p.message)),
    );
  } finally {
    tmp.cleanup();
  }
});
