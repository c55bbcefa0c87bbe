import type { Readable } from 'node:stream';
import type { PrivateWorkspace } from '../artifacts/workspace.js';

/**
 * A file an item points to: in a backup, its domain and path; in an iCloud export, the archive (or folder) that
 * holds it and its path inside.
 */
export interface FileRef {
  domain: string;
  relativePath: string;
}

export interface SourceFile extends FileRef {
  size: number;
  modified: Date | null;
  /** The bytes are there (backups index files they do not hold). */
  present: boolean;
}

/** Byte access for exporters and the UI; nothing is ever written beside or inside the source. */
export interface SourceFiles {
  /** Private 0700 temporary space, removed with the source. */
  readonly workspace: PrivateWorkspace;
  /** Every file of the source (a backup's index; an export's archive entries). */
  listFiles(): SourceFile[];
  stat(file: FileRef): SourceFile | undefined;
  /** The plain bytes as a stream; memory stays flat whatever the size. */
  open(file: FileRef): Promise<Readable>;
  read(file: FileRef): Promise<Buffer>;
  /** Writes the plain bytes to dest atomically (temp file, then rename), with mtime when given. */
  copyTo(file: FileRef, dest: string, options?: { mtime?: Date }): Promise<void>;
}
