// An sms.db description with every message kind of iOS 18 and 26 that the Messages reader must give back
// as the person saw it (built to the iOS 26 schema by buildSmsDb('ios26', ...); used by the tests).
import { keyedArchive } from './keyed-archive.js';
import { encodeJpeg } from './media/jpeg.js';
import { encodeMessage } from './protobuf.js';
import { smsAttachmentGuid, smsMessageGuid, type SmsSpec } from './sms-db.js';

export const JAMIE = '+14155550123';
export const PRIYA = '+14155550145';
export const SAM = 'sam@example.com';
export const HIKER = '+14155550177';

export const PHOTO = encodeJpeg({
  width: 8,
  height: 8,
  corners: {
    topLeft: [200, 40, 40],
    topRight: [40, 200, 40],
    bottomLeft: [40, 40, 200],
    bottomRight: [220, 220, 220],
  },
});
/** A 1x1 PNG (sticker and Genmoji images). */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f45e310000000049454e44ae426082',
  'hex',
);
/** Core Audio Format (a voice message) and AMR headers, enough for a type to be recognised. */
export const CAF = Buffer.concat([Buffer.from('caff0001', 'hex'), Buffer.alloc(60, 1)]);
export const AMR = Buffer.concat([Buffer.from('#!AMR\n', 'latin1'), Buffer.alloc(40, 2)]);

/** Check In's estimatedEndTime in Unix seconds: 2024-05-29T16:26:40.500Z. */
export const CHECK_IN_END = 1717000000.5;

const POLL_GUID = () => smsMessageGuid(60);
const pollPayload = (item: unknown) =>
  keyedArchive({
    URL: {
      $url: `data:,${Buffer.from(JSON.stringify({ version: 1, item })).toString('base64url')}`,
    },
  });
const vote = (option: string, voter: string) =>
  pollPayload({ votes: [{ voteOptionIdentifier: option, participantHandle: voter }] });

/** Handwriting strokes as iOS stores them: int16 little-endian XOR 0x8000 (imessage-exporter handwriting.proto). */
function handwritingPayload(): Buffer {
  const i16 = (v: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE((v ^ 0x8000) & 0xffff);
    return b;
  };
  const stroke = (points: Array<[number, number]>) =>
    Buffer.concat([
      (() => {
        const b = Buffer.alloc(2);
        b.writeUInt16LE(points.length);
        return b;
      })(),
      ...points.map(([x, y]) => Buffer.concat([i16(x), i16(y), i16(4), i16(0)])),
    ]);
  const strokes = Buffer.concat([
    stroke([
      [10, 10],
      [40, 60],
      [70, 10],
    ]),
    stroke([
      [90, 10],
      [90, 60],
    ]),
  ]);
  return encodeMessage([
    { field: 3, bytes: 'e8fae151-5b83-4efa-98c6-b207381f004c' },
    {
      field: 4,
      message: [
        { field: 3, bytes: Buffer.concat([i16(0), i16(0), i16(100), i16(70)]) },
        { field: 4, varint: 2 },
        { field: 5, varint: 1 },
        { field: 8, bytes: strokes },
      ],
    },
  ]);
}

export function smsIos26Spec(): SmsSpec {
  const at = (minute: number) => new Date(Date.UTC(2025, 9, 1, 12, minute)).toISOString();
  return {
    handles: [
      { rowid: 1, id: JAMIE, service: 'iMessage' },
      { rowid: 2, id: JAMIE, service: 'RCS' },
      { rowid: 3, id: PRIYA, service: 'SMS' },
      { rowid: 4, id: SAM, service: 'iMessage' },
      { rowid: 5, id: HIKER, service: 'SatelliteSMS' },
    ],
    chats: [
      { rowid: 1, identifier: JAMIE, handleRowids: [1] },
      { rowid: 2, identifier: JAMIE, service: 'RCS', handleRowids: [2] },
      {
        rowid: 3,
        identifier: 'chat777000111',
        group: true,
        displayName: 'Trip',
        handleRowids: [1, 4],
      },
      { rowid: 4, identifier: PRIYA, service: 'SMS', handleRowids: [3] },
      // iOS 26 OneChat: one chat for a person across services ("any")
      { rowid: 5, identifier: SAM, service: 'any', handleRowids: [4] },
      { rowid: 6, identifier: HIKER, service: 'SatelliteSMS', handleRowids: [5] },
    ],
    attachments: [
      {
        rowid: 1,
        transferName: 'sticker.png',
        mimeType: 'image/png',
        data: PNG,
        isSticker: true,
        createdAt: at(3),
      },
      {
        rowid: 2,
        transferName: 'genmoji.png',
        mimeType: 'image/png',
        data: PNG,
        genmoji: { description: 'a cake with sparklers' },
        createdAt: at(4),
      },
      {
        rowid: 3,
        transferName: 'corgi.png',
        mimeType: 'image/png',
        data: PNG,
        genmoji: { description: 'a corgi surfing' },
        createdAt: at(5),
      },
      {
        rowid: 4,
        transferName: 'Audio Message.caf',
        mimeType: null,
        uti: 'com.apple.coreaudio-format',
        data: CAF,
        createdAt: at(40),
      },
      {
        rowid: 5,
        transferName: 'Audio Message.amr',
        mimeType: null,
        uti: 'org.3gpp.adaptive-multi-rate-audio',
        data: AMR,
        inBackup: false,
        createdAt: at(41),
      },
      { rowid: 6, transferName: 'Voice.amr', mimeType: 'audio/amr', data: AMR, createdAt: at(42) },
      { rowid: 7, transferName: 'IMG_7012', mimeType: null, data: PHOTO, createdAt: at(44) },
    ],
    messages: [
      // iOS 18 formatting and text effects inside attributedBody
      {
        rowid: 1,
        chatRowid: 1,
        handleRowid: 1,
        date: at(1),
        text: "Happy birthday, Sam! Don't be late",
        textColumn: false,
        runs: [
          {
            length: 14,
            attributes: { __kIMMessagePartAttributeName: 0, __kIMTextEffectAttributeName: 5 },
          },
          { length: 2, attributes: { __kIMMessagePartAttributeName: 0 } },
          {
            length: 3,
            attributes: {
              __kIMMessagePartAttributeName: 0,
              __kIMTextBoldAttributeName: 1,
              __kIMTextItalicAttributeName: 1,
            },
          },
          { length: 2, attributes: { __kIMMessagePartAttributeName: 0 } },
          {
            length: 5,
            attributes: { __kIMMessagePartAttributeName: 0, __kIMTextUnderlineAttributeName: 1 },
          },
          { length: 4, attributes: { __kIMMessagePartAttributeName: 0 } },
          {
            length: 4,
            attributes: {
              __kIMMessagePartAttributeName: 0,
              __kIMTextStrikethroughAttributeName: 1,
            },
          },
        ],
      },
      { rowid: 2, chatRowid: 1, handleRowid: 0, date: at(2), text: 'Thanks! See you at 7' },
      // tapbacks: any emoji (2006), a sticker placed on the bubble (1000), a Genmoji tapback (2007)
      {
        rowid: 3,
        chatRowid: 1,
        handleRowid: 1,
        date: at(3),
        text: null,
        tapback: { type: 2006, targetRowid: 2, emoji: '\u{1F389}' },
      },
      {
        rowid: 4,
        chatRowid: 1,
        handleRowid: 1,
        date: at(3.5),
        text: null,
        tapback: { type: 1000, targetRowid: 2 },
        attachmentRowids: [1],
      },
      {
        rowid: 5,
        chatRowid: 1,
        handleRowid: 0,
        date: at(4),
        text: null,
        tapback: { type: 2007, targetRowid: 1 },
        attachmentRowids: [2],
      },
      // a Genmoji inline in a message
      {
        rowid: 6,
        chatRowid: 1,
        handleRowid: 1,
        date: at(5),
        text: 'Look at him ',
        attachmentRowids: [3],
        runs: [
          {
            length: 1,
            attributes: {
              __kIMMessagePartAttributeName: 0,
              __kIMFileTransferGUIDAttributeName: smsAttachmentGuid(3),
              __kIMEmojiImageAttributeName: 1,
            },
          },
          { length: 12, attributes: { __kIMMessagePartAttributeName: 1 } },
        ],
      },
      // expressive send: a screen effect and a bubble effect
      {
        rowid: 7,
        chatRowid: 1,
        handleRowid: 1,
        date: at(6),
        text: 'Happy new year!',
        effect: 'com.apple.messages.effect.CKFireworksEffect',
      },
      {
        rowid: 8,
        chatRowid: 1,
        handleRowid: 0,
        date: at(7),
        text: 'secret plan',
        effect: 'com.apple.MobileSMS.expressivesend.invisibleink',
      },
      // RCS (iOS 18) in its own chat with the same person
      {
        rowid: 9,
        chatRowid: 2,
        handleRowid: 2,
        date: at(8),
        text: 'Sent over RCS from my Android',
        service: 'RCS',
      },
      // SharePlay
      { rowid: 10, chatRowid: 1, handleRowid: 1, date: at(9), text: null, itemType: 6 },
      // link preview and a collaboration invitation
      {
        rowid: 11,
        chatRowid: 1,
        handleRowid: 0,
        date: at(10),
        text: 'https://example.org/article',
        balloon: 'com.apple.messages.URLBalloonProvider',
        payload: keyedArchive({
          richLinkMetadata: {
            $class: 'LPLinkMetadata',
            title: 'An article worth reading',
            summary: 'What the page says about itself',
            siteName: 'Example News',
            URL: { $url: 'https://example.org/article' },
            originalURL: { $url: 'https://example.org/article' },
          },
        }),
      },
      {
        rowid: 12,
        chatRowid: 1,
        handleRowid: 1,
        date: at(11),
        text: 'https://www.icloud.com/freeform/0abc#Trip_plan',
        balloon: 'com.apple.messages.URLBalloonProvider',
        payload: keyedArchive({
          richLinkMetadata: {
            $class: 'LPLinkMetadata',
            originalURL: { $url: 'https://www.icloud.com/freeform/0abc#Trip_plan' },
            collaborationMetadata: {
              $class: 'LPSharedObjectMetadata',
              title: 'Trip plan',
              collaborationIdentifier: 'https://www.icloud.com/freeform/0abc',
              creationDate: 780000000,
            },
            specialization2: {
              $class: 'LPLinkMetadataSpecialization',
              specialization: { $class: 'LPCollaborationMetadata', application: 'Freeform' },
            },
          },
        }),
      },
      // Check In: its time is Unix seconds in the URL query, not nanoseconds since 2001
      {
        rowid: 13,
        chatRowid: 1,
        handleRowid: 0,
        date: at(12),
        text: '\ufffd',
        balloon:
          'com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.apple.SafetyMonitorApp.SafetyMonitorMessages',
        payload: keyedArchive({
          userInfo: { caption: 'Check In: Timer Started' },
          an: 'Check In',
          ldtext: 'Check In: Timer Started',
          URL: { $url: `?messageType=1&interfaceVersion=1&estimatedEndTime=${CHECK_IN_END}` },
        }),
      },
      // Apple Pay and a Business Chat form
      {
        rowid: 14,
        chatRowid: 1,
        handleRowid: 1,
        date: at(13),
        text: '\ufffd',
        balloon:
          'com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.apple.PassbookUIService.PeerPaymentMessagesExtension',
        payload: keyedArchive({
          userInfo: { caption: 'Apple\u00a0Cash', subcaption: '$25\u00a0Payment' },
          an: 'Apple\u00a0Pay',
          ldtext: 'Sent $25 with Apple\u00a0Pay.',
          URL: { $url: 'data:application/vnd.apple.pkppm;base64,AAAA' },
        }),
      },
      {
        rowid: 15,
        chatRowid: 4,
        handleRowid: 3,
        date: at(14),
        text: '\ufffd',
        balloon:
          'com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.apple.icloud.apps.messages.business.extension',
        payload: keyedArchive({
          userInfo: { caption: 'Choose a delivery slot', subcaption: 'Tomorrow 9\u201311 am' },
          an: 'Business',
          ldtext: 'Choose a delivery slot',
          URL: { $url: '?receivedMessage=33c3&replyMessage=6a99' },
        }),
      },
      // a third-party app message, and one whose content does not decode
      {
        rowid: 16,
        chatRowid: 1,
        handleRowid: 1,
        date: at(15),
        text: '\ufffd',
        balloon:
          'com.apple.messages.MSMessageExtensionBalloonPlugin:ABCDE12345:com.gamerdelights.gamepigeon.ext',
        payload: keyedArchive({
          userInfo: { caption: 'Your move.' },
          an: 'GamePigeon',
          ldtext: 'Dots & Boxes',
        }),
      },
      {
        rowid: 17,
        chatRowid: 1,
        handleRowid: 1,
        date: at(16),
        text: '\ufffd',
        balloon: 'com.apple.messages.MSMessageExtensionBalloonPlugin:ABCDE12345:com.example.broken',
        payload: Buffer.from('bplist00 damaged beyond reading'),
      },
      // handwriting and Digital Touch (raw protobuf payloads)
      {
        rowid: 18,
        chatRowid: 1,
        handleRowid: 1,
        date: at(17),
        text: '\ufffd',
        balloon: 'com.apple.Handwriting.HandwritingProvider',
        payload: handwritingPayload(),
      },
      {
        rowid: 19,
        chatRowid: 1,
        handleRowid: 1,
        date: at(18),
        text: '\ufffd',
        balloon: 'com.apple.DigitalTouchBalloonProvider',
        payload: encodeMessage([
          { field: 1, varint: 3 },
          { field: 3, message: [{ field: 1, float: 72 }] },
        ]),
      },
      // audio messages: one kept (with its transcript), one expired, an AMR one
      {
        rowid: 20,
        chatRowid: 1,
        handleRowid: 1,
        date: at(40),
        text: null,
        audio: { expirable: false },
        attachmentRowids: [4],
        runs: [
          {
            length: 1,
            attributes: {
              __kIMMessagePartAttributeName: 0,
              __kIMFileTransferGUIDAttributeName: smsAttachmentGuid(4),
              IMAudioTranscription: 'Call me when you land',
            },
          },
        ],
      },
      { rowid: 21, chatRowid: 1, handleRowid: 0, date: at(40.5), text: null, itemType: 5 },
      {
        rowid: 22,
        chatRowid: 1,
        handleRowid: 1,
        date: at(41),
        text: null,
        audio: { expirable: true },
        attachmentRowids: [5],
      },
      {
        rowid: 23,
        chatRowid: 1,
        handleRowid: 0,
        date: at(42),
        text: null,
        audio: { expirable: false },
        attachmentRowids: [6],
      },
      // an attachment stored without an extension
      { rowid: 24, chatRowid: 1, handleRowid: 1, date: at(44), text: null, attachmentRowids: [7] },
      // an edited first message of a reply thread, its reply, and a reply whose original is gone
      {
        rowid: 25,
        chatRowid: 1,
        handleRowid: 1,
        date: at(45),
        text: 'Dinner at 7?',
        textColumn: false,
        edits: [{ text: 'Dinner at 6?', date: at(45) }],
        editedAt: at(46),
      },
      {
        rowid: 26,
        chatRowid: 1,
        handleRowid: 0,
        date: at(47),
        text: 'Works for me',
        replyToRowid: 25,
      },
      {
        rowid: 27,
        chatRowid: 1,
        handleRowid: 1,
        date: at(48),
        text: 'About that old photo',
        replyToGuid: 'D0000000-0000-4000-8000-00000000DEAD',
      },
      // Shared with You
      {
        rowid: 28,
        chatRowid: 1,
        handleRowid: 1,
        date: at(49),
        text: 'Listen to this one',
        syndicationRanges: '{"0":{"type":1}}',
      },
      // satellite: SatelliteSMS, and iMessage via satellite off grid
      {
        rowid: 29,
        chatRowid: 6,
        handleRowid: 5,
        date: at(50),
        text: 'Out of coverage, all good',
        service: 'SatelliteSMS',
      },
      {
        rowid: 30,
        chatRowid: 6,
        handleRowid: 0,
        date: at(51),
        text: 'Glad to hear',
        service: 'iMessageLite',
        offGrid: true,
      },
      // iOS 26 chat background events, and location sharing
      {
        rowid: 31,
        chatRowid: 1,
        handleRowid: 1,
        date: at(52),
        text: null,
        itemType: 3,
        groupActionType: 4,
      },
      {
        rowid: 32,
        chatRowid: 1,
        handleRowid: 0,
        date: at(53),
        text: null,
        itemType: 3,
        groupActionType: 6,
      },
      {
        rowid: 33,
        chatRowid: 1,
        handleRowid: 1,
        date: at(54),
        text: null,
        itemType: 4,
        shareStatus: 0,
        shareDirection: 1,
      },
      // iOS 26 Live Translation kept in message_summary_info
      {
        rowid: 34,
        chatRowid: 4,
        handleRowid: 3,
        date: at(55),
        text: '\u00bfVamos ma\u00f1ana?',
        translation: { language: 'en', text: 'Shall we go tomorrow?' },
      },
      // a OneChat chat: its messages carry their own service
      { rowid: 35, chatRowid: 5, handleRowid: 4, date: at(56), text: 'Over iMessage' },
      {
        rowid: 36,
        chatRowid: 5,
        handleRowid: 4,
        date: at(57),
        text: 'And now over RCS',
        service: 'RCS',
      },
      // an iOS 26 poll in the group, an update adding an option, and votes (a later vote replaces an earlier one)
      {
        rowid: 60,
        chatRowid: 3,
        handleRowid: 0,
        date: at(20),
        text: '\ufffd',
        balloon:
          'com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.apple.messages.Polls',
        payload: pollPayload({
          title: 'Where to eat?',
          creatorHandle: 'owner@example.com',
          orderedPollOptions: [
            { optionIdentifier: 'A', text: 'Thai', creatorHandle: 'owner@example.com' },
            { optionIdentifier: 'B', text: 'Pizza', creatorHandle: 'owner@example.com' },
          ],
        }),
      },
      {
        rowid: 61,
        chatRowid: 3,
        handleRowid: 1,
        date: at(21),
        text: '\ufffd',
        balloon:
          'com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.apple.messages.Polls',
        associatedGuid: POLL_GUID(),
        payload: pollPayload({
          title: 'Where to eat?',
          orderedPollOptions: [
            { optionIdentifier: 'A', text: 'Thai' },
            { optionIdentifier: 'B', text: 'Pizza' },
            { optionIdentifier: 'C', text: 'Sushi', creatorHandle: JAMIE },
          ],
        }),
      },
      {
        rowid: 62,
        chatRowid: 3,
        handleRowid: 1,
        date: at(22),
        text: null,
        tapback: { type: 4000, targetRowid: 60 },
        payload: vote('C', JAMIE),
      },
      {
        rowid: 63,
        chatRowid: 3,
        handleRowid: 4,
        date: at(23),
        text: null,
        tapback: { type: 4000, targetRowid: 60 },
        payload: vote('B', SAM),
      },
      {
        rowid: 64,
        chatRowid: 3,
        handleRowid: 4,
        date: at(24),
        text: null,
        tapback: { type: 4000, targetRowid: 60 },
        payload: vote('A', SAM),
      },
      {
        rowid: 65,
        chatRowid: 3,
        handleRowid: 0,
        date: at(25),
        text: null,
        tapback: { type: 4000, targetRowid: 60 },
        payload: vote('A', 'owner@example.com'),
      },
    ],
  };
}
