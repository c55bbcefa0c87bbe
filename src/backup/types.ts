export type EntryKind = 'file' | 'directory' | 'symlink';

/** One row of a backup's index (Manifest.db or Manifest.mbdb). */
export interface BackupEntry {
  domain: string;
  relativePath: string;
  /** SHA-1 of `domain-relativePath`; always 40 lowercase hex digits (validated when read). */
  fileID: string;
  kind: EntryKind;
  size: number;
  mode: number;
  /** Unix seconds. */
  modified: number;
  created: number;
  statusChanged: number;
  protectionClass: number;
  /** 4-byte little-endian class + RFC 3394 wrapped key, when the backup is encrypted. */
  wrappedKey: Buffer | null;
  target: string | null;
}

/** A file for the backup writer to store. */
export interface BackupFileInput {
  domain: string;
  relativePath: string;
  /** Contents for a file; omitted for directories and symlinks. */
  data?: Buffer;
  kind?: EntryKind;
  /** Symlink target. */
  target?: string;
  /** Modification time (defaults to the writer's clock). */
  modified?: Date;
  created?: Date;
  mode?: number;
  /** Data protection class (default 3 for files, as iOS does for most app data). */
  protectionClass?: number;
}
