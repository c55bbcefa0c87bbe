import { u32 } from './bytes.js';
import type { PageStore } from './pages.js';

export interface Freelist {
  trunks: number[];
  /** Leaf page -> the trunk that lists it. */
  leaves: Map<number, number>;
}

/** Walks every freelist trunk page; safe against cycles and bogus counts. */
export function readFreelist(store: PageStore, first: number, warnings: string[]): Freelist {
  const trunks: number[] = [];
  const leaves = new Map<number, number>();
  const seen = new Set<number>();
  const perTrunk = store.hdr.usable / 4 - 2;
  let t = first;
  while (t !== 0) {
    if (t < 1 || t > store.pageCount) {
      warnings.push(`freelist: trunk page number ${t} is out of range`);
      break;
    }
    if (seen.has(t)) {
      warnings.push(`freelist: cycle at trunk page ${t}`);
      break;
    }
    seen.add(t);
    trunks.push(t);
    const page = store.read(t);
    if (!page) break;
    let n = u32(page, 4);
    if (n > perTrunk) {
      warnings.push(`freelist: trunk page ${t} claims ${n} leaves`);
      n = perTrunk;
    }
    for (let i = 0; i < n; i++) {
      const leaf = u32(page, 8 + 4 * i);
      if (leaf >= 1 && leaf <= store.pageCount && !leaves.has(leaf)) leaves.set(leaf, t);
    }
    t = u32(page, 0);
  }
  return { trunks, leaves };
}
