import { declaredIdentity } from '../identity.js';
import { defineArtifact } from '../declaration.js';
import {
  held,
  noneListed,
  readDatabase,
  type DatabaseLocation,
  type DatabaseProblems,
} from '../read-database.js';
import {
  emptyData,
  defineReader,
  type ArtifactData,
  type ReadOptions,
  type RecoveredMark,
} from '../artifact.js';
import { fromAppleTime, fromUnixTime } from '../apple-time.js';
import type { ArtifactDatabase, Row } from '../database.js';
import { attachEarlierVersions, attachOtherVersions, type WithHistory } from '../history.js';
import { readColumns } from '../known-schema.js';
import { columnList, get, num, text } from '../sql-values.js';
import { CALL_STORE_SCHEMA, OLD_CALL_SCHEMA } from './schema.js';

/** Call history: the calls app's log (iOS 8+ Core Data store; call_history.db before). */
export const callsDeclaration = defineArtifact({
  id: 'calls',
  title: 'Call history',
  locations: {
    store: {
      domain: 'HomeDomain',
      path: 'Library/CallHistoryDB/CallHistory.storedata',
      kind: 'database',
      ios: { from: 8 },
      naturalKey: [{ table: 'ZCALLRECORD', columns: ['ZUNIQUE_ID'] }],
      schema: CALL_STORE_SCHEMA,
    },
    legacy: {
      domain: 'WirelessDomain',
      path: 'Library/CallHistory/call_history.db',
      kind: 'database',
      ios: { through: 7 },
      naturalKey: [{ table: 'call', columns: ['address', 'date'] }],
      schema: OLD_CALL_SCHEMA,
    },
    legacyHome: {
      domain: 'HomeDomain',
      path: 'Library/CallHistory/call_history.db',
      kind: 'database',
      naturalKey: [{ table: 'call', columns: ['address', 'date'] }],
      schema: OLD_CALL_SCHEMA,
    },
  },
  identity: {
    describe: 'the call unique id (ZUNIQUE_ID); before iOS 8 the number and time',
    keys: [
      { fields: ['uniqueId'], from: { table: 'ZCALLRECORD', columns: ['ZUNIQUE_ID'] } },
      { fields: ['address', 'date'], from: { table: 'call', columns: ['address', 'date'] } },
    ],
  },
  needsNames: true,
  aliases: ['call-history'],
  formats: ['csv', 'json'],
  defaultFormats: ['csv', 'json'],
});

/** A call by its unique id; call_history.db calls by number and time. */
export const callsIdentity = declaredIdentity<CallRecord>()(callsDeclaration, {
  volatile: ['id', 'database', 'storedName'],
});

export const CALL_HISTORY_STORE = callsDeclaration.locations.store;
export const CALL_HISTORY_DB = callsDeclaration.locations.legacyHome;

export type CallKind = 'phone' | 'facetime-video' | 'facetime-audio' | 'facetime' | 'app';

export interface CallRecord {
  /** "storedata:Z_PK" or "call_history.db:ROWID". */
  id: string;
  /** ZUNIQUE_ID: the call's own id, the same in every backup (iOS 8+). */
  uniqueId?: string;
  date: Date | null;
  durationSeconds: number;
  direction: 'incoming' | 'outgoing';
  answered: boolean;
  /** Incoming and not answered. */
  missed: boolean;
  kind: CallKind;
  /** ZCALLTYPE (or the old flags) as stored. */
  rawType: number | null;
  /** Number, e-mail address or app handle as stored. */
  address: string | null;
  /** A name the call log itself stored (ZNAME), if any. */
  storedName: string | null;
  /** com.apple.Telephony, com.apple.FaceTime, or a calling app's bundle id. */
  service: string | null;
  countryCode: string | null;
  location: string | null;
  database: 'CallHistory.storedata' | 'call_history.db';
  recovered?: RecoveredMark;
  /** Earlier versions of this call's record, when SQLite left old copies with other values. */
  earlierVersions?: WithHistory['earlierVersions'];
}

const HISTORY = { ignore: ['id', 'database'] };

const STORE_COLUMNS = ['Z_PK', ...readColumns(CALL_STORE_SCHEMA.tables.ZCALLRECORD)];
const OLD_COLUMNS = ['ROWID', ...readColumns(OLD_CALL_SCHEMA.tables.call)];

/** ZCALLTYPE: 1 phone, 8 FaceTime video, 16 FaceTime audio; other values are calls of apps using CallKit. */
function kindOf(callType: number | null, service: string | null): CallKind {
  if (callType === 1) return 'phone';
  if (callType === 8) return 'facetime-video';
  if (callType === 16) return 'facetime-audio';
  if (service === 'com.apple.Telephony') return 'phone';
  if (service === 'com.apple.FaceTime') return 'facetime';
  return service ? 'app' : 'phone';
}

function fromStoreRow(row: Row, recovered?: RecoveredMark): CallRecord | null {
  const date = fromAppleTime(get(row, 'ZDATE'));
  const address = text(get(row, 'ZADDRESS'));
  if (recovered && !date && !address) return null;
  const outgoing = num(get(row, 'ZORIGINATED')) === 1;
  const answered = num(get(row, 'ZANSWERED')) === 1;
  const callType = num(get(row, 'ZCALLTYPE'));
  const service = text(get(row, 'ZSERVICE_PROVIDER'));
  const uniqueId = text(get(row, 'ZUNIQUE_ID'));
  const call: CallRecord = {
    id: `storedata:${text(get(row, 'Z_PK')) ?? '?'}`,
    ...(uniqueId ? { uniqueId } : {}),
    date,
    durationSeconds: Math.max(0, num(get(row, 'ZDURATION')) ?? 0),
    direction: outgoing ? 'outgoing' : 'incoming',
    answered,
    missed: !outgoing && !answered,
    kind: kindOf(callType, service),
    rawType: callType,
    address,
    storedName: text(get(row, 'ZNAME')),
    service,
    countryCode: text(get(row, 'ZISO_COUNTRY_CODE')),
    location: text(get(row, 'ZLOCATION')),
    database: 'CallHistory.storedata',
  };
  if (recovered) call.recovered = recovered;
  return call;
}

/** call_history.db (iOS 7 and earlier; kept by some later backups): flags bit 0 = outgoing, dates in Unix seconds. */
function fromOldRow(row: Row, recovered?: RecoveredMark): CallRecord | null {
  const date = fromUnixTime(get(row, 'date'));
  const address = text(get(row, 'address'));
  if (recovered && !date && !address) return null;
  const flags = num(get(row, 'flags')) ?? 0;
  const outgoing = (flags & 1) === 1;
  const duration = Math.max(0, num(get(row, 'duration')) ?? 0);
  // `answered` defaults to 1 in this schema whatever happened: a call with no duration was not answered.
  const answered = duration > 0 && num(get(row, 'answered')) !== 0;
  const faceTime = get(row, 'face_time_data') !== null && get(row, 'face_time_data') !== undefined;
  const call: CallRecord = {
    id: `call_history.db:${text(get(row, 'ROWID')) ?? '?'}`,
    date,
    durationSeconds: duration,
    direction: outgoing ? 'outgoing' : 'incoming',
    answered,
    missed: !outgoing && !answered,
    kind: faceTime || (flags & 16) === 16 ? 'facetime' : 'phone',
    rawType: flags,
    address,
    storedName: text(get(row, 'name')),
    service: faceTime ? 'com.apple.FaceTime' : 'com.apple.Telephony',
    countryCode: text(get(row, 'country_code')),
    location: null,
    database: 'call_history.db',
  };
  if (recovered) call.recovered = recovered;
  return call;
}

function readTable(
  db: ArtifactDatabase,
  problems: DatabaseProblems,
  table: string,
  columns: readonly string[],
  key: string,
  build: (row: Row, recovered?: RecoveredMark) => CallRecord | null,
  options: ReadOptions,
  data: ArtifactData<CallRecord>,
): void {
  if (!db.hasTable(table)) {
    problems.error(
      `${db.label} has no ${table} table (an unknown version?): its calls were not read`,
    );
    return;
  }
  const live = new Map<number, CallRecord>();
  for (const row of db.all(`SELECT ${columnList(db, table, columns)} FROM ${table}`)) {
    const call = build(row);
    if (!call) continue;
    const pk = num(get(row, key));
    if (pk !== null) live.set(pk, call);
    data.items.push(call);
  }
  if (options.recoverDeleted === false) return;
  // old copies of live calls (a call rewritten by a sync) are those calls' history, not deleted calls
  attachEarlierVersions(db, table, live, (values) => build(values), HISTORY);
  let unknown = 0;
  for (const r of db.recovered(table)) {
    const pk = r.rowid ?? num(get(r.values, key));
    const id = pk ?? `deleted-${++unknown}`;
    const call = build({ ...r.values, [key]: id }, r.recovered);
    if (!call) continue;
    attachOtherVersions(call, r, (values, mark) => build({ ...values, [key]: id }, mark), HISTORY);
    data.items.push(call);
  }
}

export const callsArtifact = defineReader(callsDeclaration, async (source, options) => {
  const data = emptyData<CallRecord>('calls');
  const { store, legacy, legacyHome } = callsDeclaration.locations;
  const read = (
    where: DatabaseLocation,
    table: string,
    columns: readonly string[],
    key: string,
    build: typeof fromStoreRow,
  ) =>
    readDatabase(
      source,
      where,
      data,
      { title: callsDeclaration.title, recoverDeleted: options.recoverDeleted },
      (db, problems) => readTable(db, problems, table, columns, key, build, options, data),
    );
  const outcomes = [
    await read(store, 'ZCALLRECORD', STORE_COLUMNS, 'Z_PK', fromStoreRow),
    await read(legacy, 'call', OLD_COLUMNS, 'ROWID', fromOldRow),
    await read(legacyHome, 'call', OLD_COLUMNS, 'ROWID', fromOldRow),
  ];
  if (noneListed(...outcomes))
    data.notInBackup.push(
      'This backup holds no call history (Library/CallHistoryDB/CallHistory.storedata, or Library/CallHistory/call_history.db before iOS 8).',
    );
  else if (outcomes.some(held))
    data.notInBackup.push(
      'iOS keeps only the most recent calls (a few hundred to about a thousand); older calls are not in any backup.',
    );
  // Live first, then recovered; each by date.
  const time = (c: CallRecord) => c.date?.getTime() ?? 0;
  data.items.sort(
    (a, b) => Number(Boolean(a.recovered)) - Number(Boolean(b.recovered)) || time(a) - time(b),
  );
  return data;
});
