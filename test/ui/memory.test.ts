import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectGarbage } from '../../src/server/memory.js';

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
});
