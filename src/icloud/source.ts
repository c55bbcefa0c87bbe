import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, utimes } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  emptyData,
  type ArtifactData,
  type ArtifactId,
  type Problem,
} from '../artifacts/artifact.js';
import { PrivateWorkspace } from '../artifacts/workspace.js';
import { failedRead } from '../sources/backup-source.js';
import type { DataSource, RecordOf, SourceDescription } from '../sources/data-source.js';
import type { FileRef, SourceFile, SourceFiles } from '../sources/files.js';
import { isInside } from '../sources/paths.js';
import { readIcloudBookmarks } from './bookmarks.js';
import { readIcloudCalendars, type CalendarsRead } from './calendars.js';
import { Catalog } from './catalog.js';
import { readIcloudContacts } from './contacts.js';
import { describeExport, NEVER_IN_EXPORTS } from './describe.js';
import { partOf } from './discover.js';
import { readIcloudDrive } from './drive.js';
import { ExportSet } from './export-set.js';
import { readIcloudNotes } from './notes.js';
import { PhotosReader } from './photos.js';
import { sample } from './util.js';
import { readWhole, type Volume } from './volume.js';

/**
 * Apple's "copy of your data" iCloud export as a DataSource: a folder of the downloaded zips (complete or not,
 * extracted or not) or one zip. Archives are read in place; each data type is read once and kept.
 */

/** Data types such an export can hold. */
const HOLDABLE: ArtifactId[] = [
  'photos',
  'notes',
  'contacts',
  'calendar',
  'reminders',
  'safari',
  'drive',
];

const NOT_IN_EXPORTS: Partial<Record<ArtifactId, string[]>> = {
  messages: NEVER_IN_EXPORTS,
  whatsapp: ['WhatsApp chats are not in Apple\u2019s data export (WhatsApp keeps its own backup)'],
  calls: ['Call history is not in Apple\u2019s data export'],
  voicemail: ['Voicemail is not in Apple\u2019s data export'],
  'voice-memos': [
    'Apple\u2019s data export has no Voice Memos category; recordings it holds are listed with the other files (drive)',
  ],
  photos: [
    'Edits, people, places and keywords of photos are not in Apple\u2019s data export: it holds the originals and Photo Details',
  ],
};

const WHAT: Partial<Record<ArtifactId, string>> = {
  photos: 'no iCloud Photos (no Photo Details CSV or album list in any archive)',
  notes: 'no notes (no Notes Details CSV or Title/Title.txt notes)',
  contacts: 'no contacts (no vCard file)',
  calendar: 'no calendars (no iCalendar file with events)',
  reminders: 'no reminders (no iCalendar file with to-dos)',
  safari: 'no bookmarks (no bookmark file)',
};

const MAX_READ = 512 * 1024 * 1024;

export class IcloudExportSource implements DataSource {
  readonly kind = 'icloud-export' as const;
  readonly files: SourceFiles;
  private readonly cache = new Map<ArtifactId, Promise<ArtifactData<unknown>>>();
  private calendars: Promise<CalendarsRead> | null = null;
  private readonly problems = new Map<ArtifactId, Problem[]>();
  private readonly missing: string[];

  private constructor(
    readonly path: string,
    private readonly set: ExportSet,
    private readonly catalog: Catalog,
    private readonly space: { workspace: PrivateWorkspace | null },
  ) {
    this.files = new ExportFiles(set, () => this.workspace());
    this.missing = set.missing.map((m) => `Part ${m.part} of ${m.of} is not here (${m.name}.zip)`);
    this.sortProblems();
  }

  /** Null when `path` is not an export (no zip, and nothing that fits a data type). */
  static async open(path: string): Promise<IcloudExportSource | null> {
    const space: { workspace: PrivateWorkspace | null } = { workspace: null };
    const workspace = () => (space.workspace ??= PrivateWorkspace.create());
    const set = await ExportSet.open(path, workspace);
    if (!set) return null;
    try {
      const catalog = await Catalog.build(set);
      // Zips, extracted parts and folders named like the export's archives count; other files alone do not.
      if (
        set.layout.zips.length === 0 &&
        set.volumes.every((v) => catalog.category.get(v) === 'ignored')
      ) {
        set.close();
        space.workspace?.dispose();
        return null;
      }
      return new IcloudExportSource(set.layout.path, set, catalog, space);
    } catch (error) {
      set.close();
      space.workspace?.dispose();
      throw error;
    }
  }

  private workspace(): PrivateWorkspace {
    return (this.space.workspace ??= PrivateWorkspace.create());
  }

  /** The data types a volume's problems concern. */
  private artifactsOf(volume: Volume): ArtifactId[] {
    const category = this.catalog.category.get(volume);
    if (category === 'photos' || category === 'shared-albums') return ['photos'];
    if (category === 'notes') return ['notes'];
    if (category === 'drive') return ['drive'];
    if (category === 'ignored') return [];
    const kinds = new Set(this.catalog.kinds.get(volume)?.values());
    const ids: ArtifactId[] = [];
    if (kinds.has('vcard')) ids.push('contacts');
    if (kinds.has('ical')) ids.push('calendar', 'reminders');
    if (kinds.has('bookmarks-html') || kinds.has('bookmarks-csv')) ids.push('safari');
    return ids;
  }

  /** A split download's data types, from the parts that are here; every type such an export holds when none tells. */
  private artifactsOfPart(name: string): ArtifactId[] {
    const part = partOf(name);
    const siblings = this.set.volumes.filter((v) => {
      const p = !v.parent ? partOf(v.name) : null;
      return p && part && p.prefix.toLowerCase() === part.prefix.toLowerCase() && p.of === part.of;
    });
    const ids = [...new Set(siblings.flatMap((v) => this.artifactsOf(v)))];
    return ids.length ? ids : HOLDABLE;
  }

  private sortProblems(): void {
    const add = (ids: ArtifactId[], problem: Problem) => {
      for (const id of ids) this.problems.set(id, [...(this.problems.get(id) ?? []), problem]);
    };
    for (const m of this.set.missing)
      add(this.artifactsOfPart(m.name), {
        severity: 'error',
        message: `Part ${m.part} of ${m.of} is not here (${m.name}.zip): what it holds is missing from this export; the rest is read`,
      });
    for (const message of this.set.problems) {
      const name = message.slice(0, message.indexOf(':'));
      add(this.artifactsOfPart(basename(name)), { severity: 'error', message });
    }
    for (const volume of this.set.volumes) {
      const ids = this.artifactsOf(volume);
      for (const message of volume.problems) add(ids, { severity: 'error', message });
      const unfit = this.catalog.unfit.filter((u) => u.volume === volume).map((u) => u.path);
      if (unfit.length)
        add(ids, {
          severity: 'warning',
          message: `${volume.id}: ${unfit.length} file(s) fit no data type (not exported): ${sample(unfit)}`,
        });
    }
    for (const p of this.catalog.problems)
      add(this.artifactsOf(p.volume), { severity: p.severity, message: p.message });
  }

  describe(): SourceDescription {
    const problems = [
      ...this.set.problems,
      ...this.set.volumes.flatMap((v) => v.problems),
      ...this.catalog.problems.map((p) => p.message),
    ];
    return {
      kind: 'icloud-export',
      ...describeExport(this.set, this.catalog, this.missing, problems),
    };
  }

  readArtifact<Id extends ArtifactId>(id: Id, _options = {}): Promise<ArtifactData<RecordOf<Id>>> {
    let pending = this.cache.get(id);
    if (!pending) {
      pending = this.read(id).then(
        (data) => this.complete(id, data),
        (error) => this.complete(id, failedRead(id, error)),
      );
      this.cache.set(id, pending);
    }
    return pending as Promise<ArtifactData<RecordOf<Id>>>;
  }

  private async read(id: ArtifactId): Promise<ArtifactData<unknown>> {
    switch (id) {
      case 'photos':
        return new PhotosReader(this.catalog).read();
      case 'notes':
        return readIcloudNotes(this.catalog);
      case 'contacts':
        return readIcloudContacts(this.catalog);
      case 'calendar':
        return (await (this.calendars ??= readIcloudCalendars(this.catalog))).events;
      case 'reminders':
        return (await (this.calendars ??= readIcloudCalendars(this.catalog))).reminders;
      case 'safari':
        return readIcloudBookmarks(this.catalog);
      case 'drive':
        return readIcloudDrive(this.catalog);
      default:
        return emptyData(id);
    }
  }

  private complete(id: ArtifactId, data: ArtifactData<unknown>): ArtifactData<unknown> {
    data.problems.unshift(...(this.problems.get(id) ?? []));
    data.notInBackup.push(...(NOT_IN_EXPORTS[id] ?? []));
    if (data.items.length === 0 && WHAT[id]) data.notInBackup.push(`This export holds ${WHAT[id]}`);
    return data;
  }

  contains(path: string): boolean {
    return isInside(this.path, path);
  }

  dispose(): void {
    this.set.close();
    this.space.workspace?.dispose();
    this.space.workspace = null;
    this.cache.clear();
  }
}

/** Byte access to the files of every archive of the export (domain: the archive's id). */
class ExportFiles implements SourceFiles {
  constructor(
    private readonly set: ExportSet,
    private readonly space: () => PrivateWorkspace,
  ) {}

  get workspace(): PrivateWorkspace {
    return this.space();
  }

  private volumeOf(file: FileRef): Volume {
    const volume = this.set.volume(file.domain);
    if (!volume || !volume.files.has(file.relativePath))
      throw new Error(`${file.domain}/${file.relativePath} is not a file of this export`);
    return volume;
  }

  listFiles(): SourceFile[] {
    return this.set.volumes.flatMap((v) =>
      [...v.files.values()].map((f) => ({
        domain: v.id,
        relativePath: f.path,
        size: f.size,
        modified: f.modified,
        present: true,
      })),
    );
  }

  stat(file: FileRef): SourceFile | undefined {
    const f = this.set.volume(file.domain)?.files.get(file.relativePath);
    return f
      ? {
          domain: file.domain,
          relativePath: f.path,
          size: f.size,
          modified: f.modified,
          present: true,
        }
      : undefined;
  }

  open(file: FileRef) {
    return this.volumeOf(file).open(file.relativePath);
  }

  read(file: FileRef): Promise<Buffer> {
    return readWhole(this.volumeOf(file), file.relativePath, MAX_READ);
  }

  async copyTo(file: FileRef, dest: string, options: { mtime?: Date } = {}): Promise<void> {
    const volume = this.volumeOf(file);
    const folder = dirname(dest);
    await mkdir(folder, { recursive: true });
    const partial = join(folder, `.${basename(dest)}.partial`);
    try {
      await pipeline(await volume.open(file.relativePath), createWriteStream(partial));
      if (options.mtime && !Number.isNaN(options.mtime.getTime()))
        await utimes(partial, options.mtime, options.mtime);
      await rename(partial, dest);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }
}
