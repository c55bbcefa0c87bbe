import type { BackupFileInput } from '../backup/types.js';
import { buildCalendar, calendarData, type CalendarData } from './calendar.js';
import { buildCallHistory, callHistoryData, type CallHistoryData } from './call-history.js';
import { buildContacts, contactsData, type ContactsData } from './contacts.js';
import { buildMessages, messagesData, type MessagesData } from './messages.js';
import { buildNotes, notesData, type NotesData } from './notes.js';
import { buildPhotos, photosData, type PhotosData } from './photos.js';
import { buildSafari, safariData, type SafariData } from './safari.js';
import { buildVoiceMemos, voiceMemosData, type VoiceMemosData } from './voice-memos.js';
import { buildVoicemail, voicemailData, type VoicemailData } from './voicemail.js';
import { buildWhatsApp, whatsAppData, type WhatsAppData } from './whatsapp.js';

/**
 * The content of the bundled demo backup: "a few of each data type" for one fictional owner (people.ts),
 * each database built to a real iOS schema. Deterministic: the same bytes on every run.
 * Each builder takes its plain data (the xxxData() functions) so tests can compare with exactly what was put in.
 */

export interface DemoData {
  messages: MessagesData;
  contacts: ContactsData;
  callHistory: CallHistoryData;
  photos: PhotosData;
  notes: NotesData;
  calendar: CalendarData;
  safari: SafariData;
  voicemail: VoicemailData;
  voiceMemos: VoiceMemosData;
  whatsApp: WhatsAppData;
}
export type DemoDataType = keyof DemoData;

export const DEMO_DATA_TYPES: readonly DemoDataType[] = ['messages', 'contacts', 'callHistory', 'photos', 'notes', 'calendar', 'safari', 'voicemail', 'voiceMemos', 'whatsApp'];

export function demoData(): DemoData {
  return {
    messages: messagesData(), contacts: contactsData(), callHistory: callHistoryData(), photos: photosData(), notes: notesData(),
    calendar: calendarData(), safari: safariData(), voicemail: voicemailData(), voiceMemos: voiceMemosData(), whatsApp: whatsAppData(),
  };
}

const BUILDERS: { [K in DemoDataType]: (data: DemoData[K]) => BackupFileInput[] } = {
  messages: buildMessages, contacts: buildContacts, callHistory: buildCallHistory, photos: buildPhotos, notes: buildNotes,
  calendar: buildCalendar, safari: buildSafari, voicemail: buildVoicemail, voiceMemos: buildVoiceMemos, whatsApp: buildWhatsApp,
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

export { OWNER, PEOPLE, person, displayName, type DemoPerson, type DemoPostalAddress } from './people.js';
export { APPLE_EPOCH_UNIX, appleSeconds, appleNanoseconds, unixSeconds } from './apple-time.js';
export { attributedBodyFor } from './typedstream.js';
export { encodeNoteDocument, noteText, type NoteParagraph, type NoteSpan } from './note-document.js';
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
