import { pushTo } from '../../collections.js';
import { basename } from 'node:path';
import type { ReadOptions, RecoveredMark } from '../artifact.js';
import { fromAppleTime } from '../apple-time.js';
import type {
  Conversation,
  ConversationMessage,
  MessageAttachment,
  Reaction,
} from '../conversation.js';
import { quoteIdentifier, type ArtifactDatabase, type Row } from '../database.js';
import { MIME_FOR_UTI } from '../file-type.js';
import { attachEarlierVersions, attachOtherVersions } from '../history.js';
import { checkKnownColumns } from '../known-columns.js';
import type { MissingItem } from '../missing.js';
import type { DatabaseProblems } from '../read-database.js';
import { num, str } from '../sql-values.js';
import type { ArtifactSource } from '../source.js';
import type { PollDraft } from './app-messages.js';
import {
  ATTACHMENT_COLUMNS,
  CHAT_COLUMNS,
  HANDLE_COLUMNS,
  LEGACY_MESSAGE_COLUMNS,
  MESSAGE_COLUMNS,
} from './columns.js';
import { ConversationGrouper, type Chat } from './grouping.js';
import {
  int,
  parseRow,
  type AttachmentUse,
  type Parsed,
  type RowContext,
  type Vote,
} from './message-row.js';
import { readLegacyParts } from './legacy-parts.js';
import { attachmentLocation, partText } from './parts.js';

export { RECOVERED_UNKNOWN_TITLE, UNKNOWN_CHAT_TITLE } from './grouping.js';
export { attachmentLocation, messageParts, tapbackTarget } from './parts.js';

/** What an old copy of a live message is compared on: delivery and read times alone make no version. */
const MESSAGE_HISTORY = {
  ignore: ['id', 'attachments', 'reactions', 'parts'],
  bookkeeping: ['dateRead', 'dateDelivered'],
};

interface Handle {
  id: string;
  service: string | null;
}

/**
 * Reads sms.db into conversations. Columns and tables are detected, never assumed: what a schema lacks
 * is reported in `problems` and the rest is still read.
 */
export interface SmsReadResult {
  conversations: Conversation[];
  missingAttachments: number;
  /** Audio messages whose recording expired (not kept): gone by design, not lost. */
  expiredAudio: number;
  /** Attachments sms.db names that the backup does not list, with why. */
  unlisted: MissingItem[];
  /** Deleted messages sms.db still lists by guid (deleted_messages, sync_deleted_messages), text gone. */
  deletedListed: number;
  /** Messages carved back from deleted space. */
  carved: number;
}

export function readSmsDatabase(
  db: ArtifactDatabase,
  source: ArtifactSource,
  options: ReadOptions,
  attachmentDomain: string,
  problems: DatabaseProblems,
): SmsReadResult {
  const { warn, error } = problems;
  const recover = options.recoverDeleted !== false;
  /** Live messages whose archived text (attributedBody) is damaged: kept without text, and said. */
  let damagedTexts = 0;
  const damagedText = (recovered: RecoveredMark | undefined) => () => {
    if (!recovered) damagedTexts++;
  };
  let unreadablePayloads = 0;

  if (!db.hasTable('message')) {
    error(`${db.label} has no message table (unknown schema): no messages could be read`);
    return {
      conversations: [],
      missingAttachments: 0,
      expiredAudio: 0,
      unlisted: [],
      deletedListed: 0,
      carved: 0,
    };
  }
  const col = (table: string, column: string) => db.hasTable(table) && db.hasColumn(table, column);
  const unreadableTable = (table: string, e: unknown) =>
    error(
      `the ${table} table of ${db.label} could not be read (${(e as Error).message}); the rest was read without it`,
    );
  /** A query on a side table: when that table is damaged, say so and go on with the rest. */
  const rowsOf = (sql: string, table: string): Row[] => {
    try {
      return db.all(sql);
    } catch (e) {
      unreadableTable(table, e);
      return [];
    }
  };
  /**
   * rowsOf one row at a time, for join tables as long as the message table: `each` collects, and the caller
   * keeps what it collected only when the whole table could be read (true).
   */
  const eachRowOf = (sql: string, table: string, each: (r: Row) => void): boolean => {
    try {
      for (const r of db.iterate(sql)) each(r);
      return true;
    } catch (e) {
      unreadableTable(table, e);
      return false;
    }
  };
  // iOS 5 and earlier: no handle_id, SMS columns (address, flags) and iMessage ("madrid") ones.
  const legacy =
    !col('message', 'handle_id') &&
    ['address', 'flags', 'madrid_handle'].some((c) => col('message', c));
  if (legacy) {
    error(
      `${db.label} has an older layout (message table without handle_id, iOS 5 or earlier): texts, dates, addresses and attachments were read; group chats are grouped by address`,
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
    checkKnownColumns(db, 'message', MESSAGE_COLUMNS, warn);
    for (const [table, known] of [
      ['attachment', ATTACHMENT_COLUMNS],
      ['chat', CHAT_COLUMNS],
      ['handle', HANDLE_COLUMNS],
    ] as const)
      if (db.hasTable(table)) checkKnownColumns(db, table, known, warn);
  }

  // Handles
  const handles = new Map<number, Handle>();
  if (db.hasTable('handle')) {
    for (const r of rowsOf('SELECT * FROM handle', 'handle'))
      handles.set(int(r.ROWID), {
        id: str(r.id) ?? `handle ${int(r.ROWID)}`,
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
      rowid: int(r.ROWID),
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
    for (const r of rowsOf('SELECT * FROM chat', 'chat')) chats.set(int(r.ROWID), chatFromRow(r));
    if (db.hasTable('chat_handle_join')) {
      for (const r of rowsOf(
        'SELECT chat_id, handle_id FROM chat_handle_join ORDER BY rowid',
        'chat_handle_join',
      ))
        chats.get(int(r.chat_id))?.handles.push(int(r.handle_id));
    }
  }
  let chatOf = new Map<number, number>();
  if (db.hasTable('chat_message_join')) {
    const joined = new Map<number, number>();
    const read = eachRowOf(
      'SELECT chat_id, message_id FROM chat_message_join ORDER BY rowid',
      'chat_message_join',
      (r) => {
        const m = int(r.message_id);
        if (!joined.has(m)) joined.set(m, int(r.chat_id));
      },
    );
    if (read) chatOf = joined;
  }
  // iOS 16+: "Recently Deleted" messages are joined to their chat here instead.
  const recentlyDeleted = new Map<number, { chat: number; deleted: Date | null }>();
  if (db.hasTable('chat_recoverable_message_join')) {
    for (const r of rowsOf(
      'SELECT * FROM chat_recoverable_message_join',
      'chat_recoverable_message_join',
    )) {
      recentlyDeleted.set(int(r.message_id), {
        chat: int(r.chat_id),
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
      const text = Buffer.isBuffer(raw) ? partText(raw, damagedText(undefined)) : str(raw);
      if (text)
        recoverableParts.set(
          int(r.message_id),
          (recoverableParts.get(int(r.message_id)) ?? '') + text,
        );
    }
  }

  // Attachments
  let missingAttachments = 0;
  let expiredAudio = 0;
  /** Attachments the backup does not even list (offloaded, never downloaded, expired audio). */
  const unlisted: MissingItem[] = [];
  /** Parses an old copy of a message: its attachments are the live message's, counted once. */
  const uncounted = <T>(parseCopy: () => T): T => {
    const [counted, expired, listed] = [missingAttachments, expiredAudio, unlisted.length];
    try {
      return parseCopy();
    } finally {
      [missingAttachments, expiredAudio] = [counted, expired];
      unlisted.length = listed;
    }
  };
  const attachmentRows = new Map<number, Row>();
  const attachmentsOf = new Map<number, number[]>();
  let legacyTexts = new Map<number, string>();
  if (legacy) {
    const parts = readLegacyParts(db, source, attachmentDomain, rowsOf);
    for (const [k, v] of parts.rows) attachmentRows.set(k, v);
    for (const [k, v] of parts.byMessage) attachmentsOf.set(k, v);
    legacyTexts = parts.texts;
  }
  const haveAttachments = db.hasTable('attachment') && db.hasTable('message_attachment_join');
  if (haveAttachments) {
    for (const r of rowsOf('SELECT * FROM attachment', 'attachment'))
      attachmentRows.set(int(r.ROWID), r);
    const joins: number[] = [];
    const read = eachRowOf(
      'SELECT message_id, attachment_id FROM message_attachment_join ORDER BY rowid',
      'message_attachment_join',
      (r) => joins.push(int(r.message_id), int(r.attachment_id)),
    );
    if (read)
      for (let i = 0; i < joins.length; i += 2) pushTo(attachmentsOf, joins[i]!, joins[i + 1]!);
  }
  const attachmentFrom = (r: Row, use: AttachmentUse): MessageAttachment => {
    const filename = str(r.filename);
    const where = attachmentLocation(filename, attachmentDomain);
    const entry = where ? source.find(where.domain, where.relativePath) : undefined;
    const present = entry !== undefined && source.has(entry);
    const uti = str(r.uti);
    const fromUti = uti ? MIME_FOR_UTI[uti] : undefined;
    const attachment: MessageAttachment = {
      domain: where?.domain ?? null,
      relativePath: where?.relativePath ?? null,
      fileName:
        str(r.transfer_name) ?? (filename ? basename(filename) : `attachment-${int(r.ROWID)}`),
      mimeType: str(r.mime_type) ?? fromUti?.mimeType ?? null,
      size: num(r.total_bytes),
      present,
    };
    const guid = str(r.guid);
    const genmojiDescription = str(r.emoji_image_short_description);
    if (str(r.emoji_image_content_identifier) || (guid && use.body?.genmoji.has(guid))) {
      attachment.kind = 'genmoji';
      if (genmojiDescription) attachment.description = genmojiDescription;
    } else if (num(r.is_sticker) === 1) attachment.kind = 'sticker';
    else if (use.audioMessage && /^audio\//.test(attachment.mimeType ?? 'audio/')) {
      attachment.kind = 'audio-message';
      const transcript = guid ? use.body?.transcripts.get(guid) : undefined;
      if (transcript) attachment.transcript = transcript;
      // Expired audio messages are removed with their file unless kept (imessage-exporter #508).
      if (!present && use.expirable) attachment.expired = true;
    }
    if (attachment.expired) expiredAudio++;
    else if (!present) missingAttachments++;
    if (!entry) {
      const size = attachment.size;
      unlisted.push({
        reason: attachment.expired ? 'expired' : 'offloaded',
        name: attachment.fileName,
        bytes: size !== null && size > 0 ? size : null,
      });
    }
    return attachment;
  };

  const ctx: RowContext = {
    legacy,
    legacyText: (rowid) => legacyTexts.get(rowid),
    hasSummary: col('message', 'message_summary_info'),
    handleId,
    attachmentRows: (rowid, extra) => [
      ...(attachmentsOf.get(rowid) ?? [])
        .map((a) => attachmentRows.get(a))
        .filter((a): a is Row => a !== undefined),
      ...extra,
    ],
    attachmentFrom,
    recoverablePart: (rowid) => recoverableParts.get(rowid),
    recentlyDeleted: (rowid) => recentlyDeleted.get(rowid),
    damagedText,
    unreadablePayload: () => {
      unreadablePayloads++;
    },
  };

  // Live messages
  // Table order (conversations are sorted by date afterwards, stably): needs no index, which may be damaged.
  const orderBy = 'ORDER BY rowid';
  // Each row's parse result gets its chat set in place: a spread copy per message costs 200,000 objects
  // (each with a hidden class of its own) while the whole database is read.
  const parsed: Array<Parsed & { chat: number | null }> = [];
  const withChat = (p: Parsed, chat: number | null) =>
    Object.assign(p as Parsed & { chat: number | null }, { chat });
  /** In ascending order (the rows come by rowid): searched, not hashed (a set of 200,000 is megabytes). */
  const liveRowids: number[] = [];
  let unreadable = 0;
  // Only the columns read (the message table has ~90; fetching all of them is several times slower).
  const present = new Set(db.columns('message').map((c) => c.toLowerCase()));
  const selected = [...Object.keys(MESSAGE_COLUMNS), ...LEGACY_MESSAGE_COLUMNS]
    .filter((c) => present.has(c.toLowerCase()))
    .map((c) => quoteIdentifier(c));
  // One row at a time: a 200,000-message sms.db never sits in memory as rows.
  for (const r of db.iterate(
    `SELECT rowid AS ROWID${selected.length ? `, ${selected.join(', ')}` : ''} FROM message ${orderBy}`,
  )) {
    const rowid = int(r.ROWID);
    liveRowids.push(rowid);
    try {
      const p = parseRow(r, rowid, ctx);
      const chat = legacy
        ? r.group_id !== undefined && r.group_id !== null
          ? int(r.group_id)
          : null
        : (chatOf.get(rowid) ?? recentlyDeleted.get(rowid)?.chat ?? null);
      parsed.push(withChat(p, chat));
    } catch (e) {
      unreadable++;
      if (unreadable <= 5) warn(`message ${rowid} could not be read (${(e as Error).message})`);
    }
  }
  if (unreadable > 5) warn(`${unreadable} messages could not be read in all`);
  if (damagedTexts)
    error(
      `${damagedTexts} message text${damagedTexts === 1 ? ' is' : 's are'} damaged (attributedBody does not decode): ${damagedTexts === 1 ? 'that message is' : 'those messages are'} kept without text`,
    );
  if (unreadablePayloads)
    warn(
      `${unreadablePayloads} app message${unreadablePayloads === 1 ? '' : 's'} (payload_data) could not be read: shown by kind, without ${unreadablePayloads === 1 ? 'its' : 'their'} content`,
    );

  // Deleted messages carved from free space
  if (recover && !legacy) {
    // Old copies of live messages (SQLite moves a row that grows: read, delivered, edited) are those
    // messages' history; only what reads differently is kept (delivery and read times alone are not).
    const liveMessages = new Map<number, ConversationMessage>();
    for (const p of parsed) if (p.message) liveMessages.set(p.rowid, p.message);
    attachEarlierVersions(
      db,
      'message',
      liveMessages,
      (values, mark) =>
        uncounted(() => parseRow({ ...values }, int(values.ROWID), ctx, mark).message),
      MESSAGE_HISTORY,
    );
    const carvedJoins = new Map<number, number>();
    for (const j of db.recovered('chat_message_join')) {
      const m = int(j.values.message_id),
        c = int(j.values.chat_id);
      if (m && c && !carvedJoins.has(m)) carvedJoins.set(m, c);
    }
    const carvedAttachmentJoins = new Map<number, number[]>();
    for (const j of db.recovered('message_attachment_join')) {
      const m = int(j.values.message_id),
        a = int(j.values.attachment_id);
      if (m && a) pushTo(carvedAttachmentJoins, m, a);
    }
    const carvedAttachments = new Map<number, Row>();
    for (const a of db.recovered('attachment'))
      if (a.rowid !== null) carvedAttachments.set(a.rowid, a.values);
    for (const c of db.recovered('chat')) {
      if (c.rowid !== null && !chats.has(c.rowid) && str(c.values.guid))
        chats.set(c.rowid, chatFromRow({ ...c.values, ROWID: c.rowid }, c.recovered));
    }
    const carvedMessages = db.recovered('message');
    // The guids read so far: live ones, then those of the deleted messages taken back (made only when
    // something was carved).
    const liveGuids = new Set<string>();
    if (carvedMessages.length > 0) for (const p of parsed) if (p.guid) liveGuids.add(p.guid);
    for (const rec of carvedMessages) {
      const rowid = rec.rowid ?? 0;
      const values = rec.values;
      const guid = str(values.guid);
      if (guid && liveGuids.has(guid)) continue; // a second carved copy of the same deleted message
      if (!guid && !str(values.text) && !Buffer.isBuffer(values.attributedBody)) continue;
      const reused = sortedHas(liveRowids, rowid);
      const extra = reused
        ? []
        : (carvedAttachmentJoins.get(rowid) ?? [])
            .filter((a) => !(attachmentsOf.get(rowid) ?? []).includes(a))
            .map((a) => attachmentRows.get(a) ?? carvedAttachments.get(a))
            .filter((a): a is Row => a !== undefined);
      try {
        const listed = unlisted.length;
        const p = parseRow({ ...values, ROWID: rowid }, rowid, ctx, rec.recovered, extra);
        unlisted.length = listed; // a deleted message's files went with it: not missing
        if (reused && p.message) p.message.attachments = []; // the live row owns the joins of this rowid
        if (p.message)
          attachOtherVersions(
            p.message,
            rec,
            (other, mark) =>
              uncounted(() => parseRow({ ...other, ROWID: rowid }, rowid, ctx, mark).message),
            MESSAGE_HISTORY,
          );
        const chat = carvedJoins.get(rowid) ?? (reused ? null : (chatOf.get(rowid) ?? null));
        parsed.push(withChat(p, chat));
        if (guid) liveGuids.add(guid);
      } catch {
        // a carved row too damaged to read
      }
    }
  }

  // Conversations
  const grouper = new ConversationGrouper(chats, handleId, legacy);
  // Messages by guid, for what points at one (tapbacks, poll updates): only those guids are kept.
  const pointedAt = new Set<string>();
  for (const p of parsed) {
    if (p.tapback) pointedAt.add(p.tapback.targetGuid);
    if (p.message && p.guid && p.poll && !p.pollUpdateOf) pointedAt.add(p.guid);
  }
  const byGuid = new Map<string, ConversationMessage>();
  const polls = new Map<string, PollDraft>();
  for (const p of parsed) {
    if (!p.message) continue;
    const conv = grouper.conversationFor(p.chat, p.message, p.peer);
    conv.messages.push(p.message);
    if (p.guid && pointedAt.has(p.guid) && !byGuid.has(p.guid)) byGuid.set(p.guid, p.message);
    if (p.guid && p.poll && !p.pollUpdateOf) polls.set(p.guid, p.poll);
    if (
      conv.isGroup &&
      p.message.sender &&
      !conv.participants.some((x) => x.handle === p.message!.sender) &&
      !db.hasTable('chat_handle_join')
    ) {
      conv.participants.push({ handle: p.message.sender });
    }
  }
  grouper.fillServices();
  applyPolls(parsed, polls, byGuid);

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
    const existing = t.placed
      ? -1
      : target.reactions.findIndex((r) => r.from === t.from && !isPlaced(r));
    if (t.add) {
      const reaction: Reaction = {
        from: t.from,
        kind: t.kind,
        date: t.date,
        ...(t.recovered ? { recovered: t.recovered } : {}),
        ...(t.attachment ? { attachment: t.attachment } : {}),
      };
      if (t.placed) placedReactions.add(reaction);
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
  const list = [...grouper.conversations.values()];
  for (const conv of list) {
    conv.messages.sort((a, b) => time(a) - time(b));
    for (const m of conv.messages) {
      if (m.attachments.length === 0) m.attachments = NONE;
      if (m.reactions.length === 0) m.reactions = NONE;
    }
  }
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
    missingAttachments,
    expiredAudio,
    unlisted,
    deletedListed: deletedGuids.size,
    carved,
  };
}

/**
 * The attachments or reactions of a message that has none, once everything is read: one frozen empty list
 * shared by all of them (two empty arrays a message are ~13 MB of 200,000 messages a UI session keeps).
 */
const NONE = Object.freeze([]) as unknown as never[];

/** Whether an ascending list holds `value`. */
function sortedHas(list: readonly number[], value: number): boolean {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = list[mid]!;
    if (at === value) return true;
    if (at < value) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

/** Stickers placed on a bubble (any number per person), told apart from tapbacks (one per person). */
const placedReactions = new WeakSet<Reaction>();
const isPlaced = (r: Reaction) => placedReactions.has(r);

/**
 * Polls get their options (updates add some) and their votes: each vote row lists its voter's choices,
 * which replace that voter's earlier ones.
 */
function applyPolls(
  parsed: Parsed[],
  polls: Map<string, PollDraft>,
  byGuid: Map<string, ConversationMessage>,
): void {
  for (const p of parsed) {
    if (!p.pollUpdateOf || !p.poll) continue;
    const poll = polls.get(p.pollUpdateOf);
    if (!poll) continue;
    for (const [id, option] of p.poll.options)
      if (!poll.options.has(id)) poll.options.set(id, option);
    if (p.poll.question && !poll.question) poll.question = p.poll.question;
  }
  const votes = parsed
    .map((p) => p.vote)
    .filter((v): v is Vote => v !== undefined)
    .sort((a, b) => (a.date?.getTime() ?? 0) - (b.date?.getTime() ?? 0));
  for (const vote of votes) {
    const poll = polls.get(vote.pollGuid);
    if (!poll || !vote.choices) continue;
    // The row's sender is the voter (null: the owner); their latest row holds all their choices.
    for (const option of poll.options.values())
      option.voters = option.voters.filter((v) => v !== vote.voter);
    for (const c of vote.choices) {
      const option = poll.options.get(c.option);
      if (option && !option.voters.includes(vote.voter)) option.voters.push(vote.voter);
    }
  }
  for (const [guid, poll] of polls) {
    const message = byGuid.get(guid);
    if (message?.card?.kind !== 'poll') continue;
    message.card.options = [...poll.options.values()];
    if (poll.question && !message.card.title) message.card.title = poll.question;
  }
}
