import type { BackupFileInput } from '../../src/backup/types.js';
import { asDate, unixSeconds } from './apple-time.js';
import type { DemoCall } from './call-history.js';
import { CALLHISTORY_DB_IOS9_SCHEMA } from './schemas/callhistory-ios9-3-5-call-history-db.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/**
 * The old call log, Library/CallHistory/call_history.db (real schema as dumped from an iOS 9.3.5 backup):
 * dates in Unix seconds, flags bit 0 = outgoing (4 incoming, 5 outgoing), face_time_data set for FaceTime calls.
 * Not part of the bundled demo; tests build it from the same DemoCall records as CallHistory.storedata.
 */
export interface LegacyCallHistoryData {
  calls: DemoCall[];
  /** Calls (by pk = ROWID) deleted again after they were written, with secure_delete off. */
  deletedPks?: number[];
}

export function buildLegacyCallHistory(data: LegacyCallHistoryData): BackupFileInput[] {
  const db = buildSqliteFile(CALLHISTORY_DB_IOS9_SCHEMA, (db) => {
    for (const key of [
      'timer_last',
      'timer_outgoing',
      'timer_incoming',
      'timer_all',
      'timer_lifetime',
    ])
      insertRow(db, '_SqliteDatabaseProperties', { key, value: '0' });
    for (const c of data.calls) {
      insertRow(db, 'call', {
        ROWID: c.pk,
        address: c.person.phone,
        date: Math.round(unixSeconds(c.date)),
        duration: c.durationSeconds,
        flags: c.outgoing ? 5 : 4,
        id: -1,
        name: null,
        country_code: '310',
        network_code: '260',
        read: 1,
        assisted: 0,
        face_time_data: c.serviceProvider === 'com.apple.FaceTime' ? Buffer.from([1]) : null,
        originalAddress: c.person.phone,
        answered: c.answered ? 1 : 0,
      });
    }
    if (data.deletedPks?.length) {
      db.pragma('secure_delete = OFF');
      for (const pk of data.deletedPks) db.prepare('DELETE FROM call WHERE ROWID = ?').run(pk);
    }
  });
  return [
    {
      domain: 'HomeDomain',
      relativePath: 'Library/CallHistory/call_history.db',
      data: db,
      modified: asDate('2025-02-09T19:00:30Z'),
    },
  ];
}
