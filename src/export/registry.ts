import type { ArtifactId } from '../artifacts/artifact.js';
import type { ArtifactItem } from '../artifacts/registry.js';
import type { Exporter } from './exporter.js';
import { photosExporter } from './photos.js';
import { voiceMemosExporter } from './voice-memos.js';
import { voicemailExporter } from './voicemail.js';
import { messagesExporter } from './messages.js';
import { whatsAppExporter } from './whatsapp.js';
import { contactsExporter } from './contacts.js';
import { callsExporter } from './calls.js';
import { notesExporter } from './notes.js';
import { calendarExporter } from './calendar.js';
import { remindersExporter } from './reminders.js';
import { safariExporter } from './safari.js';
import { keyboardExporter } from './keyboard.js';
import { driveExporter } from './drive.js';

/** The exporter of each data type, for the records its reader gives: a type without one does not compile. */
export const EXPORTERS = {
  photos: photosExporter,
  'voice-memos': voiceMemosExporter,
  voicemail: voicemailExporter,
  messages: messagesExporter,
  whatsapp: whatsAppExporter,
  contacts: contactsExporter,
  calls: callsExporter,
  notes: notesExporter,
  calendar: calendarExporter,
  reminders: remindersExporter,
  safari: safariExporter,
  keyboard: keyboardExporter,
  drive: driveExporter,
} as const satisfies { readonly [K in ArtifactId]: Exporter<ArtifactItem<K>, K> };

export function exporterFor(id: ArtifactId): Exporter<any> {
  const found: Exporter<any> | undefined = EXPORTERS[id];
  if (!found) throw new Error(`no exporter for ${id}`);
  return found;
}
