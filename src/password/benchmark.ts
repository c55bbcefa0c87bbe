import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { listSource } from './candidates/source.js';
import { search } from './engine.js';
import type { HashTarget } from './hash-line.js';
import { availableBackends, cpuSeconds, loadAddon, type Pbkdf2Backend } from './native.js';

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

export type VectorIsa = 'avx512' | 'avx2';

/** Instructions one operation costs: AVX-512 has rotates and three-input logic, AVX2 neither. */
const COST: Record<VectorIsa, { rotate: number; ch: number; parity: number; maj: number }> = {
  avx512: { rotate: 1, ch: 1, parity: 1, maj: 1 },
  avx2: { rotate: 3, ch: 3, parity: 2, maj: 4 },
};

/**
 * The fewest vector instructions one HMAC-SHA1 block over a 20-byte message needs (words 5..15 are
 * constants: their rounds skip an addition and the schedule skips their zeros), counted as the kernels
 * issue them.
 */
export function sha1BlockInstructions(isa: VectorIsa): number {
  const cost = COST[isa];
  const xors = (terms: number) => (isa === 'avx512' ? Math.ceil((terms - 1) / 2) : terms - 1);
  // Word kinds: v = varies, c = nonzero constant, z = zero.
  const w = ['v', 'v', 'v', 'v', 'v', 'c', ...Array<string>(9).fill('z'), 'c'];
  let count = 0;
  for (let i = 0; i < 80; i++) {
    if (i >= 16) {
      const terms = [w[i - 3], w[i - 8], w[i - 14], w[i - 16]];
      const varying = terms.filter((t) => t === 'v').length;
      if (varying === 0) w.push(terms.includes('c') ? 'c' : 'z');
      else {
        count += xors(varying + (terms.includes('c') ? 1 : 0)) + cost.rotate;
        w.push('v');
      }
    }
    const f = i < 20 ? cost.ch : i < 40 || i >= 60 ? cost.parity : cost.maj;
    // rotl 5, F, rotl 30, and e + (w + K) + F + rotl: three additions, four when w varies.
    count += 2 * cost.rotate + f + 3 + (w[i] === 'v' ? 1 : 0);
  }
  return count + 5; // the pad state added back
}

export interface ArithmeticLimit {
  isa: VectorIsa;
  /** Vector instructions per second one core retires in the SHA-1 mix (measured). */
  instructionsPerSecond: number;
  /** Vector instructions per pre-10.2 guess (ITER iterations, two blocks, lanes per instruction). */
  instructionsPerGuess: number;
  /** The most pre-10.2 guesses per second one core could make with this instruction set. */
  guessesPerSecond: number;
}

/** The per-core arithmetic limit of pre-10.2 guessing with `isa`, or null where it cannot run. */
export function arithmeticLimit(isa: VectorIsa, iterations = 10_000): ArithmeticLimit | null {
  const addon = loadAddon();
  if (!addon || addon.vectorMix(isa, 1) === 0) return null;
  // In CPU time, the best of several runs: what the core does when it runs this thread.
  let best = 0;
  for (let run = 0; run < 10; run++) {
    let done = 0;
    const seconds = cpuSeconds(() => (done = addon.vectorMix(isa, 400_000)));
    best = Math.max(best, done / seconds);
  }
  const lanes = isa === 'avx512' ? 16 : 8;
  // Each iteration: the inner and outer block, then T ^= U (five words).
  const instructionsPerGuess = (2 * iterations * (2 * sha1BlockInstructions(isa) + 5)) / lanes;
  return {
    isa,
    instructionsPerSecond: best,
    instructionsPerGuess,
    guessesPerSecond: best / instructionsPerGuess,
  };
}
