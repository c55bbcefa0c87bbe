// Recognising records in raw bytes: intact cells, and cells whose first 4 bytes a delete overwrote.
import { u16 } from './bytes.js';
import type { PageStore } from './pages.js';
import { localSize, readPayload } from './overflow.js';
import { isUtf8 } from 'node:buffer';
import type { TextEncodingName } from './header.js';
import {
  candidateTypes,
  decodeText,
  decodeValue,
  serialSize,
  type SqlValue,
  toColumnOrder,
  typeFit,
} from './record.js';
import type { TableSchema } from './schema.js';
import { readSmallVarint, readVarint, varintLength } from './varint.js';

export interface SchemaChoice {
  schema: TableSchema;
  /** Prior belief that records here belong to this table (1 for the page's owner). */
  weight: number;
}

export interface CellContext {
  store: PageStore;
  /** Candidate tables, keyed by the number of stored columns. */
  byCount: Map<number, SchemaChoice[]>;
  maxCols: number;
  pageIsLive: (pgno: number) => boolean;
  pageIsDamaged?: (pgno: number) => boolean;
  /** Live cells of the page being carved: rowid -> payload offset (to skip their stale copies). */
  liveOnPage?: Map<number, number> | null;
  /** How typical a serial type is for a stored column, from live rows (0.5..1); 1 when unknown. */
  typePrior?: (schema: TableSchema, storedCol: number, st: number) => number;
}

export interface Candidate {
  start: number; // first byte of the cell (or of its clobbered remains)
  end: number; // just past the local part of the cell
  schema: TableSchema;
  rowid: number | null;
  confidence: number;
  intact: boolean;
  complete: boolean;
  /** Payload length in bytes (cheap first test against live rows). */
  payloadLen: number;
  /** Serial types and body bytes as stored: compared byte for byte with live rows. */
  types: number[];
  body: Buffer;
  overflowPages: number[];
  /** Set when the record's length had to be guessed: the next record or the block's end should follow. */
  wantsEnd?: number;
  /**
   * Set when live content overwrote the record's tail: `body` holds only the whole columns before the
   * cut (types stay complete), and this many stored columns at the end are lost.
   */
  lostTail?: number;
  /** Page offset of the body, for records whose local bytes are all on the page (none spilled). */
  bodyAt?: number;
}

export function indexByCount(choices: SchemaChoice[]): {
  byCount: Map<number, SchemaChoice[]>;
  maxCols: number;
} {
  const byCount = new Map<number, SchemaChoice[]>();
  let maxCols = 0;
  for (const c of choices) {
    const n = c.schema.storageOrder.length;
    maxCols = Math.max(maxCols, n);
    for (const k of [n, ...(c.schema.shorterCounts ?? [])]) {
      const list = byCount.get(k) ?? [];
      list.push(c);
      byCount.set(k, list);
    }
  }
  for (const list of byCount.values()) list.sort((a, b) => b.weight - a.weight);
  return { byCount, maxCols };
}

/** Serial types of a record header from `off`, at most `max`, stopping at `stop`. */
function readTypes(
  b: Buffer,
  off: number,
  stop: number,
  max: number,
): { types: number[]; ends: number[] } {
  const types: number[] = [];
  const ends: number[] = [];
  let p = off;
  while (p < stop && types.length < max) {
    const v = readSmallVarint(b, p, stop);
    if (v.len === 0 || v.value === 10 || v.value === 11) break;
    types.push(v.value);
    p += v.len;
    ends.push(p);
  }
  return { types, ends };
}

/**
 * Allocation-free first test of a record header: the number of serial types in [off, hdrEnd) when
 * they end exactly at hdrEnd and their content sizes add up to exactly `body`; -1 otherwise.
 * Gives up as soon as the sizes overshoot, so random bytes cost a few reads, not a header's worth.
 */
function headerFits(b: Buffer, off: number, hdrEnd: number, max: number, body: number): number {
  let p = off;
  let n = 0;
  let sum = 0;
  while (p < hdrEnd) {
    let v = b[p]!;
    if (v < 0x80) p++;
    else {
      v = 0;
      let i = 0;
      for (; i < 5; i++) {
        if (p + i >= hdrEnd) return -1;
        const c = b[p + i]!;
        v = v * 128 + (c & 0x7f);
        if (c < 0x80) break;
      }
      if (i === 5) return -1;
      p += i + 1;
    }
    if (v === 10 || v === 11) return -1;
    sum += v <= 4 ? v : v === 5 ? 6 : v <= 7 ? 8 : v <= 9 ? 0 : (v - (v & 1 ? 13 : 12)) / 2;
    if (sum > body || ++n > max) return -1;
  }
  return p === hdrEnd && sum === body ? n : -1;
}

function bodySize(types: number[]): number {
  let n = 0;
  for (const t of types) n += serialSize(t);
  return n;
}

/** Type agreement of stored serial types with a schema; 0 when impossible. */
function schemaFit(schema: TableSchema, types: number[]): number {
  let fit = 1;
  for (let s = 0; s < types.length; s++) {
    const col = schema.storageOrder[s]!;
    const f = typeFit(types[s]!, schema.columns[col]!, col === schema.ipk);
    if (f === 0) return 0;
    fit *= f;
  }
  return fit;
}

/** Share of bytes that look like binary junk in a text value (control characters). */
function junkBytes(b: Uint8Array, from: number, to: number): number {
  let bad = 0;
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    // a NUL inside text almost always means a guessed length ran into the next value's bytes
    if (c === 0) bad += 4;
    else if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f) bad++;
  }
  return to > from ? Math.min(1, bad / (to - from)) : 0;
}

/**
 * Checks a record whose payload starts at `hdrStart`, given its serial types and body offset, without
 * decoding it (values are decoded only for records that survive the live-row filter).
 */
function build(
  ctx: CellContext,
  page: Buffer,
  start: number,
  hdrStart: number,
  types: number[],
  bodyOff: number, // body offset relative to hdrStart
  limit: number,
  choice: SchemaChoice,
  rowid: number | null,
  base: number,
  cut: 'allowed' | 'no' = 'allowed',
): Candidate | null {
  const schema = choice.schema;
  const P = bodyOff + bodySize(types);
  // cheapest test first: the local part of the payload must fit before the region's end
  const local = localSize(P, ctx.store.hdr.usable, !schema.withoutRowid);
  if (P <= 0) return null;
  if (hdrStart + local + (local < P ? 4 : 0) > limit) {
    return cut === 'allowed'
      ? buildCut(ctx, page, start, hdrStart, types, bodyOff, limit, choice, rowid, base, P, local)
      : null;
  }
  const fit = schemaFit(schema, types);
  if (fit === 0) return null;
  const pl = readPayload(ctx.store, page, hdrStart, P, !schema.withoutRowid, limit, {
    pageIsLive: ctx.pageIsLive,
    damaged: ctx.pageIsDamaged,
  });
  if (!pl) return null;
  const b = pl.bytes;
  const utf8 = ctx.store.hdr.encoding === 'utf8';
  let off = bodyOff;
  let junk = 0;
  let texts = 0;
  for (let s = 0; s < types.length; s++) {
    const st = types[s]!;
    const size = serialSize(st);
    if (off + size > b.length) return null;
    let bad = st === 7 && !Number.isFinite(b.readDoubleBE(off));
    if (st >= 13 && st & 1 && size > 0) {
      const ok = utf8
        ? isUtf8(b.subarray(off, off + size))
        : decodeText(b.subarray(off, off + size), ctx.store.hdr.encoding) !== null;
      bad = !ok;
      junk += utf8 ? junkBytes(b, off, off + size) : 0;
      texts++;
    }
    if (bad && pl.complete) {
      // A value that cannot be what it claims, in a record held whole on this page: the bytes from
      // here on may be another record's, written over this one's tail.
      if (cut === 'no' || local !== P) return null;
      const at = hdrStart + off;
      return buildCut(
        ctx,
        page,
        start,
        hdrStart,
        types,
        bodyOff,
        at,
        choice,
        rowid,
        base,
        P,
        local,
      );
    }
    off += size;
  }
  const junkPenalty = texts ? 1 - Math.min(1, junk / texts) * 0.8 : 1;
  if (junkPenalty < 0.5) return null;
  const confidence = base * fit * junkPenalty * choice.weight * (pl.complete ? 1 : 0.5);
  return {
    start,
    end: pl.localEnd,
    schema,
    rowid,
    confidence,
    intact: false,
    complete: pl.complete,
    payloadLen: P,
    types,
    body: Buffer.from(b.subarray(bodyOff, P)),
    overflowPages: pl.overflowPages,
    ...(local === P ? { bodyAt: hdrStart + bodyOff } : {}),
  };
}

/** A cut record needs this many serial types and this many bytes of whole columns to be believed. */
const CUT_MIN_TYPES = 6;
const CUT_MIN_CONTENT = 16;
/** A cut leaves no end to check: belief rests on the header, stronger the more types it holds. */
function cutFactor(types: number): number {
  return Math.min(0.85, 0.55 + 0.02 * types);
}

/**
 * A record whose tail live content overwrote: SQLite reuses free space from the end of a freeblock, and
 * rebalancing writes cells over the unallocated area, so a deleted record can keep its header and first
 * columns while the rest is gone. Keeps the columns that lie wholly before `limit`. With no end to check
 * the length against, it needs a long header that fits the table and real content before the cut.
 */
function buildCut(
  ctx: CellContext,
  page: Buffer,
  start: number,
  hdrStart: number,
  types: number[],
  bodyOff: number,
  limit: number,
  choice: SchemaChoice,
  rowid: number | null,
  base: number,
  P: number,
  local: number,
): Candidate | null {
  // only live content cuts a record short: a record cannot run past the page's end
  if (limit >= ctx.store.hdr.usable || types.length < CUT_MIN_TYPES) return null;
  // past the local part the payload continued on overflow pages, whose number the cut destroyed
  const avail = Math.min(limit - hdrStart, local);
  if (avail < bodyOff + CUT_MIN_CONTENT) return null;
  const fit = schemaFit(choice.schema, types);
  if (fit === 0) return null;
  const utf8 = ctx.store.hdr.encoding === 'utf8';
  let off = bodyOff;
  let kept = 0;
  let junk = 0;
  let texts = 0;
  for (; kept < types.length; kept++) {
    const st = types[kept]!;
    const size = serialSize(st);
    if (off + size > avail) break;
    const at = hdrStart + off;
    if (st === 7 && !Number.isFinite(page.readDoubleBE(at))) return null;
    if (st >= 13 && st & 1 && size > 0) {
      const bytes = page.subarray(at, at + size);
      const ok = utf8 ? isUtf8(bytes) : decodeText(bytes, ctx.store.hdr.encoding) !== null;
      if (!ok) return null;
      junk += utf8 ? junkBytes(page, at, at + size) : 0;
      texts++;
    }
    off += size;
  }
  if (kept === types.length || off - bodyOff < CUT_MIN_CONTENT) return null;
  const junkPenalty = texts ? 1 - Math.min(1, junk / texts) * 0.8 : 1;
  if (junkPenalty < 0.5) return null;
  return {
    start,
    end: limit,
    schema: choice.schema,
    rowid,
    confidence: base * fit * junkPenalty * choice.weight * cutFactor(types.length),
    intact: false,
    complete: false,
    payloadLen: P,
    types,
    body: Buffer.from(page.subarray(hdrStart + bodyOff, hdrStart + off)),
    overflowPages: [],
    lostTail: types.length - kept,
    bodyAt: hdrStart + bodyOff,
  };
}

/** The values of a carved record, in the table's column order (the rowid alias filled in). */
export function candidateValues(
  c: Pick<Candidate, 'schema' | 'types' | 'body' | 'rowid' | 'lostTail'>,
  encoding: TextEncodingName,
): SqlValue[] {
  const stored: SqlValue[] = [];
  let off = 0;
  const whole = c.types.length - (c.lostTail ?? 0);
  for (let s = 0; s < whole; s++) {
    const st = c.types[s]!;
    const col = c.schema.columns[c.schema.storageOrder[s]!];
    const v = decodeValue(c.body, off, st, encoding, col);
    stored.push(
      v === undefined
        ? st >= 13 && st & 1
          ? c.body.toString('latin1', off, off + serialSize(st))
          : null
        : v,
    );
    off += serialSize(st);
  }
  return toColumnOrder(c.schema, stored, c.rowid);
}

/** An intact cell at `p`: payload length, rowid (table b-trees), full record header. */
export function intactCellAt(
  ctx: CellContext,
  page: Buffer,
  p: number,
  limit: number,
  base = 0.95,
  out: Candidate[] = [],
): Candidate[] {
  // allocation-free reading of the payload length (hot: called at every byte of free space)
  let P = 0;
  let pLen = 0;
  for (let i = 0; i < 5; i++) {
    if (p + i >= limit) return out;
    const c = page[p + i]!;
    P = P * 128 + (c & 0x7f);
    if (c < 0x80) {
      pLen = i + 1;
      break;
    }
  }
  if (pLen === 0 || P < 2) return out;
  const maxHdr = ctx.maxCols * 9 + 9;
  for (let t = 0; t < 2; t++) {
    const table = t === 0;
    let h = p + pLen;
    let rowid: number | null = null;
    if (table) {
      if (h >= limit) continue;
      if (page[h]! < 0x80) {
        rowid = page[h]!;
        h++;
      } else {
        const rv = readVarint(page, h, limit);
        if (rv.len === 0) continue;
        rowid = rv.value;
        h += rv.len;
      }
    }
    if (h >= limit) continue;
    let hlValue = page[h]!;
    let hlLen = 1;
    if (hlValue >= 0x80) {
      const v = readSmallVarint(page, h, limit);
      hlValue = v.value;
      hlLen = v.len;
    }
    if (hlLen === 0 || hlValue < 2 || hlValue > P || hlValue > maxHdr) continue;
    const hdrEnd = h + hlValue;
    if (hdrEnd > limit) continue;
    const local = localSize(P, ctx.store.hdr.usable, table);
    const overruns = h + local + (local < P ? 4 : 0) > limit;
    // a record running past the region is only worth a look as one whose tail was overwritten
    if (overruns && (limit >= ctx.store.hdr.usable || hdrEnd + CUT_MIN_CONTENT > limit)) continue;
    const count = headerFits(page, h + hlLen, hdrEnd, ctx.maxCols, P - hlValue);
    if (count <= 0 || !ctx.byCount.has(count) || (overruns && count < CUT_MIN_TYPES)) continue;
    const hl = { value: hlValue, len: hlLen };
    const { types } = readTypes(page, h + hl.len, hdrEnd, count);
    if (rowid !== null && ctx.liveOnPage && isLiveCopy(ctx.liveOnPage, page, rowid, h, P, limit))
      continue;
    const choices = ctx.byCount.get(types.length);
    if (!choices) continue;
    for (const ch of choices) {
      if (ch.schema.withoutRowid === table) continue;
      const c = build(ctx, page, p, h, types, hl.value, limit, ch, rowid, base);
      if (c) {
        c.intact = true;
        out.push(c);
      }
    }
  }
  return out;
}

/** A stale copy of a cell that is live on the same page (left behind by b-tree rebalancing). */
function isLiveCopy(
  live: Map<number, number>,
  page: Buffer,
  rowid: number,
  h: number,
  P: number,
  limit: number,
): boolean {
  const at = live.get(rowid);
  if (at === undefined) return false;
  const n = Math.min(P, limit - h, page.length - at);
  return n > 0 && page.compare(page, at, at + n, h, h + n) === 0;
}

/** Candidate serial types for the lost leading columns (cartesian product, bounded). */
function lostCombos(schema: TableSchema, count: number): number[][] {
  let combos: number[][] = [[]];
  for (let s = 0; s < count; s++) {
    const col = schema.storageOrder[s]!;
    const cands = candidateTypes(schema.columns[col]!, col === schema.ipk);
    const next: number[][] = [];
    for (const c of combos) for (const t of cands) next.push([...c, t]);
    combos = next;
    if (combos.length > 200) return [];
  }
  return combos;
}

/**
 * Replaces a -1 (text/blob of unknown length) in each combo by the lengths that make the record end
 * 0-3 bytes before the freeblock's end (SQLite folds fragments of up to 3 bytes into freeblocks).
 */
function expandVariable(
  schema: TableSchema,
  combos: number[][],
  known: number[],
  hdrLen: number,
  room: number,
): number[][] {
  const out: number[][] = [];
  for (const combo of combos) {
    const v = combo.indexOf(-1);
    if (v < 0) {
      out.push(combo);
      continue;
    }
    if (combo.indexOf(-1, v + 1) >= 0) continue;
    const fixed = hdrLen + bodySize(known) + bodySize(combo.filter((t) => t !== -1));
    const aff = schema.columns[schema.storageOrder[v]!]!.affinity;
    for (let slack = 0; slack <= 3; slack++) {
      const c = room - slack - fixed;
      if (c < 0) break;
      if (c > 57) continue; // a longer value needs a 2-byte serial type: another layout
      if (aff !== 'BLOB') out.push(combo.map((t) => (t === -1 ? 13 + 2 * c : t)));
      if (aff === 'BLOB' || aff === 'NUMERIC')
        out.push(combo.map((t) => (t === -1 ? 12 + 2 * c : t)));
    }
  }
  return out;
}

/**
 * A cell freed by a delete: bytes p..p+3 now hold (next freeblock, size). Tries the cases where the
 * record header survives whole (j = 0), lost its length byte (j = 1), or also its first serial type
 * or two (j = 2, 3); lost types are rebuilt from the table's column types.
 */
export function clobberedCellAt(
  ctx: CellContext,
  page: Buffer,
  p: number,
  limit: number,
  base = 0.85,
  /** p is a real freeblock start (not a guess): worth trying every length of a lost text. */
  anyLength = false,
): Candidate[] {
  const out: Candidate[] = [];
  if (p + 5 > limit) return out;
  const size = u16(page, p + 2);
  const blockEnd = size >= 4 && p + size <= limit ? p + size : limit;
  // j = 0: header intact at q (the payload-length and rowid varints took q - p >= 4 bytes)
  for (let q = p + 4; q <= p + 8 && q < limit; q++) {
    if (q > p + 4 && page[q - 1]! >= 0x80) continue;
    const hl = readSmallVarint(page, q, limit);
    if (hl.len === 0 || hl.value < 2 || hl.value > ctx.maxCols * 9 + 9 || q + hl.value > limit)
      continue;
    const { types, ends } = readTypes(page, q + hl.len, q + hl.value, ctx.maxCols + 1);
    if (types.length === 0 || ends[ends.length - 1] !== q + hl.value) continue;
    const choices = ctx.byCount.get(types.length);
    if (!choices) continue;
    const P = hl.value + bodySize(types);
    for (const ch of choices) {
      const minPrefix = varintLength(P) + (ch.schema.withoutRowid ? 0 : 1);
      if (q - p < minPrefix) continue;
      if (q - p > 9 + (ch.schema.withoutRowid ? 0 : 9)) continue;
      const c = build(ctx, page, p, q, types, hl.value, limit, ch, null, base);
      if (c) {
        if (c.lostTail === undefined) c.wantsEnd = blockEnd;
        out.push(c);
      }
    }
  }
  // A whole surviving header whose record ends where the block does is the answer: the guesses
  // below (lost header bytes) would only compete with it for the same bytes.
  if (out.some((c) => c.complete && c.end <= blockEnd && blockEnd - c.end <= 3)) return out;
  // j >= 1: the serial types (or their tail) start at p + 4
  const { types: tail, ends } = readTypes(page, p + 4, limit, ctx.maxCols + 1);
  for (const [n, choices] of ctx.byCount) {
    for (const ch of choices) {
      const rowidLen = ch.schema.withoutRowid ? 0 : 1;
      for (let j = 1; j <= 3; j++) {
        const lost = j - 1; // lost serial types
        const have = n - lost;
        if (have < 1 || have > tail.length || lost > n) continue;
        const hdrStart = p + 4 - j; // 1-byte header length and 1-byte lost types
        const prefix = hdrStart - p;
        if (prefix < 1 + rowidLen) continue;
        const known = tail.slice(0, have);
        const bodyAbs = ends[have - 1]!;
        const combos = lost === 0 ? [[]] : lostCombos(ch.schema, lost);
        const hdrLen = bodyAbs - hdrStart;
        if (hdrLen > 127) continue;
        const typeSets = expandVariable(ch.schema, combos, known, hdrLen, blockEnd - hdrStart).map(
          (combo) => [...combo, ...known],
        );
        let built = 0;
        // a cut record has no end to check a guessed type against: only a certain guess will do
        const sure = combos.length === 1 && !combos[0]!.includes(-1);
        const tryTypes = (types: number[], scale: number): void => {
          if (types.every((t) => t === 0)) return; // an all-NULL guess says nothing
          const P = hdrLen + bodySize(types);
          if (varintLength(P) + rowidLen > prefix) return;
          let conf = base * scale * (j === 1 ? 1 : j === 2 ? 0.95 : 0.9);
          if (ctx.typePrior)
            for (let s = 0; s < lost; s++) conf *= ctx.typePrior(ch.schema, s, types[s]!);
          const cut = sure ? 'allowed' : 'no';
          const c = build(ctx, page, p, hdrStart, types, hdrLen, limit, ch, null, conf, cut);
          if (c) {
            if (c.lostTail === undefined) c.wantsEnd = blockEnd;
            out.push(c);
            built++;
          }
        };
        for (const types of typeSets) tryTypes(types, 1);
        // A freeblock that merged this cell with a neighbour is longer than the record, so the lost
        // length of one text/blob cannot be read off the block's size. At a real freeblock start, try
        // every 1-byte length; only one that ends exactly where another record starts (or the block
        // ends) scores high enough to be kept (see selectCandidates).
        if (built === 0 && anyLength && combos.some((c) => c.includes(-1))) {
          for (const combo of combos) {
            const v = combo.indexOf(-1);
            if (v < 0 || combo.indexOf(-1, v + 1) >= 0) continue;
            const aff = ch.schema.columns[ch.schema.storageOrder[v]!]!.affinity;
            for (let len = 0; len <= 57; len++) {
              if (aff !== 'BLOB')
                tryTypes([...combo.map((t) => (t === -1 ? 13 + 2 * len : t)), ...known], 0.75);
              if (aff === 'BLOB' || aff === 'NUMERIC')
                tryTypes([...combo.map((t) => (t === -1 ? 12 + 2 * len : t)), ...known], 0.75);
            }
          }
        }
      }
    }
  }
  longHeaderAt(ctx, page, p, limit, blockEnd, base, out, { types: tail, ends });
  return out;
}

/**
 * A header of 128 bytes or more (tables of many columns: sms.db, Photos, Core Data) has a 2-byte
 * length. After a 2-byte payload length and a 1-byte rowid, the freeblock header took its first byte;
 * its second, at p + 4, must agree with where the serial types (from p + 5) end.
 */
function longHeaderAt(
  ctx: CellContext,
  page: Buffer,
  p: number,
  limit: number,
  blockEnd: number,
  base: number,
  out: Candidate[],
  /** The serial types read from p + 4 (the byte there is one whole varint, so they go on alike). */
  fromP4: { types: number[]; ends: number[] },
): void {
  if (p + 5 >= limit || page[p + 4]! >= 0x80 || ctx.maxCols * 3 < 127) return;
  const hdrStart = p + 3;
  // types from p + 5: those read from p + 4 but the first (unless that byte, 10 or 11, stopped it)
  let { types: all, ends } = fromP4;
  if (all.length === 0) {
    const r = readTypes(page, p + 5, limit, ctx.maxCols);
    all = [page[p + 4]!, ...r.types];
    ends = [p + 5, ...r.ends];
  }
  for (const [n, choices] of ctx.byCount) {
    if (n + 1 > all.length) continue;
    const hdrLen = ends[n]! - hdrStart;
    if (hdrLen < 128 || hdrLen >= 16384 || (hdrLen & 0x7f) !== page[p + 4]) continue;
    const types = all.slice(1, n + 1);
    const P = hdrLen + bodySize(types);
    for (const ch of choices) {
      // the 3 lost bytes held the payload length and (rowid tables) the rowid
      if (ch.schema.withoutRowid ? varintLength(P) !== 3 : varintLength(P) > 2) continue;
      const c = build(ctx, page, p, hdrStart, types, hdrLen, limit, ch, null, base);
      if (!c) continue;
      if (c.lostTail === undefined) c.wantsEnd = blockEnd;
      out.push(c);
    }
  }
}

/** Whether the 4 bytes at p look like a freeblock header written over a cell. */
export function looksClobbered(page: Buffer, p: number, _limit: number): boolean {
  if (p < 0 || p + 4 > page.length) return false;
  const next = (page[p]! << 8) | page[p + 1]!;
  const size = (page[p + 2]! << 8) | page[p + 3]!;
  // the block may reach past `limit`: rows inserted later can overwrite its tail
  if (size < 4 || p + size > page.length) return false;
  return next === 0 || (next > p + size - 1 && next < page.length);
}

/**
 * The record `c` cut short at page offset `at`, where another record's bytes begin: only its whole
 * columns before `at` are kept. null when too little would be left to believe.
 */
function cutAt(c: Candidate, at: number): Candidate | null {
  if (c.bodyAt === undefined || at <= c.bodyAt || c.types.length < CUT_MIN_TYPES) return null;
  const known = c.types.length - (c.lostTail ?? 0);
  let off = 0;
  let kept = 0;
  for (; kept < known; kept++) {
    const size = serialSize(c.types[kept]!);
    if (c.bodyAt + off + size > at) break;
    off += size;
  }
  if (kept === c.types.length || off < CUT_MIN_CONTENT) return null;
  const factor = c.lostTail === undefined ? cutFactor(c.types.length) : 1;
  return {
    ...c,
    end: at,
    complete: false,
    confidence: c.confidence * factor,
    body: c.body.subarray(0, off),
    lostTail: c.types.length - kept,
    wantsEnd: undefined,
  };
}

/**
 * Whether `later`, starting inside `earlier`, is a record written over `earlier`'s tail: its own start
 * is sure (had `earlier` come later, that start would be gone), and it runs past `earlier`'s end (or
 * `earlier` was already cut, so its end is unknown).
 */
function overwrites(later: Candidate, earlier: Candidate): boolean {
  return (
    later.start > earlier.start &&
    later.start < earlier.end &&
    later.confidence >= 0.7 &&
    (earlier.lostTail !== undefined || later.end > earlier.end)
  );
}

/**
 * Picks the best non-overlapping candidates. Guessed lengths score higher when the block's end or
 * another candidate follows them exactly. A record that a later one overwrote keeps its columns
 * before the overwrite.
 */
export function selectCandidates(cands: Candidate[]): Candidate[] {
  if (cands.length === 0) return cands;
  const starts = new Set(cands.map((c) => c.start));
  for (const c of cands) {
    if (c.wantsEnd === undefined) continue;
    const gap = c.wantsEnd - c.end;
    const fits = (gap >= 0 && gap <= 3) || starts.has(c.end);
    c.confidence *= fits ? 1.1 : 0.8;
  }
  for (const c of cands) c.confidence = Math.min(1, c.confidence);
  const sorted = [...cands].sort(
    (a, b) => b.confidence - a.confidence || b.end - b.start - (a.end - a.start),
  );
  const taken: Candidate[] = [];
  const hit: Candidate[] = [];
  for (const c of sorted) {
    hit.length = 0;
    for (const t of taken) if (c.start < t.end && t.start < c.end) hit.push(t);
    if (hit.length === 0) {
      taken.push(c);
      continue;
    }
    // c began first and later records overwrote its tail: keep what lies before them
    if (hit.every((t) => overwrites(t, c))) {
      const cut = cutAt(c, Math.min(...hit.map((t) => t.start)));
      if (cut) taken.push(cut);
      continue;
    }
    // c overwrote the tail of one record already taken: cut that one short
    if (hit.length === 1 && overwrites(c, hit[0]!)) {
      const cut = cutAt(hit[0]!, c.start);
      if (!cut) continue;
      taken[taken.indexOf(hit[0]!)] = cut;
      taken.push(c);
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}
