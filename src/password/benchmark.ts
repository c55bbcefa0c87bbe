import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { listSource } from './candidates/source.js';
import { search } from './engine.js';
import type { HashTarget } from './hash-line.js';
import { availableBackends, type Pbkdf2Backend } from './native.js';

/** The iOS 10.2+ first-stage round count every current backup uses. */
export const IOS_DPIC = 10_000_000;

export interface BenchFigure {
  keybag: 'iOS 10.2+' | 'before iOS 10.2';
  backend: string;
  /** Guesses per second on one thread, and with `threads` threads busy at once. */
  perCore: number;
  total: number;
  threads: number;
  /** First-stage rounds actually run; figures are scaled to IOS_DPIC when it is smaller. */
  measuredRounds: number | null;
}

/** A keybag target no candidate unlocks (random wrapped key). */
export function benchTarget(dpic: number | null): HashTarget {
  return {
    version: dpic === null ? 9 : 10,
    wrappedKey: randomBytes(40),
    iterations: 10_000,
    salt: randomBytes(20),
    dpic,
    dpsl: dpic === null ? null : randomBytes(20),
  };
}

/** Guesses per second with `threads` threads each checking `perThread` candidates at once. */
async function measure(
  target: HashTarget,
  backend: Pbkdf2Backend,
  threads: number,
  perThread: number,
): Promise<number> {
  const source = listSource(
    'bench',
    Array.from({ length: threads * perThread }, (_, i) => `bench-${i}`),
  );
  let rate = 0;
  await search({
    target,
    source,
    backend: backend.name,
    sha1: backend.sha1Name,
    threads,
    batchSize: perThread,
    expectedRate: 0,
    onBatch: (candidates, seconds) => {
      rate += candidates / seconds;
    },
  });
  return rate;
}

/** Per-core and all-core speed of one backend; `rounds` below IOS_DPIC are measured and scaled up. */
export async function benchBackend(
  backend: Pbkdf2Backend,
  rounds: number | null,
  threads: number,
  sha1Seconds = 0,
): Promise<BenchFigure> {
  const target = benchTarget(rounds);
  const perThread =
    rounds === null ? Math.ceil(200 / backend.sha1Lanes) * backend.sha1Lanes : backend.lanes;
  const scale = (rate: number) => {
    if (rounds === null || rounds === IOS_DPIC) return rate;
    const firstStage = Math.max(0, 1 / rate - sha1Seconds);
    return 1 / (firstStage * (IOS_DPIC / rounds) + sha1Seconds);
  };
  const perCore = scale(await measure(target, backend, 1, perThread));
  const total = scale(await measure(target, backend, threads, perThread));
  const name = rounds === null ? `sha1:${backend.sha1Name}` : backend.name;
  return {
    keybag: rounds === null ? 'before iOS 10.2' : 'iOS 10.2+',
    backend: name,
    perCore,
    total,
    threads,
    measuredRounds: rounds,
  };
}

export interface BenchPlan {
  /** Backends measured at the full IOS_DPIC; the others at `quickRounds`, scaled. */
  fullRounds?: readonly string[];
  quickRounds?: number;
  backends?: readonly Pbkdf2Backend[];
  threads?: number;
}

/** Older keybags first (that figure also gives the SHA-1 stage time used to scale the others). */
export async function benchmark(plan: BenchPlan = {}): Promise<BenchFigure[]> {
  const threads = plan.threads ?? availableParallelism();
  const backends = plan.backends ?? availableBackends();
  const figures: BenchFigure[] = [];
  const sha1Seconds = new Map<string, number>();
  for (const backend of new Map(backends.map((b) => [b.sha1Name, b])).values()) {
    const figure = await benchBackend(backend, null, threads);
    figures.push(figure);
    sha1Seconds.set(backend.sha1Name, 1 / figure.perCore);
  }
  for (const backend of backends) {
    const full = plan.fullRounds?.includes(backend.name) ?? false;
    figures.push(
      await benchBackend(
        backend,
        full ? IOS_DPIC : (plan.quickRounds ?? 1_000_000),
        threads,
        sha1Seconds.get(backend.sha1Name),
      ),
    );
  }
  return figures;
}
