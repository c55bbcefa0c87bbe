// AddressBook.sqlitedb of iOS 18 and iOS 26, RECONSTRUCTED: no dump of either is public.
// Sources: iLEAPP 423798fa scripts/artifacts/addressBook.py runs one version-independent query (ABPerson, ABMultiValue,
// ABMultiValueLabel, ABMultiValueEntry, ABMultiValueEntryKey) for its iOS 18.0-18.7.8 samples (no iOS 26 sample); mvt
// contacts.py reads the same file; research/ios26-schemas.md section 3: no schema change documented (iOS 18's "limited
// contacts access" is a per-app permission, not a table). So: the real iOS 15.3.1 statements unchanged [inferred].

import { ADDRESSBOOK_IOS15_SCHEMA } from './addressbook-ios15.js';

export const ADDRESSBOOK_IOS26_SCHEMA: readonly string[] = ADDRESSBOOK_IOS15_SCHEMA;
