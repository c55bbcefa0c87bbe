import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  calendarArtifact,
  calendarDeclaration,
  type CalendarEvent,
} from '../../src/artifacts/calendar/index.js';
import { buildCalendar, calendarData } from '../../demo/src/calendar.js';
import { assertGracefulDrops, dropEachColumn } from '../support/column-drop.js';
import { exportFiles } from '../support/loose-files.js';

const { database } = calendarDeclaration.locations;

describe('calendar built to the iOS 26 schema (iOS 11.2/14.3 layout + conference_url_detected, AttachmentFile)', () => {
  const data = calendarData();
  data.events[0]!.conferenceUrl = 'https://facetime.apple.com/join#v=1&p=demo';
  const files = buildCalendar(data, { ios: 'ios26' });

  test('every event is exported to iCalendar, the detected video-call link as its URL', async () => {
    const { results, written } = await exportFiles(files, ['calendar']);
    assert.deepEqual(results[0]!.problems, []);
    assert.equal(results[0]!.items, data.events.length);
    const ics = [...written]
      .filter(([path]) => path.endsWith('.ics'))
      .map(([, b]) => b.toString('utf8'))
      .join('\n');
    for (const e of data.events) assert.ok(ics.includes(e.summary), e.summary);
    assert.match(
      ics.replace(/\r\n /g, ''),
      /URL[^:]*:https:\/\/facetime\.apple\.com\/join#v=1&p=demo/,
    );
  });

  test('each optional column dropped in turn: every event still comes out, one problem line', async () => {
    const result = await dropEachColumn<CalendarEvent>({
      files,
      database,
      read: (source) => calendarArtifact.read(source, { recoverDeleted: false }),
      key: (e) => String(e.rowid),
    });
    assertGracefulDrops(result, { maxChangedFields: 4 });
  });
});
