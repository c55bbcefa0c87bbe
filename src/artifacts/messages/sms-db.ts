import { pushTo } from '../../collections.js';
import { basename } from 'node:path';
import type { Problem, ReadOptions, RecoveredMark } from '../artifact.js';
import { fromAppleTime, fromUnixTime } from '../apple-time.js';
import type {
  Conversation,
  ConversationMessage,
  MessageAttachment,
  Participant,
  Reaction,
} from '../conversation.js';
import { quoteIdentifier, type ArtifactDatabase, type Row } from '../database.js';
import type { ArtifactSource } from '../source.js';
import { parseSummaryInfo } from './summary-info.js';
import { attributedBodyText, decodeAttributedString } from './typedstream.js';

export const SMS_DOMAIN = 'HomeDomain';
export const SMS_PATH = 'Library/SMS/sms.db';
export const ATTACHMENT_DOMAIN = 'MediaDomain';
export const RECOVERED_UNKNOWN_TITLE = 'Recovered messages (chat unknown)';
export const UNKNOWN_CHAT_TITLE = 'Messages (chat unknown)';

/** associated_message_type 2000–2007 add a tapback, 3000–3007 take it back. */
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

/** expressive_send_style_id → the effect's name as Messages shows it. */
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

interface Handle {
  id: string;
  service: string | null;
}
interface Chat {
  rowid: number;
  guid: string | null;
  identifier: string | null;
  displayName: string | null;
  isGroup: boolean;
  service: string | null;
  handles: number[];
  recovered?: RecoveredMark;
}

interface Tapback {
  targetGuid: string;
  add: boolean;
  kind: string;
  from: string | null;
  date: Date | null;
  recovered?: RecoveredMark;
}

interface Parsed {
  rowid: number;
  /** The other person of a one-to-one exchange (handle_id is set on sent messages too). */
  peer: string | null;
  guid: string | null;
  message: ConversationMessage | null;
  tapback: Tapback | null;
}

/** The message columns this reader uses (those a schema has are selected). */
const MESSAGE_COLUMNS = [
  'guid',
  'text',
  'attributedBody',
  'handle_id',
  'is_from_me',
  'date',
  'date_read',
  'date_delivered',
  'service',
  'subject',
  'associated_message_guid',
  'associated_message_type',
  'associated_message_emoji',
  'thread_originator_guid',
  'message_summary_info',
  'date_edited',
  'date_retracted',
  'expressive_send_style_id',
  'item_type',
  'other_handle',
  'group_action_type',
  'group_title',
  // iOS 5 and earlier
  'address',
  'flags',
  'group_id',
  'is_madrid',
  'madrid_attributedBody',
  'madrid_handle',
  'madrid_guid',
];

const num = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(v ?? 0) || 0;
const str = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : Buffer.isBuffer(v) ? v.toString('utf8') || null : null;

/** Where an attachment's filename ("~/Library/SMS/Attachments/..", "/var/mobile/Library/SMS/...") is in a backup. */
export function attachmentLocation(
  filename: string | null,
): { domain: string; relativePath: string } | null {
  if (!filename) return null;
  const m = /(?:^|\/)(Library\/SMS\/.+)$/.exec(filename.replace(/^~\//, ''));
  return m ? { domain: ATTACHMENT_DOMAIN, relativePath: m[1]! } : null;
}

/** The guid a tapback points at: "p:0/GUID", "bp:GUID" or a bare GUID. */
export function tapbackTarget(associated: string): string {
  const m = /^(?:p:\d+\/|bp:)(.+)$/.exec(associated);
  return m ? m[1]! : associated;
}

/** Message text without the U+FFFC placeholders that stand for attachments; null when nothing is left. */
function cleanText(text: string | null): string | null {
  if (text === null) return null;
  const cleaned = text.replace(/\ufffc/g, '');
  return cleaned.trim() === '' ? null : cleaned;
}

/**
 * Text and attachments in their order in the message, from the U+FFFC placeholders of the text (the
 * attachment GUIDs of the attributedBody runs say which is which; else the join order). Null when the
 * order is simply text first, then attachments.
 */
export function messageParts(
  raw: string,
  attachments: Row[],
  attributedBody: unknown,
): Array<{ text: string } | { attachment: number }> | null {
  if (attachments.length === 0 || !raw.includes('\ufffc')) return null;
  const segments = raw.split('\ufffc');
  if (!segments.slice(1).some((seg) => seg.trim() !== '')) return null;
  let order = attachments.map((_, i) => i);
  if (Buffer.isBuffer(attributedBody)) {
    try {
      const runs = decodeAttributedString(attributedBody)?.runs ?? [];
      const guids = runs
        .map((run) => run.attributes.__kIMFileTransferGUIDAttributeName)
        .filter((g): g is string => typeof g === 'string');
      const byGuid = guids.map((g) => attachments.findIndex((a) => a.guid === g));
      if (byGuid.length === segments.length - 1 && byGuid.every((i) => i >= 0)) order = byGuid;
    } catch {
      // keep the join order
    }
  }
  const parts: Array<{ text: string } | { attachment: number }> = [];
  const used = new Set<number>();
  segments.forEach((seg, i) => {
    if (seg.trim() !== '') parts.push({ text: seg });
    const index = order[i];
    if (
      i < segments.length - 1 &&
      index !== undefined &&
      index < attachments.length &&
      !used.has(index)
    ) {
      parts.push({ attachment: index });
      used.add(index);
    }
  });
  for (let i = 0; i < attachments.length; i++) if (!used.has(i)) parts.push({ attachment: i });
  return parts;
}

/**
 * Reads sms.db into conversations. Columns and tables are detected, never assumed: what a schema lacks
 * is reported in `problems` and the rest is still read.
 */
export interface SmsReadResult {
  conversations: Conversation[];
  problems: Problem[];
  missingAttachments: number;
  /** Deleted messages sms.db still lists by guid (deleted_messages, sync_deleted_messages), text gone. */
  deletedListed: number;
  /** Messages carved back from deleted space. */
  carved: number;
}

export function readSmsDatabase(
  db: ArtifactDatabase,
  source: ArtifactSource,
  options: ReadOptions,
): SmsReadResult {
  const problems: Problem[] = [];
  const warn = (message: string) =>
    problems.push({ severity: 'warning', message: `Messages: ${message}` });
  const error = (message: string) =>
    problems.push({ severity: 'error', message: `Messages: ${message}` });
  const recover = options.recoverDeleted !== false;

  if (!db.hasTable('message')) {
    error(`${db.label} has no message table (unknown schema): no messages could be read`);
    return { conversations: [], problems, missingAttachments: 0, deletedListed: 0, carved: 0 };
  }
  const col = (table: string, column: string) => db.hasTable(table) && db.hasColumn(table, column);
  /** A query on a side table: when that table is damaged, say so and go on with the rest. */
  const rowsOf = (sql: string, table: string): Row[] => {
    try {
      return db.all(sql);
    } catch (e) {
      error(
        `the ${table} table of ${db.label} could not be read (${(e as Error).message}); the rest was read without it`,
      );
      return [];
    }
  };
  const legacy = !col('message', 'handle_id');
  if (legacy) {
    error(
      `${db.label} has an older layout (message table without handle_id, iOS 5 or earlier): only texts, dates and addresses were read`,
    );
  }

  if (!legacy) {
    const missing = [
      'handle',
      'chat',
      'chat_handle_join',
      'chat_message_join',
      'attachment',
      'message_attachment_join',
    ].filter((t) => !db.hasTable(t));
    if (missing.length > 0) {
      const effects = [
        missing.includes('chat') || missing.includes('chat_message_join')
          ? 'messages are grouped by the other person instead of by chat'
          : null,
        missing.includes('chat_handle_join') && !missing.includes('chat')
          ? 'group members are taken from who wrote'
          : null,
        missing.includes('handle') ? 'senders are shown by handle number' : null,
        missing.includes('attachment') || missing.includes('message_attachment_join')
          ? 'attachments could not be matched to messages'
          : null,
      ].filter(Boolean);
      warn(
        `${db.label} lacks the table${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (a partial or unfamiliar schema): ${effects.join('; ')}`,
      );
    }
  }

  // Handles
  const handles = new Map<number, Handle>();
  if (db.hasTable('handle')) {
    for (const r of rowsOf('SELECT * FROM handle', 'handle'))
      handles.set(num(r.ROWID), {
        id: str(r.id) ?? `handle ${num(r.ROWID)}`,
        service: str(r.service),
      });
  }
  const handleId = (rowid: number): string | null =>
    rowid ? (handles.get(rowid)?.id ?? `handle ${rowid}`) : null;

  // Chats
  const chats = new Map<number, Chat>();
  const chatFromRow = (r: Row, recovered?: RecoveredMark): Chat => {
    const guid = str(r.guid);
    return {
      rowid: num(r.ROWID),
      guid,
      identifier: str(r.chat_identifier),
      displayName: str(r.display_name),
      isGroup: num(r.style) === 43 || (guid?.includes(';+;') ?? false),
      service: str(r.service_name),
      handles: [],
      recovered,
    };
  };
  if (db.hasTable('chat')) {
    for (const r of rowsOf('SELECT * FROM chat', 'chat')) chats.set(num(r.ROWID), chatFromRow(r));
    if (db.hasTable('chat_handle_join')) {
      for (const r of rowsOf(
        'SELECT chat_id, handle_id FROM chat_handle_join ORDER BY rowid',
        'chat_handle_join',
      ))
        chats.get(num(r.chat_id))?.handles.push(num(r.handle_id));
    }
  }
  const chatOf = new Map<number, number>();
  if (db.hasTable('chat_message_join')) {
    for (const r of rowsOf(
      'SELECT chat_id, message_id FROM chat_message_join ORDER BY rowid',
      'chat_message_join',
    )) {
      const m = num(r.message_id);
      if (!chatOf.has(m)) chatOf.set(m, num(r.chat_id));
    }
  }
  // iOS 16+: "Recently Deleted" messages are joined to their chat here instead.
  const recentlyDeleted = new Map<number, { chat: number; deleted: Date | null }>();
  if (db.hasTable('chat_recoverable_message_join')) {
    for (const r of rowsOf(
      'SELECT * FROM chat_recoverable_message_join',
      'chat_recoverable_message_join',
    )) {
      recentlyDeleted.set(num(r.message_id), {
        chat: num(r.chat_id),
        deleted: fromAppleTime(r.delete_date),
      });
    }
  }
  const recoverableParts = new Map<number, string>();
  if (db.hasTable('recoverable_message_part') && col('recoverable_message_part', 'part_text')) {
    for (const r of rowsOf(
      'SELECT * FROM recoverable_message_part ORDER BY message_id, part_index',
      'recoverable_message_part',
    )) {
      const raw = r.part_text;
      const text = Buffer.isBuffer(raw)
        ? (attributedBodyText(raw) ?? raw.toString('utf8'))
        : str(raw);
      if (text)
        recoverableParts.set(
          num(r.message_id),
          (recoverableParts.get(num(r.message_id)) ?? '') + text,
        );
    }
  }

  // Attachments
  let missingAttachments = 0;
  const attachmentRows = new Map<number, Row>();
  const attachmentsOf = new Map<number, number[]>();
  const haveAttachments = db.hasTable('attachment') && db.hasTable('message_attachment_join');
  if (haveAttachments) {
    for (const r of rowsOf('SELECT * FROM attachment', 'attachment'))
      attachmentRows.set(num(r.ROWID), r);
    for (const r of rowsOf(
      'SELECT message_id, attachment_id FROM message_attachment_join ORDER BY rowid',
      'message_attachment_join',
    )) {
      pushTo(attachmentsOf, num(r.message_id), num(r.attachment_id));
    }
  }
  const attachmentFrom = (r: Row): MessageAttachment => {
    const filename = str(r.filename);
    const where = attachmentLocation(filename);
    const entry = where ? source.find(where.domain, where.relativePath) : undefined;
    const present = entry !== undefined && source.has(entry);
    if (!present) missingAttachments++;
    return {
      domain: where?.domain ?? null,
      relativePath: where?.relativePath ?? null,
      fileName:
        str(r.transfer_name) ?? (filename ? basename(filename) : `attachment-${num(r.ROWID)}`),
      mimeType: str(r.mime_type),
      size: r.total_bytes === null || r.total_bytes === undefined ? null : num(r.total_bytes),
      present,
    };
  };

  const hasSummary = col('message', 'message_summary_info');
  const parse = (
    r: Row,
    rowid: number,
    recovered?: RecoveredMark,
    extraAttachments: Row[] = [],
  ): Parsed => {
    const guid = str(r.guid);
    if (legacy) {
      const madrid = num(r.is_madrid) === 1;
      const text = cleanText(
        str(r.text) ??
          (Buffer.isBuffer(r.madrid_attributedBody)
            ? attributedBodyText(r.madrid_attributedBody)
            : null),
      );
      const flags = num(r.flags);
      const message: ConversationMessage = {
        id: guid ?? str(r.madrid_guid) ?? String(rowid),
        date: madrid ? fromAppleTime(r.date) : fromUnixTime(r.date),
        fromMe: !madrid && (flags & 1) === 1,
        sender: str(r.address) ?? str(r.madrid_handle),
        text,
        service: madrid ? 'iMessage' : 'SMS',
        attachments: [],
        reactions: [],
        recovered,
      };
      return { rowid, guid, peer: message.sender, message, tapback: null };
    }
    const fromMe = num(r.is_from_me) === 1;
    const sender = fromMe ? null : handleId(num(r.handle_id));
    const date = fromAppleTime(r.date);
    const associatedType = num(r.associated_message_type);
    const associatedGuid = str(r.associated_message_guid);
    if (
      associatedGuid &&
      associatedType >= 2000 &&
      associatedType <= 3007 &&
      TAPBACK_KINDS[associatedType % 1000] !== undefined &&
      associatedType % 1000 < 8
    ) {
      let kind = TAPBACK_KINDS[associatedType % 1000]!;
      if (kind === 'emoji') kind = str(r.associated_message_emoji) ?? 'emoji';
      return {
        rowid,
        guid,
        peer: null,
        message: null,
        tapback: {
          targetGuid: tapbackTarget(associatedGuid),
          add: associatedType < 3000,
          kind,
          from: sender,
          date,
          recovered,
        },
      };
    }
    let raw = str(r.text);
    let text = cleanText(raw);
    if (text === null && Buffer.isBuffer(r.attributedBody)) {
      const decoded = attributedBodyText(r.attributedBody);
      if (decoded !== null) raw = decoded;
      text = cleanText(decoded);
    }
    if (text === null && recoverableParts.has(rowid))
      text = cleanText(recoverableParts.get(rowid)!);
    const attachmentRowsOf = [
      ...(attachmentsOf.get(rowid) ?? [])
        .map((a) => attachmentRows.get(a))
        .filter((a): a is Row => a !== undefined),
      ...extraAttachments,
    ];
    const message: ConversationMessage = {
      id: guid ?? `rowid-${rowid}`,
      date,
      fromMe,
      sender,
      text,
      service: str(r.service),
      attachments: attachmentRowsOf.map(attachmentFrom),
      reactions: [],
    };
    const parts =
      text !== null && raw ? messageParts(raw, attachmentRowsOf, r.attributedBody) : null;
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
    // Edits and unsends (iOS 16+)
    const info = hasSummary ? parseSummaryInfo(r.message_summary_info) : null;
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
      if (message.text === null && message.attachments.length === 0) message.unsent = true;
    }
    if (dateRetracted || (info?.retractedParts.length ?? 0) > 0) message.unsent = true;
    if (message.unsent && dateEdited) message.editedAt = dateEdited;
    // System lines
    const itemType = num(r.item_type);
    if (itemType !== 0) {
      const other = handleId(num(r.other_handle));
      const action = num(r.group_action_type);
      const title = str(r.group_title);
      message.event =
        itemType === 1
          ? `${action === 1 ? 'removed' : 'added'} ${other ?? 'someone'} ${action === 1 ? 'from' : 'to'} the conversation`
          : itemType === 2
            ? title
              ? `named the conversation \u201c${title}\u201d`
              : 'removed the conversation name'
            : itemType === 3
              ? action === 1
                ? 'changed the group photo'
                : action === 2
                  ? 'removed the group photo'
                  : 'left the conversation'
              : itemType === 4
                ? 'shared a location'
                : `system event (item_type ${itemType})`;
      if (itemType === 1 && other) message.eventTarget = other;
    }
    if (recovered) message.recovered = recovered;
    const rd = recentlyDeleted.get(rowid);
    if (rd && !recovered) {
      message.recovered = {
        source: `Recently Deleted${rd.deleted ? ` (deleted ${rd.deleted.toISOString()})` : ''}`,
        confidence: 1,
      };
    }
    return { rowid, guid, peer: handleId(num(r.handle_id)), message, tapback: null };
  };

  // Live messages
  // Table order (conversations are sorted by date afterwards, stably): needs no index, which may be damaged.
  const orderBy = 'ORDER BY rowid';
  const parsed: Array<Parsed & { chat: number | null }> = [];
  const liveRowids = new Set<number>();
  const liveGuids = new Set<string>();
  let unreadable = 0;
  // Only the columns read (the message table has ~90; fetching all of them is several times slower).
  const present = new Set(db.columns('message').map((c) => c.toLowerCase()));
  const selected = MESSAGE_COLUMNS.filter((c) => present.has(c.toLowerCase())).map((c) =>
    quoteIdentifier(c),
  );
  for (const r of db.iterate(
    `SELECT rowid AS ROWID${selected.length ? `, ${selected.join(', ')}` : ''} FROM message ${orderBy}`,
  )) {
    const rowid = num(r.ROWID);
    liveRowids.add(rowid);
    try {
      const p = parse(r, rowid);
      if (p.guid) liveGuids.add(p.guid);
      const chat = legacy
        ? r.group_id !== undefined && r.group_id !== null
          ? num(r.group_id)
          : null
        : (chatOf.get(rowid) ?? recentlyDeleted.get(rowid)?.chat ?? null);
      parsed.push({ ...p, chat });
    } catch (e) {
      unreadable++;
      if (unreadable <= 5) warn(`message ${rowid} could not be read (${(e as Error).message})`);
    }
  }
  if (unreadable > 5) warn(`${unreadable} messages could not be read in all`);

  // Deleted messages carved from free space
  if (recover && !legacy) {
    const carvedJoins = new Map<number, number>();
    for (const j of db.recovered('chat_message_join')) {
      const m = num(j.values.message_id),
        c = num(j.values.chat_id);
      if (m && c && !carvedJoins.has(m)) carvedJoins.set(m, c);
    }
    const carvedAttachmentJoins = new Map<number, number[]>();
    for (const j of db.recovered('message_attachment_join')) {
      const m = num(j.values.message_id),
        a = num(j.values.attachment_id);
      if (m && a) pushTo(carvedAttachmentJoins, m, a);
    }
    const carvedAttachments = new Map<number, Row>();
    for (const a of db.recovered('attachment'))
      if (a.rowid !== null) carvedAttachments.set(a.rowid, a.values);
    for (const c of db.recovered('chat')) {
      if (c.rowid !== null && !chats.has(c.rowid) && str(c.values.guid))
        chats.set(c.rowid, chatFromRow({ ...c.values, ROWID: c.rowid }, c.recovered));
    }
    for (const rec of db.recovered('message')) {
      const rowid = rec.rowid ?? 0;
      const values = rec.values;
      const guid = str(values.guid);
      if (guid && liveGuids.has(guid)) continue;
      if (!guid && !str(values.text) && !Buffer.isBuffer(values.attributedBody)) continue;
      const reused = liveRowids.has(rowid);
      const extra = reused
        ? []
        : (carvedAttachmentJoins.get(rowid) ?? [])
            .filter((a) => !(attachmentsOf.get(rowid) ?? []).includes(a))
            .map((a) => attachmentRows.get(a) ?? carvedAttachments.get(a))
            .filter((a): a is Row => a !== undefined);
      try {
        const p = parse({ ...values, ROWID: rowid }, rowid, rec.recovered, extra);
        if (reused && p.message) p.message.attachments = []; // the live row owns the joins of this rowid
        const chat = carvedJoins.get(rowid) ?? (reused ? null : (chatOf.get(rowid) ?? null));
        parsed.push({ ...p, chat });
        if (guid) liveGuids.add(guid);
      } catch {
        // a carved row too damaged to read
      }
    }
  }

  // Conversations
  const conversations = new Map<string, Conversation>();
  const participantsFor = (chat: Chat): Participant[] => {
    const ids = chat.handles.map((h) => handleId(h)).filter((h): h is string => h !== null);
    if (ids.length === 0 && !chat.isGroup && chat.identifier) ids.push(chat.identifier);
    return [...new Set(ids)].map((handle) => ({ handle }));
  };
  const conversationFor = (
    chatRowid: number | null,
    message: ConversationMessage,
    peer: string | null,
  ): Conversation => {
    const chat = chatRowid !== null ? chats.get(chatRowid) : undefined;
    let key: string;
    let make: () => Conversation;
    if (chat) {
      // One-to-one chats with the same person over iMessage and SMS are one conversation, as on the phone.
      key = chat.isGroup || !chat.identifier ? `chat:${chat.rowid}` : `with:${chat.identifier}`;
      make = () => ({
        id: String(chat.rowid),
        title: chat.displayName,
        isGroup: chat.isGroup,
        participants: participantsFor(chat),
        service: chat.service,
        messages: [],
        ...(chat.recovered ? { recovered: chat.recovered } : {}),
      });
    } else if (message.recovered && !(legacy && chatRowid !== null)) {
      key = 'recovered-unknown';
      make = () => ({
        id: 'recovered-unknown',
        title: RECOVERED_UNKNOWN_TITLE,
        isGroup: false,
        participants: [],
        service: null,
        messages: [],
        recovered: {
          source: 'deleted records of sms.db whose chat is unknown',
          confidence: message.recovered!.confidence,
        },
      });
    } else if (!legacy && peer) {
      key = `with:${peer}`;
      make = () => ({
        id: `handle:${peer}`,
        title: null,
        isGroup: false,
        participants: [{ handle: peer }],
        service: message.service,
        messages: [],
      });
    } else if (legacy && chatRowid !== null) {
      key = `group:${chatRowid}`;
      make = () => ({
        id: `group:${chatRowid}`,
        title: null,
        isGroup: false,
        participants: [],
        service: null,
        messages: [],
      });
    } else {
      key = 'unknown';
      make = () => ({
        id: 'unknown',
        title: UNKNOWN_CHAT_TITLE,
        isGroup: false,
        participants: [],
        service: null,
        messages: [],
      });
    }
    let conv = conversations.get(key);
    if (!conv) {
      conv = make();
      conversations.set(key, conv);
    } else if (
      chat &&
      conv.service &&
      chat.service &&
      !conv.service.split('/').includes(chat.service)
    ) {
      conv.service = `${conv.service}/${chat.service}`;
    }
    if (legacy && message.sender && !conv.participants.some((p) => p.handle === message.sender))
      conv.participants.push({ handle: message.sender });
    return conv;
  };

  const byGuid = new Map<string, ConversationMessage>();
  for (const p of parsed) {
    if (!p.message) continue;
    const conv = conversationFor(p.chat, p.message, p.peer);
    conv.messages.push(p.message);
    if (p.guid && !byGuid.has(p.guid)) byGuid.set(p.guid, p.message);
    if (
      conv.isGroup &&
      p.message.sender &&
      !conv.participants.some((x) => x.handle === p.message!.sender) &&
      !db.hasTable('chat_handle_join')
    ) {
      conv.participants.push({ handle: p.message.sender });
    }
  }

  // Tapbacks become reactions on their target, in the order they were made.
  const tapbacks = parsed
    .filter((p) => p.tapback)
    .map((p) => p.tapback!)
    .sort((a, b) => (a.date?.getTime() ?? 0) - (b.date?.getTime() ?? 0));
  let orphanTapbacks = 0;
  for (const t of tapbacks) {
    const target = byGuid.get(t.targetGuid);
    if (!target) {
      orphanTapbacks++;
      continue;
    }
    const existing = target.reactions.findIndex((r) => r.from === t.from);
    if (t.add) {
      const reaction: Reaction = {
        from: t.from,
        kind: t.kind,
        date: t.date,
        ...(t.recovered ? { recovered: t.recovered } : {}),
      };
      if (existing >= 0) target.reactions[existing] = reaction;
      else target.reactions.push(reaction);
    } else if (
      existing >= 0 &&
      (target.reactions[existing]!.kind === t.kind || t.kind === 'emoji')
    ) {
      target.reactions.splice(existing, 1);
    }
  }
  if (orphanTapbacks > 0)
    warn(
      `${orphanTapbacks} tapback${orphanTapbacks === 1 ? '' : 's'} point at messages that are not in the database`,
    );

  const time = (m: ConversationMessage) => m.date?.getTime() ?? Number.POSITIVE_INFINITY;
  const list = [...conversations.values()];
  for (const conv of list) conv.messages.sort((a, b) => time(a) - time(b));
  // Worked out once per conversation (a spread of a 100,000-message thread into Math.max overflows the stack).
  const lastTimes = new Map(
    list.map((c) => [c, c.messages.reduce((t, m) => Math.max(t, m.date?.getTime() ?? 0), 0)]),
  );
  const last = (c: Conversation) => lastTimes.get(c)!;
  list.sort(
    (a, b) =>
      (a.id === 'recovered-unknown' ? 1 : 0) - (b.id === 'recovered-unknown' ? 1 : 0) ||
      last(b) - last(a),
  );
  if (missingAttachments > 0) {
    warn(
      `${missingAttachments} attachment${missingAttachments === 1 ? ' is' : 's are'} not in the backup (never downloaded, offloaded to iCloud, or left out of the backup)`,
    );
  }
  if (db.carveWarnings.length)
    for (const w of db.carveWarnings) warn(`deleted-record recovery: ${w}`);
  const deletedGuids = new Set<string>();
  for (const table of ['deleted_messages', 'sync_deleted_messages']) {
    if (db.hasTable(table) && col(table, 'guid'))
      for (const r of rowsOf(`SELECT guid FROM ${table}`, table))
        if (str(r.guid)) deletedGuids.add(str(r.guid)!);
  }
  const carved = parsed.filter(
    (p) => p.message?.recovered && !p.message.recovered.source.startsWith('Recently Deleted'),
  ).length;
  return {
    conversations: list,
    problems,
    missingAttachments,
    deletedListed: deletedGuids.size,
    carved,
  };
}
