import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { CorruptInputError, ExitCode, ReclaimError } from '../errors.js';

/** True when `path` is `root` or inside it (both real paths). */
export function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** A file of a backup folder that is not read: a link leaving the backup, or not a regular file. */
export class RefusedFileError extends ReclaimError {
  constructor(message: string) {
    super(message, ExitCode.badInput);
    this.name = 'RefusedFileError';
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Checks a file of the backup folder before anything opens it, and returns its real path: links are
 * followed only while they stay inside the backup (`root`, a real path), and only regular files pass (a
 * named pipe would block its reader forever). Throws RefusedFileError, or the ENOENT error when absent.
 */
export function checkBackupFile(root: string, path: string, what: string): string {
  let stats = lstatSync(path);
  let real: string;
  if (stats.isSymbolicLink()) {
    real = realpathSync.native(path);
    stats = statSync(real);
  } else {
    // The common case, a plain file: only its folder (the same for many files) needs resolving.
    const folder = dirname(path);
    let realFolder = realFolders.get(folder);
    if (realFolder === undefined) {
      realFolder = realpathSync.native(folder);
      if (realFolders.size > 10_000) realFolders.clear();
      realFolders.set(folder, realFolder);
    }
    real = join(realFolder, basename(path));
  }
  if (!isInside(real, root))
    throw new RefusedFileError(`${what} is a link to ${real}, outside the backup folder: refused`);
  if (!stats.isFile())
    throw new RefusedFileError(`${what} is ${kindOf(stats)}, not a regular file: refused`);
  return real;
}

/** Real paths of the folders data files were found in (the 256 fileID folders, mostly). */
const realFolders = new Map<string, string>();

// A pipe swapped in after the check opens without blocking, and is then refused by fstat.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export interface OpenedFile {
  fd: number;
  size: number;
  /** The real path. */
  path: string;
}

/** Opens a checked file of the backup folder for reading (see checkBackupFile). */
export function openBackupFile(root: string, path: string, what: string): OpenedFile {
  const real = checkBackupFile(root, path, what);
  const fd = openSync(real, READ_FLAGS);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile())
      throw new RefusedFileError(`${what} is ${kindOf(stats)}, not a regular file: refused`);
    return { fd, size: stats.size, path: real };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Reads a whole checked file of the backup folder, refusing one larger than `maxBytes`. */
export function readBackupFile(root: string, path: string, what: string, maxBytes: number): Buffer {
  const file = openBackupFile(root, path, what);
  try {
    if (file.size > maxBytes)
      throw new CorruptInputError(
        `${what} is ${file.size} bytes, more than the ${maxBytes} a real one comes near: refused.`,
      );
    return readFileSync(file.fd);
  } finally {
    closeSync(file.fd);
  }
}
