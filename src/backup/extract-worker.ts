import {
  closeSync,
  createReadStream,
  createWriteStream,
  futimesSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { decryptBuffer, decryptDamage, DecryptStream, unwrapEntryKey } from './crypto.js';
import { openBackupFile, RefusedFileError, type OpenedFile } from './input-file.js';
import type { ClassKeys } from './keybag.js';
import { OutputGuard, ProtectedFolderError } from './output-guard.js';
import { partialPathFor } from './safe-path.js';

/** Files up to this size are read whole: streams cost more than they save on small files. */
const WHOLE_FILE_LIMIT = 4 << 20;
/** Modification times a file system takes (years 1 to 9999), in Unix seconds. */
const EARLIEST_TIME = -62_135_596_800;
const LATEST_TIME = 253_402_300_799;

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
  /** The backup folder's real path: data files may not lead outside it, and nothing is written inside it. */
  backupDir: string;
}

export type CopyStatus = 'extracted' | 'skipped' | 'missing' | 'refused' | 'failed';

export interface CopyResult {
  status: CopyStatus;
  bytes: number;
  /** Why it failed or was refused. */
  error: string | null;
  /** Something to tell about a file that was extracted. */
  warning: string | null;
}

const result = (status: CopyStatus, error: string | null = null): CopyResult => ({
  status,
  bytes: 0,
  error,
  warning: null,
});

/** One guard per backup for the life of this thread: the folders it made stay checked. */
const guards = new Map<string, OutputGuard>();

/** Finished by an earlier run: writes are atomic, so a file with the right time is complete. */
function alreadyDone(dest: string, modified: number): boolean {
  try {
    const s = lstatSync(dest);
    return s.isFile() && Math.floor(s.mtimeMs / 1000) === modified;
  } catch {
    return false;
  }
}

function fileKey(job: CopyJob, classKeys: ClassKeys): Buffer | null {
  return job.wrappedKey ? unwrapEntryKey(classKeys, Buffer.from(job.wrappedKey)) : null;
}

/** A modification time the file system can store, or null. */
function fileTime(seconds: number): Date | null {
  return Number.isFinite(seconds) && seconds >= EARLIEST_TIME && seconds <= LATEST_TIME
    ? new Date(seconds * 1000)
    : null;
}

/** Opens the stored data (whichever layout holds it), refuses what may not be read, or null when absent. */
function openSource(sources: string[], backupDir: string): OpenedFile | { refused: string } | null {
  for (const path of sources) {
    try {
      return openBackupFile(backupDir, path, 'its data file');
    } catch (error) {
      if (error instanceof RefusedFileError) return { refused: error.message };
    }
  }
  return null;
}

/** Writes a whole new file with its modification time, through one descriptor. */
function writeNew(path: string, data: Buffer, time: Date | null): void {
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, data);
    if (time) futimesSync(fd, time, time);
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies (and decrypts) one file atomically: a temporary name of its own beside it, then a rename.
 * Encrypted data that is cut or badly padded is not written: it would pass garbage off as content.
 */
async function copyOne(
  job: CopyJob,
  batch: CopyBatch,
  classKeys: ClassKeys,
  guard: OutputGuard,
): Promise<CopyResult> {
  if (batch.resume && alreadyDone(job.dest, job.modified)) return result('skipped');
  const source = openSource(job.sources, batch.backupDir);
  if (!source) return result('missing');
  if ('refused' in source) return result('refused', source.refused);
  const temp = partialPathFor(job.dest);
  let sourceFd: number | null = source.fd;
  try {
    const key = fileKey(job, classKeys);
    guard.mkdir(dirname(job.dest));
    const time = fileTime(job.modified);
    let bytes: number;
    if (source.size <= WHOLE_FILE_LIMIT) {
      const data = readFileSync(source.fd);
      closeSync(source.fd);
      sourceFd = null;
      const plain = key ? decryptBuffer(key, data, { expectedSize: job.expectedSize }) : null;
      const damage = plain ? decryptDamage(plain, data.length) : null;
      if (damage) return result('failed', `${damage}; not written`);
      writeNew(temp, plain ? plain.data : data, time);
      bytes = plain ? plain.data.length : data.length;
    } else {
      const input = createReadStream('', { fd: source.fd, highWaterMark: 1 << 20 });
      sourceFd = null;
      const out = createWriteStream(temp, { flags: 'wx' });
      if (key) {
        const decrypt = new DecryptStream(key, { expectedSize: job.expectedSize });
        await pipeline(input, decrypt, out);
        const damage = decryptDamage(decrypt.outcome, source.size);
        if (damage) {
          rmSync(temp, { force: true });
          return result('failed', `${damage}; not written`);
        }
      } else {
        await pipeline(input, out);
      }
      bytes = out.bytesWritten;
      if (time) utimesSync(temp, time, time);
    }
    renameSync(temp, job.dest);
    return {
      status: 'extracted',
      bytes,
      error: null,
      warning: time
        ? null
        : `its modification time (${job.modified}) is out of range: written without it`,
    };
  } catch (error) {
    if (sourceFd !== null) closeSync(sourceFd);
    rmSync(temp, { force: true });
    if (error instanceof ProtectedFolderError) return result('refused', error.message);
    return result('failed', (error as Error).message);
  }
}

export default async function copyBatch(batch: CopyBatch): Promise<CopyResult[]> {
  const classKeys = new Map(batch.classKeys.map(([c, k]) => [c, Buffer.from(k)]));
  let guard = guards.get(batch.backupDir);
  if (!guard) guards.set(batch.backupDir, (guard = new OutputGuard([batch.backupDir])));
  const results: CopyResult[] = [];
  for (const job of batch.jobs) results.push(await copyOne(job, batch, classKeys, guard));
  return results;
}
