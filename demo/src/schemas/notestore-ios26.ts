// NoteStore.sqlite of iOS 18 and iOS 26, RECONSTRUCTED from the real iOS 17.3 store (notestore-ios17.ts, fixture
// ios17-NoteStore.sqlite) and apple_cloud_notes_parser's version fingerprint (e727c1f lib/AppleNoteStore.rb
// guess_ios_version, lines 88-146; commit 1f4501c "fix iOS 26 being detected as iOS 18"):
// - iOS 18: ZICCLOUDSYNCINGOBJECT.ZUNAPPLIEDENCRYPTEDRECORDDATA BLOB in place of ZUNAPPLIEDENCRYPTEDRECORD (ACNP reads one
//   or the other by version: AppleNoteStore.rb:731, AppleNotesEmbeddedObject.rb:101) [confirmed name; that the old column
//   is gone rather than kept is inferred];
// - iOS 26: ZATTRIBUTEDSNIPPET BLOB added [confirmed name and type; content format unknown].
// ACNP reads no other column differently for 18 or 26 (every other branch is ">= 18" or older), so everything else is the
// iOS 17.3 layout [inferred]; whether iOS 18/26 renumber Core Data attributes (ZACCOUNT7, ZCREATIONDATE3) is unknown.

import { NOTESTORE_IOS17_SCHEMA } from './notestore-ios17.js';

const IOS18: readonly string[] = NOTESTORE_IOS17_SCHEMA.map((sql) =>
  sql.replace('ZUNAPPLIEDENCRYPTEDRECORD BLOB', 'ZUNAPPLIEDENCRYPTEDRECORDDATA BLOB'),
);

export const NOTESTORE_SCHEMAS = {
  ios17: NOTESTORE_IOS17_SCHEMA,
  ios18: IOS18,
  ios26: [...IOS18, 'ALTER TABLE ZICCLOUDSYNCINGOBJECT ADD COLUMN ZATTRIBUTEDSNIPPET BLOB;'],
} as const satisfies Record<string, readonly string[]>;
