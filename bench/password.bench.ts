// Password recovery speed: guesses/s per core and in total for iOS 10.2+ (DPIC 10,000,000) and older
// keybags, for every native kernel and the Node-crypto fallback, next to hashcat measured in the same run.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { benchBackend, IOS_DPIC, type BenchFigure } from '../src/password/benchmark.js';
import { availableBackends, chooseBackend, nodeBackend } from '../src/password/native.js';

const QUICK_ROUNDS = 1_000_000;

function row(f: BenchFigure): string {
  const how =
    f.measuredRounds === null
      ? 'no first stage'
      : f.measuredRounds === IOS_DPIC
        ? 'measured at 10 M rounds'
        : `measured at ${f.measuredRounds / 1e6} M rounds, scaled`;
  return `  ${f.backend.padEnd(12)} ${f.perCore.toFixed(2).padStart(10)} ${f.total.toFixed(2).padStart(10)}   ${how}`;
}

/** `hashcat -b --machine-readable` speed in H/s (its last field), or null. */
function hashcatBench(mode: string): { speed: number; line: string } | null {
  const run = spawnSync('hashcat', ['-b', '-m', mode, '--machine-readable', '--quiet'], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  const line = run.stdout?.split('\n').find((l) => l.startsWith(`1:${mode}:`));
  return line ? { speed: Number(line.split(':').at(-1)), line } : null;
}

export default async function main(): Promise<void> {
  const threads = availableParallelism();
  const best = chooseBackend().backend;
  console.log(`${threads} threads; fastest backend here: ${best.name}\n`);
  console.log(
    `  ${'backend'.padEnd(12)} ${'per core'.padStart(10)} ${'total'.padStart(10)}   guesses/s`,
  );

  console.log('before iOS 10.2 (PBKDF2-SHA1, ITER 10,000):');
  const sha1Seconds = new Map<string, number>();
  for (const backend of best.sha1Name === 'node' ? [best] : [best, nodeBackend]) {
    const older = await benchBackend(backend, null, threads);
    console.log(row(older));
    sha1Seconds.set(backend.sha1Name, 1 / older.perCore);
  }

  console.log('iOS 10.2+ (PBKDF2-SHA256 DPIC 10,000,000, then the SHA-1 stage):');
  const figures: BenchFigure[] = [];
  for (const backend of availableBackends()) {
    const full = backend.name === best.name || backend === nodeBackend;
    const figure = await benchBackend(
      backend,
      full ? IOS_DPIC : QUICK_ROUNDS,
      threads,
      sha1Seconds.get(backend.sha1Name),
    );
    figures.push(figure);
    console.log(row(figure));
  }
  const ours = figures.find((f) => f.backend === best.name)!;
  const fallback = figures.find((f) => f.backend === 'node')!;
  console.log(`\nnative ${best.name} vs Node crypto: ${(ours.total / fallback.total).toFixed(1)}x`);

  if (spawnSync('hashcat', ['--version']).status !== 0) {
    console.log('hashcat not installed: no comparison (apt-get install hashcat)');
    return;
  }
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
  if (hashcat > 0)
    console.log(
      `ratio ours/hashcat (all cores): ${(ours.total / hashcat).toFixed(2)}  (target >= 1.8)`,
    );
}
