// sms.db schema of iOS 26, RECONSTRUCTED (no sqlite_master dump of an iOS 18 or 26 sms.db is public):
// the iOS 17 schema (sms-ios17.ts) migrated the way iOS migrates it, with ALTER TABLE ... ADD COLUMN,
// so columns sit in migration order, not in the order Apple's code names them (a reader must go by
// name). Sources (research notes: /work/wt/research/ios26-schemas.md section 1, schemas/sms-ios26.sql):
// - message: the iOS 18 columns in the order and with the declarations of the real macOS 15 chat.db
//   dump (../shared/docs/schemas/chatdb-macos15-tables-only.sql: associated_message_emoji ...
//   date_recovered, which that dump has last); then is_time_sensitive and ck_chat_id, which Apple's
//   IMDPersistence SELECT strings of iOS 26.0 beta 1 name (github.com/blacktop/ipsw-diffs
//   18_5_22F76__vs_26_0_23A5260n/DYLIBS/IMDPersistence.md; corroborated for 26.1 by the decompiled
//   IMDMessageRecord of github.com/EthanArbuckle/iPhone18-3_26.1_23B85_Restore). Their TYPES are
//   INFERRED (INTEGER flag, TEXT).
// - attachment: emoji_image_content_identifier, emoji_image_short_description (Genmoji) and
//   preview_generation_state as in the macOS 15 dump; the decompiled iOS 26.1 IMDAttachmentRecord
//   writes exactly these.
// - chat: is_recovered, is_deleting_incoming_messages (macOS 15 dump); is_pending_review (iOS 26.0b1
//   "UPDATE chat SET is_pending_review = ..."; type INFERRED).
// - tables chat_lookup, chat_service, sync_chat_slice (iOS 26 "OneChat" merging) and persistent_tasks,
//   which replaces message_processing_task ("DROP TABLE IF EXISTS message_processing_task"): column
//   names from the 26.0b1 INSERT/SELECT strings; constraints and types INFERRED except persistent_tasks,
//   whose definition is verbatim in those strings.
// Not included (only in later or unidentified builds): message.filter_action/filter_sub_action,
// attachment.preflight_info, tables chat_part and chat_part_message_join.
import { addColumns } from '../sqlite-file.js';
import { SMS_IOS17_SCHEMA } from './sms-ios17.js';

export const SMS_IOS26_MESSAGE_COLUMNS: readonly string[] = [
  // iOS 18 (macOS 15 chat.db dump)
  'associated_message_emoji TEXT DEFAULT NULL',
  'is_pending_satellite_send INTEGER DEFAULT 0',
  'needs_relay INTEGER DEFAULT 0',
  'schedule_type INTEGER DEFAULT 0',
  'schedule_state INTEGER DEFAULT 0',
  'sent_or_received_off_grid INTEGER DEFAULT 0',
  'date_recovered INTEGER DEFAULT 0',
  // iOS 26 (IMDPersistence strings; types inferred)
  'is_time_sensitive INTEGER DEFAULT 0',
  'ck_chat_id TEXT',
];
export const SMS_IOS26_ATTACHMENT_COLUMNS: readonly string[] = [
  'emoji_image_content_identifier TEXT DEFAULT NULL',
  'emoji_image_short_description TEXT DEFAULT NULL',
  'preview_generation_state INTEGER DEFAULT 0',
];
export const SMS_IOS26_CHAT_COLUMNS: readonly string[] = [
  'is_recovered INTEGER DEFAULT 0',
  'is_deleting_incoming_messages INTEGER DEFAULT 0',
  'is_pending_review INTEGER DEFAULT 0',
];

export const SMS_IOS26_SCHEMA: readonly string[] = [
  ...SMS_IOS17_SCHEMA,
  ...addColumns('message', SMS_IOS26_MESSAGE_COLUMNS),
  ...addColumns('attachment', SMS_IOS26_ATTACHMENT_COLUMNS),
  ...addColumns('chat', SMS_IOS26_CHAT_COLUMNS),
  'DROP TABLE IF EXISTS message_processing_task;',
  'CREATE TABLE chat_lookup (identifier TEXT NOT NULL, domain TEXT NOT NULL, chat INTEGER NOT NULL REFERENCES chat (ROWID) ON DELETE CASCADE, priority INTEGER DEFAULT 0, UNIQUE (identifier, domain));',
  'CREATE TABLE chat_service (service TEXT NOT NULL, chat INTEGER NOT NULL REFERENCES chat (ROWID) ON DELETE CASCADE, UNIQUE (service, chat));',
  'CREATE TABLE sync_chat_slice (service_name TEXT, ck_record_id TEXT UNIQUE, chat INTEGER, UNIQUE (service_name, chat));',
  'CREATE TABLE persistent_tasks (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL, flag_group INTEGER NOT NULL, flag INTEGER NOT NULL, flag_priority INTEGER NOT NULL, lane INTEGER NOT NULL, reason INTEGER NOT NULL, reason_priority INTEGER NOT NULL, user_info BLOB, retry_count INTEGER DEFAULT 0, UNIQUE(guid, flag));',
];
