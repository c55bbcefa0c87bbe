import { createReadStream, createWriteStream, mkdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { decryptBuffer, DecryptStream } from './crypto.js';

/** Files up to this size are read whole: streams cost more than they save on small files. */
const WHOLE_FILE_LIMIT = 4 << 20;

export interface CopyJob {
  source: string;
  dest: string;
  key: Uint8Array | null;
  expectedSize: number;
  /** Unix seconds. */
  modified: number;
}

export interface CopyResult {
  dest: string;
  bytes: number;
  error: string | null;
  truncated: boolean;
}

/** Copies (and decrypts) one file atomically: a temporary name beside it, then a rename. */
async function copyOne(job: CopyJob): Promise<CopyResult> {
  const temp = join(dirname(job.dest), `.${basename(job.dest)}.reclaim-part`);
  try {
    mkdirSync(dirname(job.dest), { recursive: true });
    const time = new Date(job.modified * 1000);
    if (job.expectedSize <= WHOLE_FILE_LIMIT) {
      const data = readFileSync(job.source);
      if (data.length <= WHOLE_FILE_LIMIT + 16) {
        const plain = job.key ? decryptBuffer(Buffer.from(job.key), data, { expectedSize: job.expectedSize }) : { data, truncated: false };
        writeFileSync(temp, plain.data);
        utimesSync(temp, time, time);
        renameSync(temp, job.dest);
        return { dest: job.dest, bytes: plain.data.length, error: null, truncated: plain.truncated };
      }
    }
    const out = createWriteStream(temp);
    const source = createReadStream(job.source, { highWaterMark: 1 << 20 });
    let truncated = false;
    if (job.key) {
      const decrypt = new DecryptStream(Buffer.from(job.key), { expectedSize: job.expectedSize });
      await pipeline(source, decrypt, out);
      truncated = decrypt.outcome.truncated;
    } else {
      await pipeline(source, out);
    }
    const bytes = out.bytesWritten;
    utimesSync(temp, time, time);
    renameSync(temp, job.dest);
    return { dest: job.dest, bytes, error: null, truncated };
  } catch (error) {
    rmSync(temp, { force: true });
    return { dest: job.dest, bytes: 0, error: (error as Error).message, truncated: false };
  }
}

export default async function copyBatch(jobs: CopyJob[]): Promise<CopyResult[]> {
  const results: CopyResult[] = [];
  for (const job of jobs) results.push(await copyOne(job));
  return results;
}
