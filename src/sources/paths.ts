import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { isInside as isInsideReal } from '../backup/input-file.js';
import { physicalPath } from '../backup/output-guard.js';

/** True when `path` is `dir` or inside it, both compared as the paths the system follows (links resolved). */
export function isInside(dir: string, path: string): boolean {
  return isInsideReal(physicalPath(path), physicalPath(dir));
}

/** The id the UI gives a source (the first 12 hex digits of the SHA-256 of its resolved path), for links into it. */
export function sourceId(dir: string): string {
  return createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 12);
}
