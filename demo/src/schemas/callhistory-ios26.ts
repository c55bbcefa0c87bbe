// CallHistory.storedata of iOS 18 and iOS 26, RECONSTRUCTED: no dump of either is public.
// Sources: iLEAPP 423798fa scripts/artifacts/callHistory.py reads the same ZCALLRECORD columns for its iOS 18.0-18.7.8
// samples as for iOS 17 (no iOS 26 sample); callHistoryGroupCall.py:77 accepts Z_3REMOTEPARTICIPANTHANDLES or
// Z_4REMOTEPARTICIPANTHANDLES (the entity number moves). research/ios26-schemas.md section 4: no change documented.
// So: the real iOS 17.x statements (callhistory-ios17.ts) unchanged [inferred], except the participant join column,
// renumbered to Z_4REMOTEPARTICIPANTHANDLES [reconstructed: the other spelling iLEAPP reads], so readers are tested on it.

import { CALLHISTORY_IOS17_SCHEMA } from './callhistory-ios17.js';

export const CALLHISTORY_IOS26_SCHEMA: readonly string[] = CALLHISTORY_IOS17_SCHEMA.map((sql) =>
  sql.replace(/Z_3REMOTEPARTICIPANTHANDLES/g, 'Z_4REMOTEPARTICIPANTHANDLES'),
);
