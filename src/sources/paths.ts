import { existsSync, realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/** A path with symlinks resolved as far as it exists (the rest appended as given). */
export function realPath(path: string): string {
  let current = resolve(path);
  const rest: string[] = [];
  while (!existsSync(current)) {
    const parent = resolve(current, '..');
    if (parent === current) break;
    rest.unshift(current.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
    current = parent;
  }
  try {
    current = realpathSync(current);
  } catch {
    /* keep as is */
  }
  return resolve(current, ...rest);
}

/** True when `path` is `dir` or inside it, symlinks resolved. */
export function isInside(dir: string, path: string): boolean {
  const target = realPath(path);
  const root = realPath(dir);
  return target === root || target.startsWith(root + sep);
}
