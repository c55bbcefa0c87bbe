import type { ArtifactId } from './artifact.js';
import type { CalendarEvent } from './calendar/index.js';
import type { CallRecord } from './calls/index.js';
import type { Contact } from './contacts/index.js';
import type { Conversation } from './conversation.js';
import type { DriveFile } from './drive/index.js';
import type { Note } from './notes/model.js';
import type { PhotoAsset } from './photos/model.js';
import type { Reminder } from './reminders/index.js';
import type { SafariItem } from './safari/index.js';
import type { VoiceMemo } from './voice-memos/index.js';
import type { Voicemail } from './voicemail/index.js';

type Complete<T extends Record<ArtifactId, unknown>> = T;
/** The record type of each data type's items (a missing data type is a compile error). */
export type ArtifactRecords = Complete<{
  photos: PhotoAsset;
  'voice-memos': VoiceMemo;
  voicemail: Voicemail;
  messages: Conversation;
  whatsapp: Conversation;
  contacts: Contact;
  calls: CallRecord;
  notes: Note;
  calendar: CalendarEvent;
  reminders: Reminder;
  safari: SafariItem;
  drive: DriveFile;
}>;
