import type { RecoveredMark } from './artifact.js';

/** The shared model of a chat, produced by Messages and WhatsApp and written by the conversation exporters. */
export interface Conversation {
  /** Stable id within its source (chat ROWID, WhatsApp session id). */
  id: string;
  /**
   * What names the chat in every backup: a group's chat guid or a one-to-one chat's other handle (Messages, where
   * iMessage and SMS with one person are one conversation), the chat's JID (WhatsApp). Absent when not stored.
   */
  guid?: string;
  /** Group name or display name when the chat has one. */
  title: string | null;
  isGroup: boolean;
  /** Everyone in the chat except the owner of the phone. */
  participants: Participant[];
  /** iMessage, SMS, RCS, WhatsApp... */
  service: string | null;
  /** Oldest first. */
  messages: ConversationMessage[];
  recovered?: RecoveredMark;
}

export interface Participant {
  /** Phone number, e-mail address or WhatsApp JID, as stored. */
  handle: string;
  /** A name the source itself gives (WhatsApp push name); names from Contacts are looked up at export. */
  name?: string;
}

export interface ConversationMessage {
  id: string;
  /** The id that names this message in every backup (iMessage guid, WhatsApp stanza id), when stored. */
  guid?: string;
  date: Date | null;
  fromMe: boolean;
  /** The sender's handle for incoming messages. */
  sender: string | null;
  text: string | null;
  service: string | null;
  attachments: MessageAttachment[];
  /**
   * Text and attachments in the order the message shows them, when that is not simply "text, then
   * attachments" (an image between two paragraphs). Attachment entries index into `attachments`.
   */
  parts?: Array<{ text: string } | { attachment: number }>;
  /** Tapbacks / reactions made to this message (not shown as messages of their own). */
  reactions: Reaction[];
  /** Earlier texts of an edited message, oldest first. */
  edits?: Array<{ text: string; date: Date | null }>;
  unsent?: boolean;
  /** When the message was last edited (iMessage edits), when the source says. */
  editedAt?: Date | null;
  /** Send effect (iMessage "Sent with Slam", "Sent with Confetti"), as words. */
  effect?: string;
  /** Subject line (MMS, iMessage with subject field). */
  subject?: string;
  /** Id of the message this one replies to. */
  replyTo?: string;
  /** A system line (member added, group renamed, call...) rather than a message someone typed. */
  event?: string;
  /** The handle an event names besides its sender (the member added or removed), so exports can show a name. */
  eventTarget?: string;
  dateRead?: Date | null;
  dateDelivered?: Date | null;
  recovered?: RecoveredMark;
}

export interface MessageAttachment {
  /** Where its bytes are in the backup, when known. */
  domain: string | null;
  relativePath: string | null;
  fileName: string;
  mimeType: string | null;
  size: number | null;
  /** True when the backup actually holds the file. */
  present: boolean;
  caption?: string;
}

export interface Reaction {
  /** Handle of who reacted, or null for the phone's owner. */
  from: string | null;
  /** love, like, dislike, laugh, emphasize, question, or an emoji. */
  kind: string;
  date: Date | null;
  /** The reaction itself came back from deleted space. */
  recovered?: RecoveredMark;
}
