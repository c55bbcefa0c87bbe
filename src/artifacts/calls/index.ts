import { defineArtifact } from '../declaration.js';
import {
  held,
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
import { columnList, get, missingColumns, num, text } from '../sql-values.js';

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
    },
    legacy: {
      domain: 'WirelessDomain',
      path: 'Library/CallHistory/call_history.db',
      kind: 'database',
      ios: { through: 7 },
      naturalKey: [{ table: 'call', columns: ['ROWID'] }],
    },
    legacyHome: {
      domain: 'HomeDomain',
      path: 'Library/CallHistory/call_history.db',
      kind: 'database',
      naturalKey: [{ table: 'call', columns: ['ROWID'] }],
    },
  },
  identity: {
    describe: 'the call unique id (ZUNIQUE_ID); before iOS 8 the number and time',
    keys: [
      { table: 'ZCALLRECORD', columns: ['ZUNIQUE_ID'] },
      { table: 'call', columns: ['address', 'date'] },
    ],
  },
  needsNames: true,
  aliases: ['call-history'],
  formats: ['csv', 'json'],
  defaultFormats: ['csv', 'json'],
});

export const CALL_HISTORY_STORE = callsDeclaration.locations.store;
export const CALL_HISTORY_DB = callsDeclaration.locations.legacyHome;

export type CallKind = 'phone' | 'facetime-video' | 'facetime-audio' | 'facetime' | 'app';

export interface CallRecord {
  /** "storedata:Z_PK" or "call_history.db:ROWID". */
  id: string;
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
}

const STORE_COLUMNS = [
  'Z_PK',
  'ZDATE',
  'ZDURATION',
  'ZORIGINATED',
  'ZANSWERED',
  'ZCALLTYPE',
  'ZADDRESS',
  'ZNAME',
  'ZSERVICE_PROVIDER',
  'ZISO_COUNTRY_CODE',
  'ZLOCATION',
] as const;
const OLD_COLUMNS = [
  'ROWID',
  'address',
  'date',
  'duration',
  'flags',
  'name',
  'country_code',
  'answered',
  'face_time_data',
] as const;

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
  const call: CallRecord = {
    id: `storedata:${text(get(row, 'Z_PK')) ?? '?'}`,
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
  const lacking = missingColumns(
    db,
    table,
    ['ZDATE', 'date'].filter((c) => columns.includes(c)),
  );
  if (lacking.length)
    problems.warn(`${db.label} ${table} lacks ${lacking.join(', ')}: those values are empty`);
  const live = new Set<number>();
  const liveIds = new Set<string>();
  const uniqueColumn = db.hasColumn(table, 'ZUNIQUE_ID') ? 'ZUNIQUE_ID' : null;
  for (const row of db.all(
    `SELECT ${columnList(db, table, columns)}${uniqueColumn ? ', ZUNIQUE_ID' : ''} FROM ${table}`,
  )) {
    const call = build(row);
    if (!call) continue;
    live.add(Number(get(row, key)));
    const unique = uniqueColumn ? text(get(row, uniqueColumn)) : null;
    if (unique) liveIds.add(unique);
    data.items.push(call);
  }
  if (options.recoverDeleted === false) return;
  let unknown = 0;
  for (const r of db.recovered(table)) {
    // Carved records often lose their rowid; a unique id a live call still has marks a stale copy of it.
    const pk = r.rowid ?? num(get(r.values, key));
    if (pk !== null && live.has(pk)) continue;
    const unique = uniqueColumn ? text(get(r.values, uniqueColumn)) : null;
    if (unique && liveIds.has(unique)) continue;
    const call = build({ ...r.values, [key]: pk ?? `deleted-${++unknown}` }, r.recovered);
    if (call) data.items.push(call);
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
  const found = [
    await read(store, 'ZCALLRECORD', STORE_COLUMNS, 'Z_PK', fromStoreRow),
    await read(legacy, 'call', OLD_COLUMNS, 'ROWID', fromOldRow),
    await read(legacyHome, 'call', OLD_COLUMNS, 'ROWID', fromOldRow),
  ].map(held);
  if (!found.some(Boolean))
    data.notInBackup.push(
      'This backup holds no call history (Library/CallHistoryDB/CallHistory.storedata).',
    );
  else
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
