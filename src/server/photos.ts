import type { ArtifactData } from '../artifacts/artifact.js';
import { summarizeMissing } from '../artifacts/missing.js';
import type { PhotoAsset, PhotoFile } from '../artifacts/photos/model.js';
import type { FileRef, SourceFile, SourceFiles } from '../sources/files.js';
import type { PhotoFilter, PhotoTimeline } from './api-types.js';

const CAMERA_ROLL = 'CameraRollDomain';
const V2 = /^Media\/PhotoData\/Thumbnails\/V2\/(.+)\/([^/]+)\/[^/]+\.jpe?g$/i;

/** Bits of PhotoTimeline.flags. */
export const PHOTO_FLAG = {
  trashed: 1,
  hidden: 2,
  recovered: 4,
  favorite: 8,
  video: 16,
  /** Only a lower-resolution copy (or an edited render) survived. */
  notOriginal: 32,
  live: 64,
  /** No file at all: nothing to show but the record. */
  noFile: 128,
  /** A picture can be shown in the grid (embedded thumbnail, or a file the server can shrink). */
  thumb: 256,
} as const;

const ROLE_ORDER: PhotoFile['role'][] = ['edited', 'original', 'lower-resolution'];
const IMAGE_FILE = /\.(jpe?g|png|gif|webp|tiff?|bmp|heic|heif|avif)$/i;

/**
 * The embedded thumbnails of the camera roll (Media/PhotoData/Thumbnails/V2/<dir>/<file>/<n>.JPG), the biggest
 * per asset, by "<dir>/<file>" in lower case. iOS keeps one for nearly every photo and video of a backup; an
 * iCloud export has none (its grid is made from the photos themselves).
 */
export function embeddedThumbnails(files: SourceFiles): Map<string, SourceFile> {
  const found = new Map<string, SourceFile>();
  for (const e of files.listFiles()) {
    if (e.domain !== CAMERA_ROLL || !e.present) continue;
    const m = V2.exec(e.relativePath);
    if (!m) continue;
    const key = `${m[1]}/${m[2]}`.toLowerCase();
    const best = found.get(key);
    if (!best || e.size > best.size) found.set(key, e);
  }
  return found;
}

/**
 * Where a photo's grid picture comes from: an embedded thumbnail, or a still file the server shrinks. Kept
 * for every photo of the session: the file's name and size only.
 */
export type ThumbSource = { entry: FileRef & { size: number }; embedded: boolean };

const sourceOf = (file: SourceFile, embedded: boolean): ThumbSource => ({
  entry: { domain: file.domain, relativePath: file.relativePath, size: file.size },
  embedded,
});

export function thumbSourceOf(
  photo: PhotoAsset,
  embedded: Map<string, SourceFile>,
  find: (file: PhotoFile) => SourceFile | undefined,
): ThumbSource | null {
  const key = `${photo.directory ?? ''}/${photo.filename}`.toLowerCase();
  const thumb = embedded.get(key);
  if (thumb) return sourceOf(thumb, true);
  for (const role of ROLE_ORDER) {
    const file = photo.files.find((f) => f.role === role && IMAGE_FILE.test(f.relativePath));
    const entry = file && find(file);
    if (entry) return sourceOf(entry, role === 'lower-resolution');
  }
  return null;
}

export const isTrashed = (p: PhotoAsset) => p.trashed || p.trashedAt !== null;

const FILTERS: Record<PhotoFilter, (p: PhotoAsset) => boolean> = {
  all: () => true,
  deleted: isTrashed,
  hidden: (p) => p.hidden,
  recovered: (p) => Boolean((p as { recovered?: unknown }).recovered),
};
export const PHOTO_FILTERS = Object.keys(FILTERS) as PhotoFilter[];

function flagsOf(p: PhotoAsset, thumb: boolean): number {
  let flags = 0;
  if (isTrashed(p)) flags |= PHOTO_FLAG.trashed;
  if (p.hidden) flags |= PHOTO_FLAG.hidden;
  if (FILTERS.recovered(p)) flags |= PHOTO_FLAG.recovered;
  if (p.favorite) flags |= PHOTO_FLAG.favorite;
  if (p.kind === 'video') flags |= PHOTO_FLAG.video;
  if (p.availability === 'lower-resolution' || p.availability === 'edited-only')
    flags |= PHOTO_FLAG.notOriginal;
  if (p.livePhoto) flags |= PHOTO_FLAG.live;
  if (p.files.length === 0) flags |= PHOTO_FLAG.noFile;
  if (thumb) flags |= PHOTO_FLAG.thumb;
  return flags;
}

const timeOf = (p: PhotoAsset): number | null => {
  const t = p.created instanceof Date ? p.created.getTime() : NaN;
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
};

/**
 * The grid's index: every photo of a filter (and album), newest first, as parallel arrays so that 30,000
 * photos travel in a few hundred kilobytes. The page asks each item's thumbnail, and its record, by number.
 */
export function photoTimeline(
  data: ArtifactData<PhotoAsset>,
  hasThumb: (index: number) => boolean,
  filter: PhotoFilter,
  album: string | null,
): PhotoTimeline {
  const photos = data.items;
  const counts = Object.fromEntries(PHOTO_FILTERS.map((f) => [f, 0])) as Record<
    PhotoFilter,
    number
  >;
  const albums = new Map<string, number>();
  const chosen: number[] = [];
  photos.forEach((p, i) => {
    for (const f of PHOTO_FILTERS) if (FILTERS[f](p)) counts[f]++;
    for (const a of p.albums) albums.set(a, (albums.get(a) ?? 0) + 1);
    if (FILTERS[filter](p) && (album === null || p.albums.includes(album))) chosen.push(i);
  });
  const times = chosen.map((i) => timeOf(photos[i]!));
  const order = chosen.map((_, k) => k);
  order.sort(
    (a, b) => (times[b] ?? -Infinity) - (times[a] ?? -Infinity) || chosen[b]! - chosen[a]!,
  );
  return {
    total: photos.length,
    filter,
    album,
    counts,
    albums: [...albums]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    index: order.map((k) => chosen[k]!),
    time: order.map((k) => times[k] ?? null),
    flags: order.map((k) => flagsOf(photos[chosen[k]!]!, hasThumb(chosen[k]!))),
    duration: order.map((k) => Math.round(photos[chosen[k]!]!.duration ?? 0)),
    problems: data.problems,
    notInBackup: data.notInBackup,
    missing: summarizeMissing(data as ArtifactData<unknown>),
  };
}
