import { pushTo } from '../../collections.js';
import { held, readDatabase, type DatabaseProblems } from '../read-database.js';
import { basename, extname } from 'node:path';
import { emptyData, defineReader, type ReadOptions, type RecoveredMark } from '../artifact.js';
import { fromAppleTime } from '../apple-time.js';
import { columnList, get, num, text } from '../sql-values.js';
import { defineArtifact } from '../declaration.js';
import { declaredConversationIdentity } from '../identity.js';
import type {
  Conversation,
  ConversationMessage,
  MessageAttachment,
  Participant,
} from '../conversation.js';
import type { ArtifactDatabase, Row } from '../database.js';
import type { ArtifactSource } from '../source.js';

const SHARED = 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared';

/** WhatsApp: ChatStorage.sqlite and the media in the app's shared container. */
export const whatsAppDeclaration = defineArtifact({
  id: 'whatsapp',
  title: 'WhatsApp',
  locations: {
    chats: {
      domain: SHARED,
      path: 'ChatStorage.sqlite',
      kind: 'database',
      naturalKey: [
        { table: 'ZWAMESSAGE', columns: ['ZSTANZAID'] },
        { table: 'ZWACHATSESSION', columns: ['ZCONTACTJID'] },
      ],
    },
    media: { domain: SHARED, path: 'Message/**', kind: 'media', catalog: false },
    /** Media paths some versions store relative to the container itself. */
    containerMedia: { domain: SHARED, path: '**', kind: 'media', catalog: false },
  },
  identity: {
    describe: 'the message stanza id; the chat by its JID',
    keys: [{ fields: ['guid'], from: { table: 'ZWAMESSAGE', columns: ['ZSTANZAID'] } }],
    conversation: [
      { fields: ['guid'], from: { table: 'ZWACHATSESSION', columns: ['ZCONTACTJID'] } },
      { fields: ['participants'] },
    ],
  },
  needsNames: true,
  aliases: [],
  formats: ['html', 'txt', 'csv', 'json'],
  defaultFormats: ['html', 'txt', 'csv', 'json'],
});

/** Each message by its stanza id (kept as the message's guid); the chat by its JID. */
export const whatsAppIdentity = declaredConversationIdentity(whatsAppDeclaration, {
  volatile: ['id'],
});

export const WHATSAPP_DOMAIN = whatsAppDeclaration.locations.chats.domain;
export const CHAT_STORAGE = whatsAppDeclaration.locations.chats.path;

/** ZWAMESSAGE.ZMESSAGETYPE values. */
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
  deleted: 14,
  sticker: 15,
} as const;

const MEDIA_TYPES = new Set<number>([
  WA_TYPE.image,
  WA_TYPE.video,
  WA_TYPE.audio,
  WA_TYPE.document,
  WA_TYPE.gif,
  WA_TYPE.sticker,
]);

const MESSAGE_COLUMNS = [
  'Z_PK',
  'ZCHATSESSION',
  'ZISFROMME',
  'ZMESSAGETYPE',
  'ZGROUPEVENTTYPE',
  'ZGROUPMEMBER',
  'ZMEDIAITEM',
  'ZMESSAGEDATE',
  'ZSENTDATE',
  'ZFROMJID',
  'ZTOJID',
  'ZTEXT',
  'ZSTANZAID',
  'ZSORT',
  'ZMESSAGESTATUS',
] as const;
const CHAT_COLUMNS = ['Z_PK', 'ZCONTACTJID', 'ZPARTNERNAME', 'ZSESSIONTYPE', 'ZGROUPINFO'] as const;
const MEMBER_COLUMNS = [
  'Z_PK',
  'ZCHATSESSION',
  'ZMEMBERJID',
  'ZCONTACTNAME',
  'ZFIRSTNAME',
  'ZISACTIVE',
] as const;
const MEDIA_COLUMNS = [
  'Z_PK',
  'ZMESSAGE',
  'ZMEDIALOCALPATH',
  'ZFILESIZE',
  'ZTITLE',
  'ZLATITUDE',
  'ZLONGITUDE',
  'ZVCARDNAME',
  'ZVCARDSTRING',
  'ZMEDIAURL',
] as const;

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
  };
}

const TYPE_NAMES: Record<number, string> = {
  [WA_TYPE.image]: 'image',
  [WA_TYPE.video]: 'video',
  [WA_TYPE.audio]: 'audio',
  [WA_TYPE.document]: 'document',
  [WA_TYPE.gif]: 'GIF',
  [WA_TYPE.sticker]: 'sticker',
};

class Reader {
  readonly chats = new Map<number, ChatInfo>();
  readonly members = new Map<number, Member>();
  readonly pushNames = new Map<string, string>();
  readonly mediaByPk = new Map<number, MediaRow>();
  readonly mediaByMessage = new Map<number, MediaRow>();
  ownerJid: string | null = null;
  missingMedia: string[] = [];

  constructor(
    readonly db: ArtifactDatabase,
    readonly problems: DatabaseProblems,
    readonly source: ArtifactSource,
    readonly options: ReadOptions,
  ) {}

  private table(name: string): boolean {
    return this.db.hasTable(name);
  }

  load(): void {
    const db = this.db;
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
      for (const r of db.all(
        `SELECT ${columnList(db, 'ZWACHATSESSION', CHAT_COLUMNS)} FROM ZWACHATSESSION ORDER BY Z_PK`,
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
      for (const r of db.all(
        `SELECT ${columnList(db, 'ZWAGROUPMEMBER', MEMBER_COLUMNS)} FROM ZWAGROUPMEMBER ORDER BY Z_PK`,
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
      for (const r of db.all(
        `SELECT ${columnList(db, 'ZWAMEDIAITEM', MEDIA_COLUMNS)} FROM ZWAMEDIAITEM`,
      ))
        this.addMedia(mediaRow(r));
      if (this.options.recoverDeleted !== false) {
        for (const r of db.recovered('ZWAMEDIAITEM')) {
          const m = mediaRow({ ...r.values, Z_PK: r.rowid ?? get(r.values, 'Z_PK') });
          if (!this.mediaByPk.has(m.pk)) this.addMedia(m);
        }
      }
    } else this.warn('has no ZWAMEDIAITEM table: attachments not read');
  }

  private addMedia(m: MediaRow): void {
    this.mediaByPk.set(m.pk, m);
    if (m.message !== null && !this.mediaByMessage.has(m.message))
      this.mediaByMessage.set(m.message, m);
  }

  private warn(message: string): void {
    this.problems.warn(`${this.db.label} ${message}`);
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
    let fileName = named ? basename(named) : `${TYPE_NAMES[type] ?? 'attachment'}-${m.pk}`;
    if (!fileName) fileName = `attachment-${m.pk}`;
    const mimeFromColumn =
      m.vcardString && /^[a-z]+\/[\w.+-]+$/i.test(m.vcardString) ? m.vcardString : null;
    const mimeType = mimeFromColumn ?? MIME_BY_EXT[extname(fileName).toLowerCase()] ?? null;
    const base: MessageAttachment = {
      domain: WHATSAPP_DOMAIN,
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
      const entry = this.source.find(WHATSAPP_DOMAIN, candidate);
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
    return { ...base, relativePath: candidates[0]! };
  }

  message(r: Row, chat: ChatInfo | undefined, recovered?: RecoveredMark): ConversationMessage {
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
    const mediaPk = num(get(r, 'ZMEDIAITEM'));
    const media =
      (mediaPk !== null ? this.mediaByPk.get(mediaPk) : undefined) ??
      (pk !== null ? this.mediaByMessage.get(pk) : undefined);
    if (MEDIA_TYPES.has(type)) {
      if (media) msg.attachments.push(this.attachment(media, type));
      else
        msg.attachments.push({
          domain: null,
          relativePath: null,
          fileName: `${TYPE_NAMES[type]}-${pk}`,
          mimeType: null,
          size: null,
          present: false,
        });
    } else if (type === WA_TYPE.location) {
      const place = media?.title ? ` (${media.title})` : '';
      msg.text =
        media && media.lat !== null && media.lon !== null
          ? `Location: ${media.lat.toFixed(6)}, ${media.lon.toFixed(6)}${place}`
          : `Location${place}`;
    } else if (type === WA_TYPE.contact) {
      const phones = media?.vcardString
        ? [...media.vcardString.matchAll(/^(?:[\w-]+\.)?TEL[^:\r\n]*:(.+)$/gim)].map((m) =>
            m[1]!.trim(),
          )
        : [];
      msg.text = [`Contact card: ${media?.vcardName ?? msg.text ?? 'unnamed'}`, ...phones].join(
        '\n',
      );
    } else if (type === WA_TYPE.groupEvent) {
      msg.event = `Group update (event ${num(get(r, 'ZGROUPEVENTTYPE')) ?? '?'})`;
    } else if (type === WA_TYPE.system) {
      msg.event = msg.text ?? 'System notice (encryption or security update)';
    } else if (type === WA_TYPE.deleted) {
      msg.unsent = true;
    } else if (type !== WA_TYPE.text && type !== WA_TYPE.link) {
      if (!msg.text) msg.event = `Message of a type this version does not know (${type})`;
    }
    if (msg.event) msg.sender = null;
    if (recovered) msg.recovered = recovered;
    return msg;
  }

  participants(chat: ChatInfo, messages: ConversationMessage[]): Participant[] {
    const out = new Map<string, Participant>();
    const add = (jid: string | null, sourceName: string | null) => {
      if (!jid || jid === this.ownerJid || out.has(jid) || isGroupJid(jid)) return;
      const name = this.pushNames.get(jid) ?? sourceName ?? undefined;
      out.set(jid, name ? { handle: jid, name } : { handle: jid });
    };
    if (chat.group) {
      for (const m of this.members.values()) if (m.chat === chat.pk) add(m.jid, m.contactName);
    } else {
      add(chat.jid, chat.name);
    }
    for (const m of messages) add(m.sender, null);
    return [...out.values()];
  }
}

function byDate(a: ConversationMessage, b: ConversationMessage): number {
  return (
    (a.date?.getTime() ?? 0) - (b.date?.getTime() ?? 0) || (Number(a.id) || 0) - (Number(b.id) || 0)
  );
}

export const whatsAppArtifact = defineReader(whatsAppDeclaration, async (source, options) => {
  const data = emptyData<Conversation>('whatsapp');
  const found = await readDatabase(
    source,
    whatsAppDeclaration.locations.chats,
    data,
    { title: whatsAppDeclaration.title, recoverDeleted: options.recoverDeleted },
    (db, problems) => {
      data.notInBackup.push(
        'WhatsApp media that was never downloaded, or that was offloaded to iCloud, is listed but not in the backup.',
      );
      if (!db.hasTable('ZWAMESSAGE')) {
        problems.error(
          `${db.label} has no ZWAMESSAGE table (an unknown WhatsApp version?): no messages read`,
        );
        return;
      }
      const reader = new Reader(db, problems, source, options);
      reader.load();
      const rows = db.all(
        `SELECT ${columnList(db, 'ZWAMESSAGE', MESSAGE_COLUMNS)} FROM ZWAMESSAGE ORDER BY Z_PK`,
      );
      reader.guessOwner(rows);
      const byChat = new Map<number, ConversationMessage[]>();
      const push = (chatPk: number, m: ConversationMessage) => pushTo(byChat, chatPk, m);
      const live = new Set<number>();
      for (const r of rows) {
        const chatPk = num(r.ZCHATSESSION) ?? -1;
        live.add(Number(r.Z_PK));
        push(chatPk, reader.message(r, reader.chats.get(chatPk)));
      }
      if (options.recoverDeleted !== false) {
        // Carved records often lose their rowid (the first bytes of a freed cell are overwritten); a stanza id
        // that a live message still has marks a stale copy of a live row, not a deleted message.
        const liveStanzas = new Set(
          rows.map((r) => text(r.ZSTANZAID)).filter((x): x is string => x !== null),
        );
        let unknown = 0;
        for (const r of db.recovered('ZWAMESSAGE')) {
          const pk = r.rowid ?? num(get(r.values, 'Z_PK'));
          if (pk !== null && live.has(pk)) continue;
          const stanza = text(get(r.values, 'ZSTANZAID'));
          if (stanza && liveStanzas.has(stanza)) continue;
          const values = { ...r.values, Z_PK: pk ?? `deleted-${++unknown}` };
          // A carved record needs a date or some text to say anything.
          if (fromAppleTime(get(values, 'ZMESSAGEDATE')) === null && !text(get(values, 'ZTEXT')))
            continue;
          const chatPk = num(get(values, 'ZCHATSESSION')) ?? -1;
          push(chatPk, reader.message(values, reader.chats.get(chatPk), r.recovered));
        }
      }
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
        const conversation: Conversation = {
          id: String(chatPk),
          ...(chat.jid ? { guid: chat.jid } : {}),
          title: chat.name ?? (chat.group ? null : (participants[0]?.name ?? chat.jid)),
          isGroup: chat.group,
          participants,
          service: 'WhatsApp',
          messages,
        };
        if (chat.recovered) conversation.recovered = chat.recovered;
        data.items.push(conversation);
      }
      const missing = [...new Set(reader.missingMedia)];
      if (missing.length) {
        problems.warn(
          `${missing.length} attachment file(s) are not in the backup (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''})`,
        );
      }
    },
  );
  if (!held(found))
    data.notInBackup.push(
      'This backup holds no WhatsApp chats (ChatStorage.sqlite): WhatsApp is not installed, or its data was not backed up.',
    );
  return data;
});
