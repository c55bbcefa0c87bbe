// Carving one page: its free regions (freeblocks, unallocated space, stale pointers), or the whole
// page when no live b-tree owns it.
import { u16, u32 } from './bytes.js';
import {
  type Candidate,
  type CellContext,
  clobberedCellAt,
  intactCellAt,
  looksClobbered,
  selectCandidates,
} from './cells.js';
import { cellPointers, freeblocks, parseBtreePage } from './pages.js';
import { readVarint } from './varint.js';

export type Region = 'freeblock' | 'unallocated' | 'cell' | 'page';

export interface Found {
  cand: Candidate;
  region: Region;
}

/** Scans [start, end) for intact cells at every offset and clobbered cells at plausible offsets. */
export function scanRegion(
  ctx: CellContext,
  page: Buffer,
  start: number,
  end: number,
  hints: Set<number>,
  clobberAnywhere: boolean,
): Candidate[] {
  const all: Candidate[] = [];
  const sites: number[] = [];
  if (hints.has(start)) {
    // Fast path: a freed cell that fills its freeblock exactly (the usual single delete) leaves
    // no room for another record, so the block need not be scanned byte by byte.
    const first = [
      ...clobberedCellAt(ctx, page, start, end, 0.85, true),
      ...intactCellAt(ctx, page, start, end),
    ];
    if (first.some((c) => c.complete && c.confidence >= 0.7 && c.end <= end && end - c.end <= 3))
      return selectCandidates(first);
  }
  for (let p = start; p + 3 <= end; p++) {
    if (page[p] === 0 && page[p + 1] === 0 && page[p + 2] === 0 && page[p + 3] === 0) continue;
    intactCellAt(ctx, page, p, end, 0.95, all);
    if (hints.has(p)) {
      for (const c of clobberedCellAt(ctx, page, p, end, 0.85, true)) all.push(c);
    } else if (clobberAnywhere && looksClobbered(page, p, end)) {
      sites.push(p);
    }
  }
  if (sites.length === 0) return selectCandidates(all);
  // Bytes that merely look like a freeblock header are common inside records (NULL types, zeros).
  // Sites inside a record already found with confidence are its bytes, not another record's start.
  const sure = selectCandidates(all.map((c) => ({ ...c }))).filter(
    (c) => c.confidence >= 0.8 && c.complete,
  );
  let k = 0;
  for (const p of sites) {
    while (k < sure.length && sure[k]!.end <= p) k++;
    if (k < sure.length && sure[k]!.start < p) continue;
    for (const c of clobberedCellAt(ctx, page, p, end, 0.7)) all.push(c);
  }
  return selectCandidates(all);
}

/**
 * `live`: the page belongs to a live b-tree, so only its free space is carved. Otherwise (freelist,
 * unowned, old WAL/journal versions) its cells are reported too, and unparseable pages are scanned whole.
 */
export function carvePage(
  ctx: CellContext,
  page: Buffer,
  pgno: number,
  live: boolean,
  skipStart = 0,
): Found[] {
  const usable = ctx.store.hdr.usable;
  const out: Found[] = [];
  const bp = skipStart > 0 ? null : parseBtreePage(page, pgno, usable);
  if (!bp) {
    for (const c of scanRegion(
      ctx,
      page,
      Math.max(skipStart, pgno === 1 ? 100 : 0),
      usable,
      new Set(),
      true,
    )) {
      out.push({ cand: c, region: 'page' });
    }
    return out;
  }
  if (!bp.leaf && !bp.table) return out; // index interior: keys only
  const ptrs = bp.leaf ? cellPointers(page, bp, usable) : [];
  const cellStarts = new Set(ptrs);
  let liveOnPage: Map<number, number> | null = null;
  if (live && bp.leaf && bp.table) {
    liveOnPage = new Map();
    for (const p of ptrs) {
      const pv = readVarint(page, p, usable);
      const rv = readVarint(page, p + pv.len, usable);
      if (pv.len && rv.len) liveOnPage.set(rv.value, p + pv.len + rv.len);
    }
  }
  ctx = { ...ctx, liveOnPage };
  if (!live && bp.leaf) {
    for (const p of ptrs) {
      const cs = selectCandidates(intactCellAt(ctx, page, p, usable, 0.97));
      for (const c of cs.slice(0, 1)) out.push({ cand: c, region: 'cell' });
    }
  }
  // stale cell pointers just past the pointer array hint where deleted cells began
  const hints = new Set<number>();
  for (let s = bp.ptrEnd; s + 2 <= bp.contentStart && s < bp.ptrEnd + 2 * 64; s += 2) {
    const v = u16(page, s);
    if (v === 0) break;
    if (v >= bp.ptrEnd && v < usable && !cellStarts.has(v)) hints.add(v);
  }
  const fbs = freeblocks(page, bp, usable);
  for (const fb of fbs) {
    const h = new Set(hints);
    h.add(fb.off);
    for (const c of scanRegion(ctx, page, fb.off, fb.off + fb.size, h, true))
      out.push({ cand: c, region: 'freeblock' });
  }
  if (bp.contentStart > bp.ptrEnd) {
    for (const c of scanRegion(
      ctx,
      page,
      bp.ptrEnd,
      Math.min(bp.contentStart, usable),
      hints,
      true,
    )) {
      out.push({ cand: c, region: 'unallocated' });
    }
  }
  return out;
}

/** A freelist trunk page keeps its old content after the list of leaf page numbers. */
export function trunkSkip(page: Buffer, usable: number): number {
  const n = Math.min(u32(page, 4), usable / 4 - 2);
  return 8 + 4 * n;
}
