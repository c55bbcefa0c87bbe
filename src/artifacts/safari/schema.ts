import type { DatabaseSchema } from '../declaration.js';

/**
 * What the Safari reader reads. History.db: real dumps of iOS 9.3.5, 10.3.3, 11.2 and a 2017 file
 * (docs/schemas/safari-history-*.sql); iLEAPP safariHistory.py and mvt read the same columns up to
 * iOS 26. Bookmarks.db: the real iOS 7 dump (no later change reported). BrowserState.db: the real iOS
 * 14.3 file of the mvt test backup; on iOS 26 tabs.last_viewed_time is Unix seconds (iLEAPP #1699 /
 * PR #1700). SafariTabs.db: iLEAPP safariTabs.py (PR #1822, iOS 18.7 and 26.5.2 images).
 */
export const HISTORY_SCHEMA = {
  tables: {
    history_items: {
      required: ['id', 'url'],
      optional: ['visit_count'],
      extras: ['title'],
      ignored: `domain_expansion daily_visit_counts weekly_visit_counts autocomplete_triggers
        should_recompute_derived_visit_counts visit_count_score`,
    },
    history_visits: {
      required: ['history_item', 'visit_time'],
      optional: ['title', 'redirect_source', 'redirect_destination'],
      extras: ['id', 'origin', 'load_successful'],
      ignored: 'http_non_get synthesized generation attributes score',
    },
  },
  ignoredTables:
    'history_tombstones metadata history_client_versions history_event_listeners history_events',
} as const satisfies DatabaseSchema;

export const BOOKMARKS_SCHEMA = {
  tables: {
    bookmarks: {
      required: ['id', 'parent', 'type', 'title', 'url'],
      optional: ['order_index'],
      extras: ['special_id', 'hidden', 'deleted', 'read', 'extra_attributes', 'external_uuid'],
      ignored: `num_children editable deletable hidden_ancestor_count last_modified server_id sync_key
        sync_data added local_attributes fetched_icon icon dav_generation locally_added
        archive_status syncable web_filter_status`,
    },
  },
  ignoredTables: 'generations sync_properties bookmark_title_words folder_ancestors',
} as const satisfies DatabaseSchema;

export const BROWSER_STATE_SCHEMA = {
  tables: {
    tabs: {
      required: ['id', 'url|user_visible_url'],
      optional: ['title', 'last_viewed_time'],
      extras: ['private_browsing', 'order_index', 'browser_window_id', 'uuid'],
      ignored: `readinglist_bookmark_id opened_from_link showing_reader reader_view_top_scroll_offset
        displaying_standalone_image browser_window_uuid`,
    },
  },
  ignoredTables: 'browser_windows tab_sessions',
} as const satisfies DatabaseSchema;

/** SafariTabs.db: tabs are the rows of `bookmarks` with a URL; their tab group is the parent chain. */
export const SAFARI_TABS_SCHEMA = {
  tables: {
    bookmarks: {
      required: ['id', 'url'],
      optional: ['title', 'parent'],
      extras: [
        'order_index',
        'deleted',
        'extra_attributes',
        'local_attributes',
        'external_uuid',
        'last_modified',
        'date_closed',
      ],
    },
  },
} as const satisfies DatabaseSchema;
