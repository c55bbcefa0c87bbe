import { pbkdf2Sync } from 'node:crypto';
import { createRequire } from 'node:module';
import { ExitCode, ReclaimError } from '../errors.js';

/** PBKDF2-HMAC-SHA256 with 32-byte output for many candidates: the whole cost of an iOS 10.2+ guess. */
export interface Pbkdf2Backend {
  /** A native kernel (`avx512`, `shani-x4`, `avx2`, `scalar`, ...) or `node` for Node's crypto. */
  readonly name: string;
  /** Candidates computed together; batches should be a multiple of it. */
  readonly lanes: number;
  derive(passwords: readonly Buffer[], salt: Buffer, iterations: number): Buffer[];
  /** The second stage, PBKDF2-HMAC-SHA1 with 32-byte output (natively where the CPU has SHA-NI). */
  readonly sha1Name: 'sha-ni' | 'node';
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
  deriveSha1(secrets: readonly Buffer[], salt: Buffer, iterations: number): Buffer;
  sha1Accelerated(): boolean;
}

/** Forces one backend (`node` or a kernel name), for tests and for comparing. */
export const KERNEL_ENV = 'RECLAIM_PBKDF2_KERNEL';

// The same relative path works from src/password (tsx) and dist/password (built).
const ADDON_PATH = '../../build/Release/reclaim_pbkdf2.node';

let addon: NativeAddon | null | undefined;

/** The compiled addon, or null when it was not built (the install script never fails on that). */
export function loadAddon(): NativeAddon | null {
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
const nodeSha1: Pbkdf2Backend['deriveSha1'] = (secrets, salt, iterations) =>
  secrets.map((s) => pbkdf2Sync(s, salt, iterations, 32, 'sha1'));

export const nodeBackend: Pbkdf2Backend = {
  name: 'node',
  lanes: 1,
  derive: (passwords, salt, iterations) =>
    passwords.map((p) => pbkdf2Sync(p, salt, iterations, 32, 'sha256')),
  sha1Name: 'node',
  deriveSha1: nodeSha1,
};

function nativeBackend(native: NativeAddon, kernel: NativeKernelInfo): Pbkdf2Backend {
  return {
    name: kernel.name,
    lanes: kernel.lanes,
    derive: (passwords, salt, iterations) =>
      split(native.derive(passwords, salt, iterations, kernel.name), passwords.length),
    // Without SHA-NI, OpenSSL's SHA-1 (through Node) beats portable C.
    sha1Name: native.sha1Accelerated() ? 'sha-ni' : 'node',
    deriveSha1: native.sha1Accelerated()
      ? (secrets, salt, iterations) =>
          split(native.deriveSha1(secrets, salt, iterations), secrets.length)
      : nodeSha1,
  };
}

/** Every kernel compiled into the addon, whether or not this CPU runs it. */
export function nativeKernels(): NativeKernelInfo[] {
  return loadAddon()?.kernels() ?? [];
}

/** The backends this machine can run: supported native kernels, best first, then Node's crypto. */
export function availableBackends(): Pbkdf2Backend[] {
  const native = loadAddon();
  const kernels = native
    ? native
        .kernels()
        .filter((k) => k.supported)
        .map((k) => nativeBackend(native, k))
    : [];
  return [...kernels, nodeBackend];
}

export function backendByName(name: string): Pbkdf2Backend {
  const found = availableBackends().find((b) => b.name === name);
  if (found) return found;
  const known = nativeKernels().some((k) => k.name === name);
  const why = known
    ? 'this CPU cannot run it'
    : loadAddon()
      ? 'no such kernel'
      : 'the native addon is not built';
  throw new ReclaimError(
    `PBKDF2 backend "${name}" is not available (${why}); available: ${availableBackends()
      .map((b) => b.name)
      .join(', ')}.`,
    ExitCode.usage,
  );
}

/** Seconds per candidate for one PBKDF2 iteration, from a short timed run (the best of two). */
export function measureBackend(backend: Pbkdf2Backend, iterations = 10_000): number {
  const passwords = Array.from({ length: backend.lanes }, (_, i) => Buffer.from(`calibrate${i}`));
  const salt = Buffer.alloc(20, 7);
  let best = Infinity;
  for (let run = 0; run < 2; run++) {
    const start = process.hrtime.bigint();
    backend.derive(passwords, salt, iterations);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return best / backend.lanes / iterations;
}

let fastest: { backend: Pbkdf2Backend; secondsPerIteration: number } | undefined;

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
  if (!fastest) {
    for (const backend of availableBackends()) {
      const secondsPerIteration = measureBackend(backend);
      if (!fastest || secondsPerIteration < fastest.secondsPerIteration)
        fastest = { backend, secondsPerIteration };
    }
  }
  return fastest!;
}
