import type { RecoveredMark } from '../artifact.js';
import { fromAppleTime, fromUnixTime } from '../apple-time.js';
import type { ConversationMessage, MessageAttachment } from '../conversation.js';
import type { Row } from '../database.js';
import { num, str } from '../sql-values.js';
import { appBundleId, appContent, pollFrom, pollVotes, type PollDraft } from './app-messages.js';
import { mayBeRich, richBody, stylesWithin, type RichBody } from './body.js';
import { serviceOf, systemEvent } from './events.js';
import { cleanText, messageParts, tapbackTarget } from './parts.js';
import { parseSummaryInfo } from './summary-info.js';
import { attributedBodyText } from './typedstream.js';
import { decodeKeyedArchive } from '../../backup/nskeyedarchiver.js';

/** associated_message_type 2000–2007 add a tapback, 3000–3007 take it back (imessage-exporter message.rs variant()). */
const TAPBACK_KINDS: Record<number, string> = {
  0: 'love',
  1: 'like',
  2: 'dislike',
  3: 'laugh',
  4: 'emphasize',
  5: 'question',
  6: 'emoji',
  7: 'sticker',
};
/** A sticker placed on a bubble (imessage-exporter: Tapback::Sticker added). */
const STICKER_PLACED = 1000;
/** A vote on a poll (iOS 26; imessage-exporter get_votes()). */
const POLL_VOTE = 4000;

/** expressive_send_style_id → the effect's name as Messages shows it (imessage-exporter expressives.rs). */
const EFFECTS: Record<string, string> = {
  'com.apple.MobileSMS.expressivesend.impact': 'Slam',
  'com.apple.MobileSMS.expressivesend.loud': 'Loud',
  'com.apple.MobileSMS.expressivesend.gentle': 'Gentle',
  'com.apple.MobileSMS.expressivesend.invisibleink': 'Invisible Ink',
  'com.apple.messages.effect.CKConfettiEffect': 'Confetti',
  'com.apple.messages.effect.CKEchoEffect': 'Echo',
  'com.apple.messages.effect.CKFireworksEffect': 'Fireworks',
  'com.apple.messages.effect.CKHappyBirthdayEffect': 'Balloons',
  'com.apple.messages.effect.CKHeartEffect': 'Love',
  'com.apple.messages.effect.CKLasersEffect': 'Lasers',
  'com.apple.messages.effect.CKShootingStarEffect': 'Shooting Star',
  'com.apple.messages.effect.CKSparklesEffect': 'Celebration',
  'com.apple.messages.effect.CKSpotlightEffect': 'Spotlight',
};

const POLLS = 'com.apple.messages.Polls';
const URL_PROVIDER = 'com.apple.messages.URLBalloonProvider';

/** sms.db's ids and flags: 0 stands for "none" (handle_id 0 is the owner), so a missing one reads as 0. */
export const int = (v: unknown): number => num(v) ?? 0;

export interface Tapback {
  targetGuid: string;
  add: boolean;
  kind: string;
  from: string | null;
  date: Date | null;
  recovered?: RecoveredMark;
  /** A sticker or Genmoji (the row's attachment). */
  attachment?: MessageAttachment;
  /** Placed on the bubble (1000): one of several, never replacing a tapback. */
  placed?: boolean;
}

export interface Vote {
  pollGuid: string;
  /** The voter's handle, null for the owner. */
  voter: string | null;
  /** Option ids chosen; null when the vote's payload does not decode. */
  choices: Array<{ voter: string; option: string }> | null;
  date: Date | null;
}

export interface Parsed {
  rowid: number;
  /** The other person of a one-to-one exchange (handle_id is set on sent messages too). */
  peer: string | null;
  guid: string | null;
  message: ConversationMessage | null;
  tapback: Tapback | null;
  vote?: Vote;
  poll?: PollDraft;
  /** A poll update: the guid of the poll whose options it brings. */
  pollUpdateOf?: string;
}

/** What parsing a row needs from the rest of the database. */
export interface RowContext {
  legacy: boolean;
  /** iOS 5 and earlier: an MMS's text parts (msg_pieces). */
  legacyText?(rowid: number): string | undefined;
  hasSummary: boolean;
  handleId(rowid: number): string | null;
  /** The attachment rows joined to a message, in join order. */
  attachmentRows(rowid: number, extra: Row[]): Row[];
  attachmentFrom(row: Row, use: AttachmentUse): MessageAttachment;
  recoverablePart(rowid: number): string | undefined;
  recentlyDeleted(rowid: number): { deleted: Date | null } | undefined;
  damagedText(recovered: RecoveredMark | undefined): () => void;
  /** An app message's content that is there but does not decode. */
  unreadablePayload(): void;
}

/** How a message uses its attachment (for marks the attachment row alone does not carry). */
export interface AttachmentUse {
  audioMessage: boolean;
  expirable: boolean;
  body: RichBody | null;
}

export function parseRow(
  r: Row,
  rowid: number,
  ctx: RowContext,
  recovered?: RecoveredMark,
  extraAttachments: Row[] = [],
): Parsed {
  const guid = str(r.guid);
  if (ctx.legacy) return legacyRow(r, rowid, guid, ctx, recovered);
  const itemType = int(r.item_type);
  const otherHandle = int(r.other_handle);
  // Location sharing rows: the owner shared when other_handle is set and share_direction is 0 (imessage-exporter is_from_me()).
  const fromMe =
    num(r.is_from_me) === 1 ||
    (itemType === 4 && otherHandle !== 0 && int(r.share_direction) === 0);
  const sender = fromMe ? null : ctx.handleId(int(r.handle_id));
  const date = fromAppleTime(r.date);
  const associatedType = int(r.associated_message_type);
  const associatedGuid = str(r.associated_message_guid);
  const balloon = str(r.balloon_bundle_id);
  const payload = Buffer.isBuffer(r.payload_data) ? r.payload_data : null;
  const use = (body: RichBody | null): AttachmentUse => ({
    audioMessage: num(r.is_audio_message) === 1,
    expirable: num(r.is_expirable) === 1,
    body,
  });
  const kind = TAPBACK_KINDS[associatedType % 1000];
  if (
    associatedGuid &&
    (associatedType === STICKER_PLACED ||
      (associatedType >= 2000 && associatedType <= 3007 && kind !== undefined))
  ) {
    const attachments = ctx.attachmentRows(rowid, extraAttachments);
    const attachment = attachments[0] ? ctx.attachmentFrom(attachments[0], use(null)) : undefined;
    let tapKind = associatedType === STICKER_PLACED ? 'sticker' : kind!;
    if (tapKind === 'emoji') tapKind = str(r.associated_message_emoji) ?? 'emoji';
    return {
      rowid,
      guid,
      peer: null,
      message: null,
      tapback: {
        targetGuid: tapbackTarget(associatedGuid),
        add: associatedType < 3000,
        kind: tapKind,
        from: sender,
        date,
        ...(recovered ? { recovered } : {}),
        ...(attachment ? { attachment } : {}),
        ...(associatedType === STICKER_PLACED ? { placed: true } : {}),
      },
    };
  }
  if (associatedGuid && associatedType === POLL_VOTE) {
    return {
      rowid,
      guid,
      peer: null,
      message: null,
      tapback: null,
      vote: {
        pollGuid: tapbackTarget(associatedGuid),
        voter: sender,
        choices: pollVotes(payload),
        date,
      },
    };
  }
  // A poll update (balloon Polls pointing at another poll) adds options to it; shown as the poll itself.
  let raw = str(r.text);
  let body: RichBody | null = null;
  if (Buffer.isBuffer(r.attributedBody)) {
    if (mayBeRich(r.attributedBody)) body = richBody(r.attributedBody);
    if (raw === null || cleanText(raw) === null) {
      const decoded = body?.raw ?? attributedBodyText(r.attributedBody, ctx.damagedText(recovered));
      if (decoded !== null) raw = decoded;
    }
  }
  if (balloon && raw) raw = raw.replace(/\ufffd/g, '');
  let text = cleanText(raw);
  if (text === null && ctx.recoverablePart(rowid) !== undefined)
    text = cleanText(ctx.recoverablePart(rowid)!);
  const attachmentRows = ctx.attachmentRows(rowid, extraAttachments);
  const { service, satellite } = serviceOf(str(r.service));
  const message: ConversationMessage = {
    id: guid ?? `rowid-${rowid}`,
    ...(guid ? { guid } : {}),
    date,
    fromMe,
    sender,
    text,
    service,
    attachments: attachmentRows.map((a) => ctx.attachmentFrom(a, use(body))),
    reactions: [],
  };
  const styles = body && raw && body.raw === raw ? body.styles : [];
  if (text !== null && styles.length) {
    const within = stylesWithin(styles, raw!);
    if (within.length) message.textStyles = within;
  }
  const parts =
    text !== null && raw ? messageParts(raw, attachmentRows, r.attributedBody, styles) : null;
  if (parts) message.parts = parts;
  const dateRead = fromAppleTime(r.date_read);
  const dateDelivered = fromAppleTime(r.date_delivered);
  if (dateRead) message.dateRead = dateRead;
  if (dateDelivered) message.dateDelivered = dateDelivered;
  const subject = str(r.subject);
  if (subject) message.subject = subject;
  const effect = str(r.expressive_send_style_id);
  if (effect) message.effect = EFFECTS[effect] ?? effect;
  const thread = str(r.thread_originator_guid);
  if (thread) message.replyTo = thread;
  if (
    satellite ||
    [r.is_stewie, r.sent_or_received_off_grid, r.is_pending_satellite_send].some(
      (v) => num(v) === 1,
    )
  )
    message.satellite = true;
  const syndication = r.syndication_ranges;
  if (
    (typeof syndication === 'string' && syndication.trim() !== '') ||
    (Buffer.isBuffer(syndication) && syndication.length > 0)
  )
    message.sharedWithYou = true;
  let poll: PollDraft | undefined;
  let pollUpdateOf: string | undefined;
  if (balloon) {
    const bundle = appBundleId(balloon);
    const single = text !== null && /^\s*https?:\/\/\S+\s*$/.test(text) ? text.trim() : null;
    const content = appContent(balloon, payload, single);
    if (content.unreadable) ctx.unreadablePayload();
    message.card = content.card;
    // A link preview shows its card, not the URL typed as text.
    if (bundle === URL_PROVIDER && single) {
      message.text = null;
      delete message.textStyles;
      if (!message.card.url) message.card.url = single;
    }
    if (bundle === POLLS && payload) {
      try {
        const root = decodeKeyedArchive(payload);
        const draft =
          root && typeof root === 'object' ? pollFrom(root as Record<string, unknown>) : null;
        if (draft) poll = draft;
      } catch {
        // counted above
      }
    }
    // A Polls row pointing at another poll updates it (imessage-exporter as_poll()).
    const target = associatedGuid ? tapbackTarget(associatedGuid) : null;
    if (bundle === POLLS && target && target !== guid) {
      delete message.card;
      message.event = 'updated the poll';
      pollUpdateOf = target;
    }
  }
  // Edits, unsends and translations (iOS 16+, translations iOS 26)
  const info = ctx.hasSummary ? parseSummaryInfo(r.message_summary_info) : null;
  const dateEdited = fromAppleTime(r.date_edited);
  const dateRetracted = fromAppleTime(r.date_retracted);
  const versions = info?.editedParts.get(0) ?? [...(info?.editedParts.values() ?? [])][0];
  if (versions && versions.length > 1) {
    message.edits = versions.slice(0, -1).map((v) => ({ text: v.text ?? '', date: v.date }));
    const latest = versions[versions.length - 1]!;
    if (message.text === null && latest.text) message.text = cleanText(latest.text);
    message.editedAt = dateEdited ?? latest.date;
  } else if (dateEdited && !info?.retractedParts.length) {
    message.editedAt = dateEdited;
    if (message.text === null && message.attachments.length === 0 && !message.card)
      message.unsent = true;
  }
  if (dateRetracted || (info?.retractedParts.length ?? 0) > 0) message.unsent = true;
  if (message.unsent && dateEdited) message.editedAt = dateEdited;
  if (info?.translation) message.translation = info.translation;
  if (itemType !== 0) {
    const other = ctx.handleId(otherHandle);
    message.event = systemEvent(
      itemType,
      int(r.group_action_type),
      other,
      str(r.group_title),
      int(r.share_status),
    );
    if (itemType === 1 && other) message.eventTarget = other;
  }
  if (recovered) message.recovered = recovered;
  const rd = ctx.recentlyDeleted(rowid);
  if (rd && !recovered) {
    message.recovered = {
      source: `Recently Deleted${rd.deleted ? ` (deleted ${rd.deleted.toISOString()})` : ''}`,
      confidence: 1,
    };
  }
  return {
    rowid,
    guid,
    peer: ctx.handleId(int(r.handle_id)),
    message,
    tapback: null,
    ...(poll ? { poll } : {}),
    ...(pollUpdateOf ? { pollUpdateOf } : {}),
  };
}

/** iOS 5 and earlier: one table, SMS dates in Unix seconds, iMessage ("madrid") columns beside. */
function legacyRow(
  r: Row,
  rowid: number,
  guid: string | null,
  ctx: RowContext,
  recovered: RecoveredMark | undefined,
): Parsed {
  const madrid = num(r.is_madrid) === 1;
  const text = cleanText(
    str(r.text) ??
      (Buffer.isBuffer(r.madrid_attributedBody)
        ? attributedBodyText(r.madrid_attributedBody, ctx.damagedText(recovered))
        : null) ??
      ctx.legacyText?.(rowid) ??
      null,
  );
  const flags = int(r.flags);
  const globalId = guid ?? str(r.madrid_guid);
  const message: ConversationMessage = {
    id: globalId ?? String(rowid),
    ...(globalId ? { guid: globalId } : {}),
    date: madrid ? fromAppleTime(r.date) : fromUnixTime(r.date),
    fromMe: !madrid && (flags & 1) === 1,
    sender: str(r.address) ?? str(r.madrid_handle),
    text,
    service: madrid ? 'iMessage' : 'SMS',
    attachments: ctx
      .attachmentRows(rowid, [])
      .map((a) => ctx.attachmentFrom(a, { audioMessage: false, expirable: false, body: null })),
    reactions: [],
    recovered,
  };
  return { rowid, guid, peer: message.sender, message, tapback: null };
}
