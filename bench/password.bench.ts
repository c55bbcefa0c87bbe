// Password recovery speed: guesses/s per core and in total for older keybags (PBKDF2-SHA1 only) and
// iOS 10.2+ (DPIC 10,000,000), for every native kernel and the Node-crypto fallback, next to hashcat
// measured in the same run, and the share of the arithmetic limit the SHA-1 kernels reach.
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import {
  arithmeticLimit,
  benchBackend,
  IOS_DPIC,
  sha1BlockInstructions,
  type BenchFigure,
  type VectorIsa,
} from '../src/password/benchmark.js';
import {
  availableBackends,
  chooseBackend,
  chooseSha1,
  measureSha1,
  sha1Stages,
} from '../src/password/native.js';

const QUICK_ROUNDS = 1_000_000;
const count = (n: number) => Math.round(n).toLocaleString('en-US');

function row(f: BenchFigure): string {
  const how =
    f.measuredRounds === null
      ? ''
      : f.measuredRounds === IOS_DPIC
        ? 'measured at 10 M rounds'
        : `measured at ${f.measuredRounds / 1e6} M rounds, scaled`;
  return `  ${f.backend.padEnd(16)} ${f.perCore.toFixed(2).padStart(10)} ${f.total.toFixed(2).padStart(10)}   ${how}`;
}

/** `hashcat -b --machine-readable` speed in H/s (its last field), or null. */
function hashcatBench(mode: string): { speed: number; line: string } | null {
  const run = spawnSync('hashcat', ['-b', '-m', mode, '--machine-readable', '--quiet'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  const line = run.stdout?.split('\n').find((l) => l.startsWith(`1:${mode}:`));
  return line ? { speed: Number(line.split(':').at(-1)), line } : null;
}

const ratio = (ours: number, theirs: number, target: number) =>
  `ours/hashcat (all cores): ${(ours / theirs).toFixed(2)}  (target >= ${target})`;

/**
 * Each instruction set's limit next to its best kernel, both in CPU time (what one core does while it
 * runs this thread), so the share means the same on a quiet machine and a busy one.
 */
function printLimits(): void {
  for (const isa of ['avx512', 'avx2'] as VectorIsa[]) {
    const limit = arithmeticLimit(isa);
    if (!limit) continue;
    const rates = sha1Stages()
      .filter((s) => s.name.startsWith(isa))
      .map((stage) => ({ stage, rate: 1 / (measureSha1(stage, 10_000) * 10_000) }));
    const best = rates.reduce<(typeof rates)[number] | null>(
      (a, r) => (a && a.rate >= r.rate ? a : r),
      null,
    );
    console.log(
      `  arithmetic limit, ${isa}: ${(limit.instructionsPerSecond / 1e9).toFixed(2)} G vector instructions/s per core ` +
        `in the SHA-1 mix, ${sha1BlockInstructions(isa)} per block, ${count(limit.instructionsPerGuess)} per guess ` +
        `= ${count(limit.guessesPerSecond)} guesses/s per core` +
        (best
          ? `; ${best.stage.name} does ${count(best.rate)} per core in CPU time: ${((100 * best.rate) / limit.guessesPerSecond).toFixed(0)} %`
          : ''),
    );
  }
}

export default async function main(): Promise<void> {
  const threads = availableParallelism();
  const best = chooseBackend().backend;
  const sha1 = chooseSha1().stage;
  // Figures are wall-clock (so is hashcat's): on a shared machine, read them with the load beside them.
  const load = () => loadavg()[0]!.toFixed(1);
  console.log(
    `${threads} threads; fastest here: ${best.name} (SHA-256), ${sha1.name} (SHA-1); load average ${load()}\n`,
  );
  console.log(
    `  ${'backend'.padEnd(16)} ${'per core'.padStart(10)} ${'total'.padStart(10)}   guesses/s`,
  );

  console.log('before iOS 10.2 (PBKDF2-SHA1, ITER 10,000):');
  const older: BenchFigure[] = [];
  for (const stage of sha1Stages()) {
    const figure = await benchBackend(availableBackends(stage.name)[0]!, null, threads);
    older.push(figure);
    console.log(row(figure));
  }
  printLimits();
  const oursOlder = older.find((f) => f.backend === `sha1:${sha1.name}`)!;
  const hashcatInstalled = spawnSync('hashcat', ['--version']).status === 0;
  const oldHashcat = hashcatInstalled ? hashcatBench('14700') : null;
  if (oldHashcat) {
    console.log(`  hashcat -b -m 14700: ${oldHashcat.speed} H/s  (${oldHashcat.line})`);
    console.log(`  ${ratio(oursOlder.total, oldHashcat.speed, 1.2)}`);
  }

  console.log('iOS 10.2+ (PBKDF2-SHA256 DPIC 10,000,000, then the SHA-1 stage):');
  const sha1Seconds = 1 / oursOlder.perCore;
  const figures: BenchFigure[] = [];
  for (const backend of availableBackends(sha1.name)) {
    const full = backend.name === best.name || backend.name === 'node';
    const figure = await benchBackend(
      backend,
      full ? IOS_DPIC : QUICK_ROUNDS,
      threads,
      backend.sha1Name === sha1.name ? sha1Seconds : 1 / older.at(-1)!.perCore,
    );
    figures.push(figure);
    console.log(row(figure));
  }
  const ours = figures.find((f) => f.backend === best.name)!;
  const fallback = figures.find((f) => f.backend === 'node')!;
  console.log(`\nnative ${best.name} vs Node crypto: ${(ours.total / fallback.total).toFixed(1)}x`);

  if (!hashcatInstalled) {
    console.log('hashcat not installed: no comparison (apt-get install hashcat pocl-opencl-icd)');
    console.log(`load average at the end: ${load()}`);
    return;
  }
  if (!oldHashcat) console.log('hashcat -b -m 14700: no result (no OpenCL device?)');
  const modern = hashcatBench('14800');
  console.log(
    `hashcat -b -m 14800: ${modern ? `${modern.speed} H/s  (${modern.line})` : 'no result'}`,
  );
  let hashcat = modern?.speed ?? 0;
  // hashcat prints whole H/s; below 10 the rounding hides the speed, so also time its PBKDF2-SHA256
  // loop (mode 10900, 1,000 rounds a guess) and scale it to 10,000,000 rounds.
  if (hashcat < 10) {
    const loop = hashcatBench('10900');
    if (loop) {
      hashcat = (loop.speed * 1000) / IOS_DPIC;
      console.log(
        `hashcat -b -m 10900: ${loop.speed} H/s at 1,000 rounds = ${hashcat.toFixed(2)} H/s at 10,000,000 rounds`,
      );
    }
  }
  if (hashcat > 0) console.log(ratio(ours.total, hashcat, 1));
  console.log(`load average at the end: ${load()}`);
}
