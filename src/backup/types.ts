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
  /** Index fields Reclaim does not use itself, kept so that a rewritten index (decrypt) keeps them. */
  extras?: IndexExtras;
}

/** The rest of an index row: Manifest.mbdb's inode, owner, access time and properties; Manifest.db's flags. */
export interface IndexExtras {
  inode?: number;
  uid?: number;
  gid?: number;
  /** Manifest.mbdb: last access, Unix seconds. */
  accessed?: number;
  /** Manifest.mbdb: extended properties, name and value. */
  properties?: Array<[Buffer | null, Buffer | null]>;
  /** Manifest.db: the Files.flags column as stored (some tools write 0 for files). */
  rowFlags?: number;
  /** Manifest.db: MBFile's Flags. */
  flags?: number;
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
  /** Status change time (defaults to the modification time). */
  statusChanged?: Date;
  /** Index fields to keep as they were (a decrypted copy). */
  extras?: IndexExtras;
  mode?: number;
  /** Data protection class (default 3 for files, as iOS does for most app data). */
  protectionClass?: number;
}
