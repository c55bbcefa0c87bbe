import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate } from './apple-time.js';
import { writeCoreDataBookkeeping } from './core-data.js';
import { demoUUID } from './ids.js';
import { encodeJpeg } from './media/jpeg.js';
import { person } from './people.js';
import { WHATSAPP_CHATSTORAGE_IOS15_SCHEMA } from './schemas/whatsapp-chatstorage-ios15.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/**
 * WhatsApp ChatStorage.sqlite (AppDomainGroup-group.net.whatsapp.WhatsApp.shared) with the real schema and entity
 * numbers of the iOS 15 fixture. ZMESSAGETYPE 0 text, 1 image; ZSESSIONTYPE 0 one-to-one, 1 group.
 * Media: ZMEDIALOCALPATH is relative to the container's Message/ folder, as in the real file.
 */

export const WHATSAPP_DOMAIN = 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared';

const jid = (e164: string) => `${e164.replace(/^\+/, '')}@s.whatsapp.net`;

export interface DemoWaMember {
  pk: number;
  jid: string;
  name: string;
}
export interface DemoWaChat {
  pk: number;
  jid: string;
  name: string;
  group: boolean;
  memberPks: number[];
}
export interface DemoWaMessage {
  pk: number;
  chatPk: number;
  fromMe: boolean;
  memberPk: number | null;
  date: string;
  text: string | null;
  mediaPk: number | null;
}
export interface DemoWaMedia {
  pk: number;
  messagePk: number;
  localPath: string;
  relativePath: string;
  data: Buffer;
}
export interface WhatsAppData {
  ownerJid: string;
  members: DemoWaMember[];
  chats: DemoWaChat[];
  messages: DemoWaMessage[];
  media: DemoWaMedia[];
  /** Messages (by pk) deleted again after they were written, with secure_delete off. None in the bundled demo. */
  deletedPks?: number[];
  /** Media files (by media pk) left out of the backup although the database names them. None in the bundled demo. */
  missingMediaPks?: number[];
}

export function whatsAppData(): WhatsAppData {
  const priya = person('priya'),
    jamie = person('jamie');
  const groupJid = '120363041877520391@g.us';
  const localPath = `Media/${groupJid}/7/3/${demoUUID('wa-media-1').toLowerCase()}.jpg`;
  let pk = 0;
  const msg = (
    chatPk: number,
    fromMe: boolean,
    memberPk: number | null,
    date: string,
    text: string | null,
    mediaPk: number | null = null,
  ): DemoWaMessage => ({
    pk: ++pk,
    chatPk,
    fromMe,
    memberPk,
    date,
    text,
    mediaPk,
  });
  return {
    ownerJid: '14155550100@s.whatsapp.net',
    members: [
      { pk: 1, jid: jid(jamie.phone), name: 'Jamie' },
      { pk: 2, jid: jid(priya.phone), name: 'Priya' },
    ],
    chats: [
      { pk: 1, jid: jid(priya.phone), name: 'Priya Patel', group: false, memberPks: [] },
      { pk: 2, jid: groupJid, name: 'Book Club', group: true, memberPks: [1, 2] },
    ],
    messages: [
      msg(1, false, null, '2024-09-28T16:00:00Z', 'Are you coming to the farmers market tomorrow?'),
      msg(1, true, null, '2024-09-28T16:04:30Z', 'Yes, around 10'),
      msg(1, false, null, '2024-09-28T16:05:10Z', 'Great, meet by the coffee stand'),
      msg(2, false, 1, '2024-09-30T18:30:00Z', 'Next pick: Piranesi?'),
      msg(2, false, 2, '2024-09-30T18:32:40Z', 'Loved it, happy to reread'),
      msg(2, true, null, '2024-09-30T18:35:00Z', "I'm in. Here's my copy"),
      msg(2, true, null, '2024-09-30T18:35:20Z', null, 1),
      msg(2, false, 1, '2024-09-30T18:40:00Z', 'Sunday 4pm at my place then'),
    ],
    media: [
      {
        pk: 1,
        messagePk: 7,
        localPath,
        relativePath: `Message/${localPath}`,
        data: encodeJpeg({
          width: 32,
          height: 48,
          corners: {
            topLeft: [60, 70, 90],
            topRight: [80, 90, 110],
            bottomLeft: [150, 120, 90],
            bottomRight: [170, 140, 100],
          },
        }),
      },
    ],
  };
}

export function buildWhatsApp(data: WhatsAppData = whatsAppData()): BackupFileInput[] {
  const db = buildSqliteFile(WHATSAPP_CHATSTORAGE_IOS15_SCHEMA, (db) => {
    insertRow(db, 'ZWAPROFILEPUSHNAME', {
      Z_PK: 1,
      Z_ENT: 13,
      Z_OPT: 1,
      ZJID: data.members[1].jid,
      ZPUSHNAME: 'Priya',
    });
    insertRow(db, 'ZWAPROFILEPUSHNAME', {
      Z_PK: 2,
      Z_ENT: 13,
      Z_OPT: 1,
      ZJID: data.members[0].jid,
      ZPUSHNAME: 'Jamie C',
    });
    for (const c of data.chats) {
      const messages = data.messages.filter((m) => m.chatPk === c.pk);
      const last =
        messages.filter((m) => !data.deletedPks?.includes(m.pk)).at(-1) ?? messages.at(-1)!;
      insertRow(db, 'ZWACHATSESSION', {
        Z_PK: c.pk,
        Z_ENT: 4,
        Z_OPT: 1,
        ZARCHIVED: 0,
        ZHIDDEN: 0,
        ZMESSAGECOUNTER: messages.length,
        ZREMOVED: 0,
        ZSESSIONTYPE: c.group ? 1 : 0,
        ZUNREADCOUNT: 0,
        ZGROUPINFO: c.group ? 1 : null,
        ZLASTMESSAGE: last.pk,
        ZLASTMESSAGEDATE: appleSeconds(last.date),
        ZCONTACTJID: c.jid,
        ZLASTMESSAGETEXT: last.text,
        ZPARTNERNAME: c.name,
      });
      if (c.group) {
        insertRow(db, 'ZWAGROUPINFO', {
          Z_PK: 1,
          Z_ENT: 5,
          Z_OPT: 1,
          ZCHATSESSION: c.pk,
          ZCREATIONDATE: appleSeconds('2024-09-01T12:00:00Z'),
          ZCREATORJID: data.members[0].jid,
          ZOWNERJID: data.members[0].jid,
        });
        for (const m of data.members.filter((x) => c.memberPks.includes(x.pk))) {
          insertRow(db, 'ZWAGROUPMEMBER', {
            Z_PK: m.pk,
            Z_ENT: 6,
            Z_OPT: 1,
            ZISACTIVE: 1,
            ZISADMIN: m.pk === 1 ? 1 : 0,
            ZCHATSESSION: c.pk,
            ZCONTACTNAME: m.name,
            ZMEMBERJID: m.jid,
          });
        }
      }
    }
    data.messages.forEach((m, i) => {
      const chat = data.chats.find((c) => c.pk === m.chatPk)!;
      insertRow(db, 'ZWAMESSAGE', {
        Z_PK: m.pk,
        Z_ENT: 9,
        Z_OPT: 1,
        ZISFROMME: m.fromMe ? 1 : 0,
        ZMESSAGESTATUS: m.fromMe ? 8 : 0,
        ZMESSAGETYPE: m.mediaPk ? 1 : 0,
        ZSORT: i + 1,
        ZCHATSESSION: m.chatPk,
        ZGROUPMEMBER: m.memberPk,
        ZMEDIAITEM: m.mediaPk,
        ZMESSAGEDATE: appleSeconds(m.date),
        ZSENTDATE: appleSeconds(m.date),
        ZFROMJID: m.fromMe ? null : chat.jid,
        ZTOJID: m.fromMe ? chat.jid : null,
        ZSTANZAID: demoUUID(`wa-stanza-${m.pk}`).replace(/-/g, '').slice(0, 20),
        ZTEXT: m.text,
      });
    });
    for (const media of data.media) {
      insertRow(db, 'ZWAMEDIAITEM', {
        Z_PK: media.pk,
        Z_ENT: 8,
        Z_OPT: 1,
        ZFILESIZE: media.data.length,
        ZMESSAGE: media.messagePk,
        ZMEDIALOCALPATH: media.localPath,
        ZVCARDSTRING: 'image/jpeg',
      });
    }
    if (data.deletedPks?.length) {
      db.pragma('secure_delete = OFF');
      for (const pk of data.deletedPks) db.prepare('DELETE FROM ZWAMESSAGE WHERE Z_PK = ?').run(pk);
    }
    const max: Record<string, number> = {
      WAChatSession: data.chats.length,
      WAGroupInfo: 1,
      WAGroupMember: data.members.length,
      WAMediaItem: data.media.length,
      WAMessage: data.messages.length,
      WAProfilePushName: 2,
    };
    const names = [
      'WABlackListItem',
      'WAChatProperties',
      'WAChatPushConfig',
      'WAChatSession',
      'WAGroupInfo',
      'WAGroupMember',
      'WAGroupMembersChange',
      'WAMediaItem',
      'WAMessage',
      'WAMessageDataItem',
      'WAMessageInfo',
      'WAProfilePictureItem',
      'WAProfilePushName',
      'WAVCardMention',
      'WAZ1PaymentTransaction',
    ];
    writeCoreDataBookkeeping(
      db,
      names.map((name, i) => ({ ent: i + 1, name, max: max[name] ?? 0 })),
      {
        storeUUID: demoUUID('whatsapp-chatstorage'),
        frameworkVersion: 1145,
        modelVersionIdentifiers: ['2.12.14'],
      },
    );
  });
  return [
    {
      domain: WHATSAPP_DOMAIN,
      relativePath: 'ChatStorage.sqlite',
      data: db,
      modified: asDate('2024-09-30T18:40:05Z'),
    },
    ...data.media
      .filter((m) => !data.missingMediaPks?.includes(m.pk))
      .map((m) => ({
        domain: WHATSAPP_DOMAIN,
        relativePath: m.relativePath,
        data: m.data,
        modified: asDate('2024-09-30T18:35:20Z'),
      })),
  ];
}
