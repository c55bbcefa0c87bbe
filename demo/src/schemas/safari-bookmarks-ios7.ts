// Real Safari Bookmarks.db schema of iOS 7 (newest real Bookmarks.db schema available).
// Source: /work/shared/docs/schemas/safari-bookmarks-ios7.sql (OTAPKI/iphone; schema only).
// Generated verbatim from that text (comments, sqlite_sequence and sqlite_stat1 left out); do not edit by hand.

export const SAFARI_BOOKMARKS_IOS7_SCHEMA: readonly string[] = [
  'CREATE TABLE generations (generation INTEGER NOT NULL);',
  'CREATE TABLE sync_properties (key TEXT NOT NULL, value TEXT NOT NULL);',
  'CREATE TABLE bookmarks (id INTEGER PRIMARY KEY,                                                           special_id INTEGER DEFAULT 0,                                                           parent INTEGER,                                                           type INTEGER,                                                           title TEXT,                                                           url TEXT COLLATE NOCASE,                                                           num_children INTEGER DEFAULT 0,                                                           editable INTEGER DEFAULT 1,                                                           deletable INTEGER DEFAULT 1,                                                           hidden INTEGER DEFAULT 0,                                                           hidden_ancestor_count INTEGER DEFAULT 0,                                                           order_index INTEGER NOT NULL,                                                           external_uuid TEXT,                                                           read INTEGER DEFAULT NULL,                                                           last_modified REAL DEFAULT NULL,                                                           server_id TEXT,                                                           sync_key TEXT,                                                           sync_data BLOB,                                                           added INTEGER DEFAULT 1,                                                           deleted INTEGER DEFAULT 0,                                                           extra_attributes BLOB DEFAULT NULL,                                                           local_attributes BLOB DEFAULT NULL,                                                           fetched_icon BOOL DEFAULT 0,                                                           icon BLOB DEFAULT NULL,                                                           dav_generation INTEGER DEFAULT 0,                                                           locally_added BOOL DEFAULT 0,                                                           archive_status INTEGER DEFAULT 0,                                                           syncable BOOL DEFAULT 1,                                                           web_filter_status INTEGER DEFAULT 0);',
  'CREATE TABLE bookmark_title_words (id INTEGER PRIMARY KEY, bookmark_id INTEGER NOT NULL CONSTRAINT fk_bookmark_id REFERENCES bookmarks(id) ON DELETE CASCADE, word TEXT, word_index INTEGER);',
  'CREATE TABLE folder_ancestors (id INTEGER PRIMARY KEY, folder_id INTEGER NOT NULL CONSTRAINT fk_ancestors_folder_id REFERENCES bookmarks(id) ON DELETE CASCADE, ancestor_id INTEGER NOT NULL);',
  'CREATE INDEX sync_properties_key_index ON sync_properties (key);',
  'CREATE INDEX special_id_index ON bookmarks (special_id);',
  'CREATE INDEX autocomplete_index ON bookmarks (url);',
  'CREATE INDEX folder_list_index ON bookmarks (parent, type, order_index);',
  'CREATE INDEX group_index ON bookmarks (parent, order_index);',
  'CREATE INDEX sync_index ON bookmarks (external_uuid);',
  'CREATE INDEX server_id_index ON bookmarks(server_id);',
  'CREATE INDEX dav_generation_index ON bookmarks(dav_generation);',
  'CREATE INDEX title_word_index ON bookmark_title_words(word);',
  'CREATE INDEX title_bookmark_id_index ON bookmark_title_words(bookmark_id);',
  'CREATE INDEX ancestor_folder_id_index on folder_ancestors(folder_id);',
  'CREATE INDEX ancestor_ancestor_id_index on folder_ancestors(ancestor_id);',
  'CREATE TRIGGER fkd_bookmark_title_words_bookmark_id BEFORE DELETE ON bookmarks      FOR EACH ROW BEGIN DELETE FROM bookmark_title_words WHERE bookmark_id = OLD.id;      END;',
  'CREATE TRIGGER fkd_ancestors_folder_id BEFORE DELETE ON bookmarks FOR EACH ROW BEGIN DELETE FROM folder_ancestors WHERE folder_id = OLD.id; END;',
];
