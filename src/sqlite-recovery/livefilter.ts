// From carved candidates to recovered records: duplicates merged, carved copies of live rows dropped,
// and every record placed against its live table (deleted, earlier version, duplicate).
import { pushTo } from '../collections.js';
import type { RecoveredRecord } from './carve.js';
import { type Candidate, candidateValues } from './cells.js';
import { classifyAgainstLive, naturalKeyOf } from './classify.js';
import {
  ANY_TAIL,
  headKey,
  type LiveProbe,
  queryLive,
  rawKey,
  TAIL_BYTES,
  tailHash,
} from './live.js';
import type { PageStore } from './pages.js';
import type { TableSchema } from './schema.js';
import type { Btree } from './schemas-live.js';

export interface Hit {
  cand: Candidate;
  source: string;
}

interface Entry {
  rec: RecoveredRecord;
  schema: TableSchema;
  len: number;
  types: number[];
  body: Buffer;
  lostTail?: number;
}

/**
 * Merges duplicates and drops every carved copy of a row that is still live (same stored bytes, and
 * the same rowid or none). `naturalKeys`: table name (lower case) -> key columns, see CarveOptions.
 */
export function filterLive(
  store: PageStore,
  hits: Hit[],
  schemas: TableSchema[],
  btrees: Btree[],
  naturalKeys: Map<string, readonly string[]>,
  warnings: string[],
): RecoveredRecord[] {
  const entries = dropShorterCopies(merge(hits));
  for (const e of entries) {
    e.rec.values = candidateValues(
      { schema: e.schema, types: e.types, body: e.body, rowid: e.rec.rowid, lostTail: e.lostTail },
      store.hdr.encoding,
    );
  }
  const bySchema = new Map<TableSchema, Entry[]>();
  for (const e of entries) pushTo(bySchema, e.schema, e);
  const out: RecoveredRecord[] = [];
  for (const schema of schemas) {
    const mine = bySchema.get(schema);
    if (!mine) continue;
    const bt = schema.origin === 'live' ? btrees.find((b) => b.schema === schema) : undefined;
    if (!bt) {
      for (const e of mine) e.rec.relation = 'deleted'; // its table is gone
      out.push(...mine.map((e) => e.rec));
      continue;
    }
    out.push(...againstLive(store, bt.root, schema, mine, naturalKeys, warnings));
  }
  return out;
}

/** Copies of one record found in several places (page, WAL frames, journal) become one record. */
function merge(hits: Hit[]): Entry[] {
  const byKey = new Map<string, Entry[]>();
  for (const h of hits) {
    const c = h.cand;
    const key = c.schema.name + '\u0000' + rawKey(c.types, c.body);
    const list = byKey.get(key) ?? [];
    const same = list.find(
      (e) =>
        e.body.equals(c.body) &&
        (e.rec.rowid === null || c.rowid === null || e.rec.rowid === c.rowid),
    );
    if (same) {
      if (same.rec.rowid === null && c.rowid !== null) same.rec.rowid = c.rowid;
      if (c.confidence > same.rec.confidence) {
        same.rec.confidence = c.confidence;
        same.rec.source = h.source;
      }
      continue;
    }
    list.push({
      rec: {
        table: c.schema.name,
        rowid: c.rowid,
        values: [],
        source: h.source,
        confidence: c.confidence,
        ...(c.complete ? {} : { partial: true }),
        ...(c.lostTail
          ? { lostColumns: lostColumnNames(c.schema, c.types.length, c.lostTail) }
          : {}),
      },
      schema: c.schema,
      len: c.payloadLen,
      types: c.types,
      body: c.body,
      lostTail: c.lostTail,
    });
    byKey.set(key, list);
  }
  return [...byKey.values()].flat();
}

const MAX_SAME_HEAD = 256;

/** A record cut short is dropped when a longer copy of it (same start, same header) was found too. */
function dropShorterCopies(entries: Entry[]): Entry[] {
  if (!entries.some((e) => e.lostTail)) return entries;
  const byHead = new Map<string, Entry[]>();
  const headOf = (e: Entry): string => e.schema.name + '\u0000' + headKey(e.len, e.types, e.body);
  for (const e of entries) pushTo(byHead, headOf(e), e);
  return entries.filter((e) => {
    if (!e.lostTail) return true;
    const longer = byHead
      .get(headOf(e))!
      .slice(0, MAX_SAME_HEAD) // bounded: hostile pages can repeat one header many times
      .find(
        (o) =>
          o !== e &&
          o.body.length > e.body.length &&
          o.body.subarray(0, e.body.length).equals(e.body) &&
          (o.rec.rowid === null || e.rec.rowid === null || o.rec.rowid === e.rec.rowid),
      );
    if (longer && longer.rec.rowid === null) longer.rec.rowid = e.rec.rowid;
    return !longer;
  });
}

/** One live table's carved records: live copies dropped, the rest classified. */
function againstLive(
  store: PageStore,
  root: number,
  schema: TableSchema,
  mine: Entry[],
  naturalKeys: Map<string, readonly string[]>,
  warnings: string[],
): RecoveredRecord[] {
  const probes = new Map<string, LiveProbe[]>();
  const heads = new Map<string, LiveProbe[]>();
  const headLengths = new Set<number>();
  const tails = new Map<number, Set<number>>();
  mine.forEach((e, id) => {
    if (e.lostTail) {
      pushTo(heads, headKey(e.len, e.types, e.body), { id, types: e.types, body: e.body });
      headLengths.add(e.len);
      return;
    }
    pushTo(probes, rawKey(e.types, e.body), { id, types: e.types, body: e.body });
    const set = tails.get(e.len) ?? new Set<number>();
    set.add(e.body.length < TAIL_BYTES ? ANY_TAIL : tailHash(e.body));
    tails.set(e.len, set);
  });
  const columns = schema.columns.map((c) => c.name);
  const lower = columns.map((c) => c.toLowerCase());
  const naturalKey = naturalKeys.get(schema.name.toLowerCase());
  const keyColumns = naturalKey?.map((c) => lower.indexOf(c.toLowerCase()));
  const keyed = keyColumns && keyColumns.length > 0 && keyColumns.every((i) => i >= 0);
  const keys = new Set<string>();
  if (keyed) {
    for (const e of mine) {
      const lost = new Set(e.rec.lostColumns ?? []);
      if (keyColumns.some((i) => lost.has(columns[i]!) || e.rec.values[i] == null)) continue;
      keys.add(naturalKeyOf(e.rec.values, keyColumns));
    }
  }
  const ans = queryLive(
    store,
    root,
    {
      schema,
      tails,
      probes,
      heads,
      headLengths,
      rowids: new Set(mine.map((e) => e.rec.rowid).filter((r): r is number => r !== null)),
      ...(keyed ? { keyColumns, keys } : {}),
    },
    warnings,
  );
  const out: RecoveredRecord[] = [];
  const pending: RecoveredRecord[] = [];
  mine.forEach((e, id) => {
    const same = ans.live.get(id);
    if (same && (e.rec.rowid === null || same.has(e.rec.rowid) || same.has(null))) return;
    out.push(e.rec);
    if (same) {
      // the same stored values under another rowid
      e.rec.relation = 'duplicate';
      e.rec.liveRowid = [...same][0]!;
    } else pending.push(e.rec);
  });
  const decoded = new Set(ans.rows.map((r) => r.rowid));
  const rowidAlias = schema.ipk >= 0 ? columns[schema.ipk]! : null;
  const copies = new Set<RecoveredRecord>();
  for (const c of classifyAgainstLive(pending, ans.rows, { columns, rowidAlias, naturalKey })) {
    const r = c.record;
    // the same values under the same rowid (or none): a copy of the live row, as the bytes test says
    if (c.relation === 'duplicate' && (r.rowid === null || r.rowid === c.liveRowid)) {
      copies.add(r);
      continue;
    }
    r.relation = c.relation;
    // a live row whose bytes would not decode still holds its rowid
    const undecoded = r.rowid !== null && ans.liveRowids.has(r.rowid) && !decoded.has(r.rowid);
    if (r.relation === 'deleted' && undecoded) r.relation = 'earlierVersion';
    if (r.relation === 'earlierVersion') {
      r.earlierVersion = true;
      r.liveRowid = c.liveRowid ?? r.rowid;
    } else if (c.liveRowid !== undefined) r.liveRowid = c.liveRowid;
  }
  return copies.size ? out.filter((r) => !copies.has(r)) : out;
}

function lostColumnNames(schema: TableSchema, stored: number, lost: number): string[] {
  const names: string[] = [];
  for (let s = stored - lost; s < stored; s++)
    names.push(schema.columns[schema.storageOrder[s]!]!.name);
  return names;
}
