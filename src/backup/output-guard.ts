import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, parse, sep } from 'node:path';
import { ExitCode, ReclaimError } from '../errors.js';
import { isInside } from './input-file.js';

const SEPARATORS = sep === '\\' ? /[\\/]+/ : /\/+/;

/**
 * The path the operating system reaches for `path`: every existing part resolved through its links, `..`
 * applied to the real parent (as the kernel does, not as text), the parts that do not exist yet appended.
 */
export function physicalPath(path: string): string {
  const absolute = isAbsolute(path) ? path : `${process.cwd()}${sep}${path}`;
  const root = parse(absolute).root;
  let current = root;
  let missing = false;
  for (const part of absolute.slice(root.length).split(SEPARATORS)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, part);
    if (!missing) {
      try {
        current = realpathSync.native(next);
        continue;
      } catch {
        missing = true;
      }
    }
    current = next;
  }
  return current;
}

/** A write that would land inside a protected folder (the backup), through a link or plainly. */
export class ProtectedFolderError extends ReclaimError {
  constructor(message: string) {
    super(message, ExitCode.usage);
    this.name = 'ProtectedFolderError';
  }
}

/**
 * Keeps writes out of the backup: a folder is created only when the path the system would follow
 * (links resolved) stays outside every protected folder, and it is checked again once it exists.
 */
export class OutputGuard {
  /** Folders made (or found) and checked: a folder inside one can only be created where it says. */
  private readonly made = new Set<string>();

  constructor(
    private readonly protectedDirs: string[],
    private readonly what = 'backup',
  ) {}

  check(path: string, real = physicalPath(path)): void {
    for (const dir of this.protectedDirs) {
      if (isInside(real, dir))
        throw new ProtectedFolderError(
          `Refusing to write inside the ${this.what} folder (${dir}): ${path} leads there${real === path ? '' : ' through a link'}. Choose an output folder elsewhere.`,
        );
    }
  }

  /** Creates a folder and its parents, refusing any that would land in a protected folder. */
  mkdir(folder: string): void {
    if (this.made.has(folder)) return;
    // Under a checked folder, mkdir can only add this one folder there (or find a link: checked below).
    if (!this.made.has(dirname(folder))) this.check(folder);
    mkdirSync(folder, { recursive: true });
    this.check(folder, realpathSync.native(folder));
    this.made.add(folder);
  }
}
