// CloudRecordings.db of iOS 18 and iOS 26 (AppDomainGroup-group.com.apple.VoiceMemos.shared Recordings/, iOS 17+),
// RECONSTRUCTED: no sqlite_master of any CloudRecordings.db is public.
// Column NAMES: iLEAPP 423798fa scripts/artifacts/voiceRecordings.py (rewritten 2026-07-14 for issue #1717, an iOS 26.5.2
// backup whose Recordings folder sits in the app group): ZCLOUDRECORDING ZDATE, ZDURATION, ZCUSTOMLABELFORSORTING, ZPATH
// (NULL: "No local path recorded"); island-io/mila Mila/VoiceMemos/VoiceMemosLibrary.swift (a macOS reader of the synced
// store) [inferred for iOS]: ZUNIQUEID, ZENCRYPTEDTITLE, ZCUSTOMLABEL, ZFOLDER, ZEVICTIONDATE, ZFOLDER(ZUUID,
// ZENCRYPTEDNAME). Column TYPES: Core Data conventions [inferred] (research/schemas/voicememos-ios26.sql).
// Audio beside it: <yyyyMMdd HHmmss>.m4a, and .qta (QuickTime audio with a spatial track) since iOS 26 (iLEAPP PR #1724).
// Entity numbers [invented].

export const VOICEMEMOS_IOS26_TABLES: readonly string[] = [
  'CREATE TABLE ZCLOUDRECORDING ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZFOLDER INTEGER, ZDATE TIMESTAMP, ZDURATION FLOAT, ZEVICTIONDATE TIMESTAMP, ZCUSTOMLABEL VARCHAR, ZCUSTOMLABELFORSORTING VARCHAR, ZENCRYPTEDTITLE VARCHAR, ZPATH VARCHAR, ZUNIQUEID VARCHAR );',
  'CREATE TABLE ZFOLDER ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZENCRYPTEDNAME VARCHAR, ZUUID VARCHAR );',
];
