import { join } from 'node:path';
import {
  buildDemoContent,
  demoData,
  demoNote,
  FORMER_CONTACT,
  type DemoData,
  type DemoMessage,
} from '../../demo/src/index.js';
import { demoUUID } from '../../demo/src/ids.js';
import type { DeviceDescription } from '../../src/backup/writer.js';
import { writeBackup } from './backups.js';

/**
 * Three backups of one iPhone made with the project's backup writer (and a fourth of another phone), with
 * records deleted, added and edited between them:
 *
 * - A (2025-01-17, an iTunes archived copy `UDID-20250117-090000`): the demo's messages (the edit of message 6
 *   not made yet), contacts, calls 1–5, notes.
 * - B (2025-02-10, `UDID-20250210-080000`): messages 8 and 12 deleted with secure_delete off (still in sms.db's
 *   deleted space), message 15 gone without a trace, message 16 added, message 6 edited; the card of Jordan
 *   deleted (still in deleted space), the dentist's card gone, Mom's card given a note; call 2 deleted (still in
 *   deleted space), call 6 added; note 6 deleted (still in deleted space), note 5 edited.
 * - C (2025-03-01, the live backup folder `UDID`, encrypted with C_PASSWORD): B's live records, message 17, call
 *   7 and note 7 added.
 */
export const UDID = '00008110-000A1B2C3D4E5F01';
export const OTHER_UDID = '00008030-0000FFEE0000AB12';
export const C_PASSWORD = 'newer backup password';
export const TYPES = ['messages', 'contacts', 'calls', 'notes'] as const;

export const DEVICE: DeviceDescription = {
  deviceName: 'Alex’s iPhone',
  productType: 'iPhone14,2',
  productVersion: '17.5.1',
  buildVersion: '21F90',
  serialNumber: 'F2LZK0ABCDEF',
  udid: UDID,
};

export interface DeviceHistory {
  root: string;
  a: string;
  b: string;
  c: string;
  other: string;
}

/** Messages by rowid in the demo data. */
export const MESSAGE = {
  edited: 6,
  deletedCarvable: [8, 12],
  deletedGone: 15,
  addedInB: 16,
  addedInC: 17,
} as const;

function message(
  rowid: number,
  chatRowid: number,
  handleRowid: number,
  date: string,
  body: string,
): DemoMessage {
  return {
    rowid,
    guid: demoUUID(`sms-message-${rowid}`),
    chatRowid,
    handleRowid,
    fromMe: handleRowid === 0,
    date,
    body,
    textColumnFilled: true,
  };
}

export const ADDED_IN_B = 'Dinner again next Thursday? Same place';
export const ADDED_IN_C = 'Thursday works, I booked 7:30';

/** Jordan's card (rowid 6), as in the bundled demo before it was deleted there. */
function withJordan(data: DemoData): DemoData {
  const c = data.contacts;
  const rowid = c.contacts.length + 1;
  c.contacts.push({
    rowid,
    person: FORMER_CONTACT,
    created: '2023-11-05T12:00:00Z',
    hasThumbnail: false,
  });
  c.values.push({
    uid: c.values.length + 1,
    personRowid: rowid,
    property: 3,
    label: '_$!<Mobile>!$_',
    value: FORMER_CONTACT.phoneDisplay,
  });
  return data;
}

function stateA(): DemoData {
  const data = withJordan(demoData());
  const m6 = data.messages.messages.find((m) => m.rowid === MESSAGE.edited)!;
  m6.body = m6.edited!.originalBody;
  delete m6.edited;
  data.calls.calls = data.calls.calls.filter((c) => c.pk <= 5);
  return data;
}

function stateB(): DemoData {
  const data = withJordan(demoData());
  const messages = data.messages;
  messages.messages = messages.messages.filter((m) => m.rowid !== MESSAGE.deletedGone);
  messages.messages.push(message(MESSAGE.addedInB, 1, 1, '2025-02-01T18:00:00Z', ADDED_IN_B));
  messages.deletedRowids = [...MESSAGE.deletedCarvable];
  const contacts = data.contacts;
  const dentist = contacts.contacts.find((c) => c.person.key === 'dentist')!.rowid;
  contacts.contacts = contacts.contacts.filter((c) => c.rowid !== dentist);
  contacts.values = contacts.values.filter((v) => v.personRowid !== dentist);
  contacts.contacts.find((c) => c.person.key === 'mom')!.note = 'Call on Sundays';
  contacts.deletedRowids = [contacts.contacts.find((c) => c.person.key === 'jordan')!.rowid];
  data.calls.deletedPks = [2];
  data.notes.deletedPks = [6];
  const books = data.notes.notes.find((n) => n.pk === 5)!;
  const edited = demoNote(
    5,
    books.folderPk,
    books.title,
    '2024-05-02T18:00:00Z',
    '2025-02-05T10:00:00Z',
    [
      { style: 'body', spans: [{ text: 'The Overstory' }] },
      { style: 'body', spans: [{ text: 'Piranesi' }] },
      { style: 'body', spans: [{ text: 'A Psalm for the Wild-Built' }] },
      { style: 'body', spans: [{ text: 'Klara and the Sun' }] },
    ],
  );
  data.notes.notes = data.notes.notes.map((n) => (n.pk === 5 ? edited : n));
  return data;
}

function stateC(): DemoData {
  const data = stateB();
  const messages = data.messages;
  messages.messages = messages.messages.filter(
    (m) => !(MESSAGE.deletedCarvable as readonly number[]).includes(m.rowid),
  );
  delete messages.deletedRowids;
  messages.messages.push(message(MESSAGE.addedInC, 1, 0, '2025-02-20T09:30:00Z', ADDED_IN_C));
  const contacts = data.contacts;
  const gone = contacts.deletedRowids ?? [];
  contacts.contacts = contacts.contacts.filter((c) => !gone.includes(c.rowid));
  contacts.values = contacts.values.filter((v) => !gone.includes(v.personRowid));
  delete contacts.deletedRowids;
  data.calls.calls = data.calls.calls.filter((c) => c.pk !== 2);
  delete data.calls.deletedPks;
  data.calls.calls.push({ ...data.calls.calls[0]!, pk: 7, date: '2025-02-25T18:00:00Z' });
  data.notes.notes = data.notes.notes.filter((n) => n.pk !== 6);
  delete data.notes.deletedPks;
  data.notes.notes.push(
    demoNote(7, 2, 'Garden plan', '2025-02-22T09:00:00Z', '2025-02-22T09:30:00Z', [
      { style: 'body', spans: [{ text: 'Tomatoes by the south fence' }] },
    ]),
  );
  return data;
}

export async function buildDeviceHistory(root: string): Promise<DeviceHistory> {
  const a = join(root, `${UDID}-20250117-090000`);
  const b = join(root, `${UDID}-20250210-080000`);
  const c = join(root, UDID);
  const other = join(root, OTHER_UDID);
  const write = (dir: string, data: DemoData, date: string, extra: object = {}) =>
    writeBackup(dir, buildDemoContent({ data, only: TYPES }), {
      device: DEVICE,
      date: new Date(date),
      ...extra,
    });
  await write(a, stateA(), '2025-01-17T09:00:00Z');
  await write(b, stateB(), '2025-02-10T08:00:00Z');
  await write(c, stateC(), '2025-03-01T10:00:00Z', { password: C_PASSWORD });
  await writeBackup(other, buildDemoContent({ only: ['contacts'] }), {
    device: {
      ...DEVICE,
      deviceName: 'Work iPad',
      productType: 'iPad13,1',
      udid: OTHER_UDID,
      serialNumber: 'DMPXX0IPAD01',
    },
    date: new Date('2024-11-02T12:00:00Z'),
  });
  return { root, a, b, c, other };
}
