import { pbkdf2Sync } from 'node:crypto';
import { createRequire } from 'node:module';
import { ExitCode, ReclaimError } from '../errors.js';

/**
 * PBKDF2-HMAC-SHA1 with 32-byte output for many secrets: the second stage of every guess, and the whole
 * cost of one on a backup older than iOS 10.2.
 */
export interface Sha1Stage {
  /** A native kernel (`avx512-x32`, `shani-x4`, `avx2`, `scalar`, ...) or `node` for Node's crypto. */
  readonly name: string;
  /** Candidates computed together (each needs two PBKDF2 blocks, one per kernel lane). */
  readonly lanes: number;
  derive(secrets: readonly Buffer[], salt: Buffer, iterations: number): Buffer[];
}

/** PBKDF2-HMAC-SHA256 with 32-byte output for many candidates: the whole cost of an iOS 10.2+ guess. */
export interface Pbkdf2Backend {
  /** A native kernel (`avx512`, `shani-x4`, `avx2`, `scalar`, ...) or `node` for Node's crypto. */
  readonly name: string;
  /** Candidates computed together; batches should be a multiple of it. */
  readonly lanes: number;
  derive(passwords: readonly Buffer[], salt: Buffer, iterations: number): Buffer[];
  /** The second stage, PBKDF2-HMAC-SHA1 (the fastest here, measured once, unless one is named). */
  readonly sha1Name: string;
  readonly sha1Lanes: number;
  deriveSha1(secrets: readonly Buffer[], salt: Buffer, iterations: number): Buffer[];
}

export interface NativeKernelInfo {
  name: string;
  lanes: number;
  supported: boolean;
}

interface NativeAddon {
  derive(passwords: readonly Buffer[], salt: Buffer, iterations: number, kernel?: string): Buffer;
  deriveAsync(
    passwords: readonly Buffer[],
    salt: Buffer,
    iterations: number,
    kernel?: string,
  ): Promise<Buffer>;
  kernels(): NativeKernelInfo[];
  deriveSha1(secrets: readonly Buffer[], salt: Buffer, iterations: number, kernel?: string): Buffer;
  /** SHA-1 kernels; `lanes` are PBKDF2 blocks, two per candidate. */
  sha1Kernels(): NativeKernelInfo[];
  /** Runs the SIMD instruction mix of `isa` (see native/peak.c); the vector instructions run, or 0. */
  vectorMix(isa: 'avx512' | 'avx2', passes: number): number;
}

/** Forces one backend (`node` or a kernel name), for tests and for comparing. */
export const KERNEL_ENV = 'RECLAIM_PBKDF2_KERNEL';
/** Forces one SHA-1 stage (`node` or a SHA-1 kernel name). */
export const SHA1_KERNEL_ENV = 'RECLAIM_SHA1_KERNEL';

// The same relative path works from src/password (tsx) and dist/password (built).
const ADDON_PATH = '../../build/Release/reclaim_pbkdf2.node';

let addon: NativeAddon | null | undefined;

/** Set to `off`, Reclaim runs as if the addon had not been built (Node's crypto for both stages). */
export const NATIVE_ENV = 'RECLAIM_NATIVE';

/** The compiled addon, or null when it was not built (the install script never fails on that). */
export function loadAddon(): NativeAddon | null {
  if (process.env[NATIVE_ENV] === 'off') return null;
  if (addon === undefined) {
    try {
      addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    } catch {
      addon = null;
    }
  }
  return addon;
}

const split = (keys: Buffer, count: number) =>
  Array.from({ length: count }, (_, i) => keys.subarray(32 * i, 32 * i + 32));

export const nodeSha1: Sha1Stage = {
  name: 'node',
  lanes: 1,
  derive: (secrets, salt, iterations) =>
    secrets.map((s) => pbkdf2Sync(s, salt, iterations, 32, 'sha1')),
};

/** Node's crypto for both stages: what runs when the addon is not built. */
export const nodeBackend: Pbkdf2Backend = {
  name: 'node',
  lanes: 1,
  derive: (passwords, salt, iterations) =>
    passwords.map((p) => pbkdf2Sync(p, salt, iterations, 32, 'sha256')),
  sha1Name: nodeSha1.name,
  sha1Lanes: nodeSha1.lanes,
  deriveSha1: nodeSha1.derive,
};

function nativeSha1(native: NativeAddon, kernel: NativeKernelInfo): Sha1Stage {
  return {
    name: kernel.name,
    lanes: Math.max(1, kernel.lanes / 2),
    derive: (secrets, salt, iterations) =>
      split(native.deriveSha1(secrets, salt, iterations, kernel.name), secrets.length),
  };
}

function nativeBackend(
  native: NativeAddon,
  kernel: NativeKernelInfo,
  sha1: Sha1Stage,
): Pbkdf2Backend {
  return {
    name: kernel.name,
    lanes: kernel.lanes,
    derive: (passwords, salt, iterations) =>
      split(native.derive(passwords, salt, iterations, kernel.name), passwords.length),
    sha1Name: sha1.name,
    sha1Lanes: sha1.lanes,
    deriveSha1: sha1.derive,
  };
}

/** Every SHA-1 kernel compiled into the addon, whether or not this CPU runs it. */
export function nativeSha1Kernels(): NativeKernelInfo[] {
  return loadAddon()?.sha1Kernels() ?? [];
}

/** The SHA-1 stages this machine can run: supported native kernels, then Node's crypto. */
export function sha1Stages(): Sha1Stage[] {
  const native = loadAddon();
  const kernels = native
    ? native
        .sha1Kernels()
        .filter((k) => k.supported)
        .map((k) => nativeSha1(native, k))
    : [];
  return [...kernels, nodeSha1];
}

function unavailable(what: string, name: string, known: boolean, available: string[]) {
  const why = known
    ? 'this CPU cannot run it'
    : loadAddon()
      ? 'no such kernel'
      : 'the native addon is not built';
  return new ReclaimError(
    `${what} "${name}" is not available (${why}); available: ${available.join(', ')}.`,
    ExitCode.usage,
  );
}

export function sha1StageByName(name: string): Sha1Stage {
  const stages = sha1Stages();
  const found = stages.find((s) => s.name === name);
  if (found) return found;
  const known = nativeSha1Kernels().some((k) => k.name === name);
  throw unavailable(
    'SHA-1 kernel',
    name,
    known,
    stages.map((s) => s.name),
  );
}

/** CPU seconds `work` takes on this thread (a run the scheduler interrupts is not charged for the wait). */
export function cpuSeconds(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * Seconds per candidate and iteration for each kernel, the best of `rounds` runs taken in turns and
 * timed in CPU time: on a busy machine a wide kernel's longer runs are interrupted more often, which
 * wall time would count against it.
 */
function measureInTurns<T extends { lanes: number; derive: Sha1Stage['derive'] }>(
  kernels: readonly T[],
  iterations: number,
  rounds = 4,
): number[] {
  const salt = Buffer.alloc(20, 7);
  const inputs = kernels.map((k) =>
    Array.from({ length: k.lanes }, (_, i) => Buffer.from(`calibrate${i}`)),
  );
  const best = kernels.map(() => Infinity);
  for (let round = 0; round < rounds; round++) {
    kernels.forEach((kernel, i) => {
      const seconds = cpuSeconds(() => kernel.derive(inputs[i]!, salt, iterations));
      best[i] = Math.min(best[i]!, seconds);
    });
  }
  return best.map((seconds, i) => seconds / kernels[i]!.lanes / iterations);
}

/** Seconds per candidate for one PBKDF2-SHA1 iteration (both blocks), from short timed runs. */
export function measureSha1(stage: Sha1Stage, iterations = 2000): number {
  return measureInTurns([stage], iterations)[0]!;
}

let fastestSha1: { stage: Sha1Stage; secondsPerIteration: number } | undefined;

/**
 * The SHA-1 stage to use: the one named in RECLAIM_SHA1_KERNEL when set, otherwise the fastest on this
 * CPU, measured once (AVX-512 with two registers in flight wins on cores with several 512-bit pipes,
 * SHA-NI on others; without either, Node's OpenSSL beats portable C).
 */
export function chooseSha1(): { stage: Sha1Stage; secondsPerIteration: number } {
  const forced = process.env[SHA1_KERNEL_ENV];
  if (forced) {
    const stage = sha1StageByName(forced);
    return { stage, secondsPerIteration: measureSha1(stage) };
  }
  if (!fastestSha1) {
    const stages = sha1Stages();
    const seconds = measureInTurns(stages, 2000);
    const best = seconds.indexOf(Math.min(...seconds));
    fastestSha1 = { stage: stages[best]!, secondsPerIteration: seconds[best]! };
  }
  return fastestSha1;
}

/** Every kernel compiled into the addon, whether or not this CPU runs it. */
export function nativeKernels(): NativeKernelInfo[] {
  return loadAddon()?.kernels() ?? [];
}

/**
 * The backends this machine can run: supported native kernels, best first, each with the SHA-1 stage
 * named (or the fastest), then Node's crypto for both stages.
 */
export function availableBackends(sha1?: string): Pbkdf2Backend[] {
  const native = loadAddon();
  if (!native) return [nodeBackend];
  const stage = sha1 !== undefined ? sha1StageByName(sha1) : chooseSha1().stage;
  const kernels = native
    .kernels()
    .filter((k) => k.supported)
    .map((k) => nativeBackend(native, k, stage));
  return [...kernels, nodeBackend];
}

/** A backend by kernel name, with the SHA-1 stage named (or the fastest). */
export function backendByName(name: string, sha1?: string): Pbkdf2Backend {
  const backends = availableBackends(sha1);
  const found = backends.find((b) => b.name === name);
  if (found) return found;
  const known = nativeKernels().some((k) => k.name === name);
  throw unavailable(
    'PBKDF2 backend',
    name,
    known,
    backends.map((b) => b.name),
  );
}

/** Seconds per candidate for one PBKDF2 iteration, from short timed runs. */
export function measureBackend(backend: Pbkdf2Backend, iterations = 10_000): number {
  return measureInTurns([backend], iterations)[0]!;
}

let measured: { backend: Pbkdf2Backend; secondsPerIteration: number }[] | undefined;

/**
 * The backend to use: the one named in RECLAIM_PBKDF2_KERNEL when set, otherwise the fastest on this CPU
 * (measured once: SHA-NI beats AVX2 on some CPUs and loses to AVX-512 on others).
 */
export function chooseBackend(): { backend: Pbkdf2Backend; secondsPerIteration: number } {
  const forced = process.env[KERNEL_ENV];
  if (forced) {
    const backend = backendByName(forced);
    return { backend, secondsPerIteration: measureBackend(backend) };
  }
  if (!measured) {
    const backends = availableBackends();
    const seconds = measureInTurns(backends, 10_000);
    measured = backends.map((backend, i) => ({ backend, secondsPerIteration: seconds[i]! }));
  }
  return measured.reduce((a, b) => (b.secondsPerIteration < a.secondsPerIteration ? b : a));
}

/**
 * The backend that derives `count` keys soonest: a wide kernel computes all its lanes whatever the
 * count, so checking one found password is quicker on a narrow one.
 */
export function backendForFew(count: number): Pbkdf2Backend {
  if (process.env[KERNEL_ENV]) return chooseBackend().backend;
  chooseBackend();
  const cost = (m: NonNullable<typeof measured>[number]) =>
    Math.ceil(count / m.backend.lanes) * m.backend.lanes * m.secondsPerIteration;
  return measured!.reduce((a, b) => (cost(b) < cost(a) ? b : a)).backend;
}
