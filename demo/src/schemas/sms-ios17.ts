// sms.db schema of the iOS 17 era, DERIVED (no verbatim iOS 17 sms.db dump is available): the iOS 15
// schema (sms-ios15.ts) migrated further with ALTER TABLE ... ADD COLUMN:
// - message: edit/unsend and later columns in the order of the macOS 14 chat.db dump
//   (chatdb-macos14-partial.sql: date_retracted ... fallback_hash), declared as the macOS 15 dump declares
//   them (chatdb-macos15-tables-only.sql: "INTEGER DEFAULT 0");
// - chat: is_blackholed, syndication_date, syndication_type (imessage-exporter docs, iOS 17.3);
// - the "Recently Deleted" tables of iOS 16+, verbatim from the macOS 15 dump
//   (chat_recoverable_message_join, recoverable_message_part, unsynced_removed_recoverable_messages).
import { addColumns } from '../sqlite-file.js';
import { SMS_IOS15_SCHEMA } from './sms-ios15.js';

export const SMS_IOS17_MESSAGE_COLUMNS: readonly string[] = [
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
];
export const SMS_IOS17_CHAT_COLUMNS: readonly string[] = [
  'is_blackholed INTEGER DEFAULT 0',
  'syndication_date INTEGER DEFAULT 0',
  'syndication_type INTEGER DEFAULT 0',
];

export const SMS_IOS17_SCHEMA: readonly string[] = [
  ...SMS_IOS15_SCHEMA,
  ...addColumns('message', SMS_IOS17_MESSAGE_COLUMNS),
  ...addColumns('chat', SMS_IOS17_CHAT_COLUMNS),
  'CREATE TABLE chat_recoverable_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, delete_date INTEGER, ck_sync_state INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id), CHECK (delete_date != 0));',
  'CREATE TABLE unsynced_removed_recoverable_messages (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, chat_guid TEXT NOT NULL, message_guid TEXT NOT NULL, part_index INTEGER);',
  'CREATE TABLE recoverable_message_part (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, part_index INTEGER, delete_date INTEGER, part_text BLOB NOT NULL, ck_sync_state INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id, part_index), CHECK (delete_date != 0));',
];
