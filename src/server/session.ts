import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ArtifactData, ArtifactId } from '../artifacts/artifact.js';
import { nameIndexFrom } from '../artifacts/contacts/index.js';
import { summarizeMissing, type MissingSummary } from '../artifacts/missing.js';
import type { NameIndex } from '../artifacts/names.js';
import { ARTIFACT_IDS, artifactById } from '../artifacts/registry.js';
import { Backup } from '../backup/backup.js';
import { defaultBackupRoots, findBackups, isBackupFolder } from '../backup/discover.js';
import { demoBackupPath } from '../demo/location.js';
import { ExitCode, ReclaimError } from '../errors.js';
import { IcloudExportSource } from '../icloud/source.js';
import { BackupDataSource } from '../sources/backup-source.js';
import type { DataSource, FileRef, SourceKind } from '../sources/data-source.js';
import { findIcloudExports, findSources } from '../sources/open.js';
import { isInside } from '../sources/paths.js';
import { summarizeBackup, summarizeExport, type SourceSummary } from '../sources/summary.js';
import type { BackupInfo } from './api-types.js';
import { collectGarbageIfGrown } from './memory.js';

export interface ArtifactCount {
  id: ArtifactId;
  title: string;
  items: number;
  recovered: number;
  /** Items the device itself still keeps as deleted (Recently Deleted photos, notes, voice memos, voicemail...). */
  deleted: number;
  /** For conversations: messages in all, and recovered ones among them. */
  messages?: number;
  recoveredMessages?: number;
  problems: ArtifactData<unknown>['problems'];
  notInBackup: string[];
  /** What the backup lists for this data type without its data, grouped by why. */
  missing: MissingSummary;
}

const DELETED_FLAGS = [
  'trashed',
  'recentlyDeleted',
  'inRecentlyDeleted',
  'markedForDeletion',
  'deleted',
];
const isDeleted = (item: unknown): boolean =>
  typeof item === 'object' &&
  item !== null &&
  DELETED_FLAGS.some((k) => (item as Record<string, unknown>)[k] === true);

const isRecovered = (item: unknown): boolean =>
  typeof item === 'object' && item !== null && Boolean((item as { recovered?: unknown }).recovered);

export function countItems(
  id: ArtifactId,
  title: string,
  data: ArtifactData<unknown>,
): ArtifactCount {
  const count: ArtifactCount = {
    id,
    title,
    items: data.items.length,
    recovered: data.items.filter(isRecovered).length,
    deleted: data.items.filter(isDeleted).length,
    problems: data.problems,
    notInBackup: data.notInBackup,
    missing: summarizeMissing(data),
  };
  if (
    data.items.some(
      (i) =>
        typeof i === 'object' &&
        i !== null &&
        Array.isArray((i as { messages?: unknown }).messages),
    )
  ) {
    let messages = 0;
    let recoveredMessages = 0;
    for (const item of data.items) {
      const list = (item as { messages?: unknown[] }).messages;
      if (!Array.isArray(list)) continue;
      messages += list.length;
      recoveredMessages += list.filter(isRecovered).length;
    }
    count.messages = messages;
    count.recoveredMessages = recoveredMessages;
  }
  return count;
}

/** One backup or iCloud export the UI knows of; opened lazily (a backup unlocked once), its data read once and kept. */
export class BackupHandle {
  readonly kind: SourceKind;
  private opened: Backup | null = null;
  private sourceValue: DataSource | null = null;
  private opening: Promise<DataSource> | null = null;
  private readonly cache = new Map<ArtifactId, Promise<ArtifactData<unknown>>>();
  private readonly copies = new Map<string, Promise<string>>();
  private readonly derived = new Map<string, unknown>();
  private described: { locked: boolean; summary: SourceSummary } | null = null;

  constructor(
    readonly id: string,
    readonly dir: string,
    readonly demo: boolean,
    kind?: SourceKind,
  ) {
    this.kind = kind ?? (isBackupFolder(dir) ? 'backup' : 'icloud-export');
  }

  /** Takes over a source opened (and perhaps unlocked) elsewhere, e.g. by `reclaim start`. */
  adopt(source: DataSource): void {
    this.sourceValue = source;
    if (source instanceof BackupDataSource) this.opened = source.backup;
  }

  /** The backup itself (for unlocking and password recovery); an iCloud export has none. */
  get backup(): Backup {
    if (this.kind !== 'backup')
      throw new ReclaimError(
        'This is an iCloud data export, not a backup: it has no password and no backup files.',
        ExitCode.usage,
      );
    if (!this.opened) this.opened = Backup.open(this.dir);
    return this.opened;
  }

  get locked(): boolean {
    return this.kind === 'backup' && this.backup.locked;
  }

  summary(): BackupInfo {
    const locked = this.locked;
    if (this.kind !== 'backup') {
      const files = this.sourceValue?.files.listFiles().length ?? null;
      return {
        ...summarizeExport(this.dir, files),
        id: this.id,
        demo: this.demo,
        locked,
        files,
      };
    }
    // Described once per lock state: it walks the folder (tens of thousands of files in a real backup),
    // and the backup does not change while it is open.
    if (this.described?.locked !== locked)
      this.described = { locked, summary: summarizeBackup(this.backup) };
    return {
      ...this.described.summary,
      id: this.id,
      demo: this.demo,
      locked,
      // Files only (the index also lists folders): the number the Files page shows.
      files: locked ? null : this.backup.fileCount(),
    };
  }

  /** Refuses (with why) while a backup is locked: checked before long work starts. */
  checkReadable(): void {
    if (this.locked)
      throw new ReclaimError('This backup is encrypted: unlock it first.', ExitCode.usage);
  }

  /** The data source (an export is opened on first use). */
  async source(): Promise<DataSource> {
    this.checkReadable();
    if (this.sourceValue) return this.sourceValue;
    this.opening ??= (async () => {
      if (this.kind === 'backup') return new BackupDataSource(this.backup);
      const exported = await IcloudExportSource.open(this.dir);
      if (!exported)
        throw new ReclaimError(`No iCloud data export at ${this.dir}.`, ExitCode.notFound);
      return exported;
    })();
    try {
      this.sourceValue = await this.opening;
    } finally {
      this.opening = null;
    }
    return this.sourceValue;
  }

  /** An artifact's data, read once per session (deleted records recovered). */
  read(id: ArtifactId): Promise<ArtifactData<unknown>> {
    if (!ARTIFACT_IDS.includes(id))
      return Promise.reject(new ReclaimError(`Unknown category ${id}.`, ExitCode.notFound));
    let pending = this.cache.get(id);
    if (!pending) {
      this.checkReadable();
      pending = this.source().then((source) => source.readArtifact(id, { recoverDeleted: true }));
      this.cache.set(id, pending);
    }
    return pending;
  }

  /** A plain private copy of a file (for media the browser seeks in), made once per session. */
  plainCopy(file: FileRef): Promise<string> {
    const key = `${file.domain}\0${file.relativePath}`;
    let pending = this.copies.get(key);
    if (!pending) {
      pending = this.source().then(async ({ files }) => {
        const dest = join(files.workspace.folder(), basename(file.relativePath) || 'file');
        await files.copyTo(file, dest);
        return dest;
      });
      pending.catch(() => this.copies.delete(key));
      this.copies.set(key, pending);
    }
    return pending;
  }

  /**
   * Where a file's bytes lie as they are (a plain backup's data file), for a reader that opens the path itself,
   * read-only; null for an encrypted backup, an export, or a file whose data is absent or refused.
   */
  async plainPath(file: FileRef): Promise<string | null> {
    const source = await this.source();
    if (!(source instanceof BackupDataSource) || source.backup.encrypted) return null;
    const entry = source.files.find(file.domain, file.relativePath);
    return entry ? source.backup.dataPath(entry) : null;
  }

  /** Something worked out once from this backup's data (an index, a cache), kept for the session. */
  memo<T>(key: string, make: () => T): T {
    if (!this.derived.has(key)) this.derived.set(key, make());
    return this.derived.get(key) as T;
  }

  names(): Promise<NameIndex> {
    return this.memo('names', async () => nameIndexFrom(await this.read('contacts')));
  }

  async counts(
    onEach?: (done: number, total: number, title: string) => void,
  ): Promise<ArtifactCount[]> {
    const counts: ArtifactCount[] = [];
    for (const [i, id] of ARTIFACT_IDS.entries()) {
      const title = artifactById(id).title;
      onEach?.(i, ARTIFACT_IDS.length, title);
      // What the last read left behind (a library's rows, sms.db's indexes) goes before the next read.
      collectGarbageIfGrown(48);
      counts.push(countItems(id, title, await this.read(id)));
    }
    onEach?.(ARTIFACT_IDS.length, ARTIFACT_IDS.length, '');
    return counts;
  }

  /** True when `path` is this source's folder or inside it (symlinks resolved as far as they exist). */
  contains(path: string): boolean {
    return isInside(this.dir, path);
  }

  dispose(): void {
    this.sourceValue?.dispose();
    this.sourceValue = null;
    this.cache.clear();
    this.copies.clear();
    this.derived.clear();
  }
}

export const backupId = (dir: string): string =>
  createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 12);

/** The backups of this UI session: found on this computer, the bundled demo, and folders the user opened. */
export class UiSession {
  private readonly handles = new Map<string, BackupHandle>();
  /** The backups named on the command line (`reclaim ui PATH`): the page opens the first one. */
  readonly initial: string[] = [];

  constructor(
    private readonly options: {
      roots?: string[];
      initialPath?: string;
      includeDemo?: boolean;
      opened?: DataSource;
    } = {},
  ) {
    if (options.opened) {
      const handle = this.add(
        options.opened.path,
        options.opened.path === resolve(demoBackupPath()),
        options.opened.kind,
      );
      handle.adopt(options.opened);
      this.initial.push(handle.id);
    } else if (options.initialPath)
      this.initial.push(...this.open(options.initialPath).map((h) => h.id));
  }

  private add(dir: string, demo = false, kind?: SourceKind): BackupHandle {
    const id = backupId(dir);
    let handle = this.handles.get(id);
    if (!handle) {
      handle = new BackupHandle(id, resolve(dir), demo, kind);
      this.handles.set(id, handle);
    }
    return handle;
  }

  /** Where backups are looked for. */
  roots(): string[] {
    return this.options.roots ?? defaultBackupRoots();
  }

  /** Looks again in the usual places; returns everything known. */
  discover(): { roots: string[]; backups: BackupHandle[] } {
    const roots = this.options.roots ?? defaultBackupRoots();
    for (const root of roots) {
      for (const dir of findBackups(root)) this.add(dir);
      for (const dir of findIcloudExports(root)) this.add(dir, false, 'icloud-export');
    }
    if (this.options.includeDemo !== false) {
      try {
        const demo = demoBackupPath();
        if (existsSync(demo)) this.add(demo, true);
      } catch {
        /* not packaged with the demo */
      }
    }
    return { roots, backups: [...this.handles.values()] };
  }

  /** "Open a folder": a backup or an iCloud export, or a folder holding several. */
  open(path: string): BackupHandle[] {
    const found = findSources(path);
    if (found.length === 0)
      throw new ReclaimError(
        `No backup found at ${resolve(path)} (a backup folder holds Manifest.db or Manifest.mbdb), and no iCloud data export (the folder of Apple's zips, or one zip).`,
        ExitCode.notFound,
      );
    return found.map((f) => this.add(f.path, false, f.kind));
  }

  /** A known backup by id (looking in the usual places once more when the id is new, e.g. after a reload). */
  get(id: string): BackupHandle | undefined {
    if (!this.handles.has(id)) {
      try {
        this.discover();
      } catch {
        /* the usual places may be unreadable */
      }
    }
    return this.handles.get(id);
  }

  all(): BackupHandle[] {
    return [...this.handles.values()];
  }

  dispose(): void {
    for (const handle of this.handles.values()) handle.dispose();
  }
}
