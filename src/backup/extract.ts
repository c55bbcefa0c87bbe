import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Piscina } from 'piscina';
import { holdYoungGeneration } from '../gc.js';
import type { Backup } from './backup.js';
import type { CopyBatch, CopyResult } from './extract-worker.js';
import { OutputGuard, ProtectedFolderError } from './output-guard.js';
import { safeOutputPath } from './safe-path.js';
import { entryMatcher, type EntryFilter } from './select.js';
import type { BackupEntry } from './types.js';

export interface ExtractProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface ExtractOptions extends EntryFilter {
  onProgress?: (progress: ExtractProgress) => void;
  /** Copy threads (default: 2, or 1 on a single core). */
  threads?: number;
}

export interface ExtractSummary {
  extracted: number;
  /** Already extracted by an earlier run (same name and modification time). */
  skipped: number;
  bytes: number;
  directories: number;
  symlinks: number;
  missing: string[];
  /** Not extracted on purpose, with why: unsafe names and fileIDs, data files that are links out of the backup or not regular files. */
  refused: string[];
  failed: string[];
  warnings: string[];
  /** Names too long for the file system, shortened: "original -> written". */
  shortened: string[];
  /** Damage in the backup's index (records lost or unreadable). */
  damaged: string[];
  /** Files whose data length differs from the index size (every byte kept): "label: N bytes, index says M". */
  sizeMismatch: string[];
  /** Index entries the domain and path filters selected. */
  selected: number;
}

const BATCH_BYTES = 16 << 20;
const BATCH_FILES = 64;
/**
 * Copy threads unless told otherwise: the disk, not the CPU, bounds an extraction (two threads decrypt
 * faster than SSDs write; four were no faster than two on 200,000 files here), and each costs ~10 MB.
 */
const DEFAULT_THREADS = 2;
/** Batches queued per worker thread: enough to keep it busy, few enough to keep memory flat. */
const IN_FLIGHT_PER_THREAD = 4;

function workerFile(): string {
  // Under tsx (tests, benchmarks) the sources are .ts; the built package runs .js.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./extract-worker${ext}`, import.meta.url).href;
}

const emptySummary = (): ExtractSummary => ({
  extracted: 0,
  skipped: 0,
  bytes: 0,
  directories: 0,
  symlinks: 0,
  missing: [],
  refused: [],
  failed: [],
  warnings: [],
  shortened: [],
  damaged: [],
  sizeMismatch: [],
  selected: 0,
});

interface FileToCopy {
  row: number;
  dest: string;
}

/**
 * Extracts entries to `OUT/<domain>/<relativePath>` on all cores; reruns skip finished files. This thread
 * plans and makes the folders (each checked by one OutputGuard); worker threads copy and decrypt files,
 * batch by batch as their folders are ready. The index is walked as a compact table: only the files in
 * batches being copied exist as objects, so memory stays flat whatever the number of files.
 */
export async function extractBackup(
  backup: Backup,
  outDir: string,
  options: ExtractOptions = {},
): Promise<ExtractSummary> {
  // What this thread keeps per file is small and dies young: its young generation need not grow.
  const youngGeneration = holdYoungGeneration();
  try {
    return await extractAll(backup, outDir, options, youngGeneration);
  } finally {
    youngGeneration.release();
  }
}

async function extractAll(
  backup: Backup,
  outDir: string,
  options: ExtractOptions,
  youngGeneration: { renew(): void },
): Promise<ExtractSummary> {
  const summary = emptySummary();
  const guard = new OutputGuard([backup.realDir]);
  const resume = existsSync(outDir) && readdirSync(outDir).length > 0;
  guard.mkdir(resolve(outDir));
  const table = backup.entryTable();
  const selected = entryMatcher(options);
  summary.refused.push(...backup.indexRefused());
  summary.damaged.push(...backup.indexDamaged());
  const label = (row: number) => `${table.domain(row)}/${table.relativePath(row)}`;
  const mkdir = (folder: string, row: number): boolean => {
    try {
      guard.mkdir(folder);
      return true;
    } catch (error) {
      const reason = (error as Error).message;
      if (error instanceof ProtectedFolderError) summary.refused.push(`${label(row)}: ${reason}`);
      else summary.failed.push(`${label(row)}: ${reason}`);
      return false;
    }
  };
  // Folders first, all of them: a file never takes the place of a folder listed after it. Files are
  // marked by row; their paths are worked out again when their batch is made.
  const toCopy = new Uint8Array(table.length);
  let totalFiles = 0;
  let totalBytes = 0;
  for (let row = 0; row < table.length; row++) {
    const domain = table.domain(row);
    const path = table.relativePath(row);
    if (selected && !selected(domain, path)) continue;
    summary.selected++;
    const target = safeOutputPath(outDir, domain, path);
    if ('refused' in target) {
      summary.refused.push(`${JSON.stringify(label(row))}: ${target.refused}`);
      continue;
    }
    if (target.shortened) summary.shortened.push(target.shortened);
    const kind = table.kind(row);
    if (kind === 'directory') {
      if (mkdir(target.path, row)) summary.directories++;
    } else if (kind === 'symlink') summary.symlinks++;
    else {
      toCopy[row] = 1;
      totalFiles++;
      totalBytes += table.size(row);
    }
  }

  const progress: ExtractProgress = { files: 0, totalFiles, bytes: 0, totalBytes };
  options.onProgress?.(progress);
  const record = (row: number, result: CopyResult): void => {
    const size = table.size(row);
    progress.files++;
    progress.bytes += size;
    if (result.status === 'skipped') summary.skipped++;
    if (result.status === 'missing') summary.missing.push(label(row));
    if (result.status === 'refused') summary.refused.push(`${label(row)}: ${result.error}`);
    if (result.status === 'failed') summary.failed.push(`${label(row)}: ${result.error}`);
    if (result.status !== 'extracted') return;
    summary.extracted++;
    summary.bytes += result.bytes;
    if (result.warning) summary.warnings.push(`${label(row)}: ${result.warning}`);
    if (result.bytes !== size) {
      summary.sizeMismatch.push(
        `${label(row)}: ${result.bytes} bytes${backup.encrypted ? ' decrypted' : ''}, index says ${size}`,
      );
    }
  };

  // Own copies: a Buffer is often a view into a larger shared block, which posting to a thread would
  // copy whole (the index keeps every wrapped key in one block).
  const own = (bytes: Uint8Array) => new Uint8Array(bytes);
  const classKeys = [...backup.unlockedClassKeys()].map(
    ([c, key]) => [c, own(key)] as [number, Uint8Array],
  );
  const threads = Math.max(1, options.threads ?? Math.min(DEFAULT_THREADS, availableParallelism()));
  const pool = new Piscina({
    filename: workerFile(),
    minThreads: Math.min(threads, totalFiles || 1),
    maxThreads: threads,
    // A thread holds one read buffer and a batch of jobs: a small heap keeps the process flat.
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
  });
  const running: Promise<void>[] = [];
  /** Batches sent and not yet done: a few per thread, so files wait as row numbers, not in copies. */
  const inFlight = new Set<Promise<void>>();
  const send = (batch: FileToCopy[]) => {
    youngGeneration.renew(); // the pool's threads may have started since
    const task: CopyBatch = {
      jobs: batch.map(({ row, dest }) => {
        const key = table.wrappedKey(row);
        return {
          fileID: table.fileID(row),
          dest,
          // Plain backups may still list keys (a Manifest.db taken from an encrypted one): their data is plain.
          wrappedKey: backup.encrypted && key ? own(key) : null,
          expectedSize: table.size(row),
          modified: table.modified(row),
        };
      }),
      classKeys,
      resume,
      backupDir: backup.realDir,
      nestedFirst: backup.format !== 'mbdb',
    };
    const done = (pool.run(task) as Promise<CopyResult[]>).then((results) => {
      results.forEach((result, i) => record(batch[i]!.row, result));
      options.onProgress?.(progress);
    });
    running.push(done);
    inFlight.add(done);
    void done.then(
      () => inFlight.delete(done),
      () => inFlight.delete(done),
    );
  };
  const skip = (row: number): void => {
    progress.files++;
    progress.bytes += table.size(row);
  };
  try {
    let batch: FileToCopy[] = [];
    let batchBytes = 0;
    for (let row = 0; row < table.length; row++) {
      if (!toCopy[row]) continue;
      if (backup.encrypted && !table.wrappedKey(row)) {
        summary.failed.push(`${label(row)}: no file key in an encrypted backup`);
        skip(row);
        continue;
      }
      const target = safeOutputPath(outDir, table.domain(row), table.relativePath(row));
      if ('refused' in target || !mkdir(dirname(target.path), row)) {
        skip(row);
        continue;
      }
      batch.push({ row, dest: target.path });
      batchBytes += table.size(row);
      if (batch.length < BATCH_FILES && batchBytes < BATCH_BYTES) continue;
      send(batch);
      batch = [];
      batchBytes = 0;
      // Let the pool hand batches to threads that are free while this one goes on making folders.
      if (inFlight.size >= IN_FLIGHT_PER_THREAD * threads) await Promise.race(inFlight);
      else await new Promise<void>((done) => setImmediate(done));
    }
    if (batch.length) send(batch);
    await Promise.all(running);
  } finally {
    await Promise.allSettled(running);
    await pool.destroy();
  }
  return summary;
}
