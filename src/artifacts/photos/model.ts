/** One file of an asset in the backup (the original, its Live Photo video, an edited render, a thumbnail). */
export interface PhotoFile {
  role: 'original' | 'live-video' | 'edited' | 'edited-live-video' | 'lower-resolution';
  domain: string;
  relativePath: string;
  size: number;
  /** The extension to export it under when its bytes are another type than its name says (".jpg"). */
  extension?: string;
}

/**
 * Where the best copy of an asset is:
 * original: the file as taken; edited-only: only the edited render survived; lower-resolution: only a thumbnail/preview survived;
 * icloud-only: the library says it is in iCloud Photos and the backup holds no copy; missing: no copy at all.
 */
export type PhotoAvailability =
  'original' | 'edited-only' | 'lower-resolution' | 'icloud-only' | 'missing';

/** A photo or video, from Photos.sqlite joined with the DCIM files (or from the DCIM files alone). */
export interface PhotoAsset {
  /** The library's UUID, or "dcim:<path>" for a file the library does not know. */
  id: string;
  /** Z_PK in Photos.sqlite (null for DCIM files found without a library record). */
  pk: number | null;
  filename: string;
  /** The name the file had when imported (ZORIGINALFILENAME), when different. */
  originalFilename: string | null;
  /** Folder under Media/, e.g. "DCIM/100APPLE". */
  directory: string | null;
  kind: 'photo' | 'video' | 'other';
  uti: string | null;
  title: string | null;
  /** When it was taken; null when nothing tells. */
  created: Date | null;
  /** Where `created` comes from. */
  /** Offset of the local time where it was taken, in seconds east of UTC (ZTIMEZONEOFFSET), when known. */
  timeZoneOffset: number | null;
  /** export-details: the Photo Details CSV of an iCloud data export (minute resolution, UTC). */
  dateSource: 'library' | 'exif' | 'media-header' | 'export-details' | 'file-time' | 'unknown';
  added: Date | null;
  modified: Date | null;
  width: number | null;
  height: number | null;
  /** Seconds (videos, Live Photos' video part is not counted). */
  duration: number | null;
  latitude: number | null;
  longitude: number | null;
  favorite: boolean;
  hidden: boolean;
  /** In the Recently Deleted album. */
  trashed: boolean;
  trashedAt: Date | null;
  screenshot: boolean;
  livePhoto: boolean;
  /** Burst (avalanche) identifier shared by every frame of a burst. */
  burstId: string | null;
  /** The frame the user (or the camera) picked in a burst. */
  burstPick: boolean;
  /** The library says the asset has edits (an edited render may be in the backup). */
  edited: boolean;
  /** In iCloud Photos (a cloud copy exists). */
  inICloud: boolean;
  /** User album titles (iCloud exports: memories and shared albums too, named again below). */
  albums: string[];
  /** Of `albums`, the shared ones. */
  sharedAlbums?: string[];
  /** Of `albums`, the memories. */
  memories?: string[];
  availability: PhotoAvailability;
  files: PhotoFile[];
  /** A line for the user: "lower-resolution copy: the original is not in the backup". */
  note: string | null;
}

export function emptyAsset(id: string, filename: string): PhotoAsset {
  return {
    id,
    pk: null,
    filename,
    originalFilename: null,
    directory: null,
    kind: 'other',
    uti: null,
    title: null,
    created: null,
    timeZoneOffset: null,
    dateSource: 'unknown',
    added: null,
    modified: null,
    width: null,
    height: null,
    duration: null,
    latitude: null,
    longitude: null,
    favorite: false,
    hidden: false,
    trashed: false,
    trashedAt: null,
    screenshot: false,
    livePhoto: false,
    burstId: null,
    burstPick: false,
    edited: false,
    inICloud: false,
    albums: [],
    availability: 'missing',
    files: [],
    note: null,
  };
}

const VIDEO = /\.(mov|mp4|m4v|3gp|avi)$/i;
const PHOTO = /\.(jpe?g|heic|heif|png|gif|tiff?|dng|webp|bmp)$/i;

export function kindFromName(name: string): PhotoAsset['kind'] {
  if (VIDEO.test(name)) return 'video';
  if (PHOTO.test(name)) return 'photo';
  return 'other';
}
