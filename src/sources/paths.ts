import { isInside as isInsideReal } from '../backup/input-file.js';
import { physicalPath } from '../backup/output-guard.js';

/** True when `path` is `dir` or inside it, both compared as the paths the system follows (links resolved). */
export function isInside(dir: string, path: string): boolean {
  return isInsideReal(physicalPath(path), physicalPath(dir));
}
