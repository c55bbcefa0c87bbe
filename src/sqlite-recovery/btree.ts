import { u32 } from './bytes.js';
import { localSize, readPayload } from './overflow.js';
import { cellPointers, type BtreePage, type PageStore, parseBtreePage } from './pages.js';
import { readSmallVarint, readVarint } from './varint.js';

export interface LiveCell {
  pgno: number;
  rowid: number | null;
  payload: Buffer;
  complete: boolean;
}

export interface WalkOptions {
  /** Pages already claimed: never entered twice (cycle-safe across all b-trees). 0 = free,
   *  ownerId for b-tree pages, -ownerId for overflow pages. */
  owner: Int32Array;
  ownerId: number;
  /** Called for every leaf cell with its full payload (table leaves; index leaves too when asked). */
  onCell?: (cell: LiveCell) => void;
  /** Cheap first test before a cell's payload is gathered: false skips onCell for it. */
  wantCell?: (payloadLen: number, rowid: number | null) => boolean;
  indexCells?: boolean;
  warnings: string[];
}

/** Marks every page of a b-tree (and its overflow pages) as owned; optionally yields its cells. */
export function walkBtree(store: PageStore, root: number, opts: WalkOptions): void {
  const { owner, ownerId } = opts;
  const usable = store.hdr.usable;
  const stack: number[] = [root];
  let budget = store.pageCount + 1;
  while (stack.length > 0 && budget-- > 0) {
    const pgno = stack.pop()!;
    if (pgno < 1 || pgno > store.pageCount || owner[pgno] !== 0) continue;
    const page = store.read(pgno);
    if (!page) continue;
    const bp = parseBtreePage(page, pgno, usable);
    if (!bp) {
      opts.warnings.push(`b-tree ${root}: page ${pgno} is not a b-tree page`);
      continue;
    }
    owner[pgno] = ownerId;
    const ptrs = cellPointers(page, bp, usable);
    if (!bp.leaf) {
      // Children popped left to right: cells come in key order (rowid order for tables), as SQLite scans.
      stack.push(bp.rightChild);
      for (let i = ptrs.length - 1; i >= 0; i--) stack.push(u32(page, ptrs[i]!));
      if (bp.table) continue;
    }
    const visited = { page, copied: false };
    for (const p of ptrs) visitCell(store, visited, pgno, bp, p, opts);
  }
}

/**
 * A page whose cells are being visited: copied before its first overflow read, as a source may reuse
 * its buffer.
 */
interface VisitedPage {
  page: Buffer;
  copied: boolean;
}

function visitCell(
  store: PageStore,
  visited: VisitedPage,
  pgno: number,
  bp: BtreePage,
  p: number,
  opts: WalkOptions,
): void {
  const usable = store.hdr.usable;
  const page = visited.page;
  let h = bp.leaf ? p : p + 4;
  if (h >= usable) return;
  let P: number;
  if (page[h]! < 0x80) P = page[h++]!;
  else {
    const pv = readVarint(page, h, usable);
    if (pv.len === 0) return;
    P = pv.value;
    h += pv.len;
  }
  if (P < 1) return;
  let rowid: number | null = null;
  if (bp.table) {
    if (h >= usable) return;
    if (page[h]! < 0x80) rowid = page[h++]!;
    else {
      const rv = readVarint(page, h, usable);
      if (rv.len === 0) return;
      rowid = rv.value;
      h += rv.len;
    }
  }
  const local = localSize(P, usable, bp.table);
  const wantCells =
    opts.onCell && bp.leaf && (bp.table || opts.indexCells) && (opts.wantCell?.(P, rowid) ?? true);
  if (local < P) {
    if (!visited.copied) {
      visited.page = Buffer.from(page);
      visited.copied = true;
    }
    // claim the overflow chain so that no carving treats those pages as free
    const pl = readPayload(store, page, h, P, bp.table, usable, {
      pageIsLive: (n) => opts.owner[n] !== 0,
    });
    if (pl)
      for (const n of pl.overflowPages) if (opts.owner[n] === 0) opts.owner[n] = -opts.ownerId;
    if (wantCells && pl) opts.onCell!({ pgno, rowid, payload: pl.bytes, complete: pl.complete });
    return;
  }
  if (wantCells && h + P <= usable)
    opts.onCell!({ pgno, rowid, payload: page.subarray(h, h + P), complete: true });
}

/** Serial types and body offset of a complete record payload; null when malformed. */
export function recordLayout(
  payload: Buffer,
  maxCols = 10_000,
): { types: number[]; bodyOff: number } | null {
  const hl = readSmallVarint(payload, 0, payload.length);
  if (hl.len === 0 || hl.value < 1 || hl.value > payload.length) return null;
  const types: number[] = [];
  let p = hl.len;
  while (p < hl.value && types.length < maxCols) {
    const v = readSmallVarint(payload, p, hl.value);
    if (v.len === 0) return null;
    types.push(v.value);
    p += v.len;
  }
  return { types, bodyOff: hl.value };
}
