import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { ARTIFACT_IDS, type ArtifactData, type ArtifactId } from '../artifacts/artifact.js';
import { nameIndexFrom } from '../artifacts/contacts/index.js';
import type { NameIndex } from '../artifacts/names.js';
import { artifactById } from '../artifacts/registry.js';
import { BackupSource } from '../artifacts/source.js';
import { PrivateWorkspace } from '../artifacts/workspace.js';
import { Backup } from '../backup/backup.js';
import type { BackupEntry } from '../backup/types.js';
import { summarize, type BackupSummary } from '../backup/describe.js';
import { defaultBackupRoots, findBackups } from '../backup/discover.js';
import { demoBackupPath } from '../demo/location.js';
import { ExitCode, ReclaimError } from '../errors.js';
import { readArtifact } from '../export/run.js';

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

/** One backup the UI knows of; opened lazily, unlocked once, its artifacts read once and kept. */
export class BackupHandle {
  private opened: Backup | null = null;
  private sourceValue: BackupSource | null = null;
  private workspace: PrivateWorkspace | null = null;
  private readonly cache = new Map<ArtifactId, Promise<ArtifactData<unknown>>>();
  private readonly copies = new Map<string, Promise<string>>();
  private readonly derived = new Map<string, unknown>();
  private described: { locked: boolean; summary: BackupSummary } | null = null;

  constructor(
    readonly id: string,
    readonly dir: string,
    readonly demo: boolean,
  ) {}

  /** Takes over a backup opened (and perhaps unlocked) elsewhere, e.g. by `reclaim start`. */
  adopt(backup: Backup): void {
    this.opened = backup;
  }

  get backup(): Backup {
    if (!this.opened) this.opened = Backup.open(this.dir);
    return this.opened;
  }

  get locked(): boolean {
    return this.backup.locked;
  }

  summary(): BackupSummary & {
    id: string;
    demo: boolean;
    locked: boolean;
    files: number | null;
  } {
    const locked = this.locked;
    // Described once per lock state: it walks the folder (tens of thousands of files in a real backup),
    // and the backup does not change while it is open.
    if (this.described?.locked !== locked)
      this.described = { locked, summary: summarize(this.backup) };
    return {
      ...this.described.summary,
      id: this.id,
      demo: this.demo,
      locked,
      // Files only (the index also lists folders): the number the Files page shows.
      files: locked ? null : this.backup.entries().filter((e) => e.kind === 'file').length,
    };
  }

  /** The artifact source over this backup (refused while it is locked). */
  source(): BackupSource {
    if (this.locked)
      throw new ReclaimError('This backup is encrypted: unlock it first.', ExitCode.usage);
    if (!this.sourceValue) {
      this.workspace = PrivateWorkspace.create();
      this.sourceValue = new BackupSource(this.backup, this.workspace);
    }
    return this.sourceValue;
  }

  /** An artifact's data, read once per session (deleted records recovered). */
  read(id: ArtifactId): Promise<ArtifactData<unknown>> {
    if (!ARTIFACT_IDS.includes(id))
      return Promise.reject(new ReclaimError(`Unknown category ${id}.`, ExitCode.notFound));
    let pending = this.cache.get(id);
    if (!pending) {
      const source = this.source();
      pending = readArtifact(source, id, { recoverDeleted: true });
      this.cache.set(id, pending);
    }
    return pending;
  }

  /** A decrypted private copy of an entry (for media the browser seeks in), made once per session. */
  plainCopy(entry: BackupEntry): Promise<string> {
    const key = `${entry.domain}\0${entry.relativePath}`;
    let pending = this.copies.get(key);
    if (!pending) {
      const source = this.source();
      const dest = join(source.workspace.folder(), basename(entry.relativePath) || 'file');
      pending = source.copyTo(entry, dest).then(() => dest);
      pending.catch(() => this.copies.delete(key));
      this.copies.set(key, pending);
    }
    return pending;
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
      counts.push(countItems(id, title, await this.read(id)));
    }
    onEach?.(ARTIFACT_IDS.length, ARTIFACT_IDS.length, '');
    return counts;
  }

  /** True when `path` is this backup's folder or inside it (symlinks resolved as far as they exist). */
  contains(path: string): boolean {
    const real = (p: string) => {
      let current = resolve(p);
      const rest: string[] = [];
      while (!existsSync(current)) {
        const parent = resolve(current, '..');
        if (parent === current) break;
        rest.unshift(current.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
        current = parent;
      }
      try {
        current = realpathSync(current);
      } catch {
        /* keep as is */
      }
      return resolve(current, ...rest);
    };
    const target = real(path);
    const dir = real(this.dir);
    return target === dir || target.startsWith(dir + sep);
  }

  dispose(): void {
    this.workspace?.dispose();
    this.workspace = null;
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
      opened?: Backup;
    } = {},
  ) {
    if (options.opened) {
      const handle = this.add(options.opened.dir, options.opened.dir === resolve(demoBackupPath()));
      handle.adopt(options.opened);
      this.initial.push(handle.id);
    } else if (options.initialPath)
      this.initial.push(...this.open(options.initialPath).map((h) => h.id));
  }

  private add(dir: string, demo = false): BackupHandle {
    const id = backupId(dir);
    let handle = this.handles.get(id);
    if (!handle) {
      handle = new BackupHandle(id, resolve(dir), demo);
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
    for (const root of roots) for (const dir of findBackups(root)) this.add(dir);
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

  /** "Open a folder": a backup, or a folder holding several. */
  open(path: string): BackupHandle[] {
    const found = findBackups(path);
    if (found.length === 0)
      throw new ReclaimError(
        `No backup found at ${resolve(path)} (a backup folder holds Manifest.db or Manifest.mbdb).`,
        ExitCode.notFound,
      );
    return found.map((dir) => this.add(dir));
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
