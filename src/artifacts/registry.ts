import type { Artifact, ArtifactId } from './artifact.js';
import { photosArtifact } from './photos/index.js';
import { voiceMemosArtifact } from './voice-memos/index.js';
import { voicemailArtifact } from './voicemail/index.js';
import { messagesArtifact } from './messages/index.js';
import { whatsAppArtifact } from './whatsapp/index.js';
import { contactsArtifact } from './contacts/index.js';
import { callsArtifact } from './calls/index.js';
import { notesArtifact } from './notes/index.js';
import { calendarArtifact } from './calendar/index.js';
import { remindersArtifact } from './reminders/index.js';
import { safariArtifact } from './safari/index.js';
import { driveArtifact } from './drive/index.js';

/** Every data type, in the order exports and the UI show them (one module per artifact, like iLEAPP). */
export const ARTIFACTS: Artifact<any>[] = [
  photosArtifact,
  voiceMemosArtifact,
  voicemailArtifact,
  messagesArtifact,
  whatsAppArtifact,
  contactsArtifact,
  callsArtifact,
  notesArtifact,
  calendarArtifact,
  remindersArtifact,
  safariArtifact,
  driveArtifact,
];

export function artifactById(id: ArtifactId): Artifact<any> {
  const found = ARTIFACTS.find((a) => a.id === id);
  if (!found) throw new Error(`unknown artifact ${id}`);
  return found;
}
