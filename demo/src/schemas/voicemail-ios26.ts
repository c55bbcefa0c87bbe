// voicemail.db of iOS 18 and iOS 26, RECONSTRUCTED: no dump of either is public.
// Sources: iLEAPP 423798fa scripts/artifacts/voicemail.py runs the same query (voicemail ROWID, date, sender, callback_num,
// duration, expiration, trashed_date, flags; table map when present) for its iOS 18.0-18.7.8 samples (no iOS 26 sample);
// research/ios26-schemas.md section 10: no change documented since iOS 16. So: the real iOS 16.3 statements unchanged [inferred].

import { VOICEMAIL_IOS16_3_SCHEMA } from './voicemail-ios16-3.js';

export const VOICEMAIL_IOS26_SCHEMA: readonly string[] = VOICEMAIL_IOS16_3_SCHEMA;
