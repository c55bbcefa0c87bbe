import {
  closeSync,
  createReadStream,
  createWriteStream,
  fstatSync,
  futimesSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { decryptBuffer, DecryptStream, unwrapEntryKey } from './crypto.js';
import type { ClassKeys } from './keybag.js';

/** Files up to this size are read whole: streams cost more than they save on small files. */
const WHOLE_FILE_LIMIT = 4 << 20;

export interface CopyJob {
  /** Where the data may be stored (fileID layouts of iOS 10+ and of older backups), validated by the caller. */
  sources: string[];
  dest: string;
  /** 4-byte little-endian class + wrapped file key, for encrypted backups. */
  wrappedKey: Uint8Array | null;
  expectedSize: number;
  /** Unix seconds. */
  modified: number;
}

export interface CopyBatch {
  jobs: CopyJob[];
  /** False when the output folder was empty at the start: nothing can be finished already. */
  resume: boolean;
  /** Class keys by protection class, for encrypted backups. */
  classKeys: [number, Uint8Array][];
}

export type CopyStatus = 'extracted' | 'skipped' | 'missing' | 'failed';

export interface CopyResult {
  status: CopyStatus;
  bytes: number;
  error: string | null;
  truncated: boolean;
}

const madeFolders = new Set<string>();

function ensureFolder(folder: string): void {
  if (madeFolders.has(folder)) return;
  mkdirSync(folder, { recursive: true });
  madeFolders.add(folder);
}

/** Finished by an earlier run: writes are atomic, so a file with the right time is complete. */
function alreadyDone(dest: string, modified: number): boolean {
  try {
    const s = statSync(dest);
    return s.isFile() && Math.floor(s.mtimeMs / 1000) === modified;
  } catch {
    return false;
  }
}

function fileKey(job: CopyJob, classKeys: ClassKeys): Buffer | null {
  return job.wrappedKey ? unwrapEntryKey(classKeys, Buffer.from(job.wrappedKey)) : null;
}

/** Opens the stored data (whichever layout holds it), or null when the backup lacks it. */
function openSource(sources: string[]): { path: string; fd: number; size: number } | null {
  for (const path of sources) {
    let fd: number | null = null;
    try {
      fd = openSync(path, 'r');
      const s = fstatSync(fd);
      if (s.isFile()) return { path, fd, size: s.size };
      closeSync(fd);
    } catch {
      if (fd !== null) closeSync(fd);
    }
  }
  return null;
}

/** Writes a whole file with its modification time, through one descriptor. */
function writeWithTime(path: string, data: Buffer, time: Date): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, data);
    futimesSync(fd, time, time);
  } finally {
    closeSync(fd);
  }
}

/** Copies (and decrypts) one file atomically: a temporary name beside it, then a rename. */
async function copyOne(job: CopyJob, classKeys: ClassKeys, resume: boolean): Promise<CopyResult> {
  if (resume && alreadyDone(job.dest, job.modified))
    return { status: 'skipped', bytes: 0, error: null, truncated: false };
  const source = openSource(job.sources);
  if (!source) return { status: 'missing', bytes: 0, error: null, truncated: false };
  const temp = join(dirname(job.dest), `.${basename(job.dest)}.reclaim-part`);
  let sourceFd: number | null = source.fd;
  try {
    const key = fileKey(job, classKeys);
    ensureFolder(dirname(job.dest));
    const time = new Date(job.modified * 1000);
    let bytes: number;
    let truncated = false;
    if (source.size <= WHOLE_FILE_LIMIT) {
      const data = readFileSync(source.fd);
      closeSync(source.fd);
      sourceFd = null;
      const plain = key
        ? decryptBuffer(key, data, { expectedSize: job.expectedSize })
        : { data, truncated: false };
      writeWithTime(temp, plain.data, time);
      bytes = plain.data.length;
      truncated = plain.truncated;
    } else {
      closeSync(source.fd);
      sourceFd = null;
      const out = createWriteStream(temp);
      const input = createReadStream(source.path, { highWaterMark: 1 << 20 });
      if (key) {
        const decrypt = new DecryptStream(key, { expectedSize: job.expectedSize });
        await pipeline(input, decrypt, out);
        truncated = decrypt.outcome.truncated;
      } else {
        await pipeline(input, out);
      }
      bytes = out.bytesWritten;
      utimesSync(temp, time, time);
    }
    renameSync(temp, job.dest);
    return { status: 'extracted', bytes, error: null, truncated };
  } catch (error) {
    if (sourceFd !== null) closeSync(sourceFd);
    rmSync(temp, { force: true });
    return { status: 'failed', bytes: 0, error: (error as Error).message, truncated: false };
  }
}

export default async function copyBatch(batch: CopyBatch): Promise<CopyResult[]> {
  const classKeys = new Map(batch.classKeys.map(([c, k]) => [c, Buffer.from(k)]));
  const results: CopyResult[] = [];
  for (const job of batch.jobs) results.push(await copyOne(job, classKeys, batch.resume));
  return results;
}
