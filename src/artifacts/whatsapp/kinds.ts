import type { SharedContact } from '../conversation.js';

/**
 * ZWAMESSAGE.ZMESSAGETYPE values and the words for system lines, as IPED decodes them (sepinf-inc/IPED
 * iped-parsers whatsapp/ExtractorIOS.java decodeMessageType; WhatsApp-Chat-Exporter #122 for calls).
 */
export const WA_TYPE = {
  text: 0,
  image: 1,
  video: 2,
  audio: 3,
  contact: 4,
  location: 5,
  groupEvent: 6,
  link: 7,
  document: 8,
  system: 10,
  gif: 11,
  waiting: 12,
  deleted: 14,
  sticker: 15,
  product: 26,
  groupInvite: 27,
  ephemeral: 28,
  viewOnceImage: 38,
  viewOnceVideo: 39,
  poll: 46,
  viewOnceAudio: 53,
  videoNote: 54,
  channelEvent: 55,
  call: 59,
  association: 66,
} as const;

/** Types that carry a media file, and the word for each. */
export const MEDIA_TYPES: Readonly<Record<number, string>> = {
  [WA_TYPE.image]: 'image',
  [WA_TYPE.video]: 'video',
  [WA_TYPE.audio]: 'audio',
  [WA_TYPE.document]: 'document',
  [WA_TYPE.gif]: 'GIF',
  [WA_TYPE.sticker]: 'sticker',
  [WA_TYPE.viewOnceImage]: 'view-once photo',
  [WA_TYPE.viewOnceVideo]: 'view-once video',
  [WA_TYPE.viewOnceAudio]: 'view-once voice message',
  [WA_TYPE.videoNote]: 'video note',
};

export const VIEW_ONCE = new Set<number>([
  WA_TYPE.viewOnceImage,
  WA_TYPE.viewOnceVideo,
  WA_TYPE.viewOnceAudio,
]);

/** Business template messages and quotes of them (IPED: shown as text). */
export const TEXT_LIKE = new Set<number>([19, 20, 23, 24, 25, 30, 31, 32, 34, 41, 42]);

/** ZGROUPEVENTTYPE of a group event (type 6). */
const GROUP_EVENTS: Record<number, string> = {
  1: 'changed the group name',
  2: 'joined the group',
  3: 'left the group',
  4: 'changed the group icon',
  5: 'deleted the group icon',
  7: 'was removed from the group',
  9: 'changed their phone number',
  10: 'made you an admin',
  11: 'removed you as an admin',
  12: 'created the group',
  15: 'joined via an invitation link',
  17: 'changed the group description',
  22: 'deleted the group description',
  23: 'joined via an invitation',
  26: 'changed the disappearing messages setting',
  39: 'was made an admin',
  50: 'was added to the group',
  56: 'changed the group name',
};

/** ZGROUPEVENTTYPE of a system notice (type 10). */
const SYSTEM_EVENTS: Record<number, string> = {
  1: 'missed voice call',
  2: 'messages and calls are end-to-end encrypted',
  3: 'security code changed',
  4: 'missed video call',
  5: 'changed their phone number',
  6: 'changed their phone number',
  21: 'missed voice call',
  22: 'missed video call',
  34: 'blocked this contact',
  35: 'unblocked this contact',
  36: 'security code changed',
  40: 'video call',
  41: 'video call',
  45: 'missed voice call',
  46: 'missed video call',
  56: 'was added to your contacts',
};

export function groupEvent(event: number | null): string {
  return (event !== null && GROUP_EVENTS[event]) || `changed the group (event ${event ?? '?'})`;
}

export function systemNotice(event: number | null, text: string | null): string {
  return text ?? ((event !== null && SYSTEM_EVENTS[event]) || 'system notice');
}

/**
 * ZMESSAGESTATUS of a sent message (IPED ExtractorIOS.java createMessageFromDB): 1 sent, 6 delivered,
 * 8 read (IPED "viewed"), 9 not sent.
 */
export function sentState(status: number | null): string | null {
  return (
    ({ 1: 'sent', 6: 'delivered', 8: 'read', 9: 'not sent' } as Record<number, string>)[
      status ?? -1
    ] ?? null
  );
}

/**
 * Contact cards of one message: ZVCARDNAME split on "_$!<Name-Separator>!$_", ZVCARDSTRING on
 * "_$!<VCard-Separator>!$_"; with more names than cards, the first name labels the list
 * (WhatsApp-Chat-Exporter ios_handler.py process_vcard_item; PR #99).
 */
export function vcards(
  names: string | null,
  strings: string | null,
): { label: string | null; contacts: SharedContact[] } {
  const nameList = (names ?? '').split('_$!<Name-Separator>!$_').slice(0, 500);
  const cards = (strings ?? '').split('_$!<VCard-Separator>!$_').slice(0, 500);
  let label: string | null = null;
  if (nameList.length > cards.length) label = nameList.shift()?.trim() || null;
  const contacts = cards
    .map((card, i) => ({
      name:
        nameList[i]?.trim() || /^FN[^:\r\n]*:(.+)$/im.exec(card)?.[1]?.trim() || `contact ${i + 1}`,
      phones: [...card.matchAll(/^(?:[\w-]+\.)?TEL[^:\r\n]*:(.+)$/gim)].map((m) => m[1]!.trim()),
    }))
    .filter((c, i) => c.phones.length > 0 || nameList[i] || cards[i]!.trim());
  return { label, contacts };
}
