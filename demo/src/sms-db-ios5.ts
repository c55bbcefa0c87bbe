import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate, unixSeconds } from './apple-time.js';
import { encodeJpeg } from './media/jpeg.js';
import { SMS_IOS5_SCHEMA } from './schemas/sms-ios5.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/**
 * An iOS 5 sms.db (real schema) with one of each kind: a plain SMS, an MMS whose picture and text are
 * msg_pieces (the picture stored as Library/SMS/Parts/xx/yy/MESSAGE-PART.ext), and an iMessage with a
 * madrid_attachment. Not part of the bundled demo; tests compare against IOS5_SMS.
 */
export const IOS5_SMS = {
  peer: '+15550102',
  sms: { rowid: 1, text: 'Running late, 10 min', date: '2012-03-01T10:00:00Z' },
  mms: {
    rowid: 2,
    text: 'Look at this view',
    date: '2012-03-01T10:05:00Z',
    picture: 'IMG_0100.jpg',
  },
  imessage: {
    rowid: 3,
    text: 'Nice! Here is mine',
    date: '2012-03-01T10:06:00Z',
    picture: 'IMG_0200.jpeg',
    guid: 'A1B2C3D4-0000-4000-8000-000000000005',
  },
  /** Where the pictures are in the backup (MediaDomain). */
  partPath: 'Library/SMS/Parts/a5/14/2-0.jpg',
  attachmentPath:
    'Library/SMS/Attachments/0f/15/A1B2C3D4-0000-4000-8000-000000000005/IMG_0200.jpeg',
} as const;

export function buildIos5SmsDb(): BackupFileInput[] {
  const d = IOS5_SMS;
  const picture = (r: number) =>
    encodeJpeg({
      width: 16,
      height: 16,
      corners: {
        topLeft: [r, 0, 0],
        topRight: [r, 0, 0],
        bottomLeft: [0, r, 0],
        bottomRight: [0, 0, r],
      },
    });
  const db = buildSqliteFile(
    SMS_IOS5_SCHEMA,
    (db) => {
      insertRow(db, 'msg_group', {
        ROWID: 1,
        type: 0,
        newest_message: 0,
        unread_count: 0,
        hash: 0,
      });
      insertRow(db, 'group_member', { ROWID: 1, group_id: 1, address: d.peer, country: 'us' });
      insertRow(db, 'message', {
        ROWID: d.sms.rowid,
        address: d.peer,
        date: unixSeconds(d.sms.date),
        text: d.sms.text,
        flags: 2,
        group_id: 1,
        is_madrid: 0,
      });
      insertRow(db, 'message', {
        ROWID: d.mms.rowid,
        address: d.peer,
        date: unixSeconds(d.mms.date),
        text: null,
        flags: 2,
        group_id: 1,
        is_madrid: 0,
      });
      insertRow(db, 'msg_pieces', {
        message_id: d.mms.rowid,
        data: null,
        part_id: 0,
        content_type: 'image/jpeg',
        content_loc: d.mms.picture,
      });
      insertRow(db, 'msg_pieces', {
        message_id: d.mms.rowid,
        data: Buffer.from(d.mms.text, 'utf8'),
        part_id: 1,
        content_type: 'text/plain',
        content_loc: 'text_0001.txt',
      });
      insertRow(db, 'message', {
        ROWID: d.imessage.rowid,
        date: appleSeconds(d.imessage.date),
        text: d.imessage.text,
        flags: 0,
        group_id: 1,
        is_madrid: 1,
        madrid_handle: d.peer,
        madrid_guid: d.imessage.guid,
        madrid_service: 'iMessage',
        madrid_flags: 36869,
      });
      insertRow(db, 'madrid_attachment', {
        attachment_guid: d.imessage.guid,
        filename: `~/${d.attachmentPath}`,
        uti_type: 'public.jpeg',
        mime_type: 'image/jpeg',
        transfer_state: 5,
        is_incoming: 1,
        message_id: d.imessage.rowid,
      });
    },
    { functions: { read: (flags) => ((Number(flags) & 2) === 2 ? 1 : 0) } },
  );
  const modified = asDate('2012-03-01T11:00:00Z');
  return [
    { domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', data: db, modified },
    { domain: 'MediaDomain', relativePath: d.partPath, data: picture(200), modified },
    { domain: 'MediaDomain', relativePath: d.attachmentPath, data: picture(90), modified },
  ];
}
