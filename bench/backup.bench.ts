// Issue 19 figures: open + index of a 200,000-entry backup, and decrypt + extract (and a plain
// backup's extract) against `cp -r` of the same folder measured in the same run: page cache warm and
// no sync (what users feel on an SSD), and with sync. Each measured process runs alone, so its peak
// memory is its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { Backup } from '../src/backup/backup.js';
import { BackupWriter } from '../src/backup/writer.js';

const ENTRIES = Number(process.env['RECLAIM_BENCH_ENTRIES'] ?? 200_000);
const BIG_FILES = Number(process.env['RECLAIM_BENCH_BIG_FILES'] ?? 24);
/** RECLAIM_BENCH_VIDEO_GB=4 adds an encrypted backup holding one video of that size (memory must stay flat). */
const VIDEO_GB = Number(process.env['RECLAIM_BENCH_VIDEO_GB'] ?? 0);
/** RECLAIM_BENCH_PLAIN=0 skips the plain backup (it doubles the disk the bench needs). */
const PLAIN = process.env['RECLAIM_BENCH_PLAIN'] !== '0';
const BIG_SIZE = 96 << 20;
const PASSWORD = 'bench-password';
const root = resolve('.bench');
const TARGETS = {
  indexSeconds: 2,
  indexMB: 250,
  extractMB: 150,
  encryptedToCp: 2,
  plainToCp: 1.3,
};

async function generate(dir: string, password: string | undefined): Promise<void> {
  const marker = join(dir, '.complete');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === `${ENTRIES}/${BIG_FILES}`) return;
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `generating ${password ? 'an encrypted' : 'a plain'} backup of ${ENTRIES.toLocaleString('en')} entries (${BIG_FILES} files of ${BIG_SIZE >> 20} MB)...`,
  );
  const writer = await BackupWriter.create(dir, {
    ...(password ? { password } : {}),
    keyDerivation: { iterations: 10_000, dpic: 10_000 },
  });
  const small = randomBytes(64 << 10);
  const folders = Math.floor(ENTRIES / 4);
  for (let i = 0; i < folders; i++)
    writer.add({
      domain: `AppDomain-com.bench.app${i % 500}`,
      relativePath: `Library/folder-${i}`,
      kind: 'directory',
    });
  const big = randomBytes(BIG_SIZE);
  for (let i = 0; i < BIG_FILES; i++) {
    big.writeUInt32LE(i, 0);
    writer.add({
      domain: 'CameraRollDomain',
      relativePath: `Media/DCIM/100APPLE/IMG_${String(i).padStart(4, '0')}.MOV`,
      data: big,
    });
  }
  for (let i = folders + BIG_FILES; i < ENTRIES; i++) {
    const size = 200 + ((i * 7919) % 6000);
    writer.add({
      domain: `AppDomain-com.bench.app${i % 500}`,
      relativePath: `Library/folder-${i % folders}/file-${i}.dat`,
      data: small.subarray(0, size),
    });
  }
  await writer.finish();
  writeFileSync(marker, `${ENTRIES}/${BIG_FILES}`);
}

/** An encrypted backup of one video of VIDEO_GB gigabytes, streamed in (never whole in memory). */
async function generateVideo(dir: string): Promise<void> {
  const marker = join(dir, '.complete');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(VIDEO_GB)) return;
  rmSync(dir, { recursive: true, force: true });
  console.log(`generating an encrypted backup holding one ${VIDEO_GB} GB video...`);
  const writer = await BackupWriter.create(dir, {
    password: PASSWORD,
    keyDerivation: { iterations: 10_000, dpic: 10_000 },
  });
  const block = randomBytes(16 << 20);
  const total = VIDEO_GB * 2 ** 30;
  async function* video() {
    for (let sent = 0; sent < total; sent += block.length) {
      block.writeUInt32LE(sent / block.length, 0);
      yield Buffer.from(block.subarray(0, Math.min(block.length, total - sent)));
    }
  }
  await writer.addStream(
    { domain: 'CameraRollDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0001.MOV' },
    Readable.from(video()),
  );
  await writer.finish();
  writeFileSync(marker, String(VIDEO_GB));
}

/** Runs a measurement on the built package (dist/), in its own process so memory figures are its own. */
function runChild<T>(script: string, ...args: string[]): T {
  const child = spawnSync(
    process.execPath,
    [join(import.meta.dirname, 'support', script), ...args],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout) as T;
}

function du(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]) || 0;
}

function clear(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  execFileSync('sync');
}

interface Timed {
  /** Seconds until the work returned (page cache warm, no sync). */
  seconds: number;
  /** Seconds until the data was on disk (the work, then sync). */
  synced: number;
}

/** `cp -r` of the folder, without and with sync, after a copy that warms the page cache. */
function copyReference(source: string, copyDir: string): Timed {
  clear(copyDir);
  execFileSync('cp', ['-r', source, copyDir]);
  clear(copyDir);
  let t = performance.now();
  execFileSync('cp', ['-r', source, copyDir]);
  const seconds = (performance.now() - t) / 1000;
  clear(copyDir);
  t = performance.now();
  execFileSync('cp', ['-r', source, copyDir]);
  execFileSync('sync');
  const synced = (performance.now() - t) / 1000;
  clear(copyDir);
  return { seconds, synced };
}

interface ExtractRun extends Timed {
  cpuSeconds: number;
  peakMB: number;
  /** Memory in use once the index was read, before extracting. */
  indexMB: number;
  extracted: number;
  failed: number;
}

function extract(source: string, outDir: string, kekHex: string): ExtractRun {
  clear(outDir);
  const run = runChild<ExtractRun>('extract.mjs', source, kekHex, outDir);
  clear(outDir);
  return run;
}

const s = (seconds: number) => `${seconds.toFixed(2)} s`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

function report(name: string, run: ExtractRun, cp: Timed, target: number, mb: number): void {
  const ratio = run.seconds / cp.seconds;
  const syncedRatio = run.synced / cp.synced;
  console.log(
    `${name}: ${run.extracted.toLocaleString('en')} files, ${run.failed} failed; ${s(run.seconds)} (${(mb / run.seconds).toFixed(0)} MB/s, ${run.cpuSeconds.toFixed(1)} s CPU), ${s(run.synced)} with sync; peak memory ${run.peakMB.toFixed(0)} MB (${run.indexMB.toFixed(0)} MB once the index was read)`,
  );
  console.log(
    `  vs cp -r, no sync:   ${ratio.toFixed(2)}× (target ≤ ${target}×: ${verdict(ratio <= target)})`,
  );
  console.log(
    `  vs cp -r, with sync: ${syncedRatio.toFixed(2)}× (target ≤ ${target}×: ${verdict(syncedRatio <= target)})`,
  );
  console.log(
    `  peak memory:         ${run.peakMB.toFixed(0)} MB (target < ${TARGETS.extractMB} MB: ${verdict(run.peakMB < TARGETS.extractMB)})`,
  );
}

export default async function main(): Promise<void> {
  mkdirSync(root, { recursive: true });
  const name = `${Math.round(ENTRIES / 1000)}k`;
  await generate(join(root, `backup-${name}`), PASSWORD);
  if (PLAIN) await generate(join(root, `plain-${name}`), undefined);
  // Real paths: `du` and `cp -r` would measure a linked folder's link, not its files.
  const source = realpathSync(join(root, `backup-${name}`));
  const plain = PLAIN ? realpathSync(join(root, `plain-${name}`)) : '';
  const backup = Backup.open(source);
  const kek = (await backup.deriveKey(PASSWORD)).toString('hex');

  // Open and index in a fresh process, so peak memory is that of this work alone.
  const opened = runChild<{ entries: number; ms: number; peakMB: number }>(
    'open-index.mjs',
    source,
    kek,
  );
  const indexSeconds = opened.ms / 1000;
  console.log(
    `open + index: ${opened.entries.toLocaleString('en')} entries in ${s(indexSeconds)} (target < ${TARGETS.indexSeconds} s: ${verdict(indexSeconds < TARGETS.indexSeconds)}), peak memory ${opened.peakMB.toFixed(0)} MB (target < ${TARGETS.indexMB} MB: ${verdict(opened.peakMB < TARGETS.indexMB)})`,
  );

  const copyDir = join(root, 'cp-copy');
  const outDir = join(root, 'extracted');
  const mb = du(source) / 1e6;
  const cp = copyReference(source, copyDir);
  console.log(
    `encrypted backup folder: ${(mb / 1000).toFixed(2)} GB; cp -r ${s(cp.seconds)} (${(mb / cp.seconds).toFixed(0)} MB/s), ${s(cp.synced)} with sync`,
  );
  report('decrypt + extract', extract(source, outDir, kek), cp, TARGETS.encryptedToCp, mb);

  if (VIDEO_GB > 0) {
    const videoDir = join(root, `video-${VIDEO_GB}g`);
    await generateVideo(videoDir);
    const videoKek = (await Backup.open(videoDir).deriveKey(PASSWORD)).toString('hex');
    const run = extract(realpathSync(videoDir), outDir, videoKek);
    console.log(
      `one ${VIDEO_GB} GB video, decrypt + extract: ${s(run.seconds)}, peak memory ${run.peakMB.toFixed(0)} MB (target < ${TARGETS.extractMB} MB: ${verdict(run.peakMB < TARGETS.extractMB)})`,
    );
  }

  if (!PLAIN) return;
  const plainMB = du(plain) / 1e6;
  const plainCp = copyReference(plain, copyDir);
  console.log(
    `plain backup folder: ${(plainMB / 1000).toFixed(2)} GB; cp -r ${s(plainCp.seconds)}, ${s(plainCp.synced)} with sync`,
  );
  report('plain extract', extract(plain, outDir, ''), plainCp, TARGETS.plainToCp, plainMB);
}
