import type { KnownColumns } from '../known-columns.js';

/**
 * The sms.db columns the Messages reader uses, with the oldest iOS whose schema has them (from the real
 * dumps in ../shared/docs/schemas: iOS 6.1.6, 9.2.1, 10.2, 12.4, 14.3; the macOS 14/15 chat.db dumps for
 * iOS 16-18; imessage-exporter's queries for iOS 18) and what an export lacks without them. A database
 * that has some of a release's columns but not others is drift: checkKnownColumns says so in one line.
 */
export const MESSAGE_COLUMNS: KnownColumns = {
  guid: { since: 6, feeds: 'message ids (tapbacks and replies cannot find their message)' },
  text: { since: 6, feeds: 'the text column (text is taken from attributedBody)' },
  attributedBody: { since: 6, feeds: 'texts kept only in attributedBody, and text formatting' },
  handle_id: { since: 6, feeds: 'senders' },
  is_from_me: { since: 6, feeds: 'who sent each message' },
  date: { since: 6, feeds: 'message dates' },
  date_read: { since: 6, feeds: 'read times' },
  date_delivered: { since: 6, feeds: 'delivery times' },
  service: { since: 6, feeds: 'the service of each message (iMessage, SMS, RCS, satellite)' },
  subject: { since: 6, feeds: 'subject lines' },
  is_audio_message: { since: 9, feeds: 'audio message marks' },
  is_expirable: { since: 9, feeds: 'whether audio messages expire' },
  expire_state: { since: 9, feeds: 'whether audio messages were kept' },
  item_type: { since: 9, feeds: 'system lines (members, names, SharePlay, kept audio)' },
  other_handle: { since: 9, feeds: 'who a system line names' },
  group_title: { since: 9, feeds: 'group names set in system lines' },
  group_action_type: { since: 9, feeds: 'what a system line did' },
  share_status: { since: 9, feeds: 'whether location sharing started or stopped' },
  share_direction: { since: 9, feeds: 'who shared a location' },
  associated_message_guid: { since: 10, feeds: 'what tapbacks, stickers and votes point at' },
  associated_message_type: { since: 10, feeds: 'tapbacks, stickers on bubbles and poll votes' },
  balloon_bundle_id: { since: 10, feeds: 'app messages and link previews' },
  payload_data: { since: 10, feeds: 'the content of app messages and link previews' },
  expressive_send_style_id: { since: 10, feeds: 'bubble and screen effects' },
  message_summary_info: {
    since: 10,
    feeds: 'earlier versions of edited messages and unsent parts',
  },
  thread_originator_guid: { since: 14, feeds: 'which message a reply answers' },
  thread_originator_part: { since: 14, feeds: 'which part of a message a reply answers' },
  syndication_ranges: { since: 15, feeds: 'Shared with You marks' },
  date_edited: { since: 16, feeds: 'edit times' },
  date_retracted: { since: 16, feeds: 'unsend times' },
  is_stewie: { since: 16, feeds: 'satellite marks' },
  associated_message_emoji: { since: 18, feeds: 'the emoji of emoji tapbacks' },
  sent_or_received_off_grid: { since: 18, feeds: 'off-grid (satellite) marks' },
  is_pending_satellite_send: { since: 18, feeds: 'satellite marks' },
};

/** iOS 5 and earlier: read only when the table has no handle_id (a different layout altogether). */
export const LEGACY_MESSAGE_COLUMNS = [
  'address',
  'flags',
  'group_id',
  'is_madrid',
  'madrid_attributedBody',
  'madrid_handle',
  'madrid_guid',
] as const;

export const ATTACHMENT_COLUMNS: KnownColumns = {
  guid: { since: 6, feeds: 'which attachment a message places where' },
  filename: { since: 6, feeds: 'where attachment files are' },
  mime_type: { since: 6, feeds: 'attachment types' },
  transfer_name: { since: 6, feeds: 'attachment names' },
  total_bytes: { since: 6, feeds: 'attachment sizes' },
  uti: { since: 6, feeds: 'attachment types (audio messages)' },
  is_sticker: { since: 10, feeds: 'sticker marks' },
  emoji_image_short_description: { since: 18, feeds: 'Genmoji descriptions' },
  emoji_image_content_identifier: { since: 18, feeds: 'Genmoji marks' },
};

export const CHAT_COLUMNS: KnownColumns = {
  guid: { since: 6, feeds: 'group detection from chat ids' },
  chat_identifier: { since: 6, feeds: 'who a chat is with' },
  display_name: { since: 6, feeds: 'group names' },
  style: { since: 6, feeds: 'group detection' },
  service_name: { since: 6, feeds: 'chat services' },
};

export const HANDLE_COLUMNS: KnownColumns = {
  id: { since: 6, feeds: 'phone numbers and addresses of senders' },
  service: { since: 6, feeds: 'handle services' },
};
