import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** fileID = lowercase hex SHA-1 of `domain-relativePath`. */
export function fileIdOf(domain: string, relativePath: string): string {
  return createHash('sha1').update(`${domain}-${relativePath}`, 'utf8').digest('hex');
}

const FILE_ID = /^[0-9a-f]{40}$/;

/** Where a (validated) fileID's data may be stored: iOS 10+ nests it under its first two digits, older backups do not. */
export function dataPathsOf(dir: string, fileID: string, nestedFirst: boolean): string[] {
  const nested = join(dir, fileID.slice(0, 2), fileID);
  const flat = join(dir, fileID);
  return nestedFirst ? [nested, flat] : [flat, nested];
}

/** A fileID comes from the backup (outside input): only 40 hex digits may name a file on disk. */
export function isValidFileId(fileID: string): boolean {
  return FILE_ID.test(fileID);
}

export function kindFromMode(mode: number): 'file' | 'directory' | 'symlink' | null {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o120000:
      return 'symlink';
    default:
      return null;
  }
}
