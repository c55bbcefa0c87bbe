import {
  copyFileSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
} from 'node:fs';
import { extname, join } from 'node:path';
import type { ArtifactData, Problem } from '../artifacts/artifact.js';
import { photosDeclaration } from '../artifacts/photos/index.js';
import { quickTimeCreated } from '../artifacts/photos/media-date.js';
import type { PhotoAsset, PhotoFile } from '../artifacts/photos/model.js';
import { toCsv } from './csv.js';
import {
  defineExporter,
  type ExportContext,
  type ExportSummary,
  type PhotoLayout,
} from './exporter.js';
import { safeFileName, writeFileAtomic } from './files.js';
import { toJson } from './json.js';
import { clock, isoAtOffset, type Clock } from '../time.js';

/**
 * Photos and videos: originals byte for byte with the date taken as file time, in folders by date, album or none;
 * Live Photo halves, edited renders and lower-resolution copies beside them under the same name; photos.csv and
 * photos.json list every asset (including those not exported, and why).
 */

export interface ExportedFile {
  role: PhotoFile['role'] | 'jpeg-copy';
  /** Relative to the photos folder, with forward slashes. */
  path: string;
}

export type PhotoStatus =
  'exported' | 'skipped-hidden' | 'skipped-deleted' | 'icloud-only' | 'missing' | 'failed';

/** Folder-wise name allocation that keeps every file of an asset under one stem ("IMG_0003.JPG" + "IMG_0003.MOV"). */
class FolderNames {
  private readonly taken = new Map<string, Set<string>>();

  /** Picks a stem free for all `suffixes` (each "<tail><ext>", e.g. ".JPG", " (edited).jpg") in `folder`. */
  take(folder: string, stem: string, suffixes: string[]): string {
    const used = this.taken.get(folder) ?? new Set<string>();
    this.taken.set(folder, used);
    let candidate = stem;
    for (let n = 2; suffixes.some((s) => used.has((candidate + s).toLowerCase())); n++)
      candidate = `${stem} (${n})`;
    for (const s of suffixes) used.add((candidate + s).toLowerCase());
    return candidate;
  }
}

/** Runs at most `size` tasks at once; run() resolves as soon as the task has a slot. */
class CopyPool {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly size: number) {}

  async run(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.size) await Promise.race(this.running);
    const promise: Promise<void> = task().finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * YYYY/YYYY-MM of the local date where the photo was taken; in the clock's zone when the library does
 * not say (UTC with --utc).
 */
function dateFolder(created: Date | null, offsetSeconds: number | null, times: Clock): string {
  if (!created || Number.isNaN(created.getTime())) return 'Unknown date';
  const date = new Date(
    created.getTime() + (offsetSeconds ?? times.wall(created).offsetMinutes * 60) * 1000,
  );
  return `${date.getUTCFullYear()}/${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}`;
}

/** When it was taken, in the zone it was taken in when the library records it, else the clock's. */
function takenAt(asset: PhotoAsset, times: Clock): string | null {
  if (times.utc || asset.timeZoneOffset === null) return times.iso(asset.created);
  return isoAtOffset(asset.created, Math.round(asset.timeZoneOffset / 60));
}

/** One asset as photos.json holds it (the export's own outcome, when it was exported, after). */
export function photoJson(
  a: PhotoAsset,
  times: Clock,
  outcome: { status?: PhotoStatus; statusText?: string; exportedFiles?: ExportedFile[] } = {},
): Record<string, unknown> {
  return {
    ...a,
    created: takenAt(a, times),
    files: a.files.map((f) => ({
      role: f.role,
      backupPath: `${f.domain}/${f.relativePath}`,
      size: f.size,
      ...(f.extension ? { exportedAs: f.extension } : {}),
    })),
    ...outcome,
  };
}

function folders(asset: PhotoAsset, layout: PhotoLayout, times: Clock): string[] {
  const prefix = asset.trashed ? 'Recently Deleted/' : asset.hidden ? 'Hidden/' : '';
  if (layout === 'flat') return [prefix.replace(/\/$/, '')];
  if (layout === 'album') {
    const group = (a: string) =>
      asset.sharedAlbums?.includes(a)
        ? 'Shared Albums/'
        : asset.memories?.includes(a)
          ? 'Memories/'
          : '';
    const albums = asset.albums.length
      ? asset.albums.map((a) => group(a) + safeFileName(a, 'Untitled album'))
      : ['Not in an album'];
    return [...new Set(albums)].map((a) => prefix + a);
  }
  return [prefix + dateFolder(asset.created, asset.timeZoneOffset, times)];
}

/** The file name tail for each role: "<stem><tail><ext>". */
function suffixFor(file: PhotoFile): string {
  const ext = file.extension ?? extname(file.relativePath);
  switch (file.role) {
    case 'original':
      return ext;
    case 'live-video':
      return ext;
    case 'edited':
      return ` (edited)${ext.toLowerCase()}`;
    case 'edited-live-video':
      return ` (edited)${ext.toLowerCase()}`;
    case 'lower-resolution':
      return ` (lower resolution)${ext.toLowerCase()}`;
  }
}

const isHeic = (path: string) => /\.(heic|heif)$/i.test(path);

function statusOf(asset: PhotoAsset, include: { deleted: boolean; hidden: boolean }): PhotoStatus {
  if (asset.trashed && !include.deleted) return 'skipped-deleted';
  if (asset.hidden && !include.hidden) return 'skipped-hidden';
  if (asset.availability === 'icloud-only') return 'icloud-only';
  if (asset.availability === 'missing' || asset.files.length === 0) return 'missing';
  return 'exported';
}

const STATUS_TEXT: Record<PhotoStatus, string> = {
  exported: 'exported',
  'skipped-hidden': 'not exported: in the Hidden album (add --include-hidden)',
  'skipped-deleted': 'not exported: in Recently Deleted (add --include-deleted)',
  'icloud-only': 'not in this backup: in iCloud Photos only',
  missing: 'not in this backup',
  failed: 'export failed',
};

export async function writePhotos(
  data: ArtifactData<PhotoAsset>,
  context: ExportContext,
): Promise<ExportSummary> {
  const { outDir, source, options } = context;
  const layout: PhotoLayout = options.layout ?? 'date';
  const include = {
    deleted: options.includeDeleted === true,
    hidden: options.includeHidden === true,
  };
  const times = clock(options.time);
  const names = new FolderNames();
  names.take('', 'photos', ['.csv', '.json']);
  const problems: Problem[] = [];
  const counts: Record<string, number> = {};
  const add = (key: string, n = 1) => (counts[key] = (counts[key] ?? 0) + n);
  const exported = new Map<PhotoAsset, ExportedFile[]>();
  const statuses = new Map<PhotoAsset, PhotoStatus>();
  const staging = join(outDir, '.reclaim-staging');
  let files = 0;
  let done = 0;

  // Copies run a few at a time (the disk overlaps them); names are handed out in library order first, so the
  // result does not depend on which copy finishes first.
  const pool = new CopyPool(8);
  const finish = (asset: PhotoAsset, status: PhotoStatus, written: ExportedFile[]) => {
    statuses.set(asset, status);
    exported.set(asset, written);
    context.onProgress?.(++done, data.items.length);
  };
  const fail = (asset: PhotoAsset, error: unknown, written: ExportedFile[]) => {
    problems.push({
      severity: 'error',
      message: `${asset.filename}: could not be exported (${(error as Error).message})`,
    });
    finish(asset, 'failed', written);
  };

  for (const asset of data.items) {
    const status = statusOf(asset, include);
    if (status !== 'exported') {
      finish(asset, status, []);
      continue;
    }
    let staged: string | null = null;
    try {
      // A video known only from DCIM: its own movie header usually knows when it was taken (and so its folder).
      const original = asset.files.find((f) => f.role === 'original');
      if (asset.dateSource === 'file-time' && asset.kind === 'video' && original) {
        if (source.stat(original)) {
          mkdirSync(staging, { recursive: true });
          staged = join(staging, `${done}-${statuses.size}${extname(original.relativePath)}`);
          await source.copyTo(original, staged);
          const header = await quickTimeCreated(staged);
          if (header?.created) {
            asset.created = header.created;
            asset.dateSource = 'media-header';
          }
          if (header?.duration && !asset.duration) asset.duration = header.duration;
        }
      }
    } catch (error) {
      fail(asset, error, []);
      continue;
    }
    const targets = folders(asset, layout, times);
    const suffixes = asset.files.map(suffixFor);
    const convert = options.heicToJpeg
      ? asset.files.filter(
          (f) =>
            (f.role === 'original' || f.role === 'edited' || f.role === 'lower-resolution') &&
            isHeic(f.extension ?? f.relativePath),
        )
      : [];
    const jpegSuffix = (f: PhotoFile) => suffixFor(f).replace(/\.(heic|heif)$/i, '.jpg');
    const allSuffixes = [...suffixes, ...convert.map(jpegSuffix)];
    const stem = safeFileName(
      asset.filename.slice(0, asset.filename.length - extname(asset.filename).length),
      'photo',
    );
    const chosenNames = targets.map((folder) => names.take(folder, stem, allSuffixes));
    await pool.run(async () => {
      const written: ExportedFile[] = [];
      try {
        let first: Map<PhotoFile, string> | null = null;
        let firstJpeg: Map<PhotoFile, string> | null = null;
        for (const [t, folder] of targets.entries()) {
          const chosen = chosenNames[t]!;
          const dir = join(outDir, folder);
          const here = new Map<PhotoFile, string>();
          const hereJpeg = new Map<PhotoFile, string>();
          for (const file of asset.files) {
            const name = chosen + suffixFor(file);
            const dest = join(dir, name);
            const mtime =
              (file.role === 'edited' || file.role === 'edited-live-video'
                ? asset.modified
                : null) ??
              asset.created ??
              undefined;
            const from = first?.get(file);
            if (from) {
              mkdirSync(dir, { recursive: true });
              try {
                linkSync(from, dest); // the same photo in another album: a hard link, not a second copy
              } catch {
                copyFileSync(from, dest);
                if (mtime) utimesSync(dest, mtime, mtime);
              }
            } else if (staged && file.role === 'original') {
              mkdirSync(dir, { recursive: true });
              renameSync(staged, dest);
              staged = null;
              if (mtime) utimesSync(dest, mtime, mtime);
            } else {
              await source.copyTo(file, dest, { mtime });
            }
            here.set(file, dest);
            files++;
            written.push({ role: file.role, path: folder ? `${folder}/${name}` : name });
          }
          for (const file of convert) {
            const name = chosen + jpegSuffix(file);
            const dest = join(dir, name);
            const from = firstJpeg?.get(file);
            try {
              if (from) {
                mkdirSync(dir, { recursive: true });
                linkSync(from, dest);
              } else {
                // Loaded when first needed: libheif (WebAssembly) takes tens of MB in every process that loads it.
                const { heicToJpeg } = await import('./media/heic.js');
                const jpeg = await heicToJpeg(readFileSync(here.get(file)!));
                writeFileAtomic(dest, jpeg, asset.created ?? undefined);
                add('converted to JPEG');
              }
              hereJpeg.set(file, dest);
              written.push({ role: 'jpeg-copy', path: folder ? `${folder}/${name}` : name });
            } catch (error) {
              problems.push({
                severity: 'warning',
                message: `${asset.filename}: HEIC to JPEG failed (${(error as Error).message}); the original HEIC is exported`,
              });
            }
          }
          first ??= here;
          firstJpeg ??= hereJpeg;
        }
        if (staged) rmSync(staged, { force: true });
        finish(asset, 'exported', written);
      } catch (error) {
        fail(asset, error, written);
      }
    });
  }
  await pool.drain();
  for (const asset of data.items) {
    switch (statuses.get(asset)) {
      case 'exported':
        add(asset.kind === 'video' ? 'videos' : 'photos');
        if (asset.files.some((f) => f.role === 'live-video')) add('live photos');
        if (asset.files.some((f) => f.role === 'edited' || f.role === 'edited-live-video'))
          add('edited versions');
        if (asset.availability === 'lower-resolution') add('lower-resolution copies');
        if (asset.availability === 'edited-only') add('edited versions only');
        if (asset.hidden) add('hidden (exported, in Hidden/)');
        if (asset.trashed) add('recently deleted (exported, in Recently Deleted/)');
        break;
      case 'skipped-hidden':
        add('hidden (not exported: --include-hidden)');
        break;
      case 'skipped-deleted':
        add('recently deleted (not exported: --include-deleted)');
        break;
      case 'icloud-only':
        add('iCloud-only (listed)');
        break;
      case 'missing':
        add('missing from the backup (listed)');
        break;
      case 'failed':
        add('failed');
        break;
    }
  }
  rmSync(staging, { recursive: true, force: true });

  const header = [
    'id',
    'filename',
    'original_filename',
    'kind',
    times.utc ? 'created' : `created (where taken; else ${times.zone})`,
    'utc_offset_s',
    'date_source',
    times.column('added'),
    times.column('modified'),
    'width',
    'height',
    'duration_s',
    'latitude',
    'longitude',
    'favorite',
    'hidden',
    'recently_deleted',
    times.column('trashed_at'),
    'screenshot',
    'live_photo',
    'burst_id',
    'burst_pick',
    'edited',
    'in_icloud',
    'albums',
    'shared_albums',
    'memories',
    'availability',
    'note',
    'status',
    'exported_files',
    'shared_library',
    'contributed_by',
  ];
  const rows = data.items.map((a) => [
    a.id,
    a.filename,
    a.originalFilename,
    a.kind,
    takenAt(a, times),
    a.timeZoneOffset,
    a.dateSource,
    a.added,
    a.modified,
    a.width,
    a.height,
    a.duration,
    a.latitude,
    a.longitude,
    a.favorite,
    a.hidden,
    a.trashed,
    a.trashedAt,
    a.screenshot,
    a.livePhoto,
    a.burstId,
    a.burstPick,
    a.edited,
    a.inICloud,
    a.albums.join('; '),
    a.sharedAlbums?.join('; '),
    a.memories?.join('; '),
    a.availability,
    a.note,
    STATUS_TEXT[statuses.get(a)!],
    exported
      .get(a)!
      .map((f) => f.path)
      .join('; '),
    a.sharedLibrary === true,
    a.contributor ?? null,
  ]);
  if (context.formats.includes('csv')) {
    writeFileAtomic(join(outDir, 'photos.csv'), toCsv(header, rows, times));
    files++;
  }
  if (!context.formats.includes('json')) return { artifact: 'photos', counts, files, problems };
  const json = data.items.map((a) =>
    photoJson(a, times, {
      status: statuses.get(a),
      statusText: STATUS_TEXT[statuses.get(a)!],
      exportedFiles: exported.get(a),
    }),
  );
  writeFileAtomic(
    join(outDir, 'photos.json'),
    toJson(
      {
        layout,
        includeDeleted: include.deleted,
        includeHidden: include.hidden,
        assets: json,
      },
      times,
    ),
  );
  files++;
  return { artifact: 'photos', counts, files, problems };
}

export const photosExporter = defineExporter(photosDeclaration, writePhotos);
