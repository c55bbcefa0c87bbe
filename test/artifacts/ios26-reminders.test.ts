import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ICAL from 'ical.js';
import {
  remindersArtifact,
  remindersDeclaration,
  type Reminder,
} from '../../src/artifacts/reminders/index.js';
import { buildCalendar, calendarData } from '../../demo/src/calendar.js';
import { buildReminders, remindersData, type RemindersData } from '../../demo/src/reminders.js';
import { assertGracefulDrops, dropEachColumn } from '../support/column-drop.js';
import { exportFiles, readFiles } from '../support/loose-files.js';

const { groupStores } = remindersDeclaration.locations;

/** The demo lists, with a section, a subtask, tags, a flag and URLs kept both ways. */
function ios26Data(): RemindersData {
  const data = remindersData();
  data.layout = 'ios26';
  data.lists[1]!.sections = ['Clothes', 'Documents'];
  const [cleaning, , jacket] = data.reminders;
  cleaning!.tags = ['town', 'quick'];
  cleaning!.url = { value: 'https://cleaners.example.com/ticket/42', kept: 'ics' };
  jacket!.section = 'Clothes';
  jacket!.tags = ['packing'];
  data.reminders.push(
    {
      pk: 4,
      listPk: 2,
      title: 'Passport',
      section: 'Documents',
      flagged: true,
      url: { value: 'https://travel.state.gov/passport', kept: 'attachment' },
      created: '2025-01-12T09:00:00Z',
    },
    {
      pk: 5,
      listPk: 2,
      title: 'Check expiry date',
      parentPk: 4,
      section: 'Documents',
      tags: ['packing'],
      created: '2025-01-12T09:05:00Z',
    },
  );
  return data;
}

describe('reminders built to the iOS 26 layout (app-group store, reconstructed)', () => {
  const data = ios26Data();
  const files = buildReminders(data);

  test('the store is read from the Reminders app group with subtasks, tags, sections, flags and URLs', async () => {
    assert.equal(files[0]!.domain, 'AppDomainGroup-group.com.apple.reminders');
    const read = await readFiles<Reminder>(files, 'reminders');
    assert.deepEqual(read.problems, []);
    const by = (title: string) => read.items.find((r) => r.title === title)!;
    assert.equal(read.items.length, data.reminders.length);
    assert.deepEqual(by('Pick up dry cleaning').tags, ['town', 'quick']);
    assert.equal(by('Pick up dry cleaning').url, 'https://cleaners.example.com/ticket/42');
    assert.equal(by('Passport').url, 'https://travel.state.gov/passport');
    assert.equal(by('Passport').flagged, true);
    assert.equal(by('Pack rain jacket').section, 'Clothes');
    assert.equal(by('Check expiry date').section, 'Documents');
    assert.equal(by('Check expiry date').parent, by('Passport').uid);
    assert.equal(by('Renew library card').parent, null);
  });

  test('the export writes them: RELATED-TO, CATEGORIES, URL and the CSV columns', async () => {
    const { results, written } = await exportFiles(files, ['reminders']);
    assert.deepEqual(results[0]!.problems, []);
    const ics = written.get('reminders/Trip prep.ics')!.toString('utf8');
    const todos = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vtodo');
    const todo = (title: string) =>
      todos.find((t) => t.getFirstPropertyValue('summary') === title)!;
    const parentUid = todo('Passport').getFirstPropertyValue('uid');
    const related = todo('Check expiry date').getFirstProperty('related-to')!;
    assert.equal(related.getFirstValue(), parentUid);
    assert.equal(related.getParameter('reltype'), 'PARENT');
    assert.equal(
      todo('Passport').getFirstPropertyValue('url'),
      'https://travel.state.gov/passport',
    );
    assert.deepEqual(todo('Pack rain jacket').getFirstProperty('categories')!.getValues(), [
      'packing',
    ]);
    const csv = written.get('reminders/reminders.csv')!.toString('utf8');
    assert.match(csv, /#town #quick/);
    assert.match(csv, /Check expiry date,.*Documents,Passport,/);
  });

  test('each optional column dropped in turn: every reminder still comes out, one problem line', async () => {
    const result = await dropEachColumn<Reminder>({
      files,
      database: { ...groupStores, path: files[0]!.relativePath },
      read: (source) => remindersArtifact.read(source, { recoverDeleted: false }),
      key: (_r, i) => String(i),
    });
    assertGracefulDrops(result, {
      fields: {
        'ZREMCDREMINDER.ZTITLE': ['title'],
        'ZREMCDREMINDER.ZCKIDENTIFIER': ['uid', 'section', 'parent'],
        'ZREMCDREMINDER.ZPARENTREMINDER': ['parent'],
        'ZREMCDREMINDER.ZLIST': ['list'],
        'ZREMCDREMINDER.ZCOMPLETED': ['completed'],
        'ZREMCDOBJECT.ZREMINDER2': ['url'],
        'ZREMCDOBJECT.ZREMINDER3': ['tags'],
        'ZREMCDOBJECT.ZHASHTAGLABEL': ['tags'],
        'ZREMCDOBJECT.ZURL': ['url'],
        'ZREMCDHASHTAGLABEL.ZNAME': ['tags'],
        'ZREMCDBASESECTION.ZDISPLAYNAME': ['section'],
        'ZREMCDBASESECTION.ZCKIDENTIFIER': ['section'],
        'ZREMCDBASELIST.ZMEMBERSHIPSOFREMINDERSINSECTIONSASDATA': ['section'],
        'ZREMCDBASELIST.ZCKIDENTIFIER': [],
      },
    });
  });
});

test('tasks in Calendar.sqlitedb (iOS 12 and earlier): each optional column dropped in turn, every task still comes out', async () => {
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
      title: 'Renew the lease',
      completed: '2017-06-03T10:00:00Z',
      notes: 'done',
    },
  ];
  const result = await dropEachColumn<Reminder>({
    files: buildCalendar(cal),
    database: remindersDeclaration.locations.calendarTasks,
    read: (source) => remindersArtifact.read(source, { recoverDeleted: false }),
    key: (_r, i) => String(i),
  });
  assertGracefulDrops(result, { maxChangedFields: 4 });
});
