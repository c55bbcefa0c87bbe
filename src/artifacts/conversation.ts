import type { RecoveredMark } from './artifact.js';
import type { EarlierVersion } from './history.js';

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
  /** Not a chat: WhatsApp Status posts, kept apart; a WhatsApp channel. */
  kind?: 'status' | 'channel';
  /** The account it belongs to when a backup holds several (WhatsApp Business next to WhatsApp). */
  account?: string;
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
  parts?: Array<{ text: string; styles?: TextStyle[] } | { attachment: number }>;
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
  /**
   * Earlier versions of this message: old copies of its row the database left behind, whose content
   * differs (never counted as recovered, never a message of their own).
   */
  earlierVersions?: EarlierVersion[];
  /** What the bubble showed when it is not plain text: a link preview, an app message, a poll, a call... */
  card?: MessageCard;
  /** Bold, italic, underline, strikethrough and animated text effects (iOS 18), as ranges of `text`. */
  textStyles?: TextStyle[];
  /** The message a reply quotes, as the reply itself keeps it (its original may be gone). */
  quote?: { text: string | null; sender: string | null; fromMe: boolean };
  /** Sent-message state where the source keeps one (WhatsApp): sent, delivered, read, ... */
  status?: string;
  /** Sent or received over satellite (Messages via satellite, iOS 18). */
  satellite?: boolean;
  /** Listed in Shared with You (the message has syndication ranges). */
  sharedWithYou?: boolean;
  /** View once: the media was meant to be seen once (WhatsApp). */
  viewOnce?: boolean;
  /** A translation the phone made (iOS 26 Live Translation). */
  translation?: { language: string | null; text: string };
}

/** A stretch of a message's text with its formatting, offsets in UTF-16 code units of `text`. */
export interface TextStyle {
  start: number;
  length: number;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  /** Animated text effect: big, small, shake, nod, explode, ripple, bloom, jitter. */
  effect?: string;
}

/** One option of a poll, with who chose it (null: the phone's owner). */
export interface PollOption {
  text: string;
  voters: Array<string | null>;
}

/** A contact card shared in a message. */
export interface SharedContact {
  name: string;
  phones: string[];
}

/** The content of a bubble that is not plain text, as the phone showed it. */
export interface MessageCard {
  /** link, collaboration, check-in, apple-pay, business, poll, handwriting, digital-touch, app, call, contacts, location... */
  kind: string;
  /** What the bubble is, as words ("Link", "Check In", "Apple Pay", the app's name). */
  label: string;
  title?: string;
  /** Further lines the bubble showed (summary, caption, site). */
  lines?: string[];
  url?: string;
  /** Times the bubble named ("Expected at"), shown in the export's zone. */
  times?: Array<{ label: string; date: Date }>;
  options?: PollOption[];
  contacts?: SharedContact[];
  /** A handwritten message drawn as SVG (strokes from the database). */
  svg?: string;
  /** What the backup holds but this export does not show, and why. */
  note?: string;
  /** Call length in seconds. */
  duration?: number;
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
  /** A sticker, a Genmoji, an audio message (voice note). */
  kind?: 'sticker' | 'genmoji' | 'audio-message';
  /** A Genmoji's description, a sticker's name. */
  description?: string;
  /** An audio message that expired (not kept): its file is gone by design, not lost. */
  expired?: boolean;
  /** What an audio message says, as the phone transcribed it. */
  transcript?: string;
  /** What the file's first bytes show it is, when its name has no extension. */
  detectedType?: { extension: string; mimeType: string };
}

export interface Reaction {
  /** Handle of who reacted, or null for the phone's owner. */
  from: string | null;
  /** love, like, dislike, laugh, emphasize, question, or an emoji. */
  kind: string;
  date: Date | null;
  /** The reaction itself came back from deleted space. */
  recovered?: RecoveredMark;
  /** A sticker or Genmoji placed on the message (its image). */
  attachment?: MessageAttachment;
}
