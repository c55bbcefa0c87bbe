import type { ArtifactId } from '../../../src/artifacts/artifact.js';
import { calendarView } from './calendar.js';
import { callsView } from './calls.js';
import { contactsView } from './contacts.js';
import { keyboardView } from './keyboard.js';
import { driveView } from './drive.js';
import { messagesView } from './messages.js';
import { notesView } from './notes.js';
import { photosView } from './photos.js';
import { remindersView } from './reminders.js';
import { safariView } from './safari.js';
import { voiceMemosView } from './voice-memos.js';
import { voicemailView } from './voicemail.js';
import { whatsAppView } from './whatsapp.js';
import type { View } from './view.js';

/** How the page shows each data type: one view per data type (a missing one is a compile error). */
export const VIEWS = {
  photos: photosView,
  'voice-memos': voiceMemosView,
  voicemail: voicemailView,
  messages: messagesView,
  whatsapp: whatsAppView,
  contacts: contactsView,
  calls: callsView,
  notes: notesView,
  calendar: calendarView,
  reminders: remindersView,
  safari: safariView,
  keyboard: keyboardView,
  drive: driveView,
} satisfies Record<ArtifactId, View>;

/** The view of a data type the server names (undefined for one this page does not know). */
export const viewOf = (id: string): View | undefined => VIEWS[id as ArtifactId];
