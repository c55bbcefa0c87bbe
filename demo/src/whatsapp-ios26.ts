import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate } from './apple-time.js';
import { writeCoreDataBookkeeping } from './core-data.js';
import { demoUUID } from './ids.js';
import { encodeJpeg } from './media/jpeg.js';
import { encodeMessage, type ProtoField } from './protobuf.js';
import {
  WHATSAPP_CHATSTORAGE_IOS26_SCHEMA,
  WHATSAPP_CONTACTSV2_IOS26_SCHEMA,
} from './schemas/whatsapp-chatstorage-ios26.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/**
 * ChatStorage.sqlite (and ContactsV2.sqlite) of a current WhatsApp, to the schema of
 * demo/src/schemas/whatsapp-chatstorage-ios26.ts, from a plain description: message types, reactions
 * and polls (ZWAMESSAGEINFO.ZRECEIPTINFO), quoted replies and calls (ZWAMEDIAITEM.ZMETADATA) with the
 * protobuf field numbers IPED reads (ExtractorIOS.java) and the real iOS-15-era file shows.
 */

export const WHATSAPP_SHARED = 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared';
export const WHATSAPP_BUSINESS_SHARED = 'AppDomainGroup-group.net.whatsapp.WhatsAppSMB.shared';

export const waJid = (phone: string) => `${phone.replace(/^\+/, '')}@s.whatsapp.net`;

export interface WaChatSpec {
  pk: number;
  jid: string;
  name: string | null;
  group?: boolean;
}
export interface WaMemberSpec {
  pk: number;
  chatPk: number;
  jid: string;
  name: string;
}
export interface WaMediaSpec {
  /** Relative to the container's Message/ folder; none: never downloaded. */
  localPath?: string;
  data?: Buffer;
  /** false: the database names the file but the backup does not hold it. */
  inBackup?: boolean;
  mime?: string;
  title?: string;
  vcardName?: string;
  vcardString?: string;
  metadata?: Buffer;
}
export interface WaMessageSpec {
  pk: number;
  chatPk: number;
  fromMe: boolean;
  memberPk?: number;
  date: string;
  text?: string | null;
  /** ZMESSAGETYPE (0 text). */
  type?: number;
  groupEvent?: number;
  /** ZMESSAGESTATUS of a sent message (1 sent, 6 delivered, 8 read). */
  status?: number;
  media?: WaMediaSpec;
  /** ZWAMESSAGEINFO.ZRECEIPTINFO. */
  receipt?: Buffer;
  stanza?: string;
}
export interface WaSpec {
  ownerJid: string;
  chats: WaChatSpec[];
  members: WaMemberSpec[];
  pushNames: Array<{ jid: string; name: string }>;
  messages: WaMessageSpec[];
  /** ContactsV2.sqlite rows; null: the backup has no contacts database. */
  contacts: Array<{ jid: string; fullName: string }> | null;
}

export const waStanza = (pk: number) => demoUUID(`wa26-stanza-${pk}`).replace(/-/g, '');

/** ZRECEIPTINFO field 7: reactions from others (7.1 with JID) and the owner's (7.2). */
export function waReactions(
  reactions: Array<{ from: string | null; emoji: string; at: string; key: string }>,
): ProtoField {
  return {
    field: 7,
    message: reactions.map((r) =>
      r.from
        ? {
            field: 1,
            message: [
              { field: 1, bytes: r.key },
              { field: 2, bytes: r.from },
              { field: 3, bytes: r.emoji },
              { field: 4, varint: Date.parse(r.at) },
            ],
          }
        : {
            field: 2,
            message: [
              { field: 1, bytes: r.key },
              { field: 2, bytes: r.emoji },
              { field: 3, varint: Date.parse(r.at) },
              { field: 4, varint: 1 },
            ],
          },
    ),
  };
}

/** ZMETADATA of a reply: 5 quoted stanza id, 3 quoted sender (absent: the owner), 19.1 the quoted text. */
export function waQuoteMetadata(stanza: string, sender: string | null, text: string): Buffer {
  return encodeMessage([
    { field: 5, bytes: stanza },
    ...(sender ? [{ field: 3, bytes: sender }] : []),
    { field: 19, message: [{ field: 1, bytes: text }] },
  ]);
}

/** ZMETADATA of a call message: 87.1.3 its length in seconds, as decimal text. */
export const waCallMetadata = (seconds: number) =>
  encodeMessage([
    { field: 87, message: [{ field: 1, message: [{ field: 3, bytes: String(seconds) }] }] },
  ]);

export const WA_PHOTO = encodeJpeg({
  width: 12,
  height: 12,
  corners: {
    topLeft: [30, 120, 200],
    topRight: [200, 120, 30],
    bottomLeft: [30, 200, 120],
    bottomRight: [120, 30, 200],
  },
});

export function buildWhatsAppIos26(
  spec: WaSpec,
  domain = WHATSAPP_SHARED,
  modified = '2025-10-02T09:00:00Z',
): BackupFileInput[] {
  let mediaPk = 0;
  let infoPk = 0;
  const files: BackupFileInput[] = [];
  const db = buildSqliteFile(WHATSAPP_CHATSTORAGE_IOS26_SCHEMA, (db) => {
    spec.pushNames.forEach((p, i) =>
      insertRow(db, 'ZWAPROFILEPUSHNAME', {
        Z_PK: i + 1,
        Z_ENT: 13,
        Z_OPT: 1,
        ZJID: p.jid,
        ZPUSHNAME: p.name,
      }),
    );
    for (const c of spec.chats) {
      const last = spec.messages.filter((m) => m.chatPk === c.pk).at(-1);
      insertRow(db, 'ZWACHATSESSION', {
        Z_PK: c.pk,
        Z_ENT: 4,
        Z_OPT: 1,
        ZARCHIVED: 0,
        ZHIDDEN: 0,
        ZREMOVED: 0,
        ZSESSIONTYPE: c.group ? 1 : 0,
        ZUNREADCOUNT: 0,
        ZMESSAGECOUNTER: spec.messages.filter((m) => m.chatPk === c.pk).length,
        ZLASTMESSAGE: last?.pk ?? null,
        ZLASTMESSAGEDATE: last ? appleSeconds(last.date) : null,
        ZCONTACTJID: c.jid,
        ZPARTNERNAME: c.name,
      });
    }
    for (const m of spec.members)
      insertRow(db, 'ZWAGROUPMEMBER', {
        Z_PK: m.pk,
        Z_ENT: 6,
        Z_OPT: 1,
        ZISACTIVE: 1,
        ZCHATSESSION: m.chatPk,
        ZCONTACTNAME: m.name,
        ZMEMBERJID: m.jid,
      });
    spec.messages.forEach((m, i) => {
      const chat = spec.chats.find((c) => c.pk === m.chatPk)!;
      let media: number | null = null;
      if (m.media) {
        media = ++mediaPk;
        insertRow(db, 'ZWAMEDIAITEM', {
          Z_PK: media,
          Z_ENT: 8,
          Z_OPT: 1,
          ZMESSAGE: m.pk,
          ZFILESIZE: m.media.data?.length ?? null,
          ZMEDIALOCALPATH: m.media.localPath ?? null,
          ZTITLE: m.media.title ?? null,
          ZVCARDNAME: m.media.vcardName ?? null,
          ZVCARDSTRING: m.media.vcardString ?? m.media.mime ?? null,
          ZMETADATA: m.media.metadata ?? null,
        });
        if (m.media.localPath && m.media.data && m.media.inBackup !== false)
          files.push({
            domain,
            relativePath: `Message/${m.media.localPath}`,
            data: m.media.data,
            modified: asDate(m.date),
          });
      }
      let info: number | null = null;
      if (m.receipt) {
        info = ++infoPk;
        insertRow(db, 'ZWAMESSAGEINFO', {
          Z_PK: info,
          Z_ENT: 11,
          Z_OPT: 1,
          ZMESSAGE: m.pk,
          ZRECEIPTINFO: m.receipt,
        });
      }
      const member = spec.members.find((x) => x.pk === m.memberPk);
      insertRow(db, 'ZWAMESSAGE', {
        Z_PK: m.pk,
        Z_ENT: 9,
        Z_OPT: 1,
        ZISFROMME: m.fromMe ? 1 : 0,
        ZMESSAGESTATUS: m.fromMe ? (m.status ?? 8) : 0,
        ZMESSAGETYPE: m.type ?? 0,
        ZGROUPEVENTTYPE: m.groupEvent ?? 0,
        ZSORT: i + 1,
        ZCHATSESSION: m.chatPk,
        ZGROUPMEMBER: m.memberPk ?? null,
        ZMEDIAITEM: media,
        ZMESSAGEINFO: info,
        ZMESSAGEDATE: appleSeconds(m.date),
        ZSENTDATE: appleSeconds(m.date),
        ZFROMJID: m.fromMe ? null : (member?.jid ?? chat.jid),
        ZTOJID: m.fromMe ? chat.jid : spec.ownerJid,
        ZSTANZAID: m.stanza ?? waStanza(m.pk),
        ZTEXT: m.text ?? null,
      });
    });
    writeCoreDataBookkeeping(
      db,
      [
        ['WAChatSession', spec.chats.length],
        ['WAGroupMember', spec.members.length],
        ['WAMediaItem', mediaPk],
        ['WAMessage', spec.messages.length],
        ['WAMessageInfo', infoPk],
        ['WAProfilePushName', spec.pushNames.length],
      ].map(([name, max], i) => ({ ent: i + 1, name: name as string, max: max as number })),
      {
        storeUUID: demoUUID(`whatsapp26-${domain}`),
        frameworkVersion: 1522,
        modelVersionIdentifiers: ['2.25.26'],
      },
    );
  });
  files.unshift({
    domain,
    relativePath: 'ChatStorage.sqlite',
    data: db,
    modified: asDate(modified),
  });
  if (spec.contacts) {
    const contacts = buildSqliteFile(WHATSAPP_CONTACTSV2_IOS26_SCHEMA, (db) => {
      spec.contacts!.forEach((c, i) =>
        insertRow(db, 'ZWAADDRESSBOOKCONTACT', {
          Z_PK: i + 1,
          Z_ENT: 1,
          Z_OPT: 1,
          ZWHATSAPPID: c.jid,
          ZFULLNAME: c.fullName,
          ZPHONENUMBER: `+${c.jid.split('@')[0]}`,
        }),
      );
      writeCoreDataBookkeeping(
        db,
        [{ ent: 1, name: 'WAAddressBookContact', max: spec.contacts!.length }],
        {
          storeUUID: demoUUID(`whatsapp26-contacts-${domain}`),
          frameworkVersion: 1522,
          modelVersionIdentifiers: ['2.25.26'],
        },
      );
    });
    files.push({
      domain,
      relativePath: 'ContactsV2.sqlite',
      data: contacts,
      modified: asDate(modified),
    });
  }
  return files;
}
