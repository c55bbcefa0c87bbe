import { createHash } from 'node:crypto';
import { recordLayout, walkBtree } from './btree.js';
import type { TextEncodingName } from './header.js';
import type { PageStore } from './pages.js';
import { decodeValue, type SqlValue, toColumnOrder } from './record.js';
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

export interface LiveQuery {
  schema: TableSchema;
  payloadLens: Set<number>;
  fingerprints: Set<string>;
  rowids: Set<number>;
}

export interface LiveAnswer {
  /** Fingerprints of carved values that are live rows, with the rowids they live under. */
  liveFingerprints: Map<string, Set<number | null>>;
  /** Carved rowids that a live row still uses. */
  liveRowids: Set<number>;
}

/** Streams one table's live rows and answers which carved rows are still live (flat memory). */
export function queryLive(store: PageStore, root: number, q: LiveQuery, warnings: string[]): LiveAnswer {
  const ans: LiveAnswer = { liveFingerprints: new Map(), liveRowids: new Set() };
  const owner = new Int32Array(store.pageCount + 1);
  walkBtree(store, root, {
    owner,
    ownerId: 1,
    indexCells: q.schema.withoutRowid,
    warnings,
    onCell: (cell) => {
      if (cell.rowid !== null && q.rowids.has(cell.rowid)) ans.liveRowids.add(cell.rowid);
      if (!q.payloadLens.has(cell.payload.length)) return;
      const values = decodeLive(q.schema, cell.payload, cell.rowid, store.hdr.encoding);
      if (!values) return;
      const fp = fingerprint(q.schema, values);
      if (!q.fingerprints.has(fp)) return;
      const set = ans.liveFingerprints.get(fp) ?? new Set<number | null>();
      set.add(cell.rowid);
      ans.liveFingerprints.set(fp, set);
    },
  });
  return ans;
}
