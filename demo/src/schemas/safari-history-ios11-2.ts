// Real Safari History.db schema of iOS 11.2 (re-wrapped by its publisher; tokens unchanged).
// Source: /work/shared/docs/schemas/safari-history-ios11.2.sql (richinfante/iphonebackuptools).
// Generated verbatim from that text (comments, sqlite_sequence and sqlite_stat1 left out); do not edit by hand.

export const SAFARI_HISTORY_IOS11_2_SCHEMA: readonly string[] = [
  'CREATE TABLE history_items (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    url TEXT NOT NULL UNIQUE,\n    domain_expansion TEXT NULL,\n    visit_count INTEGER NOT NULL,\n    daily_visit_counts BLOB NOT NULL,\n    weekly_visit_counts BLOB NULL,\n    autocomplete_triggers BLOB NULL,\n    should_recompute_derived_visit_counts INTEGER NOT NULL,\n    visit_count_score INTEGER NOT NULL);',
  'CREATE TABLE history_visits (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    history_item INTEGER NOT NULL REFERENCES history_items(id) ON DELETE CASCADE,\n    visit_time REAL NOT NULL,\n    title TEXT NULL,\n    load_successful BOOLEAN NOT NULL DEFAULT 1,\n    http_non_get BOOLEAN NOT NULL DEFAULT 0,\n    synthesized BOOLEAN NOT NULL DEFAULT 0,\n    redirect_source INTEGER NULL UNIQUE REFERENCES history_visits(id) ON DELETE CASCADE,\n    redirect_destination INTEGER NULL UNIQUE REFERENCES history_visits(id) ON DELETE CASCADE,\n    origin INTEGER NOT NULL DEFAULT 0,\n    generation INTEGER NOT NULL DEFAULT 0,\n    attributes INTEGER NOT NULL DEFAULT 0,\n    score INTEGER NOT NULL DEFAULT 0);',
  'CREATE TABLE history_tombstones (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    start_time REAL NOT NULL,\n    end_time REAL NOT NULL,\n    url TEXT,\n    generation INTEGER NOT NULL DEFAULT 0);',
  'CREATE TABLE metadata (\n    key TEXT NOT NULL UNIQUE,\n    value);',
  'CREATE TABLE history_client_versions (\n    client_version INTEGER PRIMARY KEY,\n    last_seen REAL NOT NULL);',
  'CREATE TABLE history_event_listeners (\n    listener_name TEXT PRIMARY KEY NOT NULL UNIQUE,\n    last_seen REAL NOT NULL);',
  'CREATE TABLE history_events (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    event_type TEXT NOT NULL,\n    event_time REAL NOT NULL,\n    pending_listeners TEXT NOT NULL,\n    value BLOB);',
  'CREATE INDEX history_items__domain_expansion ON history_items (domain_expansion);',
  'CREATE INDEX history_visits__last_visit ON history_visits (history_item, visit_time DESC, synthesized ASC);',
  'CREATE INDEX history_visits__origin ON history_visits (origin, generation);',
  'CREATE INDEX history_tombstones__generation ON history_tombstones (generation);',
  'CREATE INDEX history_tombstones__end_time ON history_tombstones (end_time);',
];
