import type { Artifact, ArtifactId } from './artifact.js';
import { photosArtifact, photosDeclaration } from './photos/index.js';
import { voiceMemosArtifact, voiceMemosDeclaration } from './voice-memos/index.js';
import { voicemailArtifact, voicemailDeclaration } from './voicemail/index.js';
import { messagesArtifact, messagesDeclaration } from './messages/index.js';
import { whatsAppArtifact, whatsAppDeclaration } from './whatsapp/index.js';
import { contactsArtifact, contactsDeclaration } from './contacts/index.js';
import { callsArtifact, callsDeclaration } from './calls/index.js';
import { notesArtifact, notesDeclaration } from './notes/index.js';
import { calendarArtifact, calendarDeclaration } from './calendar/index.js';
import { remindersArtifact, remindersDeclaration } from './reminders/index.js';
import { safariArtifact, safariDeclaration } from './safari/index.js';

/** Every data type's declaration, in the order exports and the UI show them. */
export const DECLARATIONS = [
  photosDeclaration,
  voiceMemosDeclaration,
  voicemailDeclaration,
  messagesDeclaration,
  whatsAppDeclaration,
  contactsDeclaration,
  callsDeclaration,
  notesDeclaration,
  calendarDeclaration,
  remindersDeclaration,
  safariDeclaration,
] as const;

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
];

export function artifactById(id: ArtifactId): Artifact<any> {
  const found = ARTIFACTS.find((a) => a.id === id);
  if (!found) throw new Error(`unknown artifact ${id}`);
  return found;
}
