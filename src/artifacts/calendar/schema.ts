import type { DatabaseSchema } from '../declaration.js';

/**
 * What the calendar reader reads from Calendar.sqlitedb. Optional: columns of both real dumps of iOS
 * 6.1.6 and 11.2 (docs/schemas); extras: later or fallback columns. iOS 18/26: iLEAPP calendarAll.py
 * reads the same tables for iOS 18.0-18.7.8 samples and detects CalendarItem.conference_url_detected
 * (else conference_url) at run time (:236); no change documented for 26.
 */
export const CALENDAR_SCHEMA = {
  tables: {
    CalendarItem: {
      optional: [
        'summary',
        'description',
        'start_date',
        'end_date',
        'all_day',
        'start_tz',
        'calendar_id',
        'location_id',
        'unique_identifier|UUID',
      ],
      extras: [
        'url',
        'conference_url_detected',
        'conference_url',
        'organizer_id',
        'orig_item_id',
        'orig_date',
        'status',
        'creation_date',
        'last_modified',
        'entity_type',
      ],
      ignored: `client_location_id end_tz self_attendee_id invitation_status availability privacy_level
        sequence_num birthday_id modified_properties external_tracking_status external_id
        external_mod_tag external_schedule_id external_rep response_comment
        last_synced_response_comment hidden has_recurrences has_attendees priority due_date
        due_tz due_all_day completion_date conference app_link display_order created_by_id
        modified_by_id shared_item_created_date shared_item_created_tz shared_item_modified_date
        shared_item_modified_tz invitation_changed_properties default_alarm_removed
        phantom_master participation_status_modified_date calendar_scale travel_time
        travel_advisory_behavior start_location_id suggested_event_info_id first_alert_date
        proposed_start_date can_forward location_prediction_state fired_ttl
        disallow_propose_new_time junk_status action structured_data local_structured_data
        end_location_id contact_identifier recurrence_set flags contact_name`,
    },
    Calendar: {
      optional: ['title', 'store_id'],
      extras: ['color'],
      ignored: `flags symbolic_color_name color_is_display type supported_entity_types external_id
        external_mod_tag external_id_tag external_rep display_order UUID shared_owner_name
        shared_owner_email sharing_status sharing_invitation_response published_URL is_published
        invitation_status sync_token self_identity_id self_identity_email owner_identity_id
        owner_identity_email notes bulk_requests subcal_account_id push_key digest
        shared_owner_address self_identity_phone_number owner_identity_phone_number`,
    },
    Store: {
      optional: ['name'],
      ignored: `default_alarm_offset type constraint_path disabled external_id persistent_id flags
        creator_bundle_id creator_code_signing_identity only_creator_can_modify external_mod_tag
        preferred_event_private_value strictest_event_private_value last_sync_error
        last_sync_start last_sync_end`,
    },
    Location: {
      optional: ['title', 'latitude', 'longitude'],
      extras: ['address'],
      ignored: `reference_frame address_book_id mapkit_handle radius routing derived_from item_owner_id
        alarm_owner_id`,
    },
    Recurrence: {
      required: ['owner_id', 'frequency'],
      optional: ['interval', 'count', 'end_date', 'specifier'],
      extras: ['week_start', 'by_month_months'],
      ignored: `cached_end_date cached_end_date_tz external_id external_mod_tag external_id_tag
        external_rep UUID`,
    },
    Alarm: {
      required: ['calendaritem_owner_id|owner_id'],
      optional: ['trigger_date', 'trigger_interval'],
      extras: ['disabled'],
      ignored: `type calendar_owner_id external_id external_mod_tag external_id_tag external_rep UUID
        proximity location_id acknowledgedDate default_alarm orig_alarm_id`,
    },
    Participant: {
      optional: ['owner_id', 'identity_id', 'email', 'status', 'role'],
      extras: ['phone_number'],
      ignored: `entity_type type pending_status external_rep UUID is_self comment schedule_agent flags
        last_modified proposed_start_date invited_by proposed_start_date_status
        comment_last_modified`,
    },
    Identity: { optional: ['display_name', 'address'], extras: ['first_name', 'last_name'] },
    ExceptionDate: { required: ['owner_id', 'date'], ignored: 'sync_order' },
  },
  ignoredTables: `_SqliteDatabaseProperties StoreChanges CalendarChanges RecurrenceChanges AlarmChanges
    ParticipantChanges EventAction EventActionChanges CalendarItemChanges Attachment
    AttachmentChanges Category CategoryLink Sharee ShareeChanges Notification
    NotificationChanges ResourceChange SuggestedEventInfo Contact ContactChanges OccurrenceCache
    OccurrenceCacheDays ScheduledTaskCache ClientCursor ClientSequence ClientCursorConsumed
    AttachmentFile`,
} as const satisfies DatabaseSchema;
