import bplistCreator from 'bplist-creator';
import type { BackupFileInput } from '../../src/backup/types.js';
import { appleNanoseconds, appleSeconds, asDate } from './apple-time.js';
import { demoUUID } from './ids.js';
import { encodeJpeg } from './media/jpeg.js';
import { OWNER, person } from './people.js';
import { SMS_IOS12_4_SCHEMA } from './schemas/sms-ios12-4.js';
import {
  addColumns,
  buildSqliteFile,
  buildSqliteFileWithWal,
  insertRow,
  type SqliteDatabase,
} from './sqlite-file.js';
import { attributedBodyFor } from './typedstream.js';

/**
 * Library/SMS/sms.db. Schema: the real iOS 12.4 sms.db, migrated with ALTER TABLE ... ADD COLUMN the way iOS
 * does to the later columns: message columns of the real iOS 14.3 file (sms-ios14.3-partial.sql), then those of
 * the iOS 16/17 era (date_edited, date_retracted, ... as in the macOS 14 chat.db dump and imessage-exporter's
 * documented columns); chat and attachment get the columns imessage-exporter documents for iOS 17.3.
 */
export const SMS_LATER_COLUMNS = {
  message: [
    // real iOS 14.3 (mvt test backup)
    'reply_to_guid TEXT DEFAULT NULL',
    'sort_id INTEGER DEFAULT 0',
    'is_spam INTEGER DEFAULT 0',
    'has_unseen_mention INTEGER DEFAULT 0',
    'thread_originator_guid TEXT DEFAULT NULL',
    'thread_originator_part TEXT DEFAULT NULL',
    // iOS 16/17 era (imessage-exporter docs; macOS 14 chat.db)
    'syndication_ranges TEXT DEFAULT NULL',
    'synced_syndication_ranges TEXT DEFAULT NULL',
    'was_delivered_quietly INTEGER DEFAULT 0',
    'did_notify_recipient INTEGER DEFAULT 0',
    'date_retracted INTEGER DEFAULT 0',
    'date_edited INTEGER DEFAULT 0',
    'was_detonated INTEGER DEFAULT 0',
    'part_count INTEGER',
    'is_stewie INTEGER DEFAULT 0',
    'is_sos INTEGER DEFAULT 0',
    'is_critical INTEGER DEFAULT 0',
    'bia_reference_id TEXT DEFAULT NULL',
    'is_kt_verified INTEGER DEFAULT 0',
    'fallback_hash TEXT DEFAULT NULL',
  ],
  chat: [
    'is_blackholed INTEGER DEFAULT 0',
    'syndication_date INTEGER DEFAULT 0',
    'syndication_type INTEGER DEFAULT 0',
  ],
  attachment: ['is_commsafety_sensitive INTEGER DEFAULT 0'],
} as const;

export interface DemoHandle {
  rowid: number;
  id: string;
  service: 'iMessage' | 'SMS';
}
export interface DemoChat {
  rowid: number;
  guid: string;
  style: 43 | 45;
  identifier: string;
  service: 'iMessage' | 'SMS';
  displayName: string | null;
  roomName: string | null;
  handleRowids: number[];
}
export interface DemoAttachment {
  rowid: number;
  guid: string;
  transferName: string;
  filename: string;
  mimeType: string;
  uti: string;
  domain: string;
  relativePath: string;
  data: Buffer;
  createdAt: string;
}
export interface DemoMessage {
  rowid: number;
  guid: string;
  chatRowid: number;
  /** 0 for messages from the owner. */
  handleRowid: number;
  fromMe: boolean;
  date: string;
  /** What the message says (also for rows whose text column is NULL). */
  body: string;
  /** false: text column NULL, the body is only in attributedBody. */
  textColumnFilled: boolean;
  tapback?: { type: 2000; targetGuid: string };
  edited?: { originalBody: string; editedAt: string };
  attachmentRowid?: number;
}
export interface MessagesData {
  handles: DemoHandle[];
  chats: DemoChat[];
  messages: DemoMessage[];
  attachments: DemoAttachment[];
  /**
   * Messages (by rowid) deleted again after they were written, with secure_delete off, as Messages deletes them
   * (chat_message_join row, then the message row; the real triggers log them in deleted_messages). sms.db is then
   * written in WAL mode with the deletion only in the -wal file (sms.db-wal), as a phone leaves it between
   * checkpoints: the rows' bytes stay in the main file's pages, which the WAL supersedes.
   */
  deletedRowids?: number[];
}

const jamie = person('jamie'),
  priya = person('priya'),
  sam = person('sam');

export function messagesData(): MessagesData {
  const handles: DemoHandle[] = [
    { rowid: 1, id: jamie.phone, service: 'iMessage' },
    { rowid: 2, id: priya.phone, service: 'SMS' },
    { rowid: 3, id: sam.phone, service: 'iMessage' },
  ];
  const chats: DemoChat[] = [
    {
      rowid: 1,
      guid: `iMessage;-;${jamie.phone}`,
      style: 45,
      identifier: jamie.phone,
      service: 'iMessage',
      displayName: null,
      roomName: null,
      handleRowids: [1],
    },
    {
      rowid: 2,
      guid: `SMS;-;${priya.phone}`,
      style: 45,
      identifier: priya.phone,
      service: 'SMS',
      displayName: null,
      roomName: null,
      handleRowids: [2],
    },
    {
      rowid: 3,
      guid: 'iMessage;+;chat483920175634829104',
      style: 43,
      identifier: 'chat483920175634829104',
      service: 'iMessage',
      displayName: 'Weekend Hike',
      roomName: 'chat483920175634829104',
      handleRowids: [1, 3],
    },
  ];
  const attachmentGuid = demoUUID('sms-attachment-1');
  const attachments: DemoAttachment[] = [
    {
      rowid: 1,
      guid: attachmentGuid,
      transferName: 'IMG_0001.jpeg',
      mimeType: 'image/jpeg',
      uti: 'public.jpeg',
      createdAt: '2024-03-08T17:20:00Z',
      filename: `~/Library/SMS/Attachments/4e/14/${attachmentGuid}/IMG_0001.jpeg`,
      domain: 'MediaDomain',
      relativePath: `Library/SMS/Attachments/4e/14/${attachmentGuid}/IMG_0001.jpeg`,
      data: encodeJpeg({
        width: 48,
        height: 32,
        corners: {
          topLeft: [250, 200, 120],
          topRight: [240, 120, 60],
          bottomLeft: [200, 80, 40],
          bottomRight: [120, 40, 30],
        },
      }),
    },
  ];
  let n = 0;
  const m = (
    chatRowid: number,
    handleRowid: number,
    date: string,
    body: string,
    extra: Partial<DemoMessage> = {},
  ): DemoMessage => {
    n += 1;
    return {
      rowid: n,
      guid: demoUUID(`sms-message-${n}`),
      chatRowid,
      handleRowid,
      fromMe: handleRowid === 0,
      date,
      body,
      textColumnFilled: true,
      ...extra,
    };
  };
  const messages: DemoMessage[] = [
    m(1, 1, '2024-03-08T17:02:00Z', 'Are we still on for dinner Friday?'),
    m(1, 0, '2024-03-08T17:05:30Z', 'Yes! 7pm at the Thai place?'),
    m(1, 1, '2024-03-08T17:06:10Z', "Perfect, I'll book a table", { textColumnFilled: false }),
  ];
  messages.push(
    m(1, 1, '2024-03-08T17:06:40Z', `Loved \u201c${messages[1].body}\u201d`, {
      tapback: { type: 2000, targetGuid: messages[1].guid },
    }),
  );
  messages.push(
    m(1, 0, '2024-03-08T17:20:00Z', '\ufffc', { attachmentRowid: 1 }),
    m(1, 0, '2024-03-08T18:45:00Z', 'Running late, see you at 7:15', {
      edited: { originalBody: 'Running late, see you at 7:30', editedAt: '2024-03-08T18:46:05Z' },
    }),
    m(
      2,
      2,
      '2024-07-22T15:10:00Z',
      'Hi Alex, your package was delivered to my place by mistake. Want me to drop it off?',
    ),
    m(2, 0, '2024-07-22T15:12:45Z', 'That would be amazing, thank you!'),
    m(2, 2, '2024-07-22T15:13:20Z', "I'll swing by around 6", { textColumnFilled: false }),
    m(2, 0, '2024-07-22T15:14:02Z', 'Great, see you then \u{1F642}'),
    m(3, 0, '2025-01-16T19:30:00Z', "Who's in for Mount Tam on Saturday?"),
    m(3, 1, '2025-01-16T19:33:12Z', "Me! I'll bring snacks"),
    m(3, 3, '2025-01-16T19:41:55Z', 'Count me in. Meet at the trailhead at 8?'),
    m(3, 0, '2025-01-16T19:43:08Z', '8 works. Forecast says sunny'),
    m(3, 3, '2025-01-16T19:44:30Z', 'See you there'),
  );
  return { handles, chats, messages, attachments };
}

/** message_summary_info of an edited message: binary plist whose "ec" maps part 0 to its versions (t: typedstream, d: date). */
function editSummary(message: DemoMessage): Buffer | null {
  if (!message.edited) return null;
  const version = (body: string, iso: string) => ({
    t: attributedBodyFor(body),
    d: Number(appleNanoseconds(iso)) / 1e9,
  });
  return bplistCreator({
    ec: {
      '0': [
        version(message.edited.originalBody, message.date),
        version(message.body, message.edited.editedAt),
      ],
    },
    ep: [0],
  });
}

export function buildMessages(data: MessagesData = messagesData()): BackupFileInput[] {
  const schema = [
    ...SMS_IOS12_4_SCHEMA,
    ...addColumns('message', SMS_LATER_COLUMNS.message),
    ...addColumns('chat', SMS_LATER_COLUMNS.chat),
    ...addColumns('attachment', SMS_LATER_COLUMNS.attachment),
    'CREATE INDEX message_idx_thread_originator_guid ON message(thread_originator_guid);',
  ];
  const fill = (db: SqliteDatabase) => {
    for (const h of data.handles)
      insertRow(db, 'handle', {
        ROWID: h.rowid,
        id: h.id,
        country: 'us',
        service: h.service,
        uncanonicalized_id: null,
        person_centric_id: null,
      });
    for (const c of data.chats) {
      insertRow(db, 'chat', {
        ROWID: c.rowid,
        guid: c.guid,
        style: c.style,
        state: 3,
        account_id: demoUUID('imessage-account'),
        chat_identifier: c.identifier,
        service_name: c.service,
        room_name: c.roomName,
        account_login: c.service === 'SMS' ? `P:${OWNER.phone}` : `E:${OWNER.email}`,
        is_archived: 0,
        last_addressed_handle: OWNER.phone,
        display_name: c.displayName ?? '',
        group_id: demoUUID(`chat-group-${c.rowid}`),
        is_filtered: 0,
        successful_query: 1,
        last_read_message_timestamp: 0,
      });
      for (const h of c.handleRowids)
        insertRow(db, 'chat_handle_join', { chat_id: c.rowid, handle_id: h });
    }
    for (const a of data.attachments) {
      insertRow(db, 'attachment', {
        ROWID: a.rowid,
        guid: a.guid,
        created_date: Math.round(appleSeconds(a.createdAt)),
        start_date: 0,
        filename: a.filename,
        uti: a.uti,
        mime_type: a.mimeType,
        transfer_state: 5,
        is_outgoing: 1,
        transfer_name: a.transferName,
        total_bytes: a.data.length,
        original_guid: a.guid,
      });
    }
    for (const msg of data.messages) {
      const chat = data.chats.find((c) => c.rowid === msg.chatRowid)!;
      const service = chat.service;
      const date = appleNanoseconds(msg.date);
      insertRow(db, 'message', {
        ROWID: msg.rowid,
        guid: msg.guid,
        text: msg.textColumnFilled ? msg.body : null,
        handle_id: msg.handleRowid,
        attributedBody: attributedBodyFor(msg.body),
        version: 10,
        type: 0,
        service,
        account: service === 'SMS' ? `P:${OWNER.phone}` : `E:${OWNER.email}`,
        account_guid: demoUUID('imessage-account'),
        date,
        date_read: msg.fromMe ? 0n : date + 30_000_000_000n,
        date_delivered: msg.fromMe ? date + 2_000_000_000n : 0n,
        is_delivered: 1,
        is_finished: 1,
        is_from_me: msg.fromMe ? 1 : 0,
        is_read: msg.fromMe ? 0 : 1,
        is_sent: msg.fromMe ? 1 : 0,
        associated_message_guid: msg.tapback ? `p:0/${msg.tapback.targetGuid}` : null,
        associated_message_type: msg.tapback?.type ?? 0,
        associated_message_range_location: 0,
        associated_message_range_length: msg.tapback
          ? [...(data.messages.find((x) => x.guid === msg.tapback!.targetGuid)?.body ?? '')].length
          : 0,
        message_summary_info: editSummary(msg),
        date_edited: msg.edited ? appleNanoseconds(msg.edited.editedAt) : 0,
        destination_caller_id: service === 'SMS' ? OWNER.phone : OWNER.email,
        part_count: 1,
      });
      insertRow(db, 'chat_message_join', {
        chat_id: msg.chatRowid,
        message_id: msg.rowid,
        message_date: date,
      });
      if (msg.attachmentRowid)
        insertRow(db, 'message_attachment_join', {
          message_id: msg.rowid,
          attachment_id: msg.attachmentRowid,
        });
    }
  };
  const functions = {
    delete_attachment_path: () => null,
    before_delete_attachment_path: () => null,
  };
  const deleted = data.deletedRowids ?? [];
  const deleteMessages = (db: SqliteDatabase) => {
    for (const rowid of deleted) {
      db.prepare('DELETE FROM message_attachment_join WHERE message_id = ?').run(rowid);
      db.prepare('DELETE FROM chat_message_join WHERE message_id = ?').run(rowid);
      db.prepare('DELETE FROM message WHERE ROWID = ?').run(rowid);
    }
  };
  const built = deleted.length
    ? buildSqliteFileWithWal(schema, fill, deleteMessages, { functions })
    : { db: buildSqliteFile(schema, fill), wal: null };
  const modified = asDate('2025-01-16T19:44:31Z');
  return [
    { domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', data: built.db, modified },
    ...(built.wal
      ? [
          {
            domain: 'HomeDomain',
            relativePath: 'Library/SMS/sms.db-wal',
            data: built.wal,
            modified: asDate('2025-01-20T08:00:00Z'),
          },
        ]
      : []),
    ...data.attachments.map((a) => ({
      domain: a.domain,
      relativePath: a.relativePath,
      data: a.data,
      modified: asDate(a.createdAt),
    })),
  ];
}
