import { createHash } from 'node:crypto';

/** fileID = lowercase hex SHA-1 of `domain-relativePath`. */
export function fileIdOf(domain: string, relativePath: string): string {
  return createHash('sha1').update(`${domain}-${relativePath}`, 'utf8').digest('hex');
}

const FILE_ID = /^[0-9a-f]{40}$/;

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
