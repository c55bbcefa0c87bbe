import type { ArtifactId } from '../artifacts/artifact.js';
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
import { driveExporter } from './drive.js';

export const EXPORTERS: Exporter<any>[] = [
  photosExporter,
  voiceMemosExporter,
  voicemailExporter,
  messagesExporter,
  whatsAppExporter,
  contactsExporter,
  callsExporter,
  notesExporter,
  calendarExporter,
  remindersExporter,
  safariExporter,
  driveExporter,
];

export function exporterFor(id: ArtifactId): Exporter<any> {
  const found = EXPORTERS.find((e) => e.id === id);
  if (!found) throw new Error(`no exporter for ${id}`);
  return found;
}
