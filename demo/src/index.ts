import type { ArtifactId } from '../../src/artifacts/artifact.js';
import type { BackupFileInput } from '../../src/backup/types.js';
import { buildCalendar, calendarData, type CalendarData } from './calendar.js';
import { buildCallHistory, callHistoryData, type CallHistoryData } from './call-history.js';
import { buildContacts, contactsData, type ContactsData } from './contacts.js';
import { buildKeyboard, keyboardData, type KeyboardData } from './keyboard.js';
import { buildMessages, messagesData, type MessagesData } from './messages.js';
import { demoUUID } from './ids.js';
import { buildNotes, demoNote, notesData, type NotesData } from './notes.js';
import { FORMER_CONTACT, person } from './people.js';
import { buildPhotos, photosData, type PhotosData } from './photos.js';
import { buildReminders, demoRemindersData, type RemindersData } from './reminders.js';
import { buildSafari, safariData, type SafariData } from './safari.js';
import { buildVoiceMemos, voiceMemosData, type VoiceMemosData } from './voice-memos.js';
import { buildVoicemail, voicemailData, type VoicemailData } from './voicemail.js';
import { buildWhatsApp, whatsAppData, type WhatsAppData } from './whatsapp.js';

/**
 * The content of the bundled demo backup: "a few of each data type" for one fictional owner (people.ts),
 * each database built to a real iOS schema. Deterministic: the same bytes on every run.
 * Each builder takes its plain data (the xxxData() functions) so tests can compare with exactly what was put in.
 */

/** The demo's plain data, one entry per data type (keyed by ArtifactId: a type without one does not compile). */
export interface DemoData {
  messages: MessagesData;
  contacts: ContactsData;
  calls: CallHistoryData;
  photos: PhotosData;
  notes: NotesData;
  calendar: CalendarData;
  safari: SafariData;
  voicemail: VoicemailData;
  'voice-memos': VoiceMemosData;
  whatsapp: WhatsAppData;
  reminders: RemindersData;
  keyboard: KeyboardData;
}
export type DemoDataType = keyof DemoData;

/** The order the demo backup is written in (kept, so `npm run demo:build` writes the same backup). */
export const DEMO_DATA_TYPES = [
  'messages',
  'contacts',
  'calls',
  'photos',
  'notes',
  'calendar',
  'safari',
  'voicemail',
  'voice-memos',
  'whatsapp',
  'reminders',
  'keyboard',
] as const satisfies readonly ArtifactId[];

export function demoData(): DemoData {
  return {
    messages: messagesData(),
    contacts: contactsData(),
    calls: callHistoryData(),
    photos: photosData(),
    notes: notesData(),
    calendar: calendarData(),
    safari: safariData(),
    voicemail: voicemailData(),
    'voice-memos': voiceMemosData(),
    whatsapp: whatsAppData(),
    reminders: demoRemindersData(),
    keyboard: keyboardData(),
  };
}

/**
 * What the bundled demo backup (demo/backup, `npm run demo:build`) holds: demoData() plus a few records the owner
 * wrote and then deleted on the phone, so the demo shows deleted-record recovery. Each is inserted and deleted again
 * with secure_delete off, so its bytes stay in the database's free space: two messages in sms.db, one contact
 * (FORMER_CONTACT), one call, one WhatsApp message and one note. demoData() itself stays free of deletions.
 */
export function bundledDemoData(): DemoData {
  const data = demoData();
  const m = data.messages;
  const base = m.messages.length;
  const message = (
    rowid: number,
    chatRowid: number,
    handleRowid: number,
    date: string,
    body: string,
  ) => ({
    rowid,
    guid: demoUUID(`sms-message-${rowid}`),
    chatRowid,
    handleRowid,
    fromMe: handleRowid === 0,
    date,
    body,
    textColumnFilled: true,
  });
  m.messages.push(
    message(base + 1, 2, 2, '2024-07-22T15:16:30Z', "Gate code is 4512 if I'm not home"),
    message(base + 2, 1, 0, '2024-03-08T18:50:00Z', 'Ignore that, wrong chat \u{1F648}'),
  );
  m.deletedRowids = [base + 1, base + 2];

  const c = data.contacts;
  const formerRowid = c.contacts.length + 1;
  c.contacts.push({
    rowid: formerRowid,
    person: FORMER_CONTACT,
    created: '2023-11-05T12:00:00Z',
    hasThumbnail: false,
  });
  c.values.push(
    {
      uid: c.values.length + 1,
      personRowid: formerRowid,
      property: 3,
      label: '_$!<Mobile>!$_',
      value: FORMER_CONTACT.phoneDisplay,
    },
    {
      uid: c.values.length + 2,
      personRowid: formerRowid,
      property: 4,
      label: '_$!<Home>!$_',
      value: FORMER_CONTACT.email,
    },
  );
  c.deletedRowids = [formerRowid];

  const calls = data.calls;
  const sam = person('sam');
  const callPk = calls.calls.length + 1;
  calls.calls.push({
    pk: callPk,
    person: sam,
    date: '2024-12-21T20:40:00Z',
    durationSeconds: 547,
    outgoing: true,
    answered: true,
    callType: 1,
    serviceProvider: 'com.apple.Telephony',
  });
  calls.deletedPks = [callPk];

  const wa = data.whatsapp;
  const waPk = Math.max(...wa.messages.map((x) => x.pk)) + 1;
  // Between the chat's second and third message, so the chat's last message stays a live one.
  wa.messages.splice(2, 0, {
    pk: waPk,
    chatPk: 1,
    fromMe: false,
    memberPk: null,
    date: '2024-09-28T16:04:50Z',
    text: 'Bring cash, the honey stall is cash only',
    mediaPk: null,
  });
  wa.deletedPks = [waPk];

  const n = data.notes;
  const notePk = Math.max(...n.notes.map((x) => x.pk)) + 1;
  n.notes.push(
    demoNote(notePk, 2, 'Gift ideas for Mom', '2024-11-20T21:00:00Z', '2024-11-24T09:30:00Z', [
      { style: 'body', spans: [{ text: 'Birthday is Dec 14' }] },
      { style: 'checklist', spans: [{ text: 'Pottery class voucher' }], done: false },
      { style: 'checklist', spans: [{ text: 'Photo book from the lake trip' }], done: true },
    ]),
  );
  n.deletedPks = [notePk];
  return data;
}

const BUILDERS: { [K in DemoDataType]: (data: DemoData[K]) => BackupFileInput[] } = {
  messages: buildMessages,
  contacts: buildContacts,
  calls: buildCallHistory,
  photos: buildPhotos,
  notes: buildNotes,
  calendar: buildCalendar,
  safari: buildSafari,
  voicemail: buildVoicemail,
  'voice-memos': buildVoiceMemos,
  whatsapp: buildWhatsApp,
  reminders: buildReminders,
  keyboard: buildKeyboard,
};

export interface DemoContentOptions {
  /** Only these data types (default: all). */
  only?: readonly DemoDataType[];
  /** The data to write (default: demoData()). */
  data?: DemoData;
}

export function buildDemoContent(options: DemoContentOptions = {}): BackupFileInput[] {
  const data = options.data ?? demoData();
  const types = options.only ?? DEMO_DATA_TYPES;
  return types.flatMap(<K extends DemoDataType>(type: K) => BUILDERS[type](data[type]));
}

export {
  OWNER,
  PEOPLE,
  FORMER_CONTACT,
  person,
  displayName,
  type DemoPerson,
  type DemoPostalAddress,
} from './people.js';
export { APPLE_EPOCH_UNIX, appleSeconds, appleNanoseconds, unixSeconds } from './apple-time.js';
export { attributedBodyFor } from './typedstream.js';
export {
  encodeNoteDocument,
  noteText,
  type NoteParagraph,
  type NoteSpan,
} from './note-document.js';
export { encodeJpeg } from './media/jpeg.js';
export { buildIsoMedia } from './media/iso-media.js';
export { buildSilentAmr } from './media/amr.js';
export * from './messages.js';
export * from './contacts.js';
export * from './call-history.js';
export * from './photos.js';
export * from './notes.js';
export * from './calendar.js';
export * from './safari.js';
export * from './voicemail.js';
export * from './voice-memos.js';
export * from './whatsapp.js';
export * from './reminders.js';
export * from './keyboard.js';
