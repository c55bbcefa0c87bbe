import type { RecoveredMark } from '../../artifacts/artifact.js';
import type {
  Conversation,
  ConversationMessage,
  MessageAttachment,
} from '../../artifacts/conversation.js';
import type { NameIndex } from '../../artifacts/names.js';
import { UTC_CLOCK, type Clock } from '../../time.js';

/** A conversation ready to write: names resolved, attachments copied (or known missing). */
export interface PreparedConversation {
  conversation: Conversation;
  /** Shown as the conversation's name. */
  title: string;
  /** Folder (under the artifact folder) and base file name of this conversation's files. */
  folder: string;
  participants: Array<{ handle: string; name: string | null }>;
  messages: PreparedMessage[];
  /** The zone its times are shown in. */
  clock: Clock;
  /** A handle as this export names the person ("Me" for null, the owner). */
  nameOf?: (handle: string | null) => string;
}

export interface PreparedMessage {
  message: ConversationMessage;
  /** "Me", a contact name, or the handle. */
  senderName: string;
  /** The system line with names for handles ("added Jamie Chen to the conversation"); null for ordinary messages. */
  eventText: string | null;
  attachments: PreparedAttachment[];
  reactions: PreparedReaction[];
}

export interface PreparedAttachment {
  attachment: MessageAttachment;
  /** Path of the copied file relative to the conversation folder ("attachments/IMG_0001.jpeg"); null when missing. */
  exportedPath: string | null;
  /** A JPEG made from a HEIC image (--heic-to-jpeg), for browsers that cannot show HEIC. */
  previewPath?: string;
}

export interface PreparedReaction {
  by: string;
  from: string | null;
  kind: string;
  date: Date | null;
  recovered?: RecoveredMark;
  /** A sticker or Genmoji placed on the message, copied like an attachment. */
  attachment?: PreparedAttachment;
}

export const ME = 'Me';

const TAPBACK_EMOJI: Record<string, string> = {
  love: '\u2764\ufe0f',
  like: '\ud83d\udc4d',
  dislike: '\ud83d\udc4e',
  laugh: '\ud83d\ude02',
  emphasize: '\u203c\ufe0f',
  question: '\u2753',
  sticker: '\ud83c\udff7\ufe0f',
  genmoji: '\ud83c\udff7\ufe0f',
};

/** The emoji a tapback shows as (custom emoji reactions are their own emoji). */
export function reactionEmoji(kind: string): string {
  return TAPBACK_EMOJI[kind] ?? kind;
}

export function personName(
  handle: string | null | undefined,
  names: NameIndex,
  conversation: Conversation,
): string {
  if (!handle) return 'Unknown';
  return (
    names.nameFor(handle) ??
    conversation.participants.find((p) => p.handle === handle)?.name ??
    handle
  );
}

/** A message with its names resolved (sender, reactions, the people a system line names). */
export function prepareMessage(
  message: ConversationMessage,
  conversation: Conversation,
  names: NameIndex,
  attachments: PreparedAttachment[] = message.attachments.map((attachment) => ({
    attachment,
    exportedPath: null,
  })),
): PreparedMessage {
  const reactions = message.reactions.map((r) => ({
    by: r.from === null ? ME : personName(r.from, names, conversation),
    from: r.from,
    kind: r.kind,
    date: r.date,
    ...(r.recovered ? { recovered: r.recovered } : {}),
  }));
  let eventText = message.event ?? null;
  if (eventText && message.eventTarget) {
    const name = personName(message.eventTarget, names, conversation);
    if (name !== message.eventTarget) eventText = eventText.split(message.eventTarget).join(name);
  }
  return {
    message,
    senderName: message.fromMe ? ME : personName(message.sender, names, conversation),
    eventText,
    attachments,
    reactions,
  };
}

export function conversationTitle(conversation: Conversation, names: NameIndex): string {
  if (conversation.title) return conversation.title;
  const people = conversation.participants.map((p) => personName(p.handle, names, conversation));
  if (people.length === 0) return `Conversation ${conversation.id}`;
  if (people.length <= 4) return people.join(', ');
  return `${people.slice(0, 3).join(', ')} and ${people.length - 3} others`;
}

/**
 * "2024-03-08 12:02:00" in the clock's zone (named once per page), or "2024-03-08 17:02:00 UTC" with
 * --utc (the phone's own zone is not in the database: the computer's stands in for it).
 */
export function humanDate(date: Date | null | undefined, clock: Clock = UTC_CLOCK): string {
  return clock.text(date);
}

export function isoDate(date: Date | null | undefined, clock: Clock = UTC_CLOCK): string | null {
  return clock.iso(date);
}

export function recoveredText(mark: RecoveredMark): string {
  return `recovered from ${mark.source} (confidence ${Math.round(mark.confidence * 100)}%${mark.partial ? ', partly overwritten' : ''}${mark.earlierVersion ? ', an earlier version' : ''})`;
}
