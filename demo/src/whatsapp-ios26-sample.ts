// WhatsApp and WhatsApp Business databases with every message kind the WhatsApp reader must give back
// (built by buildWhatsAppIos26; used by the tests).
import { encodeMessage } from './protobuf.js';
import {
  WA_PHOTO,
  waCallMetadata,
  waJid,
  waQuoteMetadata,
  waReactions,
  waStanza,
  type WaSpec,
} from './whatsapp-ios26.js';

export const OWNER_WA = waJid('+14155550100');
export const PRIYA_WA = waJid('+14155550145');
export const JAMIE_WA = waJid('+14155550123');
export const SAM_WA = waJid('+14155550166');
export const CUSTOMER_WA = waJid('+14155550199');
/** A stanza id longer than the 20 bytes WhatsApp-Chat-Exporter once assumed (#218). */
export const LONG_STANZA = '3EB0C4F2A9D81B7765E0D3A1C9F0B2E4A7D6C5B3';

export const VCARDS = {
  names: ['2 contacts', 'Ana Lima', 'Bo Chen'].join('_$!<Name-Separator>!$_'),
  strings: [
    'BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\nTEL;type=CELL;waid=14155550101:+1 415 555 0101\nEND:VCARD',
    'BEGIN:VCARD\nVERSION:3.0\nFN:Bo Chen\nitem1.TEL:+1 415 555 0102\nEND:VCARD',
  ].join('_$!<VCard-Separator>!$_'),
};

export function whatsAppIos26Spec(): WaSpec {
  const at = (minute: number) => new Date(Date.UTC(2025, 9, 2, 8, minute)).toISOString();
  return {
    ownerJid: OWNER_WA,
    chats: [
      { pk: 1, jid: PRIYA_WA, name: 'Priya' },
      { pk: 2, jid: '120363041877520999@g.us', name: 'Climbing', group: true },
      { pk: 3, jid: 'status@broadcast', name: null },
      { pk: 4, jid: '120363300000000001@newsletter', name: 'Crag News' },
    ],
    members: [
      { pk: 1, chatPk: 2, jid: JAMIE_WA, name: 'Jamie' },
      { pk: 2, chatPk: 2, jid: SAM_WA, name: 'Sam' },
      { pk: 3, chatPk: 3, jid: JAMIE_WA, name: 'Jamie' },
    ],
    pushNames: [
      { jid: PRIYA_WA, name: 'Priya P' },
      { jid: JAMIE_WA, name: 'Jamie C' },
    ],
    contacts: [{ jid: PRIYA_WA, fullName: 'Priya Patel' }],
    messages: [
      {
        pk: 1,
        chatPk: 1,
        fromMe: false,
        date: at(1),
        text: 'Are you free Saturday?',
        receipt: encodeMessage([
          waReactions([{ from: null, emoji: '\u{1F44D}', at: at(2), key: waStanza(1) }]),
        ]),
      },
      {
        pk: 2,
        chatPk: 1,
        fromMe: true,
        date: at(3),
        text: 'Yes! Climbing?',
        status: 8,
        stanza: LONG_STANZA,
        receipt: encodeMessage([
          waReactions([{ from: PRIYA_WA, emoji: '\u2764\ufe0f', at: at(4), key: LONG_STANZA }]),
        ]),
      },
      {
        pk: 3,
        chatPk: 1,
        fromMe: false,
        date: at(5),
        text: 'Perfect, see you there',
        media: { metadata: waQuoteMetadata(LONG_STANZA, null, 'Yes! Climbing?') },
      },
      {
        pk: 4,
        chatPk: 1,
        fromMe: false,
        date: at(6),
        text: 'Still on for the old plan?',
        media: {
          metadata: waQuoteMetadata('3EB0DELETED0000000000', PRIYA_WA, 'Meet at the gym at 9'),
        },
      },
      {
        pk: 5,
        chatPk: 1,
        fromMe: false,
        date: at(7),
        type: 59,
        media: { metadata: waCallMetadata(125) },
      },
      {
        pk: 6,
        chatPk: 1,
        fromMe: false,
        date: at(8),
        type: 59,
        media: { metadata: waCallMetadata(0) },
      },
      {
        pk: 7,
        chatPk: 1,
        fromMe: false,
        date: at(9),
        type: 4,
        media: { vcardName: VCARDS.names, vcardString: VCARDS.strings },
      },
      { pk: 8, chatPk: 1, fromMe: true, date: at(10), text: 'On my way', status: 6 },
      { pk: 9, chatPk: 1, fromMe: false, date: at(11), type: 14 },
      {
        pk: 10,
        chatPk: 2,
        fromMe: true,
        date: at(12),
        type: 46,
        receipt: encodeMessage([
          {
            field: 8,
            message: [
              { field: 2, bytes: 'Which crag?' },
              { field: 3, message: [{ field: 1, bytes: 'North wall' }] },
              { field: 3, message: [{ field: 1, bytes: 'River boulders' }] },
            ],
          },
        ]),
      },
      {
        pk: 11,
        chatPk: 2,
        fromMe: false,
        memberPk: 1,
        date: at(13),
        type: 38,
        media: {
          localPath: 'Media/viewonce/abc.jpg',
          data: WA_PHOTO,
          inBackup: false,
          mime: 'image/jpeg',
        },
      },
      { pk: 12, chatPk: 2, fromMe: false, memberPk: 2, date: at(0), type: 6, groupEvent: 12 },
      { pk: 13, chatPk: 2, fromMe: false, date: at(0.5), type: 10, groupEvent: 2 },
      {
        pk: 14,
        chatPk: 2,
        fromMe: false,
        memberPk: 2,
        date: at(14),
        type: 99,
        text: 'Sent from a newer WhatsApp',
      },
      {
        pk: 15,
        chatPk: 3,
        fromMe: false,
        memberPk: 3,
        date: at(15),
        type: 1,
        media: {
          localPath: 'Media/status/summit.jpg',
          data: WA_PHOTO,
          mime: 'image/jpeg',
          title: 'Summit!',
        },
      },
      { pk: 16, chatPk: 4, fromMe: false, date: at(16), text: 'New route guide is out' },
    ],
  };
}

/** A WhatsApp Business account on the same phone (its own app group, no contacts database). */
export function whatsAppBusinessSpec(): WaSpec {
  return {
    ownerJid: waJid('+14155550111'),
    chats: [{ pk: 1, jid: CUSTOMER_WA, name: 'Customer Lee' }],
    members: [],
    pushNames: [],
    contacts: null,
    messages: [
      {
        pk: 1,
        chatPk: 1,
        fromMe: false,
        date: '2025-10-02T07:00:00Z',
        text: 'Is the shop open today?',
      },
      {
        pk: 2,
        chatPk: 1,
        fromMe: true,
        date: '2025-10-02T07:05:00Z',
        text: 'Yes, 9 to 5',
        status: 8,
      },
    ],
  };
}
