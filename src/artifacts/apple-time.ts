import { date } from './sql-values.js';

export { APPLE_EPOCH_OFFSET } from './sql-values.js';

/**
 * A date stored by iOS as time since 2001: seconds (Core Data, most databases) or nanoseconds
 * (sms.db since iOS 11). Null, zero and unreadable values give null.
 */
export const fromAppleTime = (value: unknown): Date | null => date(value, 'apple');

/** A date stored as Unix seconds. */
export const fromUnixTime = (value: unknown): Date | null => date(value, 'unix');
