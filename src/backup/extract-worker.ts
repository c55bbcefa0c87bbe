import { closeSync, futimesSync, lstatSync, openSync, renameSync, rmSync } from 'node:fs';
import { COPY_CHUNK, copyFdSync, decryptDamage, unwrapEntryKeys } from './crypto.js';
import { dataPathsOf } from './file-id.js';
import { openBackupFile, RefusedFileError, type OpenedFile } from './input-file.js';
import type { ClassKeys } from './keybag.js';
import { partialPathFor } from './safe-path.js';

/** Modification times a file system takes (years 1 to 9999), in Unix seconds. */
const EARLIEST_TIME = -62_135_596_800;
const LATEST_TIME = 253_402_300_799;

export interface CopyJob {
  /** Validated by the caller (40 hex digits). */
  fileID: string;
  /** Its folder exists and was checked by the caller (see OutputGuard). */
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
  /** The backup folder's real path: data files may not lead outside it. */
  backupDir: string;
  /** iOS 10+ layout (data under the fileID's first two digits) looked for first. */
  nestedFirst: boolean;
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

/** One read buffer for every file this thread copies. */
const buffer = Buffer.allocUnsafe(COPY_CHUNK);

/** Finished by an earlier run: writes are atomic, so a file with the right time is complete. */
function alreadyDone(dest: string, modified: number): boolean {
  try {
    const s = lstatSync(dest);
    return s.isFile() && Math.floor(s.mtimeMs / 1000) === modified;
  } catch {
    return false;
  }
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

/**
 * Copies (and decrypts) one file atomically: a temporary name of its own beside it, then a rename.
 * Encrypted data that is cut or badly padded is not kept: it would pass garbage off as content.
 */
function copyOne(job: CopyJob, batch: CopyBatch, key: Buffer | Error | null): CopyResult {
  if (batch.resume && alreadyDone(job.dest, job.modified)) return result('skipped');
  const source = openSource(
    dataPathsOf(batch.backupDir, job.fileID, batch.nestedFirst),
    batch.backupDir,
  );
  if (!source) return result('missing');
  if ('refused' in source) return result('refused', source.refused);
  const temp = partialPathFor(job.dest);
  let out: number | null = null;
  try {
    if (key instanceof Error) throw key;
    const time = fileTime(job.modified);
    out = openSync(temp, 'wx');
    const copied = copyFdSync(source.fd, out, key, { expectedSize: job.expectedSize }, buffer);
    const damage = copied.outcome ? decryptDamage(copied.outcome, copied.bytesIn) : null;
    if (damage) {
      closeSync(out);
      out = null;
      rmSync(temp, { force: true });
      return result('failed', `${damage}; not written`);
    }
    if (time) futimesSync(out, time, time);
    closeSync(out);
    out = null;
    renameSync(temp, job.dest);
    return {
      status: 'extracted',
      bytes: copied.bytesOut,
      error: null,
      warning: time
        ? null
        : `its modification time (${job.modified}) is out of range: written without it`,
    };
  } catch (error) {
    if (out !== null) closeSync(out);
    rmSync(temp, { force: true });
    return result('failed', (error as Error).message);
  } finally {
    closeSync(source.fd);
  }
}

/** Class keys as this thread last received them: the same for every batch of one extraction. */
let keysCache: { id: string; keys: ClassKeys } | null = null;

function classKeysOf(batch: CopyBatch): ClassKeys {
  const id = batch.classKeys.map(([c, k]) => `${c}:${Buffer.from(k).toString('hex')}`).join();
  if (keysCache?.id !== id)
    keysCache = { id, keys: new Map(batch.classKeys.map(([c, k]) => [c, Buffer.from(k)])) };
  return keysCache.keys;
}

export default function copyBatch(batch: CopyBatch): CopyResult[] {
  const wrapped = batch.jobs.filter((job) => job.wrappedKey);
  const unwrapped = wrapped.length
    ? unwrapEntryKeys(
        classKeysOf(batch),
        wrapped.map((job) => Buffer.from(job.wrappedKey!)),
      )
    : [];
  const keys = new Map(wrapped.map((job, i) => [job, unwrapped[i]!]));
  return batch.jobs.map((job) => copyOne(job, batch, keys.get(job) ?? null));
}
