import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Backup } from './backup.js';
import type { CopyBatch, CopyJob, CopyResult } from './extract-worker.js';
import { OutputGuard, ProtectedFolderError } from './output-guard.js';
import { safeOutputPath } from './safe-path.js';
import { selectEntries, type EntryFilter } from './select.js';
import type { BackupEntry } from './types.js';

export interface ExtractProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface ExtractOptions extends EntryFilter {
  onProgress?: (progress: ExtractProgress) => void;
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
}

const BATCH_BYTES = 16 << 20;
const BATCH_FILES = 64;
const label = (e: BackupEntry) => `${e.domain}/${e.relativePath}`;

function workerFile(): string {
  // Under tsx (tests, benchmarks) the sources are .ts; the built package runs .js.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./extract-worker${ext}`, import.meta.url).href;
}

/** Extracts entries to `OUT/<domain>/<relativePath>` on all cores; reruns skip finished files. */
export async function extractBackup(
  backup: Backup,
  outDir: string,
  options: ExtractOptions = {},
): Promise<ExtractSummary> {
  const summary: ExtractSummary = {
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
  };
  const jobs: { job: CopyJob; entry: BackupEntry }[] = [];
  const guard = new OutputGuard([backup.realDir]);
  const resume = existsSync(outDir) && readdirSync(outDir).length > 0;
  guard.mkdir(outDir);
  const entries = selectEntries(backup.entries(), options);
  summary.refused.push(...backup.indexRefused());
  summary.damaged.push(...backup.indexDamaged());
  for (const entry of entries) {
    const target = safeOutputPath(outDir, entry.domain, entry.relativePath);
    if ('refused' in target) {
      summary.refused.push(`${JSON.stringify(label(entry))}: ${target.refused}`);
      continue;
    }
    if (target.shortened) summary.shortened.push(target.shortened);
    if (entry.kind === 'directory') {
      try {
        guard.mkdir(target.path);
        summary.directories++;
      } catch (error) {
        const reason = (error as Error).message;
        if (error instanceof ProtectedFolderError)
          summary.refused.push(`${label(entry)}: ${reason}`);
        else summary.failed.push(`${label(entry)}: ${reason}`);
      }
      continue;
    }
    if (entry.kind === 'symlink') {
      summary.symlinks++;
      continue;
    }
    const sources = backup.dataLocations(entry);
    if (backup.encrypted && !entry.wrappedKey) {
      summary.failed.push(`${label(entry)}: no file key in an encrypted backup`);
      continue;
    }
    // Plain backups may still list keys (a Manifest.db taken from an encrypted one): their data is stored plain.
    const wrappedKey = backup.encrypted ? entry.wrappedKey : null;
    jobs.push({
      entry,
      job: {
        sources,
        dest: target.path,
        wrappedKey,
        expectedSize: entry.size,
        modified: entry.modified,
      },
    });
  }
  const classKeys = [...backup.unlockedClassKeys()];

  const batches: (typeof jobs)[] = [];
  let current: typeof jobs = [];
  let currentBytes = 0;
  for (const item of jobs) {
    current.push(item);
    currentBytes += item.entry.size;
    if (current.length >= BATCH_FILES || currentBytes >= BATCH_BYTES) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
  }
  if (current.length) batches.push(current);

  const progress: ExtractProgress = {
    files: 0,
    totalFiles: jobs.length,
    bytes: 0,
    totalBytes: jobs.reduce((n, j) => n + j.entry.size, 0),
  };
  options.onProgress?.(progress);
  // Small files make extraction wait on the file system more than on the CPU: two threads per core.
  const threads = Math.max(1, options.threads ?? availableParallelism() * 2);
  const pool = new Piscina({
    filename: workerFile(),
    minThreads: Math.min(threads, batches.length || 1),
    maxThreads: threads,
  });
  try {
    await Promise.all(
      batches.map(async (batch) => {
        const results = (await pool.run({
          jobs: batch.map((b) => b.job),
          classKeys,
          resume,
          backupDir: backup.realDir,
        } satisfies CopyBatch)) as CopyResult[];
        results.forEach((result, i) => {
          const entry = batch[i]!.entry;
          progress.files++;
          progress.bytes += entry.size;
          if (result.status === 'skipped') summary.skipped++;
          if (result.status === 'missing') summary.missing.push(label(entry));
          if (result.status === 'refused') summary.refused.push(`${label(entry)}: ${result.error}`);
          if (result.status === 'failed') summary.failed.push(`${label(entry)}: ${result.error}`);
          if (result.status !== 'extracted') return;
          summary.extracted++;
          summary.bytes += result.bytes;
          if (result.warning) summary.warnings.push(`${label(entry)}: ${result.warning}`);
          if (backup.encrypted && result.bytes !== entry.size) {
            summary.warnings.push(
              `${label(entry)}: ${result.bytes} bytes decrypted, index says ${entry.size} (kept all ${result.bytes})`,
            );
          }
        });
        options.onProgress?.(progress);
      }),
    );
  } finally {
    await pool.destroy();
  }
  return summary;
}
