// sms.db schema of the iOS 15 era, DERIVED (no verbatim iOS 15 sms.db dump is available):
// the real iOS 12.4 file (sms-ios12-4.ts, /work/shared/docs/schemas/sms-ios12.4.sql) migrated the way iOS
// migrates it, with ALTER TABLE ... ADD COLUMN:
// - message: the columns the real iOS 14.3 file adds (sms-ios14.3-partial.sql, mvt test backup), then the
//   iOS 15 "Shared with You" columns (syndication_ranges, was_delivered_quietly, did_notify_recipient,
//   synced_syndication_ranges) as listed in imessage-exporter's documented columns
//   (sms-imessage-exporter-documented-columns.sql) and in the macOS 14 chat.db dump;
// - chat and attachment: the later columns imessage-exporter documents.
// Column order and declarations follow those sources; iOS 15 has no date_edited / date_retracted yet.
import { addColumns } from '../sqlite-file.js';
import { SMS_IOS12_4_SCHEMA } from './sms-ios12-4.js';

export const SMS_IOS15_MESSAGE_COLUMNS: readonly string[] = [
  // real iOS 14.3 (mvt test backup)
  'reply_to_guid TEXT DEFAULT NULL',
  'sort_id INTEGER DEFAULT 0',
  'is_spam INTEGER DEFAULT 0',
  'has_unseen_mention INTEGER DEFAULT 0',
  'thread_originator_guid TEXT DEFAULT NULL',
  'thread_originator_part TEXT DEFAULT NULL',
  // iOS 15 (Shared with You)
  'syndication_ranges TEXT DEFAULT NULL',
  'was_delivered_quietly INTEGER DEFAULT 0',
  'did_notify_recipient INTEGER DEFAULT 0',
  'synced_syndication_ranges TEXT DEFAULT NULL',
];
export const SMS_IOS15_CHAT_COLUMNS: readonly string[] = ['ck_record_system_property_blob BLOB'];
export const SMS_IOS15_ATTACHMENT_COLUMNS: readonly string[] = [
  'is_commsafety_sensitive INTEGER DEFAULT 0',
];

export const SMS_IOS15_SCHEMA: readonly string[] = [
  ...SMS_IOS12_4_SCHEMA,
  ...addColumns('message', SMS_IOS15_MESSAGE_COLUMNS),
  ...addColumns('chat', SMS_IOS15_CHAT_COLUMNS),
  ...addColumns('attachment', SMS_IOS15_ATTACHMENT_COLUMNS),
  'CREATE INDEX message_idx_thread_originator_guid ON message(thread_originator_guid);',
];
