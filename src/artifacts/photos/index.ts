import { declaredIdentity } from '../identity.js';
import { posix } from 'node:path';
import type { BackupEntry } from '../../backup/types.js';
import { emptyData, defineReader, type ArtifactData } from '../artifact.js';
import { fromUnixTime } from '../apple-time.js';
import { defineArtifact } from '../declaration.js';
import { addMissing } from '../missing.js';
import { notInFolder, problemsOf, readDatabase } from '../read-database.js';
import type { ArtifactSource } from '../source.js';
import { readLibrary, UnknownPhotosSchema, type LibraryRead } from './library.js';
import { readExif } from './media-date.js';
import { emptyAsset, kindFromName, type PhotoAsset, type PhotoFile } from './model.js';
import { PHOTOS_SCHEMA } from './schema.js';

export type { PhotoAsset, PhotoFile, PhotoAvailability } from './model.js';

const CAMERA_ROLL_DOMAIN = 'CameraRollDomain';
const ASSET_KEYS = [
  { table: 'ZASSET', columns: ['ZUUID'] },
  { table: 'ZGENERICASSET', columns: ['ZUUID'] },
];
/** "dcim:<path>": a file the library does not list, named by its place only (not an identity across backups). */
const UNLISTED = /^dcim:/;

/** Photos and videos: the camera roll files, and the library that says what they are. */
export const photosDeclaration = defineArtifact({
  id: 'photos',
  title: 'Photos and videos',
  locations: {
    originals: { domain: CAMERA_ROLL_DOMAIN, path: 'Media/DCIM/**', kind: 'media' },
    library: {
      domain: CAMERA_ROLL_DOMAIN,
      path: 'Media/PhotoData/Photos.sqlite',
      kind: 'database',
      naturalKey: ASSET_KEYS,
      catalog: 'Photos library',
      schema: PHOTOS_SCHEMA,
    },
    thumbnails: {
      domain: CAMERA_ROLL_DOMAIN,
      path: 'Media/PhotoData/Thumbnails/V2/**',
      kind: 'media',
      ios: { from: 9 },
      catalog: false,
    },
    previews: {
      domain: CAMERA_ROLL_DOMAIN,
      path: 'Media/PhotoData/Metadata/**',
      kind: 'media',
      catalog: false,
    },
    edits: {
      domain: CAMERA_ROLL_DOMAIN,
      path: 'Media/PhotoData/Mutations/**',
      kind: 'media',
      catalog: false,
    },
  },
  identity: {
    describe: 'the asset UUID, else a SHA-256 of the original file',
    keys: [
      { fields: ['id'], from: ASSET_KEYS[0]! },
      { fields: ['id'], from: ASSET_KEYS[1]! },
      { content: 'sha256' },
    ],
  },
  needsNames: false,
  aliases: [],
  formats: ['csv', 'json'],
  defaultFormats: ['csv', 'json'],
});

/** A photo by its asset UUID; a file the library does not list by the SHA-256 of its bytes. */
export const photosIdentity = declaredIdentity<PhotoAsset>()(photosDeclaration, {
  volatile: ['pk', 'files', 'availability', 'note', 'directory', 'inICloud'],
  canonical: { id: (id) => (UNLISTED.test(String(id)) ? null : id) },
  contentFile: (asset) =>
    asset.files.find((f) => f.role === 'original') ??
    asset.files.find((f) => f.role === 'edited') ??
    null,
});

const {
  originals,
  library: libraryLocation,
  thumbnails,
  previews,
  edits,
} = photosDeclaration.locations;
export const CAMERA_ROLL = libraryLocation.domain;
export const PHOTOS_DB = libraryLocation.path;

/** Always true of iPhone backups, whatever this one holds. */
export const PHOTOS_NEVER_IN_BACKUPS = [
  'Music, movies, TV shows and videos synced from a computer (Finder/iTunes) or downloaded from Apple Music / Apple TV: never in backups',
  'Photos and videos kept only in iCloud Photos (not on the device): never in backups; such items are listed in photos.csv as icloud-only',
];

const lower = (s: string) => s.toLowerCase();
const stemOf = (name: string) => name.slice(0, name.length - posix.extname(name).length);
const fileOf = (role: PhotoFile['role'], e: BackupEntry): PhotoFile => ({
  role,
  domain: e.domain,
  relativePath: e.relativePath,
  size: e.size,
});

/** Backup files of the camera roll, indexed for matching against the library. */
class CameraRoll {
  /** Media/DCIM/... by lower-case path. */
  readonly dcim = new Map<string, BackupEntry>();
  /** Best thumbnail per "<directory>/<filename>" (lower case). */
  readonly thumbnails = new Map<string, BackupEntry>();
  /** Edited renders per "<directory>/<stem>" (lower case). */
  readonly renders = new Map<string, BackupEntry[]>();

  constructor(readonly source: ArtifactSource) {
    for (const e of source.listAt(originals)) this.dcim.set(lower(e.relativePath), e);
    // Thumbnails/V2/<directory>/<filename>/<n>.JPG (iOS 9+); the biggest stored one is the best copy.
    for (const e of source.listAt(thumbnails)) {
      const m = /^Media\/PhotoData\/Thumbnails\/V2\/(.+)\/([^/]+)\/[^/]+\.(jpe?g|heic)$/i.exec(
        e.relativePath,
      );
      if (!m || !source.has(e)) continue;
      const key = lower(`${m[1]}/${m[2]}`);
      const best = this.thumbnails.get(key);
      if (!best || e.size > best.size) this.thumbnails.set(key, e);
    }
    // Metadata/<directory>/<stem>.JPG previews (older iOS); used when no V2 thumbnail exists.
    for (const e of source.listAt(previews)) {
      const m = /^Media\/PhotoData\/Metadata\/(.+)\/([^/]+)\.(jpe?g)$/i.exec(e.relativePath);
      if (!m || !source.has(e)) continue;
      const key = lower(`${m[1]}/${m[2]}`) + '#preview';
      const best = this.thumbnails.get(key);
      if (!best || e.size > best.size) this.thumbnails.set(key, e);
    }
    // Mutations/<directory>/<stem>/Adjustments/FullSizeRender.(jpg|heic|mov)
    for (const e of source.listAt(edits)) {
      const m =
        /^Media\/PhotoData\/Mutations\/(.+)\/([^/]+)\/Adjustments\/(?:[^/]+\/)*FullSizeRender(?:_\d+)?\.(jpe?g|heic|mov|mp4)$/i.exec(
          e.relativePath,
        );
      if (!m || !source.has(e)) continue;
      const key = lower(`${m[1]}/${m[2]}`);
      this.renders.set(key, [...(this.renders.get(key) ?? []), e]);
    }
  }

  thumbnailFor(directory: string, filename: string): BackupEntry | undefined {
    return (
      this.thumbnails.get(lower(`${directory}/${filename}`)) ??
      this.thumbnails.get(lower(`${directory}/${stemOf(filename)}`) + '#preview')
    );
  }

  /** The DCIM file with this stem and one of these extensions (any case), if stored. */
  sibling(directory: string, stem: string, extensions: string[]): BackupEntry | undefined {
    for (const ext of extensions) {
      const e = this.dcim.get(lower(`Media/${directory}/${stem}.${ext}`));
      if (e) return e;
    }
    return undefined;
  }
}

/** Attaches the backup's files to a library asset and decides what can be given back. */
function originalOf(asset: PhotoAsset, roll: CameraRoll): BackupEntry | undefined {
  return roll.dcim.get(lower(`Media/${asset.directory ?? ''}/${asset.filename}`));
}

/** Library assets whose original the backup's index does not list at all. */
const unlistedOriginals = new WeakSet<PhotoAsset>();

/** Attaches the backup's files to a library asset (originals of every asset already claimed). */
function attachFiles(asset: PhotoAsset, roll: CameraRoll, claimed: Set<string>): void {
  const directory = asset.directory ?? '';
  const stem = stemOf(asset.filename);
  const originalEntry = originalOf(asset, roll);
  const originalStored = originalEntry !== undefined && roll.source.has(originalEntry);
  if (originalStored) asset.files.push(fileOf('original', originalEntry!));

  if (asset.livePhoto) {
    // The video half of a Live Photo is no asset of its own: IMG_0003.HEIC + IMG_0003.MOV in the same folder.
    const video = roll.sibling(directory, stem, ['MOV', 'mov', 'MP4', 'mp4']);
    if (video && !claimed.has(lower(video.relativePath)) && roll.source.has(video)) {
      claimed.add(lower(video.relativePath));
      asset.files.push(fileOf('live-video', video));
    }
  }

  for (const render of roll.renders.get(lower(`${directory}/${stem}`)) ?? []) {
    const isVideo = /\.(mov|mp4)$/i.test(render.relativePath);
    asset.files.push(
      fileOf(asset.kind === 'photo' && isVideo ? 'edited-live-video' : 'edited', render),
    );
  }

  if (originalStored) {
    asset.availability = 'original';
    return;
  }
  if (!originalEntry) unlistedOriginals.add(asset);
  const why = originalEntry
    ? 'the backup lists the original but does not hold its data'
    : 'the original is not in the backup';
  if (asset.files.some((f) => f.role === 'edited')) {
    asset.availability = 'edited-only';
    asset.note = `edited version only: ${why}`;
    return;
  }
  const thumb = roll.thumbnailFor(directory, asset.filename);
  if (thumb) {
    asset.files.push(fileOf('lower-resolution', thumb));
    asset.availability = 'lower-resolution';
    asset.note = `lower-resolution copy (thumbnail): ${why}`;
    return;
  }
  if (asset.inICloud) {
    asset.availability = 'icloud-only';
    asset.note = 'in iCloud Photos only: not in this backup';
    return;
  }
  asset.availability = 'missing';
  asset.note = `${why}, and no thumbnail survived`;
}

/** An asset for a DCIM file the library does not know (or when there is no usable library). */
async function assetFromFile(entry: BackupEntry, source: ArtifactSource): Promise<PhotoAsset> {
  const filename = posix.basename(entry.relativePath);
  const asset = emptyAsset(`dcim:${entry.relativePath}`, filename);
  asset.directory = posix.dirname(entry.relativePath).replace(/^Media\//, '');
  asset.kind = kindFromName(filename);
  asset.files.push(fileOf('original', entry));
  asset.availability = 'original';
  if (asset.kind === 'photo' && entry.size > 0 && entry.size < 200 * 1024 * 1024) {
    const exif = await readExif(await source.read(entry));
    if (exif) {
      asset.created = exif.taken;
      asset.dateSource = exif.taken ? 'exif' : 'unknown';
      asset.latitude = exif.latitude;
      asset.longitude = exif.longitude;
      asset.width = exif.width;
      asset.height = exif.height;
    }
  }
  if (!asset.created) {
    // Videos get the date of their movie header at export time, when it has one.
    asset.created = fromUnixTime(entry.modified);
    asset.dateSource = asset.created ? 'file-time' : 'unknown';
  }
  return asset;
}

async function readPhotos(source: ArtifactSource): Promise<ArtifactData<PhotoAsset>> {
  const data = emptyData<PhotoAsset>('photos');
  data.notInBackup.push(...PHOTOS_NEVER_IN_BACKUPS);
  const roll = new CameraRoll(source);
  const claimed = new Set<string>();

  // Set inside the callbacks below (hence the casts: TypeScript does not follow assignments there).
  let library = null as LibraryRead | null;
  let noLibrary = null as string | null;
  let libraryUnreadable = false as boolean;
  // Photos.sqlite can be hundreds of MB; its deleted records are not photos, so no carving here.
  const outcome = await readDatabase(
    source,
    libraryLocation,
    data,
    {
      title: photosDeclaration.title,
      recoverDeleted: false,
      reportNotStored: false,
      // A library that cannot be read is said together with what the DCIM files gave (below).
      onFailure: (error) => {
        libraryUnreadable = true;
        noLibrary =
          error instanceof UnknownPhotosSchema
            ? `Photos.sqlite has a schema this version does not know (${error.message})`
            : `Photos.sqlite could not be read (${error.message})`;
      },
    },
    (db) => {
      library = readLibrary(db);
    },
  );
  if (outcome === 'absent') noLibrary = 'the backup has no Photos.sqlite';
  else if (outcome === 'not-stored')
    noLibrary = notInFolder(`${libraryLocation.domain}/${libraryLocation.path}`);
  const dbEntry = outcome !== 'absent';
  const problems = problemsOf(data, photosDeclaration.title);

  if (library) {
    for (const w of library.warnings) problems.warn(w);
    for (const asset of library.assets) {
      const original = originalOf(asset, roll);
      if (original) claimed.add(lower(original.relativePath));
    }
    for (const asset of library.assets) attachFiles(asset, roll, claimed);
    data.items.push(...library.assets);
  }

  // DCIM files no asset claimed: exported anyway, dated from their EXIF.
  const loose = [...roll.dcim.values()]
    .filter((e) => !claimed.has(lower(e.relativePath)) && kindFromName(e.relativePath) !== 'other')
    .sort((a, b) => a.relativePath.localeCompare(b.relativePath));
  const notStored = loose.filter((e) => !source.has(e));
  const extra: PhotoAsset[] = [];
  const byStem = new Map<string, PhotoAsset>();
  for (const entry of loose) {
    if (!source.has(entry)) continue;
    const key = lower(stemOf(entry.relativePath));
    const partner = byStem.get(key);
    // Without the library, a photo and a video of the same name are taken as a Live Photo pair.
    if (
      partner &&
      partner.kind === 'photo' &&
      kindFromName(entry.relativePath) === 'video' &&
      !partner.files.some((f) => f.role === 'live-video')
    ) {
      partner.livePhoto = true;
      partner.files.push(fileOf('live-video', entry));
      continue;
    }
    const asset = await assetFromFile(entry, source);
    if (asset.kind === 'photo') byStem.set(key, asset);
    extra.push(asset);
  }
  data.items.push(...extra);

  if (noLibrary) {
    if (roll.dcim.size > 0 || dbEntry) {
      (libraryUnreadable ? problems.error : problems.warn)(
        loose.length > notStored.length
          ? `${noLibrary}: exported the ${loose.length - notStored.length} DCIM file(s) found, dated from their EXIF; albums, Hidden and Recently Deleted are unknown`
          : `${noLibrary}, and no DCIM file data either: nothing to export`,
      );
    }
  } else if (extra.length > 0) {
    problems.warn(
      `${extra.length} DCIM file(s) are not in Photos.sqlite (exported anyway, dated from their EXIF)`,
    );
  }
  if (notStored.length > 0) {
    problems.warn(
      `${notStored.length} DCIM file(s) are listed in the backup without their data (not exportable)`,
    );
  }
  const icloudOnly = data.items.filter((a) => a.availability === 'icloud-only').length;
  // Originals the backup does not even list (those listed without data are counted from the index).
  for (const a of data.items) {
    if (!unlistedOriginals.has(a)) continue;
    const name = a.directory ? `${a.directory}/${a.filename}` : a.filename;
    const inICloud = a.inICloud || a.availability === 'icloud-only';
    addMissing(data, inICloud ? 'icloud-only' : 'offloaded', name, null);
  }
  if (icloudOnly > 0)
    data.notInBackup.push(
      `${icloudOnly} photo(s)/video(s) of this library are in iCloud Photos only (listed in photos.csv)`,
    );
  const missing = data.items.filter((a) => a.availability === 'missing').length;
  if (missing > 0)
    problems.warn(
      `${missing} photo(s)/video(s) in Photos.sqlite have no file in the backup (listed in photos.csv)`,
    );
  const lowRes = data.items.filter((a) => a.availability === 'lower-resolution').length;
  if (lowRes > 0)
    problems.warn(`${lowRes} photo(s) survive only as lower-resolution copies (thumbnails)`);
  return data;
}

export const photosArtifact = defineReader(photosDeclaration, (source) => readPhotos(source));
