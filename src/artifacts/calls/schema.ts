import type { DatabaseSchema } from '../declaration.js';

/**
 * What the call-history reader reads. CallHistory.storedata: the real iOS 17 schema
 * (docs/schemas/callhistory-ios17.sql); iOS 18 and 26 read the same columns (iLEAPP callHistory.py,
 * samples up to iOS 18.7.8; no change documented for 26). call_history.db: the real iOS 9.3.5 file.
 */
export const CALL_STORE_SCHEMA = {
  coreData: true,
  tables: {
    ZCALLRECORD: {
      optional: ['ZDATE', 'ZDURATION', 'ZORIGINATED', 'ZANSWERED', 'ZADDRESS'],
      extras: [
        'ZCALLTYPE',
        'ZSERVICE_PROVIDER',
        'ZNAME',
        'ZISO_COUNTRY_CODE',
        'ZLOCATION',
        'ZUNIQUE_ID',
      ],
      ignored: `ZCALL_CATEGORY ZDISCONNECTED_CAUSE ZFACE_TIME_DATA ZFILTERED_OUT_REASON ZHANDLE_TYPE
        ZJUNKCONFIDENCE ZNUMBER_AVAILABILITY ZREAD ZVERIFICATIONSTATUS ZLOCALPARTICIPANTUUID
        ZOUTGOINGLOCALPARTICIPANTUUID ZPARTICIPANTGROUPUUID ZIMAGEURL ZHASMESSAGE
        ZJUNKIDENTIFICATIONCATEGORY ZCONVERSATIONID`,
    },
  },
  ignoredTables: 'ZCALLDBPROPERTIES ZHANDLE Z_2REMOTEPARTICIPANTHANDLES',
} as const satisfies DatabaseSchema;

export const OLD_CALL_SCHEMA = {
  tables: {
    call: {
      optional: ['date', 'duration', 'flags', 'address'],
      extras: ['name', 'country_code', 'answered', 'face_time_data'],
      ignored: 'id network_code read assisted originalAddress',
    },
  },
  ignoredTables: '_SqliteDatabaseProperties',
} as const satisfies DatabaseSchema;
