import type { Artifact } from './artifact.js';
import { describeArtifact, type ArtifactDescriptor } from './declaration.js';
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
import { keyboardArtifact, keyboardDeclaration } from './keyboard/index.js';
import { driveArtifact, driveDeclaration } from './drive/index.js';

/**
 * Every data type's declaration, in the order exports and the UI show them. Adding a data type: its
 * module under src/artifacts/<type>/ (declaration and reader), a line here and one in ARTIFACTS, its
 * exporter in src/export/registry.ts, its demo builder; the compiler asks for each.
 */
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
  keyboardDeclaration,
  driveDeclaration,
] as const;

/** Every data type Reclaim extracts; one module per id under src/artifacts/. */
export type ArtifactId = (typeof DECLARATIONS)[number]['id'];
export const ARTIFACT_IDS: readonly ArtifactId[] = DECLARATIONS.map((d) => d.id);

/** The reader of each data type (one module per artifact, like iLEAPP): a type without one does not compile. */
export const ARTIFACTS = {
  photos: photosArtifact,
  'voice-memos': voiceMemosArtifact,
  voicemail: voicemailArtifact,
  messages: messagesArtifact,
  whatsapp: whatsAppArtifact,
  contacts: contactsArtifact,
  calls: callsArtifact,
  notes: notesArtifact,
  calendar: calendarArtifact,
  reminders: remindersArtifact,
  safari: safariArtifact,
  keyboard: keyboardArtifact,
  drive: driveArtifact,
} as const satisfies { readonly [K in ArtifactId]: Artifact<unknown, K> };

/** The records a data type's reader gives. */
export type ArtifactItem<K extends ArtifactId> =
  (typeof ARTIFACTS)[K] extends Artifact<infer T> ? T : never;

export function artifactById(id: ArtifactId): Artifact<unknown> {
  const found: Artifact<unknown> | undefined = ARTIFACTS[id];
  if (!found) throw new Error(`unknown artifact ${id}`);
  return found;
}

export function declarationOf(id: ArtifactId): (typeof DECLARATIONS)[number] {
  return artifactById(id).declaration as (typeof DECLARATIONS)[number];
}

/** Whether a device backup can hold this data type at all (iCloud Drive, say, never is in one). */
export function inBackups(id: ArtifactId): boolean {
  return Object.keys(declarationOf(id).locations).length > 0;
}

export function isArtifactId(name: string): name is ArtifactId {
  return (ARTIFACT_IDS as readonly string[]).includes(name);
}

/** The data type a name given on the command line means: its id or one of its aliases (any case). */
export function artifactIdFor(name: string): ArtifactId | undefined {
  const wanted = name.trim().toLowerCase();
  return DECLARATIONS.find((d) => d.id === wanted || d.aliases.includes(wanted))?.id;
}

/** Data types whose records name people by phone number or address, and so want the contacts. */
export const NEEDS_NAMES: ReadonlySet<ArtifactId> = new Set(
  DECLARATIONS.filter((d) => d.needsNames).map((d) => d.id),
);

/** Every declaration as plain JSON, in registry order (the web's list of categories). */
export function artifactDescriptors(): ArtifactDescriptor[] {
  return DECLARATIONS.map(describeArtifact);
}
