import { runGc } from '../gc.js';

/** heapUsed right after the last collection made here. */
let usedAfterLast = 0;

/**
 * One full garbage collection, once long work is over (every data type read, a zip or a save written).
 * V8 puts its next collection off while the heap may still grow, so what that work left behind (rows,
 * indexes, buffers: as much as the data it kept) would stay resident under everything the session does
 * next. One pause of a few hundred milliseconds when the server has just finished anyway.
 */
export function collectGarbage(): void {
  runGc('major');
  usedAfterLast = process.memoryUsage().heapUsed;
}

/**
 * collectGarbage() when the heap has grown by `mb` since the last collection made here: between the reads
 * of one long piece of work (the overview reads every data type in turn), so that what one read left behind
 * is not still there, uncollected, while the next (perhaps the largest) reads.
 */
export function collectGarbageIfGrown(mb: number): void {
  if (process.memoryUsage().heapUsed - usedAfterLast >= mb * 2 ** 20) collectGarbage();
}
