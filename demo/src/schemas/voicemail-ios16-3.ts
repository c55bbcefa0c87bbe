// Real voicemail.db schema of iOS 16.3 (BelkaCTF 6 image via iLEAPP test data).
// Source: /work/shared/docs/schemas/voicemail-ios16.3.sql.
// Generated verbatim from that text (comments, sqlite_sequence and sqlite_stat1 left out); do not edit by hand.

export const VOICEMAIL_IOS16_3_SCHEMA: readonly string[] = [
  'CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));',
  'CREATE TABLE voicemail (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, remote_uid INTEGER, date INTEGER, token TEXT, sender TEXT, callback_num TEXT, duration INTEGER, expiration INTEGER, trashed_date INTEGER, flags INTEGER, receiver TEXT, label TEXT);',
  'CREATE TABLE deleted (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, remote_uid INTEGER, date INTEGER, token TEXT, sender TEXT, callback_num TEXT, duration INTEGER, expiration INTEGER, trashed_date INTEGER, flags INTEGER, receiver TEXT, label TEXT);',
  'CREATE TABLE map (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT, label TEXT);',
  'CREATE INDEX date_index on voicemail(date);',
  'CREATE INDEX remote_uid_index on voicemail(remote_uid);',
];
