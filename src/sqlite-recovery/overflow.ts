import { u32 } from './bytes.js';
import type { PageStore } from './pages.js';

/** Bytes of a payload of size P kept on the b-tree page itself (SQLite's overflow rule). */
export function localSize(P: number, usable: number, table: boolean): number {
  const X = table ? usable - 35 : Math.floor(((usable - 12) * 64) / 255) - 23;
  if (P <= X) return P;
  const M = Math.floor(((usable - 12) * 32) / 255) - 23;
  const K = M + ((P - M) % (usable - 4));
  return K <= X ? K : M;
}

export interface Payload {
  bytes: Buffer;
  /** Page offset just past the cell (after the overflow page number when there is one). */
  localEnd: number;
  complete: boolean;
  overflowPages: number[];
}

export interface OverflowOptions {
  /** True when a page now belongs to a live b-tree (its old overflow content is overwritten). */
  pageIsLive?: (pgno: number) => boolean;
  maxPayload?: number;
  /** Pages whose start was overwritten (freelist trunks): read on, but the payload is not complete. */
  damaged?: (pgno: number) => boolean;
}

/**
 * The whole payload of a cell starting at `start` on `page`, following the overflow chain.
 * Cycle-safe and bounded by the page count; never throws. null when the local part does not fit.
 */
export function readPayload(
  store: PageStore,
  page: Buffer,
  start: number,
  P: number,
  table: boolean,
  limit: number,
  opts: OverflowOptions = {},
): Payload | null {
  const usable = store.hdr.usable;
  if (P <= 0 || P > (opts.maxPayload ?? 1 << 30)) return null;
  const local = localSize(P, usable, table);
  if (local === P) {
    if (start + P > limit) return null;
    return {
      bytes: page.subarray(start, start + P),
      localEnd: start + P,
      complete: true,
      overflowPages: [],
    };
  }
  if (start + local + 4 > limit) return null;
  const maxPages = Math.ceil((P - local) / (usable - 4));
  if (maxPages > store.pageCount) return null;
  const out = Buffer.alloc(P);
  page.copy(out, 0, start, start + local);
  let filled = local;
  let next = u32(page, start + local);
  const seen = new Set<number>();
  const pages: number[] = [];
  let complete = true;
  while (filled < P) {
    if (
      next < 1 ||
      next > store.pageCount ||
      seen.has(next) ||
      (opts.pageIsLive?.(next) ?? false)
    ) {
      complete = false;
      break;
    }
    seen.add(next);
    pages.push(next);
    if (opts.damaged?.(next)) complete = false;
    const ov = store.read(next);
    if (!ov) {
      complete = false;
      break;
    }
    const n = Math.min(usable - 4, P - filled);
    ov.copy(out, filled, 4, 4 + n);
    filled += n;
    next = u32(ov, 0);
  }
  return { bytes: out, localEnd: start + local + 4, complete, overflowPages: pages };
}
