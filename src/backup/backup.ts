import {
  chmodSync,
  copyFileSync,
  createReadStream,
  existsSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { CorruptInputError, ExitCode, ReclaimError } from '../errors.js';
import { decryptFileSync, DecryptStream, unwrapEntryKey, type DecryptOutcome } from './crypto.js';
import { withPrivateTemp } from './private-temp.js';
import { isValidFileId } from './file-id.js';
import { deriveKek, unlockKeybag, type ClassKeys, type Keybag } from './keybag.js';
import { readManifestDb } from './manifest-db.js';
import { isEncrypted, keybagOf, manifestKeyOf, readManifestPlist } from './manifest-plist.js';
import { parseMbdb } from './mbdb.js';
import { readPlistDict, type PlistDict } from './plist.js';
import type { BackupEntry } from './types.js';

export type IndexFormat = 'manifest-db' | 'mbdb';

export interface Credentials {
  password?: string;
  /** The 32-byte key derived from the password (see `reclaim key`). */
  kek?: Buffer;
}

/** An entry's bytes as a stream, with what decryption found once the stream has ended. */
export interface EntryStream {
  stream: Readable;
  outcome: DecryptOutcome | null;
}

/** One backup folder, opened read-only: nothing is ever written inside it. */
export class Backup {
  private classKeys: ClassKeys | null = null;
  private index: { entries: BackupEntry[]; problems: string[] } | null = null;

  private constructor(
    readonly dir: string,
    readonly info: PlistDict | null,
    readonly manifest: PlistDict | null,
    readonly status: PlistDict | null,
    readonly format: IndexFormat,
    readonly encrypted: boolean,
    readonly keybag: Keybag | null,
  ) {}

  static open(path: string): Backup {
    const dir = resolve(path);
    if (!existsSync(dir)) throw new ReclaimError(`No such folder: ${dir}`, ExitCode.notFound);
    if (!statSync(dir).isDirectory())
      throw new ReclaimError(
        `Not a folder: ${dir} (give the backup folder, the one holding Manifest.db)`,
        ExitCode.badInput,
      );
    const format: IndexFormat | null = existsSync(join(dir, 'Manifest.db'))
      ? 'manifest-db'
      : existsSync(join(dir, 'Manifest.mbdb'))
        ? 'mbdb'
        : null;
    if (!format)
      throw new ReclaimError(
        `Not an iOS backup: ${dir} has neither Manifest.db nor Manifest.mbdb.`,
        ExitCode.notFound,
      );
    const optionalPlist = (name: string) =>
      existsSync(join(dir, name)) ? readPlistDict(join(dir, name), name) : null;
    const manifest = readManifestPlist(dir);
    const encrypted = isEncrypted(manifest);
    return new Backup(
      dir,
      optionalPlist('Info.plist'),
      manifest,
      optionalPlist('Status.plist'),
      format,
      encrypted,
      encrypted && manifest ? keybagOf(manifest) : null,
    );
  }

  get locked(): boolean {
    return this.encrypted && this.classKeys === null;
  }

  /** Derives the key-encryption key from a password (seconds of work on iOS 10.2+ backups). */
  async deriveKey(password: string): Promise<Buffer> {
    if (!this.keybag)
      throw new ReclaimError('This backup is not encrypted: it has no key.', ExitCode.badInput);
    return deriveKek(this.keybag, password);
  }

  /** Unlocks an encrypted backup; throws WrongPasswordError for a wrong password or key. */
  async unlock(credentials: Credentials): Promise<void> {
    if (!this.encrypted) return;
    if (!this.keybag) throw new CorruptInputError('Encrypted backup without a keybag.');
    const kek =
      credentials.kek ??
      (credentials.password !== undefined ? await this.deriveKey(credentials.password) : null);
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

  private loadIndex(): { entries: BackupEntry[]; problems: string[] } {
    if (this.index) return this.index;
    const path = join(this.dir, this.format === 'mbdb' ? 'Manifest.mbdb' : 'Manifest.db');
    const manifestKey = this.encrypted && this.manifest ? manifestKeyOf(this.manifest) : null;
    const key = manifestKey
      ? unwrapEntryKey(this.requireUnlocked('reading its index'), manifestKey)
      : null;
    try {
      if (this.format === 'mbdb') {
        this.index = { entries: parseMbdb(readFileSync(path)), problems: [] };
        return this.index;
      }
      // SQLite only ever sees a private copy: it can write nothing beside the backup.
      this.index = withPrivateTemp((temp) => {
        const copy = join(temp, 'Manifest.db');
        if (key) decryptFileSync(key, path, copy);
        else copyFileSync(path, copy);
        chmodSync(copy, 0o600);
        return readManifestDb(copy);
      });
      return this.index;
    } catch (error) {
      if (error instanceof ReclaimError) throw error;
      throw new ReclaimError(
        `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        ExitCode.failure,
      );
    }
  }

  entries(): BackupEntry[] {
    return this.loadIndex().entries;
  }

  /** Index rows that were refused or damaged. */
  indexProblems(): string[] {
    return this.loadIndex().problems;
  }

  /** Where an entry's data may be stored: the iOS 10+ layout, then the flat one (fileID validated). */
  dataLocations(entry: BackupEntry): string[] {
    if (!isValidFileId(entry.fileID)) return [];
    const nested = join(this.dir, entry.fileID.slice(0, 2), entry.fileID);
    const flat = join(this.dir, entry.fileID);
    return this.format === 'mbdb' ? [flat, nested] : [nested, flat];
  }

  /** Class keys of an unlocked backup (empty for plain backups). */
  unlockedClassKeys(): ClassKeys {
    return this.classKeys ?? new Map();
  }

  /** Where an entry's data lives on disk, or null when it is absent. */
  dataPath(entry: BackupEntry): string | null {
    for (const candidate of this.dataLocations(entry)) {
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        /* try the other layout */
      }
    }
    return null;
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

  /** Streams an entry's plain bytes; memory stays flat whatever the size. */
  openEntry(entry: BackupEntry): EntryStream {
    const path = this.dataPath(entry);
    if (!path)
      throw new ReclaimError(
        `${entry.domain}/${entry.relativePath} is indexed but its data is not in the backup.`,
        ExitCode.notFound,
      );
    const key = this.fileKey(entry);
    const raw = createReadStream(path, { highWaterMark: 1 << 20 });
    if (!key) {
      const stream = new PassThrough();
      raw.on('error', (e) => stream.destroy(e)).pipe(stream);
      return { stream, outcome: null };
    }
    const decrypt = new DecryptStream(key, { expectedSize: entry.size });
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
    return this.entries().find((e) => e.domain === domain && e.relativePath === relativePath);
  }
}
