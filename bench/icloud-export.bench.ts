// Issue 16 figure: exporting the photos of an iCloud data export (zips read in place) against `unzip` of the same
// parts, measured in the same run, with the export's peak memory. RECLAIM_BENCH_ICLOUD_GB (default 20) sets the
// size, RECLAIM_BENCH_ICLOUD_PARTS (default 10) the number of parts, RECLAIM_BENCH_ICLOUD_PHOTO_MB (default 3) the
// photo size, RECLAIM_BENCH_ICLOUD_DEFLATE=1 deflates the photos instead of storing them. Everything generated lives
// in one temp folder that is removed at the end (KEEP_BENCH=1 keeps it).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import yazl from 'yazl';
import { jpeg, photoDetails, type DetailsRow } from '../test/support/icloud-export.js';

const GB = Number(process.env['RECLAIM_BENCH_ICLOUD_GB'] ?? 20);
const PARTS = Number(process.env['RECLAIM_BENCH_ICLOUD_PARTS'] ?? 10);
const PHOTO = Math.round(Number(process.env['RECLAIM_BENCH_ICLOUD_PHOTO_MB'] ?? 3) * 1024 * 1024);
const DEFLATE = process.env['RECLAIM_BENCH_ICLOUD_DEFLATE'] === '1';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "Thursday August 29,2013 7:08 AM GMT" */
function appleDate(d: Date): string {
  const h = d.getUTCHours();
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()},${d.getUTCFullYear()} ${h % 12 || 12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'} GMT`;
}

async function writePart(path: string, part: number, photos: number, first: number): Promise<void> {
  const root = `iCloud Photos Part ${part} of ${PARTS}`;
  const filler = Buffer.alloc(PHOTO);
  for (let i = 0; i < PHOTO; i++) filler[i] = (i * 2654435761) >>> 24;
  const zip = new yazl.ZipFile();
  const rows: DetailsRow[] = [];
  const t0 = Date.parse('2015-01-01T00:00:00Z');
  for (let i = 0; i < photos; i++) {
    const n = first + i;
    const name = `IMG_${String(n).padStart(5, '0')}.JPG`;
    const taken = new Date(t0 + n * 3_600_000);
    rows.push({ name, created: appleDate(taken) });
    zip.addReadStreamLazy(
      `${root}/Photos/${name}`,
      { compress: DEFLATE, mtime: new Date() },
      (done: (e: Error | null, s: Readable) => void) => {
        const bytes = jpeg(null, filler);
        bytes.writeUInt32BE(n, 8); // every photo differs
        done(null, Readable.from([bytes]));
      },
    );
  }
  zip.addBuffer(photoDetails(rows), `${root}/Photos/Photo Details.csv`);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

export default async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'reclaim-bench-icloud-'));
  try {
    const total = Math.max(PARTS, Math.round((GB * 1024 ** 3) / PHOTO));
    const perPart = Math.ceil(total / PARTS);
    console.log(
      `generating an iCloud Photos export of ${GB.toLocaleString('en')} GB: ${PARTS} parts, ${(perPart * PARTS).toLocaleString('en')} photos of ${(PHOTO / 1024 ** 2).toFixed(1)} MB, ${DEFLATE ? 'deflated' : 'stored'}...`,
    );
    const started = Date.now();
    const input = join(root, 'export');
    mkdirSync(input);
    const zips: string[] = [];
    for (let p = 1; p <= PARTS; p++) {
      const path = join(input, `iCloud Photos Part ${p} of ${PARTS}.zip`);
      await writePart(path, p, perPart, (p - 1) * perPart);
      zips.push(path);
    }
    console.log(`  generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const bytes = perPart * PARTS * (PHOTO + 1024);
    const mb = bytes / 1e6;

    const unzip = spawnSync('unzip', ['-v'], { encoding: 'utf8' });
    const haveUnzip = unzip.status === 0;
    const unzipAll = (): number => {
      const dir = join(root, 'unzipped');
      execFileSync('sync');
      const t = performance.now();
      for (const z of zips) execFileSync('unzip', ['-qq', '-o', z, '-d', dir]);
      execFileSync('sync');
      const seconds = (performance.now() - t) / 1000;
      rmSync(dir, { recursive: true, force: true });
      return seconds;
    };
    const before = haveUnzip ? unzipAll() : NaN;
    execFileSync('sync');
    const child = spawnSync(
      process.execPath,
      [join(import.meta.dirname, 'support', 'icloud-export.mjs'), input, join(root, 'out')],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    if (child.status !== 0) throw new Error(`export failed: ${child.stderr}`);
    const run = JSON.parse(child.stdout) as {
      seconds: number;
      photos: number;
      errors: string[];
      peakMB: number;
    };
    rmSync(join(root, 'out'), { recursive: true, force: true });
    const after = haveUnzip ? unzipAll() : NaN;
    if (run.photos !== perPart * PARTS)
      throw new Error(
        `exported ${run.photos} of ${perPart * PARTS}: ${run.errors.slice(0, 3).join('; ')}`,
      );
    if (haveUnzip) {
      const unzipSeconds = (before + after) / 2;
      console.log(
        `unzip:          ${PARTS} parts, ${mb.toFixed(0)} MB in ${before.toFixed(2)} s before / ${after.toFixed(2)} s after the export = ${(mb / unzipSeconds).toFixed(0)} MB/s (mean, synced to disk)`,
      );
      console.log(
        `reclaim export: ${run.photos.toLocaleString('en')} photos, ${mb.toFixed(0)} MB in ${run.seconds.toFixed(2)} s = ${(mb / run.seconds).toFixed(0)} MB/s = ${(unzipSeconds / run.seconds).toFixed(2)}x unzip's speed (target >= 0.7x; includes reading the zips' directories, Photo Details, EXIF heads, date folders, mtimes, photos.csv/json)`,
      );
    } else {
      console.log(
        `unzip is not installed: no reference. reclaim export: ${(mb / run.seconds).toFixed(0)} MB/s`,
      );
    }
    console.log(`peak memory of the export process: ${run.peakMB.toFixed(0)} MB`);
  } finally {
    if (!process.env['KEEP_BENCH']) rmSync(root, { recursive: true, force: true });
    else console.log(root);
  }
}
