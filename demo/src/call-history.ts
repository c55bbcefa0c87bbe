import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate } from './apple-time.js';
import { writeCoreDataBookkeeping } from './core-data.js';
import { demoUUID } from './ids.js';
import { person, type DemoPerson } from './people.js';
import { CALLHISTORY_IOS17_SCHEMA } from './schemas/callhistory-ios17.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/**
 * Library/CallHistoryDB/CallHistory.storedata with the real iOS 17.x schema (Core Data model 27).
 * Entities as the schema's join table implies: 1 CallDBProperties, 2 CallRecord, 3 Handle.
 * ZCALLTYPE 1 = phone, 8 = FaceTime video, 16 = FaceTime audio; ZHANDLE_TYPE 2 = phone number.
 */
export const CALL_TYPE = { phone: 1, faceTimeVideo: 8, faceTimeAudio: 16 } as const;

export interface DemoCall {
  pk: number;
  person: DemoPerson;
  date: string;
  durationSeconds: number;
  outgoing: boolean;
  answered: boolean;
  callType: (typeof CALL_TYPE)[keyof typeof CALL_TYPE];
  serviceProvider: 'com.apple.Telephony' | 'com.apple.FaceTime';
}
export interface CallHistoryData {
  calls: DemoCall[];
  /** Calls (by pk) deleted again after they were written, with secure_delete off: their bytes stay in free space. None in the bundled demo. */
  deletedPks?: number[];
}

export function callHistoryData(): CallHistoryData {
  const call = (
    pk: number,
    key: DemoPerson['key'],
    date: string,
    durationSeconds: number,
    outgoing: boolean,
    answered: boolean,
    callType: DemoCall['callType'],
  ): DemoCall => ({
    pk,
    person: person(key),
    date,
    durationSeconds,
    outgoing,
    answered,
    callType,
    serviceProvider: callType === CALL_TYPE.phone ? 'com.apple.Telephony' : 'com.apple.FaceTime',
  });
  return {
    calls: [
      call(1, 'mom', '2024-02-11T18:30:00Z', 1264, false, true, CALL_TYPE.phone),
      call(2, 'jamie', '2024-03-08T16:55:00Z', 95, true, true, CALL_TYPE.phone),
      call(3, 'dentist', '2024-04-02T16:10:00Z', 0, false, false, CALL_TYPE.phone), // missed
      call(4, 'priya', '2024-07-20T02:15:00Z', 1830, true, true, CALL_TYPE.faceTimeVideo),
      call(5, 'sam', '2025-01-17T15:05:00Z', 312, false, true, CALL_TYPE.faceTimeAudio),
      call(6, 'mom', '2025-02-09T19:00:00Z', 0, true, false, CALL_TYPE.phone), // outgoing, not answered
    ],
  };
}

export function buildCallHistory(data: CallHistoryData = callHistoryData()): BackupFileInput[] {
  const handles = [...new Set(data.calls.map((c) => c.person.phone))];
  const db = buildSqliteFile(CALLHISTORY_IOS17_SCHEMA, (db) => {
    handles.forEach((phone, i) =>
      insertRow(db, 'ZHANDLE', {
        Z_PK: i + 1,
        Z_ENT: 3,
        Z_OPT: 1,
        ZTYPE: 2,
        ZNORMALIZEDVALUE: phone,
        ZVALUE: phone,
      }),
    );
    for (const c of data.calls) {
      insertRow(db, 'ZCALLRECORD', {
        Z_PK: c.pk,
        Z_ENT: 2,
        Z_OPT: 1,
        ZANSWERED: c.answered ? 1 : 0,
        ZCALL_CATEGORY: c.callType === CALL_TYPE.faceTimeVideo ? 2 : 1,
        ZCALLTYPE: c.callType,
        ZDISCONNECTED_CAUSE: 0,
        ZFACE_TIME_DATA: null,
        ZFILTERED_OUT_REASON: 0,
        ZHANDLE_TYPE: 2,
        ZJUNKCONFIDENCE: 0,
        ZNUMBER_AVAILABILITY: 0,
        ZORIGINATED: c.outgoing ? 1 : 0,
        ZREAD: 1,
        ZVERIFICATIONSTATUS: 0,
        ZDATE: appleSeconds(c.date),
        ZDURATION: c.durationSeconds,
        ZADDRESS: c.person.phone,
        ZISO_COUNTRY_CODE: 'us',
        ZLOCATION: 'California',
        ZNAME: null,
        ZSERVICE_PROVIDER: c.serviceProvider,
        ZUNIQUE_ID: demoUUID(`call-${c.pk}`),
        ZHASMESSAGE: 0,
      });
      insertRow(db, 'Z_2REMOTEPARTICIPANTHANDLES', {
        Z_2REMOTEPARTICIPANTCALLS: c.pk,
        Z_3REMOTEPARTICIPANTHANDLES: handles.indexOf(c.person.phone) + 1,
      });
    }
    if (data.deletedPks?.length) {
      db.pragma('secure_delete = OFF');
      for (const pk of data.deletedPks) {
        db.prepare(
          'DELETE FROM Z_2REMOTEPARTICIPANTHANDLES WHERE Z_2REMOTEPARTICIPANTCALLS = ?',
        ).run(pk);
        db.prepare('DELETE FROM ZCALLRECORD WHERE Z_PK = ?').run(pk);
      }
    }
    writeCoreDataBookkeeping(
      db,
      [
        { ent: 1, name: 'CallDBProperties', max: 0 },
        { ent: 2, name: 'CallRecord', max: data.calls.length },
        { ent: 3, name: 'Handle', max: handles.length },
      ],
      {
        storeUUID: demoUUID('callhistory-store'),
        frameworkVersion: 1345,
        modelVersionIdentifiers: ['27'],
      },
    );
  });
  return [
    {
      domain: 'HomeDomain',
      relativePath: 'Library/CallHistoryDB/CallHistory.storedata',
      data: db,
      modified: asDate('2025-02-09T19:00:30Z'),
    },
  ];
}
