// Fuzzing (fast-check) the readers of hostile binary formats: plist (binary and XML), NSKeyedArchiver,
// keybag, Manifest.mbdb and typedstream, in a worker with a memory limit and under a time limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

const TIME_LIMIT_MS = 240_000;

test('fuzz: random and mutated bytes get a value or a one-line error, in bounded time and memory', async () => {
  // The cases are TypeScript: the worker registers tsx, then imports them (as src/password/engine.ts does).
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const cases = JSON.stringify(new URL('./fuzz-cases.ts', import.meta.url).href);
  const worker = new Worker(
    `import(${tsx}).then((api) => { api.register(); return import(${cases}); })`,
    {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    },
  );
  const outcome = await new Promise<{
    report: { name: string; runs: number }[];
    rssGrowth: number;
  }>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the fuzz run took more than ${TIME_LIMIT_MS} ms (a hang?)`));
    }, TIME_LIMIT_MS);
    worker.once('message', (message) => {
      clearTimeout(timer);
      resolve(message);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`fuzz worker exited with ${code}`));
    });
  });
  await worker.terminate();
  assert.equal(outcome.report.length, 6);
  assert.ok(outcome.rssGrowth < 512 << 20, `memory grew by ${outcome.rssGrowth} bytes`);
});
