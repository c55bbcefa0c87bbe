import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectGarbage, collectGarbageIfGrown } from '../../src/server/memory.js';

describe('UI server memory', () => {
  it('collects what nothing refers to any more, once long work is over', async () => {
    let ref: WeakRef<number[]> | null = null;
    (() => {
      ref = new WeakRef(Array.from({ length: 1_000_000 }, (_, i) => i));
    })();
    // A WeakRef keeps its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    const before = process.memoryUsage().heapUsed;
    collectGarbage();
    assert.equal(ref!.deref(), undefined);
    assert.ok(process.memoryUsage().heapUsed < before - 4_000_000, 'the heap shrank by the array');
    collectGarbage(); // again: the collector is made once
  });

  it('collects between reads only once the heap has grown by as much as asked', async () => {
    collectGarbage();
    let ref: WeakRef<number[]> | null = null;
    (() => {
      ref = new WeakRef(Array.from({ length: 100_000 }, (_, i) => i));
    })();
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbageIfGrown(64);
    assert.ok(ref!.deref(), 'under 64 MB more: nothing collected');
    await new Promise((resolve) => setImmediate(resolve)); // deref() kept it for this job
    collectGarbageIfGrown(0);
    assert.equal(ref!.deref(), undefined);
  });
});
