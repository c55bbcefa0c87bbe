import type { DatabaseSchema } from '../declaration.js';
import {
  ATTACHMENT_COLUMNS,
  CHAT_COLUMNS,
  HANDLE_COLUMNS,
  LEGACY_MESSAGE_COLUMNS,
  MESSAGE_COLUMNS,
} from './columns.js';

/**
 * sms.db as `reclaim info` checks it: the columns the reader uses (columns.ts, whose own drift check
 * says which absences matter, so all are extras here) and every other table and column of the real
 * dumps (../shared/docs/schemas: iOS 5, 6.1.6, 7, 9.2.1, 10.2, 11, 11.2, 12.4, 14.3, macOS 14/15
 * chat.db) and of the iOS 15/17/26 builders (demo/src/schemas/sms-*.ts), known and not read.
 */
export const SMS_DB_SCHEMA: DatabaseSchema = {
  tables: {
    message: {
      extras: [...Object.keys(MESSAGE_COLUMNS), ...LEGACY_MESSAGE_COLUMNS, 'ROWID'],
      ignored: `replace service_center country version type account account_guid error is_delivered
        is_finished is_emote is_empty is_delayed is_auto_reply is_prepared is_read
        is_system_message is_sent has_dd_results is_service_message is_forward
        was_downgraded is_archive cache_has_attachments cache_roomnames was_data_detected
        was_deduplicated is_played date_played message_action_type message_source
        associated_message_range_location associated_message_range_length
        time_expressive_send_played ck_sync_state ck_record_id ck_record_change_tag
        destination_caller_id sr_ck_sync_state sr_ck_record_id sr_ck_record_change_tag
        is_corrupt reply_to_guid sort_id is_spam has_unseen_mention was_delivered_quietly
        did_notify_recipient synced_syndication_ranges was_detonated part_count is_sos
        is_critical bia_reference_id is_kt_verified fallback_hash needs_relay
        schedule_type schedule_state date_recovered is_time_sensitive ck_chat_id
        svc_center association_id height UIFlags headers recipients read madrid_version
        madrid_type madrid_roomname madrid_service madrid_account madrid_account_guid
        madrid_flags madrid_attachmentInfo madrid_url madrid_error madrid_date_read
        madrid_date_delivered`,
    },
    attachment: {
      extras: [...Object.keys(ATTACHMENT_COLUMNS), 'ROWID'],
      ignored: `created_date start_date transfer_state is_outgoing user_info sticker_user_info
        attribution_info hide_attachment ck_sync_state ck_server_change_token_blob
        ck_record_id original_guid sr_ck_sync_state sr_ck_server_change_token_blob
        sr_ck_record_id is_commsafety_sensitive preview_generation_state`,
    },
    chat: {
      extras: [...Object.keys(CHAT_COLUMNS), 'ROWID'],
      ignored: `state account_id properties room_name account_login is_archived last_addressed_handle
        group_id is_filtered successful_query engram_id server_change_token ck_sync_state
        original_group_id last_read_message_timestamp sr_server_change_token
        sr_ck_sync_state cloudkit_record_id sr_cloudkit_record_id last_addressed_sim_id
        ck_record_system_property_blob is_blackholed syndication_date syndication_type
        is_recovered is_deleting_incoming_messages is_pending_review`,
    },
    handle: {
      extras: [...Object.keys(HANDLE_COLUMNS), 'ROWID'],
      ignored: `country uncanonicalized_id person_centric_id`,
    },
    chat_message_join: { extras: ['chat_id', 'message_id', 'message_date'] },
    chat_handle_join: { extras: ['chat_id', 'handle_id'] },
    message_attachment_join: { extras: ['message_id', 'attachment_id'] },
    chat_recoverable_message_join: {
      extras: ['chat_id', 'message_id', 'delete_date', 'ck_sync_state'],
    },
    recoverable_message_part: {
      extras: ['chat_id', 'message_id', 'part_index', 'delete_date', 'part_text', 'ck_sync_state'],
    },
  },
  ignoredTables: `_SqliteDatabaseProperties chat_lookup chat_service deleted_messages group_member kvtable
    madrid_attachment madrid_chat message_processing_task msg_group msg_pieces
    persistent_tasks scheduled_messages_pending_cloudkit_delete sync_chat_slice
    sync_deleted_attachments sync_deleted_chats sync_deleted_messages
    unsynced_removed_recoverable_messages`,
};
