import { Worker } from 'node:worker_threads';
import type { HashTarget } from './hash-line.js';
import type { CandidateSource } from './candidates/source.js';
import { targetToTransfer, type BatchReply, type BatchRequest } from './worker-protocol.js';

export interface Progress {
  /** Candidates checked, including those of earlier sessions of a resumed search. */
  tried: number;
  /** Slots done and in all (a slot is one candidate, or a skipped duplicate). */
  position: number;
  total: number;
  /** Guesses per second in this session. */
  rate: number;
  /** Seconds left at that rate. */
  eta: number;
}

/** What a checkpoint needs: every slot before `position` has been checked. */
export interface SearchState {
  position: number;
  tried: number;
  seconds: number;
}

export interface SearchOptions {
  target: HashTarget;
  source: CandidateSource;
  backend: string;
  sha1: string;
  threads: number;
  batchSize: number;
  /** Where a resumed search starts, and what it had done. */
  resumeFrom?: SearchState;
  /** Guesses per second expected before the first batches finish. */
  expectedRate: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  onCheckpoint?: (state: SearchState) => void;
  checkpointEveryMs?: number;
  progressEveryMs?: number;
  /** Each finished batch: its size and the time its thread spent on it (for benchmarks). */
  onBatch?: (candidates: number, seconds: number) => void;
}

export interface SearchResult extends SearchState {
  found: boolean;
  password: string | null;
  /** True when the search was stopped (signal) before it finished. */
  stopped: boolean;
}

interface Batch {
  id: number;
  firstSlot: number;
  candidates: string[];
}

/** A search thread: the built worker.js, or under tsx (tests, benches) worker.ts after registering tsx there. */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url));
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  return new Worker(`import(${tsx}).then((api) => { api.register(); return import(${entry}); })`, {
    eval: true,
  });
}

// Idle threads kept for the next search (starting one costs a module load); unref'd so they never hold
// the process open.
const idle: Worker[] = [];

function acquireWorker(): Worker {
  const reused = idle.pop();
  if (reused) {
    reused.ref();
    return reused;
  }
  const worker = startWorker();
  // An idle thread that dies (it should not) must not be handed out again, nor crash the process.
  worker.on('exit', () => idle.includes(worker) && idle.splice(idle.indexOf(worker), 1));
  worker.on('error', () => {});
  return worker;
}

interface Handlers {
  message: (reply: BatchReply) => void;
  error: (error: Error) => void;
  exit: () => void;
}

function releaseWorker(worker: Worker, handlers: Handlers): void {
  worker
    .off('message', handlers.message)
    .off('error', handlers.error)
    .off('exit', handlers.exit)
    .unref();
  idle.push(worker);
}

/** Checks the candidates of `source` on `threads` worker threads until one unlocks the target. */
export function search(options: SearchOptions): Promise<SearchResult> {
  const { source, batchSize } = options;
  const start = options.resumeFrom ?? { position: 0, tried: 0, seconds: 0 };
  const slots = source.slots(start.position)[Symbol.iterator]();
  const began = Date.now();
  let cursor = start.position;
  let tried = start.tried;
  let nextId = 0;
  const inFlight = new Map<number, Batch>();

  const takeBatch = (): Batch | null => {
    const batch: Batch = { id: nextId++, firstSlot: cursor, candidates: [] };
    while (batch.candidates.length < batchSize) {
      const next = slots.next();
      if (next.done) break;
      cursor++;
      if (next.value !== null) batch.candidates.push(next.value);
    }
    return batch.candidates.length ? batch : null;
  };
  const position = () => Math.min(cursor, ...[...inFlight.values()].map((b) => b.firstSlot));
  const seconds = () => start.seconds + (Date.now() - began) / 1000;
  const state = (): SearchState => ({ position: position(), tried, seconds: seconds() });

  return new Promise<SearchResult>((resolve, reject) => {
    const target = targetToTransfer(options.target);
    const workers: { worker: Worker; handlers: Handlers }[] = [];
    const busy = new Set<Worker>();
    let settled = false;
    const finish = (result: SearchResult | Error) => {
      if (settled) return;
      settled = true;
      clearInterval(progressTimer);
      clearInterval(checkpointTimer);
      options.signal?.removeEventListener('abort', onAbort);
      // A busy thread is inside a native call that cannot be interrupted: end it rather than wait.
      for (const { worker, handlers } of workers) {
        if (busy.has(worker)) void worker.terminate();
        else releaseWorker(worker, handlers);
      }
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const report = () => {
      const elapsed = (Date.now() - began) / 1000;
      const rate =
        tried > start.tried && elapsed > 0 ? (tried - start.tried) / elapsed : options.expectedRate;
      const eta = rate > 0 ? (source.size - position()) / rate : Infinity;
      options.onProgress?.({ tried, position: position(), total: source.size, rate, eta });
    };
    const onAbort = () => finish({ ...state(), found: false, password: null, stopped: true });
    const progressTimer = setInterval(report, options.progressEveryMs ?? 1000);
    const checkpointTimer = setInterval(
      () => options.onCheckpoint?.(state()),
      options.checkpointEveryMs ?? 5000,
    );
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);

    const dispatch = (worker: Worker) => {
      const batch = takeBatch();
      if (!batch) {
        if (inFlight.size === 0)
          finish({ ...state(), found: false, password: null, stopped: false });
        return;
      }
      inFlight.set(batch.id, batch);
      busy.add(worker);
      const request: BatchRequest = {
        id: batch.id,
        target,
        backend: options.backend,
        sha1: options.sha1,
        candidates: batch.candidates,
      };
      worker.postMessage(request);
    };

    for (let i = 0; i < options.threads && !settled; i++) {
      const worker = acquireWorker();
      const message = (reply: BatchReply) => {
        busy.delete(worker);
        if (settled) return;
        const batch = inFlight.get(reply.id)!;
        if (reply.error) return finish(new Error(`password worker failed: ${reply.error}`));
        options.onBatch?.(batch.candidates.length, reply.seconds);
        inFlight.delete(reply.id);
        if (reply.hit >= 0) {
          tried += reply.hit + 1;
          return finish({
            ...state(),
            found: true,
            password: batch.candidates[reply.hit]!,
            stopped: false,
          });
        }
        tried += batch.candidates.length;
        report();
        if (!settled) dispatch(worker);
      };
      const handlers: Handlers = {
        message,
        error: (error) => finish(error),
        // A thread that dies mid-batch (out of memory, a crash) would otherwise leave the search waiting.
        exit: () => finish(new Error('a password worker thread stopped unexpectedly')),
      };
      workers.push({ worker, handlers });
      worker.on('message', handlers.message).on('error', handlers.error).on('exit', handlers.exit);
      dispatch(worker);
    }
  });
}
