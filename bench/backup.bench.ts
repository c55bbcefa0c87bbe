// Issue 2 figures: open+index time and peak memory of a 200,000-entry backup, and decrypt-and-extract
// throughput against a plain `cp -r` of the same folder, measured in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Backup } from '../src/backup/backup.js';
import { BackupWriter } from '../src/backup/writer.js';

const ENTRIES = Number(process.env['RECLAIM_BENCH_ENTRIES'] ?? 200_000);
const BIG_FILES = Number(process.env['RECLAIM_BENCH_BIG_FILES'] ?? 24);
const BIG_SIZE = 96 << 20;
const PASSWORD = 'bench-password';
const root = resolve('.bench');

async function generate(dir: string): Promise<void> {
  const marker = join(dir, '.complete');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === `${ENTRIES}/${BIG_FILES}`) return;
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `generating an encrypted backup of ${ENTRIES.toLocaleString('en')} entries (${BIG_FILES} files of ${BIG_SIZE >> 20} MB)...`,
  );
  const writer = await BackupWriter.create(dir, {
    password: PASSWORD,
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

/** Runs a measurement on the built package (dist/), in its own process so memory figures are its own. */
function runChild<T>(script: string, ...args: string[]): T {
  const child = spawnSync(
    process.execPath,
    [join(import.meta.dirname, 'support', script), ...args],
    { encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout) as T;
}

function du(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]) || 0;
}

export default async function main(): Promise<void> {
  mkdirSync(root, { recursive: true });
  const source = join(root, 'backup-200k');
  await generate(source);
  const bytes = du(source);
  const backup = Backup.open(source);
  const kek = await backup.deriveKey(PASSWORD);

  // Open and index in a fresh process, so peak memory is that of this work alone.
  const opened = runChild<{ entries: number; ms: number; peakMB: number }>(
    'open-index.mjs',
    source,
    kek.toString('hex'),
  );
  console.log(
    `open + index: ${opened.entries.toLocaleString('en')} entries in ${(opened.ms / 1000).toFixed(2)} s, peak memory ${opened.peakMB.toFixed(0)} MB (targets: < 5 s, < 400 MB)`,
  );

  const copyDir = join(root, 'cp-copy');
  const outDir = join(root, 'extracted');
  rmSync(copyDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
  execFileSync('sync');
  let t = performance.now();
  execFileSync('cp', ['-r', source, copyDir]);
  execFileSync('sync');
  const cpSeconds = (performance.now() - t) / 1000;
  rmSync(copyDir, { recursive: true, force: true });

  const {
    seconds: extractSeconds,
    extracted,
    failed,
  } = runChild<{ seconds: number; extracted: number; failed: number }>(
    'extract.mjs',
    source,
    kek.toString('hex'),
    outDir,
  );
  rmSync(outDir, { recursive: true, force: true });

  const mb = bytes / 1e6;
  console.log(
    `backup folder: ${(mb / 1000).toFixed(2)} GB, ${extracted.toLocaleString('en')} files extracted, ${failed} failed`,
  );
  console.log(
    `cp -r:               ${cpSeconds.toFixed(2)} s  (${(mb / cpSeconds).toFixed(0)} MB/s)`,
  );
  console.log(
    `decrypt + extract:   ${extractSeconds.toFixed(2)} s  (${(mb / extractSeconds).toFixed(0)} MB/s)`,
  );
  console.log(`ratio to cp -r:      ${(cpSeconds / extractSeconds).toFixed(2)} (target >= 0.7)`);
}
