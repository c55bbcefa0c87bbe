import bplistCreator from 'bplist-creator';
import type { BackupFileInput } from '../../src/backup/types.js';
import { appleNanoseconds, appleSeconds, asDate } from './apple-time.js';
import { demoUUID } from './ids.js';
import { SMS_IOS15_SCHEMA } from './schemas/sms-ios15.js';
import { SMS_IOS17_SCHEMA } from './schemas/sms-ios17.js';
import { SMS_IOS26_SCHEMA } from './schemas/sms-ios26.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';
import { attributedBodyFor, attributedBodyWithRuns, type AttributeValue } from './typedstream.js';

/**
 * Builds sms.db files to the iOS 15, 17 and 26 schemas (demo/src/schemas/sms-ios15.ts, sms-ios17.ts,
 * sms-ios26.ts) from a plain description, for tests that check a reader gives back exactly what was put in.
 */
export type SmsSchemaVersion = 'ios15' | 'ios17' | 'ios26';

export interface SmsHandleSpec {
  rowid: number;
  id: string;
  service?: string;
}
export interface SmsChatSpec {
  rowid: number;
  identifier: string;
  group?: boolean;
  /** chat.service_name: iMessage, SMS, RCS; "any" for an iOS 26 OneChat chat. */
  service?: string;
  displayName?: string | null;
  handleRowids: number[];
}
export interface SmsAttachmentSpec {
  rowid: number;
  transferName: string;
  mimeType: string | null;
  uti?: string;
  data: Buffer;
  /** false: the database lists it but the backup does not hold the file. */
  inBackup?: boolean;
  createdAt: string;
  isSticker?: boolean;
  /** iOS 18 Genmoji: emoji_image_content_identifier and emoji_image_short_description (iOS 26 schema). */
  genmoji?: { description: string };
}
export interface SmsMessageSpec {
  rowid: number;
  chatRowid: number | null;
  /** 0 for the owner's own messages. */
  handleRowid: number;
  fromMe?: boolean;
  date: string;
  /** 'ns' (iOS 11+) or 's' (older rows, some migrated ones). Default 'ns'. */
  dateUnit?: 'ns' | 's';
  text: string | null;
  /** false: the text column is NULL and the text is only in attributedBody (common since iOS 16). */
  textColumn?: boolean;
  /**
   * A tapback (associated_message_type 2000–2007 adds, 3000–3007 removes; 1000 a sticker placed on the
   * bubble; 4000 a poll vote) on the message with this rowid; `emoji` for 2006 (iOS 26 schema).
   */
  tapback?: { type: number; targetRowid: number; form?: 'p' | 'bp'; emoji?: string };
  /** message.service when it differs from the chat's (RCS, SatelliteSMS, iMessageLite). */
  service?: string;
  /** Attribute runs of attributedBody over the stored text (attachment placeholders included). */
  runs?: Array<{ length: number; attributes: Record<string, AttributeValue> }>;
  /** balloon_bundle_id and payload_data of an app message or link preview. */
  balloon?: string;
  payload?: Buffer;
  /** associated_message_guid as stored, when no tapback gives it (a poll update). */
  associatedGuid?: string;
  /** An audio message (is_audio_message), expiring unless kept (is_expirable). */
  audio?: { expirable: boolean };
  /** sent_or_received_off_grid (iOS 18). */
  offGrid?: boolean;
  syndicationRanges?: string;
  shareStatus?: number;
  shareDirection?: number;
  /** A reply to a message that is not in the database (thread_originator_guid as stored). */
  replyToGuid?: string;
  /** An iOS 26 translation kept in message_summary_info. */
  translation?: { language: string; text: string };
  /** Earlier texts of an edited message (iOS 16+), oldest first, each with when it was written. */
  edits?: Array<{ text: string; date: string }>;
  editedAt?: string;
  /** Unsent by the sender at this time (iOS 16+). */
  unsentAt?: string;
  attachmentRowids?: number[];
  /** System lines: item_type 1 (members), 2 (rename), 3 (left / photo). */
  itemType?: number;
  groupActionType?: number;
  otherHandleRowid?: number;
  groupTitle?: string;
  /** In "Recently Deleted" since this date (iOS 16+): joined through chat_recoverable_message_join. */
  recentlyDeletedAt?: string;
  subject?: string;
  /** An inline reply to the message with this rowid (thread_originator_guid). */
  replyToRowid?: number;
  /** expressive_send_style_id ("com.apple.MobileSMS.expressivesend.impact"). */
  effect?: string;
}
export interface SmsSpec {
  handles: SmsHandleSpec[];
  chats: SmsChatSpec[];
  attachments: SmsAttachmentSpec[];
  messages: SmsMessageSpec[];
}

export const smsMessageGuid = (rowid: number) => demoUUID(`sms-spec-message-${rowid}`);
export const smsAttachmentGuid = (rowid: number) => demoUUID(`sms-spec-attachment-${rowid}`);
/** A message guid as the spec's rowid gives it (for payloads that name other messages). */
export const smsChatGuid = (chat: SmsChatSpec) =>
  `${chat.service ?? 'iMessage'};${chat.group ? '+' : '-'};${chat.identifier}`;

/** "~/Library/SMS/Attachments/xx/yy/GUID/name", as sms.db stores it, and the MediaDomain path in a backup. */
export function smsAttachmentPaths(a: SmsAttachmentSpec): {
  filename: string;
  relativePath: string;
} {
  const guid = smsAttachmentGuid(a.rowid);
  const hex = guid.replace(/-/g, '').toLowerCase();
  const rel = `Library/SMS/Attachments/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${guid}/${a.transferName}`;
  return { filename: `~/${rel}`, relativePath: rel };
}

const TAPBACK_VERBS: Record<number, string> = {
  0: 'Loved',
  1: 'Liked',
  2: 'Disliked',
  3: 'Laughed at',
  4: 'Emphasized',
  5: 'Questioned',
};

export function buildSmsDb(version: SmsSchemaVersion, spec: SmsSpec): Buffer {
  const ios17 = version !== 'ios15';
  const ios26 = version === 'ios26';
  const schema = ios26 ? SMS_IOS26_SCHEMA : ios17 ? SMS_IOS17_SCHEMA : SMS_IOS15_SCHEMA;
  const date = (iso: string, unit: 'ns' | 's' = 'ns') =>
    unit === 'ns' ? appleNanoseconds(iso) : BigInt(Math.round(appleSeconds(iso)));
  return buildSqliteFile(
    schema,
    (db) => {
      for (const h of spec.handles)
        insertRow(db, 'handle', {
          ROWID: h.rowid,
          id: h.id,
          country: 'us',
          service: h.service ?? 'iMessage',
          uncanonicalized_id: null,
          person_centric_id: null,
        });
      for (const c of spec.chats) {
        insertRow(db, 'chat', {
          ROWID: c.rowid,
          guid: smsChatGuid(c),
          style: c.group ? 43 : 45,
          state: 3,
          account_id: demoUUID('sms-spec-account'),
          chat_identifier: c.identifier,
          service_name: c.service ?? 'iMessage',
          room_name: c.group ? c.identifier : null,
          account_login: 'E:owner@example.com',
          is_archived: 0,
          display_name: c.displayName ?? '',
          group_id: demoUUID(`sms-spec-chat-${c.rowid}`),
          is_filtered: 0,
          successful_query: 1,
          last_read_message_timestamp: 0,
        });
        for (const h of c.handleRowids)
          insertRow(db, 'chat_handle_join', { chat_id: c.rowid, handle_id: h });
      }
      for (const a of spec.attachments) {
        const guid = smsAttachmentGuid(a.rowid);
        insertRow(db, 'attachment', {
          ROWID: a.rowid,
          guid,
          created_date: Math.round(appleSeconds(a.createdAt)),
          start_date: 0,
          filename: smsAttachmentPaths(a).filename,
          uti: a.uti ?? null,
          mime_type: a.mimeType,
          transfer_state: 5,
          is_outgoing: 0,
          transfer_name: a.transferName,
          total_bytes: a.data.length,
          original_guid: guid,
          is_sticker: a.isSticker ? 1 : 0,
          ...(ios26 && a.genmoji
            ? {
                emoji_image_content_identifier: demoUUID(`genmoji-${a.rowid}`),
                emoji_image_short_description: a.genmoji.description,
              }
            : {}),
        });
      }
      for (const m of spec.messages) {
        if (!ios17 && (m.edits || m.editedAt || m.unsentAt || m.recentlyDeletedAt))
          throw new Error(
            `message ${m.rowid}: edits, unsends and Recently Deleted need the iOS 17 schema`,
          );
        if (!ios26 && (m.tapback?.emoji || m.offGrid || m.translation))
          throw new Error(`message ${m.rowid}: iOS 18/26 columns need the iOS 26 schema`);
        const chat = spec.chats.find((c) => c.rowid === m.chatRowid);
        // Messages carry their own service; an iOS 26 "any" chat names none.
        const service = chat?.service && chat.service !== 'any' ? chat.service : 'iMessage';
        const fromMe = m.fromMe ?? m.handleRowid === 0;
        let text = m.text;
        let associatedGuid: string | null = m.associatedGuid ?? null;
        if (m.tapback) {
          const target = spec.messages.find((x) => x.rowid === m.tapback!.targetRowid);
          const targetGuid = smsMessageGuid(m.tapback.targetRowid);
          associatedGuid = m.tapback.form === 'bp' ? `bp:${targetGuid}` : `p:0/${targetGuid}`;
          const classic = m.tapback.type >= 2000 && m.tapback.type <= 3005;
          const verb = classic ? TAPBACK_VERBS[m.tapback.type % 1000] : undefined;
          if (text === null && verb)
            text = `${m.tapback.type >= 3000 ? 'Removed a tapback: ' : ''}${verb} \u201c${target?.text ?? ''}\u201d`;
        }
        const unsent = m.unsentAt !== undefined;
        const body = unsent ? null : text;
        const withPlaceholders =
          (m.attachmentRowids?.length ? '\ufffc'.repeat(m.attachmentRowids.length) : '') +
          (body ?? '');
        const stored = withPlaceholders === '' ? null : withPlaceholders;
        const edited = m.edits?.length ? m.edits : null;
        const summary =
          edited || unsent || m.translation
            ? bplistCreator({
                ...(edited
                  ? {
                      ec: {
                        '0': [
                          ...edited.map((e) => ({
                            t: attributedBodyFor(e.text),
                            d: appleSeconds(e.date) + 0.25,
                          })),
                          {
                            t: attributedBodyFor(text ?? ''),
                            d: appleSeconds(m.editedAt ?? m.date) + 0.25,
                          },
                        ],
                      },
                    }
                  : {}),
                ...(edited ? { ep: [0] } : {}),
                ...(unsent ? { rp: [0], ust: true } : {}),
                ...(m.translation
                  ? {
                      translationLanguage: m.translation.language,
                      translatedText: m.translation.text,
                    }
                  : {}),
              })
            : null;
        const when = date(m.date, m.dateUnit);
        const row: Record<string, string | number | bigint | Buffer | null> = {
          ROWID: m.rowid,
          guid: smsMessageGuid(m.rowid),
          text: m.textColumn === false ? null : stored,
          handle_id: m.handleRowid,
          subject: m.subject ?? null,
          attributedBody:
            stored === null
              ? null
              : m.runs
                ? attributedBodyWithRuns(stored, m.runs)
                : attributedBodyFor(stored),
          version: 10,
          type: 0,
          service: m.service ?? service,
          account: 'E:owner@example.com',
          account_guid: demoUUID('sms-spec-account'),
          date: when,
          date_read: fromMe ? 0 : when,
          date_delivered: fromMe ? when : 0,
          is_delivered: 1,
          is_finished: 1,
          is_from_me: fromMe ? 1 : 0,
          is_read: fromMe ? 0 : 1,
          is_sent: fromMe ? 1 : 0,
          associated_message_guid: associatedGuid,
          associated_message_type: m.tapback?.type ?? 0,
          item_type: m.itemType ?? 0,
          group_action_type: m.groupActionType ?? 0,
          other_handle: m.otherHandleRowid ?? 0,
          group_title: m.groupTitle ?? null,
          message_summary_info: summary,
          expressive_send_style_id: m.effect ?? null,
          thread_originator_guid: m.replyToRowid
            ? smsMessageGuid(m.replyToRowid)
            : (m.replyToGuid ?? null),
          thread_originator_part: m.replyToRowid || m.replyToGuid ? '0:0:0' : null,
          balloon_bundle_id: m.balloon ?? null,
          payload_data: m.payload ?? null,
          is_audio_message: m.audio ? 1 : 0,
          is_expirable: m.audio?.expirable ? 1 : 0,
          share_status: m.shareStatus ?? 0,
          share_direction: m.shareDirection ?? 0,
          syndication_ranges: m.syndicationRanges ?? null,
          destination_caller_id: 'owner@example.com',
          cache_has_attachments: m.attachmentRowids?.length ? 1 : 0,
        };
        if (ios17) {
          row.date_edited = m.editedAt ? date(m.editedAt) : unsent ? date(m.unsentAt!) : 0;
          row.date_retracted = unsent ? date(m.unsentAt!) : 0;
          row.part_count = 1;
        }
        if (ios26) {
          row.associated_message_emoji = m.tapback?.emoji ?? null;
          row.sent_or_received_off_grid = m.offGrid ? 1 : 0;
        }
        insertRow(db, 'message', row);
        if (m.recentlyDeletedAt && m.chatRowid !== null) {
          insertRow(db, 'chat_recoverable_message_join', {
            chat_id: m.chatRowid,
            message_id: m.rowid,
            delete_date: date(m.recentlyDeletedAt),
          });
        } else if (m.chatRowid !== null) {
          insertRow(db, 'chat_message_join', {
            chat_id: m.chatRowid,
            message_id: m.rowid,
            message_date: when,
          });
        }
        for (const a of m.attachmentRowids ?? [])
          insertRow(db, 'message_attachment_join', { message_id: m.rowid, attachment_id: a });
      }
    },
    {
      functions: { delete_attachment_path: () => null, before_delete_attachment_path: () => null },
    },
  );
}

/** sms.db plus the attachment files the backup holds, ready for BackupWriter / writeBackup. */
export function smsBackupFiles(
  version: SmsSchemaVersion,
  spec: SmsSpec,
  modified = '2024-06-01T12:00:00Z',
): BackupFileInput[] {
  return [
    {
      domain: 'HomeDomain',
      relativePath: 'Library/SMS/sms.db',
      data: buildSmsDb(version, spec),
      modified: asDate(modified),
    },
    ...spec.attachments
      .filter((a) => a.inBackup !== false)
      .map((a) => ({
        domain: 'MediaDomain',
        relativePath: smsAttachmentPaths(a).relativePath,
        data: a.data,
        modified: asDate(a.createdAt),
      })),
  ];
}
