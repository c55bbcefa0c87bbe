// Safari on iOS 18 and iOS 26, RECONSTRUCTED where no dump is public.
// - History.db: the real iOS 11.2 statements (safari-history-ios11-2.ts) [inferred unchanged: iLEAPP 423798fa
//   scripts/artifacts/safariHistory.py and mvt safari_history.py read the same columns; whether visit_time turned to Unix
//   seconds on iOS 26 is unknown (iLEAPP PR #1702 guards it "defensively")].
// - BrowserState.db: the real iOS 14.3 statements (safari-browserstate-ios14-3.ts); tabs.last_viewed_time holds Unix
//   seconds on iOS 26 [confirmed: iLEAPP issue #1699 / PR #1700 on an iOS 26.5.2 image; Cocoa seconds before].
// - SafariTabs.db (below) [reconstructed]: the bookmarks columns iLEAPP safariTabs.py safariTabsDatabase reads (PR #1822,
//   checked on iOS 18.7 and 26.5.2 images): id, parent, title, url, order_index, deleted, last_modified and date_closed
//   (NULL on every image tested), extra_attributes (binary plist: DateLastViewed), local_attributes (binary plist:
//   LastVisitTime, OpenedFromLink, TabIndex, IsMuted, ShowingReader), external_uuid; folders titled Public/LocalProfile
//   hold normal tabs, private/PrivatePinned private ones. Column types and `type` (0 tab, 1 folder, as in Bookmarks.db)
//   [inferred].

export const SAFARI_TABS_IOS26_SCHEMA: readonly string[] = [
  'CREATE TABLE bookmarks (id INTEGER PRIMARY KEY AUTOINCREMENT, special_id INTEGER DEFAULT 0, parent INTEGER, type INTEGER, title TEXT, url TEXT, order_index INTEGER NOT NULL DEFAULT 0, external_uuid TEXT UNIQUE, deleted BOOL NOT NULL DEFAULT 0, last_modified REAL, date_closed REAL, extra_attributes BLOB, local_attributes BLOB);',
];
