// A sample sms.db description exercising what the Messages reader must give back (used by the tests).
import { encodeJpeg } from './media/jpeg.js';
import type { SmsSchemaVersion, SmsSpec } from './sms-db.js';

export const JAMIE = '+14155550123';
export const PRIYA = '+14155550145';
export const SAM = 'sam@example.com';

export const JPEG = encodeJpeg({
  width: 16,
  height: 12,
  corners: {
    topLeft: [250, 10, 10],
    topRight: [10, 250, 10],
    bottomLeft: [10, 10, 250],
    bottomRight: [200, 200, 200],
  },
});
export const PDF = Buffer.from('%PDF-1.4\n% reclaim test attachment\n%%EOF\n');

/** A spec exercising what both iOS 15 and iOS 17 share; iOS 17 adds edits, unsends and Recently Deleted. */
export function smsSpec(version: SmsSchemaVersion): SmsSpec {
  const spec: SmsSpec = {
    handles: [
      { rowid: 1, id: JAMIE, service: 'iMessage' },
      { rowid: 2, id: PRIYA, service: 'SMS' },
      { rowid: 3, id: SAM, service: 'iMessage' },
      { rowid: 4, id: JAMIE, service: 'SMS' },
    ],
    chats: [
      { rowid: 1, identifier: JAMIE, handleRowids: [1] },
      {
        rowid: 2,
        identifier: 'chat555000111',
        group: true,
        displayName: 'Book Club',
        handleRowids: [1, 3],
      },
      { rowid: 3, identifier: PRIYA, service: 'SMS', handleRowids: [2] },
      // the same person over SMS: one conversation with the iMessage chat, as on the phone
      { rowid: 5, identifier: JAMIE, service: 'SMS', handleRowids: [4] },
    ],
    attachments: [
      {
        rowid: 1,
        transferName: 'IMG_0001.jpeg',
        mimeType: 'image/jpeg',
        uti: 'public.jpeg',
        data: JPEG,
        createdAt: '2024-03-08T17:20:00Z',
      },
      {
        rowid: 2,
        transferName: 'Reading list.pdf',
        mimeType: 'application/pdf',
        uti: 'com.adobe.pdf',
        data: PDF,
        createdAt: '2024-04-02T09:00:00Z',
      },
      {
        rowid: 3,
        transferName: 'IMG_0002.HEIC',
        mimeType: 'image/heic',
        uti: 'public.heic',
        data: Buffer.from('not kept'),
        inBackup: false,
        createdAt: '2024-04-02T09:05:00Z',
      },
    ],
    messages: [
      {
        rowid: 1,
        chatRowid: 1,
        handleRowid: 1,
        date: '2024-03-08T17:02:00Z',
        text: 'Are we still on for dinner Friday?',
      },
      {
        rowid: 2,
        chatRowid: 1,
        handleRowid: 0,
        date: '2024-03-08T17:05:30Z',
        text: 'Yes! 7pm at the Thai place?',
      },
      {
        rowid: 3,
        chatRowid: 1,
        handleRowid: 1,
        date: '2024-03-08T17:06:10Z',
        text: "Perfect, I'll book a table \u{1F37D}\uFE0F",
        textColumn: false,
      },
      {
        rowid: 4,
        chatRowid: 1,
        handleRowid: 1,
        date: '2024-03-08T17:06:40Z',
        text: null,
        tapback: { type: 2000, targetRowid: 2 },
      },
      // a like, then taken back: no reaction remains
      {
        rowid: 5,
        chatRowid: 1,
        handleRowid: 1,
        date: '2024-03-08T17:07:00Z',
        text: null,
        tapback: { type: 2001, targetRowid: 1 },
      },
      {
        rowid: 6,
        chatRowid: 1,
        handleRowid: 1,
        date: '2024-03-08T17:08:00Z',
        text: null,
        tapback: { type: 3001, targetRowid: 1 },
      },
      {
        rowid: 7,
        chatRowid: 1,
        handleRowid: 0,
        date: '2024-03-08T17:20:00Z',
        text: null,
        attachmentRowids: [1],
      },
      // an old row dated in seconds, not nanoseconds
      {
        rowid: 41,
        chatRowid: 5,
        handleRowid: 4,
        date: '2024-03-08T17:30:00Z',
        text: 'Sent as a text message',
      },
      {
        rowid: 8,
        chatRowid: 3,
        handleRowid: 2,
        date: '2024-03-09T08:00:00Z',
        dateUnit: 's',
        text: 'Package left at your door',
        textColumn: false,
      },
      {
        rowid: 9,
        chatRowid: 3,
        handleRowid: 0,
        date: '2024-03-09T08:03:00Z',
        text: 'Thank you!',
        effect: 'com.apple.MobileSMS.expressivesend.impact',
        subject: 'Delivery',
      },
      // group chat
      {
        rowid: 10,
        chatRowid: 2,
        handleRowid: 0,
        date: '2024-04-02T08:55:00Z',
        text: null,
        itemType: 2,
        groupTitle: 'Book Club',
      },
      {
        rowid: 40,
        chatRowid: 2,
        handleRowid: 0,
        date: '2024-04-02T08:56:00Z',
        text: null,
        itemType: 1,
        groupActionType: 0,
        otherHandleRowid: 3,
      },
      {
        rowid: 11,
        chatRowid: 2,
        handleRowid: 3,
        date: '2024-04-02T09:00:00Z',
        text: 'Here is the list for spring',
        attachmentRowids: [2],
      },
      {
        rowid: 12,
        chatRowid: 2,
        handleRowid: 1,
        date: '2024-04-02T09:05:00Z',
        text: 'And a photo of the shelf',
        textColumn: false,
        attachmentRowids: [3],
      },
      {
        rowid: 13,
        chatRowid: 2,
        handleRowid: 0,
        date: '2024-04-02T09:06:00Z',
        text: 'Love it \u2014 \u00e7a marche',
        textColumn: false,
        replyToRowid: 11,
      },
      {
        rowid: 14,
        chatRowid: 2,
        handleRowid: 3,
        date: '2024-04-02T09:07:00Z',
        text: null,
        tapback: { type: 2003, targetRowid: 13, form: 'bp' },
      },
      {
        rowid: 15,
        chatRowid: 2,
        handleRowid: 1,
        date: '2024-04-02T09:07:30Z',
        text: null,
        tapback: { type: 2004, targetRowid: 13 },
      },
    ],
  };
  if (version !== 'ios15') {
    spec.messages.push(
      {
        rowid: 16,
        chatRowid: 1,
        handleRowid: 0,
        date: '2024-05-01T18:45:00Z',
        text: 'Running late, see you at 7:15',
        textColumn: false,
        edits: [
          { text: 'Running late, see you at 7:30', date: '2024-05-01T18:45:00Z' },
          { text: 'Running late, see you at 7:20', date: '2024-05-01T18:45:40Z' },
        ],
        editedAt: '2024-05-01T18:46:05Z',
      },
      {
        rowid: 17,
        chatRowid: 1,
        handleRowid: 0,
        date: '2024-05-01T18:50:00Z',
        text: 'oops wrong chat',
        unsentAt: '2024-05-01T18:50:30Z',
      },
      {
        rowid: 18,
        chatRowid: 3,
        handleRowid: 2,
        date: '2024-05-02T10:00:00Z',
        text: 'This one went to Recently Deleted',
        textColumn: false,
        recentlyDeletedAt: '2024-05-03T10:00:00Z',
      },
    );
  }
  return spec;
}
