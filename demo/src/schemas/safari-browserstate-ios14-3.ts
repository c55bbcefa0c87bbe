// Real Safari BrowserState.db schema of iOS 14.3 (the mvt test backup, mvt-project/mvt tests/artifacts/ios_backup,
// HomeDomain Library/Safari/BrowserState.db; read from /work/shared/fixtures/backups/mvt-ios14-plain, schema only).
// The sql column of sqlite_master, verbatim, in rowid order (sqlite_sequence left out); do not edit by hand.

export const SAFARI_BROWSERSTATE_IOS14_3_SCHEMA: readonly string[] = [
  'CREATE TABLE browser_windows (id INTEGER PRIMARY KEY AUTOINCREMENT,uuid TEXT NOT NULL,type INTEGER DEFAULT 0,active_document_index INTEGER DEFAULT 0,active_private_document_index INTEGER DEFAULT 0,active_document_is_valid BOOL DEFAULT 1,tab_state_successfully_loaded BOOL DEFAULT 0,legacy_plist_file_version INTEGER DEFAULT 0, scene_id TEXT,CONSTRAINT uuid_type_index UNIQUE(uuid, type));',
  'CREATE TABLE tabs (id INTEGER PRIMARY KEY AUTOINCREMENT,uuid TEXT NOT NULL UNIQUE,title TEXT,url TEXT COLLATE NOCASE,user_visible_url TEXT COLLATE NOCASE,order_index INTEGER NOT NULL,last_viewed_time REAL DEFAULT NULL,readinglist_bookmark_id INTEGER DEFAULT 0,opened_from_link BOOL DEFAULT 0,showing_reader BOOL DEFAULT 0,reader_view_top_scroll_offset INTEGER DEFAULT 0,private_browsing BOOL DEFAULT 0,displaying_standalone_image BOOL DEFAULT 0,browser_window_uuid TEXT NOT NULL,browser_window_id INTEGER NOT NULL,FOREIGN KEY(browser_window_id) REFERENCES browser_windows(id) ON DELETE CASCADE);',
  'CREATE TABLE tab_sessions (id INTEGER PRIMARY KEY AUTOINCREMENT,tab_uuid TEXT NOT NULL UNIQUE,session_data BLOB DEFAULT NULL,uncompressed_session_data_size INTEGER NOT NULL DEFAULT 0,FOREIGN KEY(tab_uuid) REFERENCES tabs(uuid) ON DELETE CASCADE ON UPDATE CASCADE);',
  'CREATE INDEX tabs__uuid ON tabs (uuid);',
  'CREATE INDEX tab_sessions__uuid ON tab_sessions (tab_uuid);',
];
