import { constants, createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, utimes } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { partialPathFor } from '../backup/safe-path.js';
import { pipeline } from 'node:stream/promises';
import picomatch from 'picomatch';
import type { Backup } from '../backup/backup.js';
import type { BackupEntry } from '../backup/types.js';
import { ExitCode, ReclaimError } from '../errors.js';
import type { FileRef, SourceFile, SourceFiles } from '../sources/files.js';
import { ArtifactDatabase, type ArtifactDatabaseOptions } from './database.js';
import type { PrivateWorkspace } from './workspace.js';

/**
 * What artifact modules read from: the files of a backup (or, in tests, loose files standing in for
 * them), by domain and path. Every read goes through private copies; the backup is never touched.
 * It is also the backup's byte access for exporters (SourceFiles): a FileRef is looked up by domain and path.
 */
export interface ArtifactSource extends SourceFiles {
  readonly workspace: PrivateWorkspace;
  find(domain: string, relativePath: string): BackupEntry | undefined;
  /** Files of a domain whose relativePath matches a glob (case-insensitively when asked). */
  list(domain: string, glob: string, options?: { nocase?: boolean }): BackupEntry[];
  /** Files inside a declared location (its glob, its case rule). */
  listAt(where: { domain: string; path: string; nocase?: boolean }): BackupEntry[];
  /** True when the entry's data is actually stored (backups often index files they do not hold). */
  has(entry: BackupEntry | FileRef): boolean;
  read(entry: BackupEntry | FileRef): Promise<Buffer>;
  /** Writes the entry's plain bytes to dest atomically (temp file, then rename), with mtime when given. */
  copyTo(entry: BackupEntry | FileRef, dest: string, options?: { mtime?: Date }): Promise<void>;
  /**
   * A private read-only copy of a database with its -wal and -journal, deleted records carved first.
   * Null when the backup does not hold it; throws when it is there but unreadable.
   */
  openDatabase(
    domain: string,
    relativePath: string,
    options?: ArtifactDatabaseOptions,
  ): Promise<ArtifactDatabase | null>;
}

abstract class BaseSource implements ArtifactSource {
  private byKey: Map<string, BackupEntry> | null = null;

  constructor(readonly workspace: PrivateWorkspace) {}

  protected abstract allEntries(): BackupEntry[];
  protected abstract stored(entry: BackupEntry): boolean;
  protected abstract readEntry(entry: BackupEntry): Promise<Buffer>;
  protected abstract openEntry(entry: BackupEntry): Readable;
  protected abstract writeTo(entry: BackupEntry, path: string): Promise<void>;

  /** The index entry a FileRef names (entries themselves pass through). */
  protected entryOf(file: BackupEntry | FileRef): BackupEntry {
    if ('fileID' in file) return file;
    const entry = this.find(file.domain, file.relativePath);
    if (!entry)
      throw new ReclaimError(
        `${file.domain}/${file.relativePath} is not a file of this backup.`,
        ExitCode.notFound,
      );
    return entry;
  }

  has(file: BackupEntry | FileRef): boolean {
    const entry = 'fileID' in file ? file : this.find(file.domain, file.relativePath);
    return entry !== undefined && this.stored(entry);
  }

  read(file: BackupEntry | FileRef): Promise<Buffer> {
    return this.readEntry(this.entryOf(file));
  }

  async open(file: FileRef): Promise<Readable> {
    return this.openEntry(this.entryOf(file));
  }

  private asFile(e: BackupEntry): SourceFile {
    return {
      domain: e.domain,
      relativePath: e.relativePath,
      size: e.size,
      modified: e.modified ? new Date(e.modified * 1000) : null,
      present: this.stored(e),
    };
  }

  listFiles(): SourceFile[] {
    return this.allEntries()
      .filter((e) => e.kind === 'file')
      .map((e) => this.asFile(e));
  }

  stat(file: FileRef): SourceFile | undefined {
    const entry = this.find(file.domain, file.relativePath);
    return entry ? this.asFile(entry) : undefined;
  }

  find(domain: string, relativePath: string): BackupEntry | undefined {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const e of this.allEntries())
        if (e.kind === 'file') this.byKey.set(`${e.domain}\0${e.relativePath}`, e);
    }
    return this.byKey.get(`${domain}\0${relativePath}`);
  }

  list(domain: string, glob: string, options: { nocase?: boolean } = {}): BackupEntry[] {
    const match = picomatch(glob, { dot: true, nocase: options.nocase === true });
    return this.allEntries().filter(
      (e) => e.kind === 'file' && e.domain === domain && match(e.relativePath),
    );
  }

  listAt(where: { domain: string; path: string; nocase?: boolean }): BackupEntry[] {
    return this.list(where.domain, where.path, { nocase: where.nocase });
  }

  async copyTo(
    file: BackupEntry | FileRef,
    dest: string,
    options: { mtime?: Date } = {},
  ): Promise<void> {
    const entry = this.entryOf(file);
    const folder = dirname(dest);
    await mkdir(folder, { recursive: true });
    const partial = partialPathFor(dest);
    try {
      await this.writeTo(entry, partial);
      if (options.mtime && !Number.isNaN(options.mtime.getTime()))
        await utimes(partial, options.mtime, options.mtime);
      await rename(partial, dest);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async openDatabase(
    domain: string,
    relativePath: string,
    options: ArtifactDatabaseOptions = {},
  ): Promise<ArtifactDatabase | null> {
    const main = this.find(domain, relativePath);
    if (!main || !this.stored(main)) return null;
    const folder = this.workspace.folder();
    const name = basename(relativePath);
    const copy = async (
      entry: BackupEntry | undefined,
      suffix: string,
    ): Promise<string | undefined> => {
      if (!entry || !this.stored(entry)) return undefined;
      const path = join(folder, name + suffix);
      await this.writeTo(entry, path);
      return path;
    };
    const files = {
      main: (await copy(main, ''))!,
      wal: await copy(this.find(domain, `${relativePath}-wal`), '-wal'),
      journal: await copy(this.find(domain, `${relativePath}-journal`), '-journal'),
      label: `${domain}/${relativePath}`,
    };
    return new ArtifactDatabase(files, options);
  }
}

/** Reads a backup (unlocked when encrypted). */
export class BackupSource extends BaseSource {
  constructor(
    readonly backup: Backup,
    workspace: PrivateWorkspace,
  ) {
    super(workspace);
  }

  protected allEntries(): BackupEntry[] {
    return this.backup.entries();
  }

  // Looked up in the backup's compact index: no object per file is kept for the session.
  override find(domain: string, relativePath: string): BackupEntry | undefined {
    const entry = this.backup.find(domain, relativePath);
    return entry?.kind === 'file' ? entry : undefined;
  }

  override list(domain: string, glob: string, options: { nocase?: boolean } = {}): BackupEntry[] {
    const match = picomatch(glob, { dot: true, nocase: options.nocase === true });
    const table = this.backup.entryTable();
    const found: BackupEntry[] = [];
    for (let row = 0; row < table.length; row++)
      if (
        table.domain(row) === domain &&
        table.kind(row) === 'file' &&
        match(table.relativePath(row))
      )
        found.push(table.at(row));
    return found;
  }

  protected stored(entry: BackupEntry): boolean {
    // A refused data file (a link out of the backup, a pipe) is there: reading it says why it is refused.
    return this.backup.dataLocation(entry) !== null;
  }

  protected readEntry(entry: BackupEntry): Promise<Buffer> {
    return this.backup.readEntry(entry);
  }

  protected openEntry(entry: BackupEntry): Readable {
    return this.backup.openEntry(entry).stream;
  }

  protected async writeTo(entry: BackupEntry, path: string): Promise<void> {
    const stored = this.backup.dataPath(entry);
    if (stored && !this.backup.encrypted) {
      await copyFile(stored, path, constants.COPYFILE_EXCL);
      return;
    }
    const { stream } = this.backup.openEntry(entry);
    await pipeline(stream, createWriteStream(path, { mode: 0o600, flags: 'wx' }));
  }
}

/** A loose file standing in for a backup file (tests, and databases copied off a device). */
export interface LooseFile {
  domain: string;
  relativePath: string;
  path: string;
}

export class LooseFilesSource extends BaseSource {
  private readonly entries: BackupEntry[];
  private readonly paths = new Map<BackupEntry, string>();

  constructor(files: LooseFile[], workspace: PrivateWorkspace) {
    super(workspace);
    this.entries = files.map((f) => {
      const stat = statSync(f.path, { throwIfNoEntry: false });
      const entry: BackupEntry = {
        domain: f.domain,
        relativePath: f.relativePath,
        fileID: '',
        kind: 'file',
        size: stat?.size ?? 0,
        mode: 0o100644,
        modified: Math.floor((stat?.mtimeMs ?? 0) / 1000),
        created: 0,
        statusChanged: 0,
        protectionClass: 0,
        wrappedKey: null,
        target: null,
      };
      this.paths.set(entry, f.path);
      return entry;
    });
  }

  protected allEntries(): BackupEntry[] {
    return this.entries;
  }

  protected stored(entry: BackupEntry): boolean {
    const path = this.paths.get(entry);
    return path !== undefined && statSync(path, { throwIfNoEntry: false })?.isFile() === true;
  }

  protected async readEntry(entry: BackupEntry): Promise<Buffer> {
    return readFileSync(this.paths.get(entry)!);
  }

  protected openEntry(entry: BackupEntry): Readable {
    const stream = new PassThrough();
    createReadStream(this.paths.get(entry)!)
      .on('error', (e) => stream.destroy(e))
      .pipe(stream);
    return stream;
  }

  protected async writeTo(entry: BackupEntry, path: string): Promise<void> {
    await copyFile(this.paths.get(entry)!, path);
  }
}
