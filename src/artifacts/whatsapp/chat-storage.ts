import { basename, extname } from 'node:path';
import { pushTo } from '../../collections.js';
import type { ReadOptions, RecoveredMark } from '../artifact.js';
import { fromAppleTime } from '../apple-time.js';
import type {
  Conversation,
  ConversationMessage,
  MessageAttachment,
  Participant,
} from '../conversation.js';
import type { ArtifactDatabase, Row } from '../database.js';
import { attachEarlierVersions, attachOtherVersions } from '../history.js';
import { checkKnownColumns } from '../known-columns.js';
import type { MissingItem } from '../missing.js';
import type { DatabaseProblems } from '../read-database.js';
import { columnList, get, num, text } from '../sql-values.js';
import type { ArtifactSource } from '../source.js';
import {
  WA_CHAT_COLUMNS,
  WA_INFO_COLUMNS,
  WA_MEDIA_COLUMNS,
  WA_MEMBER_COLUMNS,
  WA_MESSAGE_COLUMNS,
} from './columns.js';
import {
  groupEvent,
  MEDIA_TYPES,
  sentState,
  systemNotice,
  TEXT_LIKE,
  vcards,
  VIEW_ONCE,
  WA_TYPE,
} from './kinds.js';
import { readCallSeconds, readQuote, readReceiptInfo, type WaQuote } from './protobufs.js';

const MIME_BY_EXT: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.heic': 'image/heic',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.3gp': 'video/3gpp',
  '.opus': 'audio/ogg',
  '.ogg': 'audio/ogg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.mp3': 'audio/mpeg',
  '.amr': 'audio/amr',
  '.pdf': 'application/pdf',
  '.vcf': 'text/vcard',
  '.txt': 'text/plain',
};

const isGroupJid = (jid: string | null) => jid !== null && /@(g\.us|broadcast)$/i.test(jid);
const isUserJid = (jid: string | null) => jid !== null && /@(s\.whatsapp\.net|lid)$/i.test(jid);
export const STATUS_JID = 'status@broadcast';
/** What an earlier version of a message is compared on (its id and what it links to are the live one's). */
const WA_HISTORY = { ignore: ['id', 'attachments', 'reactions', 'replyTo', 'quote', 'status'] };

interface ChatInfo {
  pk: number;
  jid: string | null;
  name: string | null;
  group: boolean;
  recovered?: RecoveredMark;
}
interface Member {
  jid: string;
  chat: number | null;
  contactName: string | null;
}
interface MediaRow {
  pk: number;
  message: number | null;
  path: string | null;
  size: number | null;
  title: string | null;
  lat: number | null;
  lon: number | null;
  vcardName: string | null;
  vcardString: string | null;
  url: string | null;
  metadata: Buffer | null;
}

/** Where a media item's local path points inside the WhatsApp container (relative to its Message/ folder, as stored). */
export function mediaCandidates(localPath: string): string[] {
  const p = localPath.replace(/^file:\/\//, '').replace(/\\/g, '/');
  const inMessage = /(?:^|\/)Message\/(.+)$/.exec(p);
  if (inMessage) return [`Message/${inMessage[1]}`];
  const trimmed = p.replace(/^\/+/, '');
  return [`Message/${trimmed}`, trimmed];
}

function mediaRow(row: Row): MediaRow {
  const metadata = get(row, 'ZMETADATA');
  return {
    pk: num(get(row, 'Z_PK')) ?? -1,
    message: num(get(row, 'ZMESSAGE')),
    path: text(get(row, 'ZMEDIALOCALPATH')),
    size: num(get(row, 'ZFILESIZE')),
    title: text(get(row, 'ZTITLE')),
    lat: num(get(row, 'ZLATITUDE')),
    lon: num(get(row, 'ZLONGITUDE')),
    vcardName: text(get(row, 'ZVCARDNAME')),
    vcardString: text(get(row, 'ZVCARDSTRING')),
    url: text(get(row, 'ZMEDIAURL')),
    metadata: Buffer.isBuffer(metadata) && metadata.length > 0 ? metadata : null,
  };
}

/** One account's ChatStorage.sqlite (WhatsApp, or WhatsApp Business) read into conversations. */
export interface ChatStorageResult {
  conversations: Conversation[];
  /** Sent messages whose state (sent, delivered, read) was read. */
  states: number;
  /** JIDs the chats name, for names from the contacts database. */
  jids: Set<string>;
  /** Media ChatStorage names that the backup does not list (offloaded, or never downloaded). */
  unlisted: MissingItem[];
}

export class ChatStorageReader {
  readonly chats = new Map<number, ChatInfo>();
  readonly members = new Map<number, Member>();
  readonly pushNames = new Map<string, string>();
  readonly mediaByPk = new Map<number, MediaRow>();
  readonly mediaByMessage = new Map<number, MediaRow>();
  /** Receipt blobs by ZWAMESSAGEINFO.Z_PK and by message. */
  readonly infoByPk = new Map<number, Buffer>();
  readonly infoByMessage = new Map<number, Buffer>();
  ownerJid: string | null = null;
  missingMedia: string[] = [];
  /** Media ChatStorage names that the backup does not list (offloaded, or never downloaded). */
  readonly unlisted: MissingItem[] = [];
  unknownTypes = new Map<number, number>();
  undecoded = 0;
  states = 0;

  constructor(
    readonly db: ArtifactDatabase,
    readonly problems: DatabaseProblems,
    readonly source: ArtifactSource,
    readonly options: ReadOptions,
    /** The app group the media files are in. */
    readonly domain: string,
    /** Names from the contacts database (ContactsV2.sqlite), by JID. */
    readonly contactNames: Map<string, string>,
  ) {}

  private table(name: string): boolean {
    return this.db.hasTable(name);
  }

  private warn(message: string): void {
    this.problems.warn(`${this.db.label} ${message}`);
  }

  load(): void {
    const db = this.db;
    const check = (table: string, known: Parameters<typeof checkKnownColumns>[2]) =>
      checkKnownColumns(db, table, known, (m) => this.problems.warn(m));
    check('ZWAMESSAGE', WA_MESSAGE_COLUMNS);
    if (this.table('ZWAPROFILEPUSHNAME')) {
      for (const r of db.all(
        `SELECT ${columnList(db, 'ZWAPROFILEPUSHNAME', ['ZJID', 'ZPUSHNAME'])} FROM ZWAPROFILEPUSHNAME`,
      )) {
        const jid = text(r.ZJID),
          name = text(r.ZPUSHNAME);
        if (jid && name) this.pushNames.set(jid, name);
      }
    } else this.warn('has no ZWAPROFILEPUSHNAME table: push names not read');
    if (this.table('ZWACHATSESSION')) {
      check('ZWACHATSESSION', WA_CHAT_COLUMNS);
      for (const r of db.all(
        `SELECT ${columnList(db, 'ZWACHATSESSION', Object.keys(WA_CHAT_COLUMNS))} FROM ZWACHATSESSION ORDER BY Z_PK`,
      )) {
        const chat = this.chatFrom(r);
        if (chat) this.chats.set(chat.pk, chat);
      }
      if (this.options.recoverDeleted !== false) {
        for (const r of db.recovered('ZWACHATSESSION')) {
          const chat = this.chatFrom(
            { ...r.values, Z_PK: r.rowid ?? get(r.values, 'Z_PK') },
            r.recovered,
          );
          if (chat && !this.chats.has(chat.pk)) this.chats.set(chat.pk, chat);
        }
      }
    } else this.warn('has no ZWACHATSESSION table: chats have no names');
    if (this.table('ZWAGROUPMEMBER')) {
      check('ZWAGROUPMEMBER', WA_MEMBER_COLUMNS);
      for (const r of db.all(
        `SELECT ${columnList(db, 'ZWAGROUPMEMBER', Object.keys(WA_MEMBER_COLUMNS))} FROM ZWAGROUPMEMBER ORDER BY Z_PK`,
      )) {
        const jid = text(r.ZMEMBERJID),
          pk = num(r.Z_PK);
        if (jid && pk !== null)
          this.members.set(pk, {
            jid,
            chat: num(r.ZCHATSESSION),
            contactName: text(r.ZCONTACTNAME) ?? text(r.ZFIRSTNAME),
          });
      }
    } else this.warn('has no ZWAGROUPMEMBER table: group members not read');
    if (this.table('ZWAMEDIAITEM')) {
      check('ZWAMEDIAITEM', WA_MEDIA_COLUMNS);
      for (const r of db.all(
        `SELECT ${columnList(db, 'ZWAMEDIAITEM', Object.keys(WA_MEDIA_COLUMNS))} FROM ZWAMEDIAITEM`,
      ))
        this.addMedia(mediaRow(r));
      if (this.options.recoverDeleted !== false) {
        for (const r of db.recovered('ZWAMEDIAITEM')) {
          const m = mediaRow({ ...r.values, Z_PK: r.rowid ?? get(r.values, 'Z_PK') });
          if (!this.mediaByPk.has(m.pk)) this.addMedia(m);
        }
      }
    } else this.warn('has no ZWAMEDIAITEM table: attachments not read');
    if (this.table('ZWAMESSAGEINFO')) {
      check('ZWAMESSAGEINFO', WA_INFO_COLUMNS);
      for (const r of db.all(
        `SELECT ${columnList(db, 'ZWAMESSAGEINFO', Object.keys(WA_INFO_COLUMNS))} FROM ZWAMESSAGEINFO`,
      )) {
        const blob = r.ZRECEIPTINFO;
        if (!Buffer.isBuffer(blob) || blob.length === 0) continue;
        const pk = num(r.Z_PK);
        const message = num(r.ZMESSAGE);
        if (pk !== null) this.infoByPk.set(pk, blob);
        if (message !== null) this.infoByMessage.set(message, blob);
      }
    }
  }

  private addMedia(m: MediaRow): void {
    this.mediaByPk.set(m.pk, m);
    if (m.message !== null && !this.mediaByMessage.has(m.message))
      this.mediaByMessage.set(m.message, m);
  }

  private chatFrom(r: Row, recovered?: RecoveredMark): ChatInfo | null {
    const pk = num(get(r, 'Z_PK'));
    if (pk === null) return null;
    const jid = text(get(r, 'ZCONTACTJID'));
    if (recovered && !jid) return null;
    const chat: ChatInfo = {
      pk,
      jid,
      name: text(get(r, 'ZPARTNERNAME')),
      group: num(get(r, 'ZSESSIONTYPE')) === 1 || isGroupJid(jid),
    };
    if (recovered) chat.recovered = recovered;
    return chat;
  }

  /** The phone owner's JID: the address incoming messages were sent to. */
  guessOwner(rows: Row[]): void {
    const votes = new Map<string, number>();
    for (const r of rows) {
      const to = text(get(r, 'ZTOJID'));
      if (num(get(r, 'ZISFROMME')) !== 1 && to && /@s\.whatsapp\.net$/.test(to))
        votes.set(to, (votes.get(to) ?? 0) + 1);
    }
    let best = 0;
    for (const [jid, n] of votes) if (n > best) [this.ownerJid, best] = [jid, n];
  }

  private attachment(m: MediaRow, type: number): MessageAttachment {
    const named = m.path ?? (m.url ? new URL(m.url, 'https://x.invalid/').pathname : null);
    let fileName = named ? basename(named) : `${MEDIA_TYPES[type] ?? 'attachment'}-${m.pk}`;
    if (!fileName) fileName = `attachment-${m.pk}`;
    const mimeFromColumn =
      m.vcardString && /^[a-z]+\/[\w.+-]+$/i.test(m.vcardString) ? m.vcardString : null;
    const mimeType = mimeFromColumn ?? MIME_BY_EXT[extname(fileName).toLowerCase()] ?? null;
    const base: MessageAttachment = {
      domain: this.domain,
      relativePath: null,
      fileName,
      mimeType,
      size: m.size && m.size > 0 ? m.size : null,
      present: false,
    };
    if (m.title) base.caption = m.title;
    if (!m.path) return { ...base, domain: null };
    const candidates = mediaCandidates(m.path);
    for (const candidate of candidates) {
      const entry = this.source.find(this.domain, candidate);
      if (entry) {
        const present = this.source.has(entry);
        if (!present) this.missingMedia.push(candidate);
        return {
          ...base,
          relativePath: candidate,
          present,
          size: base.size ?? (entry.size || null),
        };
      }
    }
    this.missingMedia.push(candidates[0]!);
    this.unlisted.push({ reason: 'offloaded', name: fileName, bytes: base.size });
    return { ...base, relativePath: candidates[0]! };
  }

  /** A message row; `quote` gets the quoted message's id and copy for replies. */
  message(
    r: Row,
    chat: ChatInfo | undefined,
    recovered?: RecoveredMark,
  ): { message: ConversationMessage; quote: WaQuote | null; stanza: string | null } {
    const pk = num(get(r, 'Z_PK'));
    const type = num(get(r, 'ZMESSAGETYPE')) ?? 0;
    const fromMe = num(get(r, 'ZISFROMME')) === 1;
    const fromJid = text(get(r, 'ZFROMJID'));
    const member = this.members.get(num(get(r, 'ZGROUPMEMBER')) ?? -1);
    let sender: string | null = null;
    if (!fromMe) {
      if (member) sender = member.jid;
      else if (fromJid && !isGroupJid(fromJid)) sender = fromJid;
      else if (chat && !chat.group) sender = chat.jid;
    }
    const stanza = text(get(r, 'ZSTANZAID'));
    const msg: ConversationMessage = {
      id: pk !== null ? String(pk) : String(get(r, 'Z_PK') ?? '?'),
      ...(stanza ? { guid: stanza } : {}),
      date: fromAppleTime(get(r, 'ZMESSAGEDATE')) ?? fromAppleTime(get(r, 'ZSENTDATE')),
      fromMe,
      sender,
      text: text(get(r, 'ZTEXT')),
      service: 'WhatsApp',
      attachments: [],
      reactions: [],
    };
    const listed = this.unlisted.length;
    const mediaPk = num(get(r, 'ZMEDIAITEM'));
    const media =
      (mediaPk !== null ? this.mediaByPk.get(mediaPk) : undefined) ??
      (pk !== null ? this.mediaByMessage.get(pk) : undefined);
    const event = num(get(r, 'ZGROUPEVENTTYPE'));
    if (MEDIA_TYPES[type] !== undefined) {
      if (media) msg.attachments.push(this.attachment(media, type));
      else
        msg.attachments.push({
          domain: null,
          relativePath: null,
          fileName: `${MEDIA_TYPES[type]!.replace(/ /g, '-')}-${pk}`,
          mimeType: null,
          size: null,
          present: false,
        });
      if (VIEW_ONCE.has(type)) msg.viewOnce = true;
    } else if (type === WA_TYPE.location) {
      const place = media?.title ? ` (${media.title})` : '';
      msg.text =
        media && media.lat !== null && media.lon !== null
          ? `Location: ${media.lat.toFixed(6)}, ${media.lon.toFixed(6)}${place}`
          : `Location${place}`;
    } else if (type === WA_TYPE.contact) {
      const { label, contacts } = vcards(media?.vcardName ?? null, media?.vcardString ?? null);
      msg.card = {
        kind: 'contacts',
        label: contacts.length > 1 ? `${contacts.length} contact cards` : 'Contact card',
        ...(label ? { title: label } : {}),
        contacts,
      };
      if (contacts.length === 0 && msg.text) msg.card.title = msg.text;
      msg.text = null;
    } else if (type === WA_TYPE.groupEvent || type === WA_TYPE.channelEvent) {
      msg.event = type === WA_TYPE.groupEvent ? groupEvent(event) : 'channel notice';
    } else if (type === WA_TYPE.system) {
      msg.event = systemNotice(event, msg.text);
    } else if (type === WA_TYPE.deleted) {
      msg.unsent = true;
    } else if (type === WA_TYPE.call) {
      const seconds = media?.metadata ? readCallSeconds(media.metadata) : null;
      msg.card =
        seconds && seconds > 0
          ? { kind: 'call', label: 'Voice call', duration: seconds }
          : { kind: 'call', label: fromMe ? 'Voice call, not answered' : 'Missed voice call' };
    } else if (type === WA_TYPE.poll) {
      msg.card = { kind: 'poll', label: 'Poll', options: [] };
    } else if (type === WA_TYPE.groupInvite) {
      msg.card = {
        kind: 'app',
        label: 'Group invitation',
        ...(msg.text ? { title: msg.text } : {}),
      };
      msg.text = null;
    } else if (type === WA_TYPE.ephemeral) {
      msg.event = 'changed the disappearing messages setting';
    } else if (type === WA_TYPE.waiting) {
      msg.event = 'waiting for this message (it never arrived on this phone)';
    } else if (
      type !== WA_TYPE.text &&
      type !== WA_TYPE.link &&
      type !== WA_TYPE.product &&
      type !== WA_TYPE.association &&
      !TEXT_LIKE.has(type)
    ) {
      this.unknownTypes.set(type, (this.unknownTypes.get(type) ?? 0) + 1);
      if (!msg.text)
        msg.event = `sent a message of a kind this version does not know (type ${type})`;
    }
    // Reactions and polls (ZWAMESSAGEINFO.ZRECEIPTINFO)
    const infoPk = num(get(r, 'ZMESSAGEINFO'));
    const info =
      (infoPk !== null ? this.infoByPk.get(infoPk) : undefined) ??
      (pk !== null ? this.infoByMessage.get(pk) : undefined);
    if (info) {
      const receipt = readReceiptInfo(info);
      if (!receipt) this.undecoded++;
      else {
        for (const rx of receipt.reactions)
          msg.reactions.push({
            from: rx.from === this.ownerJid ? null : rx.from,
            kind: rx.emoji,
            date: rx.date,
          });
        if (receipt.poll && msg.card?.kind === 'poll') {
          if (receipt.poll.question) msg.card.title = receipt.poll.question;
          msg.card.options = receipt.poll.options.map((o) => ({ text: o, voters: [] }));
          msg.card.note = 'who voted is kept in a form no public parser decodes';
        }
      }
    }
    if (msg.card?.kind === 'poll' && !msg.card.title && msg.text) {
      msg.card.title = msg.text;
      msg.text = null;
    }
    const quote = media?.metadata && type !== WA_TYPE.call ? readQuote(media.metadata) : null;
    if (fromMe) {
      const state = sentState(num(get(r, 'ZMESSAGESTATUS')));
      if (state) {
        msg.status = state;
        this.states++;
      }
    }
    if (msg.event) msg.sender = fromMe ? null : msg.sender;
    if (msg.event && type === WA_TYPE.system) msg.sender = null;
    // an old copy's media is the live message's; a deleted message's media went with it
    if (recovered) this.unlisted.length = listed;
    if (recovered) msg.recovered = recovered;
    return { message: msg, quote, stanza: text(get(r, 'ZSTANZAID')) };
  }

  /** An old copy of a message: its missing media is the live message's, counted once. */
  copy(values: Row, mark: RecoveredMark): ConversationMessage {
    const counted = this.missingMedia.length;
    const states = this.states;
    const chat = this.chats.get(num(get(values, 'ZCHATSESSION')) ?? -1);
    const { message } = this.message(values, chat, mark);
    this.missingMedia.length = counted;
    this.states = states;
    return message;
  }

  participants(chat: ChatInfo, messages: ConversationMessage[]): Participant[] {
    const out = new Map<string, Participant>();
    const add = (jid: string | null, sourceName: string | null) => {
      if (!jid || jid === this.ownerJid || out.has(jid) || isGroupJid(jid)) return;
      const name = this.contactNames.get(jid) ?? this.pushNames.get(jid) ?? sourceName ?? undefined;
      out.set(jid, name ? { handle: jid, name } : { handle: jid });
    };
    if (chat.group) {
      for (const m of this.members.values()) if (m.chat === chat.pk) add(m.jid, m.contactName);
    } else {
      add(chat.jid, chat.name);
    }
    for (const m of messages) {
      add(m.sender, null);
      for (const r of m.reactions) add(r.from, null);
    }
    return [...out.values()];
  }
}

function byDate(a: ConversationMessage, b: ConversationMessage): number {
  return (
    (a.date?.getTime() ?? 0) - (b.date?.getTime() ?? 0) || (Number(a.id) || 0) - (Number(b.id) || 0)
  );
}

/** Reads one ChatStorage.sqlite. `account` names WhatsApp Business conversations apart. */
export function readChatStorage(
  db: ArtifactDatabase,
  problems: DatabaseProblems,
  source: ArtifactSource,
  options: ReadOptions,
  domain: string,
  contactNames: Map<string, string>,
  account: string | null,
): ChatStorageResult {
  const reader = new ChatStorageReader(db, problems, source, options, domain, contactNames);
  reader.load();
  const rows = db.all(
    `SELECT ${columnList(db, 'ZWAMESSAGE', Object.keys(WA_MESSAGE_COLUMNS))} FROM ZWAMESSAGE ORDER BY Z_PK`,
  );
  reader.guessOwner(rows);
  const byChat = new Map<number, ConversationMessage[]>();
  const byStanza = new Map<string, ConversationMessage>();
  const quotes: Array<[ConversationMessage, WaQuote]> = [];
  const push = (chatPk: number, read: ReturnType<ChatStorageReader['message']>) => {
    pushTo(byChat, chatPk, read.message);
    if (read.stanza && !byStanza.has(read.stanza)) byStanza.set(read.stanza, read.message);
    if (read.quote) quotes.push([read.message, read.quote]);
  };
  const live = new Map<number, ConversationMessage>();
  for (const r of rows) {
    const chatPk = num(r.ZCHATSESSION) ?? -1;
    const read = reader.message(r, reader.chats.get(chatPk));
    live.set(Number(r.Z_PK), read.message);
    push(chatPk, read);
  }
  if (options.recoverDeleted !== false) {
    // Old copies of live messages (status updates, edits) are their history, not deleted messages.
    attachEarlierVersions(
      db,
      'ZWAMESSAGE',
      live,
      (values, mark) => reader.copy(values, mark),
      WA_HISTORY,
    );
    const stanzas = new Set<string>();
    let unknown = 0;
    for (const r of db.recovered('ZWAMESSAGE')) {
      const pk = r.rowid ?? num(get(r.values, 'Z_PK'));
      const stanza = text(get(r.values, 'ZSTANZAID'));
      if (stanza && stanzas.has(stanza)) continue; // two carved copies of one deleted message
      if (stanza) stanzas.add(stanza);
      const values = { ...r.values, Z_PK: pk ?? `deleted-${++unknown}` };
      // A carved record needs a date or some text to say anything.
      if (fromAppleTime(get(values, 'ZMESSAGEDATE')) === null && !text(get(values, 'ZTEXT')))
        continue;
      const chatPk = num(get(values, 'ZCHATSESSION')) ?? -1;
      const read = reader.message(values, reader.chats.get(chatPk), r.recovered);
      attachOtherVersions(
        read.message,
        r,
        (other, mark) => reader.copy({ ...other, Z_PK: values.Z_PK }, mark),
        WA_HISTORY,
      );
      push(chatPk, read);
    }
  }
  // Replies: the quoted message by its stanza id, else the copy the reply keeps.
  for (const [message, quote] of quotes) {
    const original = byStanza.get(quote.stanzaId);
    if (original) message.replyTo = original.id;
    else
      message.quote = {
        text: quote.text,
        sender: quote.sender,
        fromMe: quote.sender === null || quote.sender === reader.ownerJid,
      };
  }
  const prefix = account ? `${account}:` : '';
  const conversations: Conversation[] = [];
  const chatPks = [...new Set([...reader.chats.keys(), ...byChat.keys()])];
  for (const chatPk of chatPks) {
    const messages = (byChat.get(chatPk) ?? []).sort(byDate);
    let chat = reader.chats.get(chatPk);
    if (!chat) {
      // Messages whose chat row is gone (deleted chat, or recovered messages of it).
      const firstRecovered = messages.find((m) => m.recovered)?.recovered;
      chat = {
        pk: chatPk,
        jid: null,
        name: null,
        group: false,
        ...(firstRecovered && messages.every((m) => m.recovered)
          ? { recovered: firstRecovered }
          : {}),
      };
      if (!chat.recovered)
        problems.warn(
          `${messages.length} message(s) belong to chat ${chatPk}, which is not in ZWACHATSESSION`,
        );
    }
    if (messages.length === 0 && chat.recovered) continue;
    const participants = reader.participants(chat, messages);
    const status = chat.jid === STATUS_JID;
    const channel = chat.jid !== null && /@newsletter$/i.test(chat.jid);
    const conversation: Conversation = {
      id: `${prefix}${chatPk}`,
      // The chat's identity across backups: its JID (WhatsApp Business chats named apart by the account).
      ...(chat.jid ? { guid: `${prefix}${chat.jid}` } : {}),
      title: status
        ? 'Status updates'
        : (chat.name ??
          (chat.group
            ? null
            : (contactNames.get(chat.jid ?? '') ?? participants[0]?.name ?? chat.jid))),
      isGroup: chat.group || status,
      participants,
      service: account ?? 'WhatsApp',
      messages,
    };
    if (status) conversation.kind = 'status';
    else if (channel) conversation.kind = 'channel';
    if (account) conversation.account = account;
    if (chat.recovered) conversation.recovered = chat.recovered;
    for (const m of messages) if (account) m.service = account;
    conversations.push(conversation);
  }
  // Status updates are not a chat: they come after the chats.
  conversations.sort((a, b) => (a.kind === 'status' ? 1 : 0) - (b.kind === 'status' ? 1 : 0));
  const missing = [...new Set(reader.missingMedia)];
  if (missing.length) {
    problems.warn(
      `${missing.length} attachment file(s) are not in the backup (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''})`,
    );
  }
  if (reader.unknownTypes.size) {
    const list = [...reader.unknownTypes].map(([t, n]) => `${t} (${n})`).join(', ');
    problems.warn(
      `${db.label} has messages of types this version does not know: ${list}; they are shown with their text or as a line saying so`,
    );
  }
  if (reader.undecoded)
    problems.warn(
      `${reader.undecoded} reaction or poll record(s) (ZWAMESSAGEINFO.ZRECEIPTINFO) could not be read`,
    );
  const jids = new Set<string>();
  for (const c of conversations) for (const p of c.participants) jids.add(p.handle);
  return { conversations, states: reader.states, jids, unlisted: reader.unlisted };
}
