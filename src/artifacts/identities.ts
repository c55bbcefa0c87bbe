import type { FileRef } from '../sources/files.js';
import type { ArtifactId } from './artifact.js';
import { calendarIdentity } from './calendar/index.js';
import { callsIdentity } from './calls/index.js';
import { contactsIdentity } from './contacts/index.js';
import type { Conversation, ConversationMessage } from './conversation.js';
import { driveIdentity } from './drive/index.js';
import type { ConversationIdentity, ItemIdentity } from './identity.js';
import { keyboardIdentity } from './keyboard/index.js';
import { messagesIdentity } from './messages/index.js';
import { notesIdentity } from './notes/index.js';
import { photosIdentity } from './photos/index.js';
import type { ArtifactItem } from './registry.js';
import { remindersIdentity } from './reminders/index.js';
import { safariIdentity } from './safari/index.js';
import { voiceMemosIdentity } from './voice-memos/index.js';
import { voicemailIdentity } from './voicemail/index.js';
import { whatsAppIdentity } from './whatsapp/index.js';

export type { ConversationIdentity, ItemIdentity } from './identity.js';

/** What one identity names: an item, or for conversation types one message of it. */
export type IdentityUnit<K extends ArtifactId> =
  ArtifactItem<K> extends Conversation ? ConversationMessage : ArtifactItem<K>;

/** Each data type's identity function, declared next to its natural key in its module. */
export const IDENTITIES = {
  photos: photosIdentity,
  'voice-memos': voiceMemosIdentity,
  voicemail: voicemailIdentity,
  messages: messagesIdentity,
  whatsapp: whatsAppIdentity,
  contacts: contactsIdentity,
  calls: callsIdentity,
  notes: notesIdentity,
  calendar: calendarIdentity,
  reminders: remindersIdentity,
  safari: safariIdentity,
  keyboard: keyboardIdentity,
  drive: driveIdentity,
} as const satisfies { readonly [K in ArtifactId]: ItemIdentity<IdentityUnit<K>> };

export function identityFunction<K extends ArtifactId>(id: K): ItemIdentity<IdentityUnit<K>> {
  return IDENTITIES[id] as ItemIdentity<IdentityUnit<K>>;
}

/**
 * The identity of a record (for conversation types: of one message) across backups; null when only its content
 * can tell (see `contentFileOf`) or it has nothing that names it (a recovered row whose id was overwritten).
 */
export function identityOf<K extends ArtifactId>(id: K, item: IdentityUnit<K>): string | null {
  return identityFunction(id).of(item);
}

/** The file whose SHA-256 names a record when `identityOf` gives null (photos, recordings). */
export function contentFileOf<K extends ArtifactId>(id: K, item: IdentityUnit<K>): FileRef | null {
  return identityFunction(id).contentFile?.(item) ?? null;
}

export function isConversationType(id: ArtifactId): id is 'messages' | 'whatsapp' {
  return 'conversation' in IDENTITIES[id];
}

/** The identity of a chat across backups (Messages, WhatsApp). */
export function conversationIdentityOf(id: 'messages' | 'whatsapp', c: Conversation): string {
  return (IDENTITIES[id] as ConversationIdentity).conversation(c);
}
