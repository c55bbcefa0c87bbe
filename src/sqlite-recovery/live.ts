import { createHash } from 'node:crypto';
import { type LiveCell, recordLayout, walkBtree } from './btree.js';
import type { TextEncodingName } from './header.js';
import type { PageStore } from './pages.js';
import { naturalKeyOf, type LiveRow } from './classify.js';
import { decodeValue, serialSize, type SqlValue, toColumnOrder } from './record.js';
import type { TableSchema } from './schema.js';

/** A canonical key of a row's values (the rowid alias column left out). */
export function fingerprint(schema: TableSchema, values: readonly SqlValue[]): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; i++) {
    if (i === schema.ipk) continue;
    const v = values[i];
    if (v === null || v === undefined) parts.push('z');
    else if (typeof v === 'number') parts.push('n' + (Object.is(v, -0) ? '0' : String(v)));
    else if (typeof v === 'bigint') parts.push('n' + v.toString());
    else if (typeof v === 'string') parts.push('s' + v);
    else parts.push('b' + v.toString('hex'));
  }
  const s = parts.join('\u0001');
  return s.length > 256 ? 'h' + createHash('sha1').update(s).digest('hex') : s;
}

/** Decodes a complete live record payload into column order; null when malformed. */
export function decodeLive(
  schema: TableSchema,
  payload: Buffer,
  rowid: number | null,
  encoding: TextEncodingName,
): SqlValue[] | null {
  const lay = recordLayout(payload, schema.columns.length + 8);
  if (!lay) return null;
  const stored: SqlValue[] = [];
  let off = lay.bodyOff;
  for (let s = 0; s < lay.types.length; s++) {
    const col = schema.columns[schema.storageOrder[s] ?? -1];
    const v = decodeValue(payload, off, lay.types[s]!, encoding, col);
    stored.push(v === undefined ? null : v);
    const st = lay.types[s]!;
    off += st <= 4 ? st : st === 5 ? 6 : st <= 7 ? 8 : st <= 11 ? 0 : (st - (st & 1 ? 13 : 12)) / 2;
  }
  return toColumnOrder(schema, stored, rowid);
}

/** A cheap key of a stored record: serial types, body length and a sampled hash of the body. */
export function rawKey(types: readonly number[], body: Uint8Array, from = 0): string {
  let h = 0x811c9dc5;
  const n = body.length - from;
  const step = Math.max(1, n >> 4);
  for (let i = from; i < body.length; i += step) h = Math.imul(h ^ body[i]!, 0x01000193) >>> 0;
  if (n > 0) h = Math.imul(h ^ body[body.length - 1]!, 0x01000193) >>> 0;
  return `${types.join(',')}|${n}|${h}`;
}

export const TAIL_BYTES = 8;

/** FNV-1a over the last (up to) 8 bytes: a quick first test before parsing a live record. */
export function tailHash(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = Math.max(0, b.length - TAIL_BYTES); i < b.length; i++)
    h = Math.imul(h ^ b[i]!, 0x01000193) >>> 0;
  return h;
}

/**
 * In `tails`, for records whose body is shorter than the hashed tail: the live payload's last bytes
 * would take in its header, so these lengths are compared without the quick test.
 */
export const ANY_TAIL = -1;

export interface LiveProbe {
  id: number;
  types: number[];
  body: Buffer;
}

export interface LiveQuery {
  schema: TableSchema;
  /** payload length -> tail hashes of the carved records of that length (ANY_TAIL: no filter) */
  tails: Map<number, Set<number>>;
  probes: Map<string, LiveProbe[]>;
  /** Records whose tail was overwritten, keyed by headKey: a live row that starts alike is theirs. */
  heads?: Map<string, LiveProbe[]>;
  /** Payload lengths of the `heads` records (their headers give the whole length). */
  headLengths?: Set<number>;
  rowids: Set<number>;
  /**
   * Natural key columns (column indexes) and the carved records' keys (naturalKeyOf): live rows with
   * one of these keys, or one of `rowids`, come back decoded in `rows`.
   */
  keyColumns?: number[];
  keys?: Set<string>;
}

/** Live rows decoded for classification at most (a non-unique "key" must not fill memory). */
const MAX_MATCHED_ROWS = 100_000;

/** How many body bytes a head key covers (cut records keep at least this many). */
export const HEAD_BYTES = 16;

/** A key of a record's serial types, payload length and first body bytes. */
export function headKey(payloadLen: number, types: readonly number[], body: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < Math.min(HEAD_BYTES, body.length); i++)
    h = Math.imul(h ^ body[i]!, 0x01000193) >>> 0;
  return `${payloadLen}|${types.join(',')}|${h}`;
}

export interface LiveAnswer {
  /** Probe id -> rowids of live rows with exactly the same stored record. */
  live: Map<number, Set<number | null>>;
  /** Carved rowids that a live row still uses. */
  liveRowids: Set<number>;
  /** Live rows sharing a carved record's rowid or natural key, decoded. */
  rows: LiveRow[];
}

/**
 * Streams one table's live rows and answers which carved records are still live, comparing stored
 * bytes (no decoding; flat memory).
 */
export function queryLive(
  store: PageStore,
  root: number,
  q: LiveQuery,
  warnings: string[],
): LiveAnswer {
  const ans: LiveAnswer = { live: new Map(), liveRowids: new Set(), rows: [] };
  const owner = new Int32Array(store.pageCount + 1);
  const encoding = store.hdr.encoding;
  const keyed = q.keyColumns && q.keys && q.keys.size > 0 ? q.keyColumns : null;
  walkBtree(store, root, {
    owner,
    ownerId: 1,
    indexCells: q.schema.withoutRowid,
    warnings,
    wantCell: (len, rowid) =>
      keyed !== null ||
      q.tails.has(len) ||
      (q.headLengths?.has(len) ?? false) ||
      (rowid !== null && q.rowids.has(rowid)),
    onCell: (cell) => {
      const sameRowid = cell.rowid !== null && q.rowids.has(cell.rowid);
      if (sameRowid) ans.liveRowids.add(cell.rowid!);
      if (
        (sameRowid || (keyed && q.keys!.has(liveKey(q.schema, cell, keyed, encoding)))) &&
        ans.rows.length < MAX_MATCHED_ROWS
      ) {
        const values = decodeLive(q.schema, cell.payload, cell.rowid, encoding);
        if (values) ans.rows.push({ rowid: cell.rowid, values });
      }
      if (q.heads && q.headLengths?.has(cell.payload.length)) matchHeads(q, cell, ans);
      const tails = q.tails.get(cell.payload.length);
      if (!tails || !(tails.has(ANY_TAIL) || tails.has(tailHash(cell.payload)))) return;
      const lay = recordLayout(cell.payload, q.schema.columns.length + 8);
      if (!lay) return;
      const probes = q.probes.get(rawKey(lay.types, cell.payload, lay.bodyOff));
      if (!probes) return;
      const body = cell.payload.subarray(lay.bodyOff);
      for (const p of probes) {
        if (!p.body.equals(body)) continue;
        const set = ans.live.get(p.id) ?? new Set<number | null>();
        set.add(cell.rowid);
        ans.live.set(p.id, set);
      }
    },
  });
  return ans;
}

/** Cut records whose whole columns a live row repeats byte for byte (its start, with the same types). */
function matchHeads(q: LiveQuery, cell: LiveCell, ans: LiveAnswer): void {
  const lay = recordLayout(cell.payload, q.schema.columns.length + 8);
  if (!lay) return;
  const body = cell.payload.subarray(lay.bodyOff);
  const probes = q.heads!.get(headKey(cell.payload.length, lay.types, body));
  if (!probes) return;
  for (const p of probes) {
    if (p.body.length > body.length || !body.subarray(0, p.body.length).equals(p.body)) continue;
    if (p.types.length !== lay.types.length || p.types.some((t, i) => t !== lay.types[i])) continue;
    const set = ans.live.get(p.id) ?? new Set<number | null>();
    set.add(cell.rowid);
    ans.live.set(p.id, set);
  }
}

/** The natural key of a live cell, decoding only the key columns. */
function liveKey(
  schema: TableSchema,
  cell: LiveCell,
  keyColumns: number[],
  encoding: TextEncodingName,
): string {
  const values: SqlValue[] = new Array<SqlValue>(schema.columns.length).fill(null);
  const want = new Set(keyColumns);
  const lay = recordLayout(cell.payload, schema.columns.length + 8);
  if (lay) {
    let off = lay.bodyOff;
    for (let s = 0; s < lay.types.length && s < schema.storageOrder.length; s++) {
      const col = schema.storageOrder[s]!;
      const st = lay.types[s]!;
      if (want.has(col))
        values[col] = decodeValue(cell.payload, off, st, encoding, schema.columns[col]) ?? null;
      off += serialSize(st);
    }
  }
  if (schema.ipk >= 0) values[schema.ipk] = cell.rowid;
  return naturalKeyOf(values, keyColumns);
}
