import {
  closeSync,
  chmodSync,
  createReadStream,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { CorruptInputError, ExitCode, ReclaimError } from '../errors.js';
import { holdYoungGeneration } from '../gc.js';
import { withPrivateTemp } from '../workspace/private-temp.js';
import {
  decryptedLength,
  decryptFileSync,
  DecryptStream,
  unwrapEntryKey,
  type DecryptOutcome,
} from './crypto.js';
import type { EntryTable } from './entry-table.js';
import { dataPathsOf, isValidFileId } from './file-id.js';
import { checkBackupFile, openBackupFile, readBackupFile, RefusedFileError } from './input-file.js';
import {
  checkDerivationRounds,
  deriveKek,
  unlockKeybag,
  type ClassKeys,
  type Keybag,
} from './keybag.js';
import { readManifestDb, type IndexReadResult } from './manifest-db.js';
import { isEncrypted, keybagOf, manifestKeyOf, readManifestPlist } from './manifest-plist.js';
import { readMbdb } from './mbdb.js';
import { readPlistDict, type PlistDict } from './plist.js';
import type { BackupEntry } from './types.js';

/** Far above any real index (a 500,000-file Manifest.mbdb is about 100 MB). */
const MAX_INDEX_BYTES = 4 * 2 ** 30;

export type IndexFormat = 'manifest-db' | 'mbdb';

export interface Credentials {
  password?: string;
  /** The 32-byte key derived from the password (see `reclaim key`). */
  kek?: Buffer;
  /** Derive the key even when the keybag asks for far more rounds than iOS ever writes. */
  force?: boolean;
}

/** Where an entry's data is: its real path, refused (with why), or absent (null). */
export type DataLocation = { path: string } | { refused: string } | null;

/** Copies an open file descriptor into a new private file, a few megabytes at a time. */
function copyFd(fd: number, dest: string): void {
  const out = openSync(dest, 'wx', 0o600);
  try {
    const chunk = Buffer.alloc(4 << 20);
    for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0;) writeSync(out, chunk, 0, n);
  } finally {
    closeSync(out);
  }
}

/** An entry's bytes as a stream, with what decryption found once the stream has ended. */
export interface EntryStream {
  stream: Readable;
  outcome: DecryptOutcome | null;
}

/** One backup folder, opened read-only: nothing is ever written inside it. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const MBDB_MAGIC = Buffer.from('mbdb', 'latin1');

/** Whether a file begins with `magic` (false when it cannot be read). */
function startsWith(path: string, magic: Buffer): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(magic.length);
    return readSync(fd, head, 0, magic.length, 0) === magic.length && head.equals(magic);
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Why a Manifest.db cannot be the index (empty, or neither SQLite nor encrypted), or null when it may be. */
function unusableManifestDb(path: string, size: number, manifest: PlistDict | null): string | null {
  if (size === 0) return 'is empty (0 bytes)';
  if (manifest && manifestKeyOf(manifest)) return null; // encrypted: no SQLite header to see
  return startsWith(path, SQLITE_MAGIC) ? null : 'is not a SQLite database';
}

export class Backup {
  private classKeys: ClassKeys | null = null;
  private index: IndexReadResult | null = null;
  /** The index as objects, while someone still holds them (see entries()). */
  private entryObjects: WeakRef<BackupEntry[]> | null = null;

  private constructor(
    readonly dir: string,
    /** The folder's real path (links resolved): what output paths and data-file links are checked against. */
    readonly realDir: string,
    readonly info: PlistDict | null,
    readonly manifest: PlistDict | null,
    readonly status: PlistDict | null,
    readonly format: IndexFormat,
    readonly encrypted: boolean,
    readonly keybag: Keybag | null,
    /** Damage that did not stop the backup from opening (a damaged Info.plist or Status.plist). */
    readonly warnings: string[],
  ) {}

  static open(path: string): Backup {
    const dir = resolve(path);
    let realDir: string;
    try {
      realDir = realpathSync.native(dir);
    } catch {
      throw new ReclaimError(`No such folder: ${dir}`, ExitCode.notFound);
    }
    if (!statSync(realDir).isDirectory())
      throw new ReclaimError(
        `Not a folder: ${dir} (give the backup folder, the one holding Manifest.db)`,
        ExitCode.badInput,
      );
    const present = (name: string) => statSync(join(dir, name), { throwIfNoEntry: false });
    const db = present('Manifest.db');
    const mbdb = present('Manifest.mbdb');
    let format: IndexFormat | null = db ? 'manifest-db' : mbdb ? 'mbdb' : null;
    if (!format)
      throw new ReclaimError(
        `Not an iOS backup: ${dir} has neither Manifest.db nor Manifest.mbdb.`,
        ExitCode.notFound,
      );
    const warnings: string[] = [];
    const manifest = readManifestPlist(dir, realDir);
    // Another tool may leave an empty or foreign Manifest.db beside the real Manifest.mbdb.
    if (db && mbdb) {
      const unusable = unusableManifestDb(join(dir, 'Manifest.db'), db.size, manifest);
      if (unusable && startsWith(join(dir, 'Manifest.mbdb'), MBDB_MAGIC)) {
        format = 'mbdb';
        warnings.push(`Manifest.db ${unusable}: the index was read from Manifest.mbdb instead.`);
      }
    }
    const indexName = format === 'mbdb' ? 'Manifest.mbdb' : 'Manifest.db';
    try {
      checkBackupFile(realDir, join(dir, indexName), indexName);
    } catch (error) {
      // A folder, pipe or outside link in its place; other errors (permissions) are said on reading it.
      if (error instanceof ReclaimError)
        throw new CorruptInputError(`${error.message} (a damaged backup, or not one).`);
    }
    // Info.plist and Status.plist only describe the backup: damage there is said, and the rest goes on.
    const optionalPlist = (name: string): PlistDict | null => {
      if (!present(name)) return null;
      try {
        return readPlistDict(join(dir, name), name, realDir);
      } catch (error) {
        if (!(error instanceof ReclaimError)) throw error;
        warnings.push(`${error.message.replace(/\.$/, '')}; going on without it.`);
        return null;
      }
    };
    const info = optionalPlist('Info.plist');
    const status = optionalPlist('Status.plist');
    const encrypted = isEncrypted(manifest);
    return new Backup(
      dir,
      realDir,
      info,
      manifest,
      status,
      format,
      encrypted,
      encrypted && manifest ? keybagOf(manifest) : null,
      warnings,
    );
  }

  get locked(): boolean {
    return this.encrypted && this.classKeys === null;
  }

  /** Derives the key-encryption key from a password (seconds of work on iOS 10.2+ backups). */
  async deriveKey(password: string, options: { force?: boolean } = {}): Promise<Buffer> {
    if (!this.keybag)
      throw new ReclaimError('This backup is not encrypted: it has no key.', ExitCode.badInput);
    checkDerivationRounds(this.keybag, options);
    return deriveKek(this.keybag, password);
  }

  /** Unlocks an encrypted backup; throws WrongPasswordError for a wrong password or key. */
  async unlock(credentials: Credentials): Promise<void> {
    if (!this.encrypted) return;
    if (!this.keybag) throw new CorruptInputError('Encrypted backup without a keybag.');
    const kek =
      credentials.kek ??
      (credentials.password !== undefined
        ? await this.deriveKey(credentials.password, { force: credentials.force })
        : null);
    if (!kek)
      throw new ReclaimError(
        'This backup is encrypted: give its password (--password-file, RECLAIM_PASSWORD, or the prompt) or --key-file.',
        ExitCode.usage,
      );
    this.classKeys = unlockKeybag(this.keybag, kek);
  }

  private requireUnlocked(what: string): ClassKeys {
    if (!this.classKeys)
      throw new ReclaimError(`This backup is encrypted: unlock it before ${what}.`, ExitCode.usage);
    return this.classKeys;
  }

  /** True when the index can be read now (plain backups, mbdb backups, or unlocked ones). */
  get indexReadable(): boolean {
    return (
      !this.locked || this.format === 'mbdb' || !this.manifest || !manifestKeyOf(this.manifest)
    );
  }

  private loadIndex(): IndexReadResult {
    if (this.index) return this.index;
    // The reading keeps columns of bytes, not objects: V8's young generation need not grow for it.
    const youngGeneration = holdYoungGeneration();
    try {
      return (this.index = this.readIndex());
    } finally {
      youngGeneration.release();
    }
  }

  private readIndex(): IndexReadResult {
    const name = this.format === 'mbdb' ? 'Manifest.mbdb' : 'Manifest.db';
    const path = join(this.dir, name);
    const manifestKey = this.encrypted && this.manifest ? manifestKeyOf(this.manifest) : null;
    const key = manifestKey
      ? unwrapEntryKey(this.requireUnlocked('reading its index'), manifestKey)
      : null;
    try {
      if (this.format === 'mbdb')
        return readMbdb(readBackupFile(this.realDir, path, name, MAX_INDEX_BYTES));
      // SQLite only ever sees a private copy: it can write nothing beside the backup.
      const file = openBackupFile(this.realDir, path, name);
      try {
        return withPrivateTemp((temp) => {
          const copy = join(temp, 'Manifest.db');
          if (key) decryptFileSync(key, file.fd, copy);
          else copyFd(file.fd, copy);
          chmodSync(copy, 0o600);
          return readManifestDb(copy);
        });
      } finally {
        closeSync(file.fd);
      }
    } catch (error) {
      if (error instanceof ReclaimError) throw error;
      throw new ReclaimError(
        `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        ExitCode.failure,
      );
    }
  }

  /** The index, compact: walk it with this where a backup may list hundreds of thousands of files. */
  entryTable(): EntryTable {
    return this.loadIndex().entries;
  }

  /** How many files (not folders or links) the index lists. */
  fileCount(): number {
    const table = this.entryTable();
    let files = 0;
    for (let row = 0; row < table.length; row++) if (table.kind(row) === 'file') files++;
    return files;
  }

  /**
   * The index as objects. They are made on demand and kept only while a caller holds them, so a
   * backup that is only extracted or counted never holds an object per file.
   */
  entries(): BackupEntry[] {
    let objects = this.entryObjects?.deref();
    if (!objects) {
      objects = this.entryTable().toArray();
      this.entryObjects = new WeakRef(objects);
    }
    return objects;
  }

  /** Index rows that were refused (unsafe fileIDs) or damaged, each said in one line. */
  indexProblems(): string[] {
    const { refused, damaged } = this.loadIndex();
    return [...refused, ...damaged];
  }

  /** Index rows refused: their fileID could name a file outside the backup (`../x`, NULL). */
  indexRefused(): string[] {
    return this.loadIndex().refused;
  }

  /** Damage in the index: records that could not be read, or where a damaged index stopped. */
  indexDamaged(): string[] {
    return this.loadIndex().damaged;
  }

  /** Where an entry's data may be stored: the iOS 10+ layout, then the flat one (fileID validated). */
  dataLocations(entry: BackupEntry): string[] {
    if (!isValidFileId(entry.fileID)) return [];
    return dataPathsOf(this.dir, entry.fileID, this.format !== 'mbdb');
  }

  /** Class keys of an unlocked backup (empty for plain backups). */
  unlockedClassKeys(): ClassKeys {
    return this.classKeys ?? new Map();
  }

  /**
   * Where an entry's data is: a regular file inside the backup folder, refused (a link leaving the
   * backup, a named pipe, a folder), or null when the backup does not hold it.
   */
  dataLocation(entry: BackupEntry): DataLocation {
    for (const candidate of this.dataLocations(entry)) {
      try {
        return { path: checkBackupFile(this.realDir, candidate, 'its data file') };
      } catch (error) {
        if (error instanceof RefusedFileError) return { refused: error.message };
        /* absent here: try the other layout */
      }
    }
    return null;
  }

  /** Where an entry's data lives on disk, or null when it is absent or refused. */
  dataPath(entry: BackupEntry): string | null {
    const location = this.dataLocation(entry);
    return location && 'path' in location ? location.path : null;
  }

  /** The file key of an encrypted entry, or null for plain backups. */
  fileKey(entry: BackupEntry): Buffer | null {
    if (!this.encrypted) return null;
    const classKeys = this.requireUnlocked('reading its files');
    if (!entry.wrappedKey)
      throw new CorruptInputError(
        `${entry.domain}/${entry.relativePath} has no file key in an encrypted backup.`,
      );
    return unwrapEntryKey(classKeys, entry.wrappedKey);
  }

  /**
   * How many bytes an entry's data gives (decrypted where encrypted), without reading it all; null when
   * its data is absent, refused or damaged (cut, bad padding).
   */
  dataLength(entry: BackupEntry): number | null {
    if (entry.kind !== 'file') return null;
    const location = this.dataLocation(entry);
    if (!location || 'refused' in location) return null;
    const key = this.fileKey(entry);
    let file: ReturnType<typeof openBackupFile>;
    try {
      file = openBackupFile(this.realDir, location.path, `${entry.domain}/${entry.relativePath}`);
    } catch {
      return null;
    }
    try {
      const size = fstatSync(file.fd).size;
      return key ? decryptedLength(key, file.fd, size, entry.size) : size;
    } finally {
      closeSync(file.fd);
    }
  }

  /**
   * Streams an entry's plain bytes; memory stays flat whatever the size. Encrypted data that is cut
   * (not whole AES blocks) or whose padding is bad makes the stream fail: it is never passed on as content.
   */
  openEntry(entry: BackupEntry): EntryStream {
    const label = `${entry.domain}/${entry.relativePath}`;
    const location = this.dataLocation(entry);
    if (!location)
      throw new ReclaimError(
        `${label} is indexed but its data is not in the backup.`,
        ExitCode.notFound,
      );
    if ('refused' in location) throw new RefusedFileError(`${label}: ${location.refused}`);
    const key = this.fileKey(entry);
    const file = openBackupFile(this.realDir, location.path, `${label} data file`);
    const raw = createReadStream('', { fd: file.fd, highWaterMark: 1 << 20 });
    if (!key) {
      const stream = new PassThrough();
      raw.on('error', (e) => stream.destroy(e)).pipe(stream);
      return { stream, outcome: null };
    }
    const decrypt = new DecryptStream(key, { expectedSize: entry.size, strict: label });
    raw.on('error', (e) => decrypt.destroy(e)).pipe(decrypt);
    return { stream: decrypt, outcome: decrypt.outcome };
  }

  async readEntry(entry: BackupEntry): Promise<Buffer> {
    const { stream } = this.openEntry(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  find(domain: string, relativePath: string): BackupEntry | undefined {
    const table = this.entryTable();
    const row = table.indexOf(domain, relativePath);
    return row < 0 ? undefined : table.at(row);
  }
}
