import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate, unixSeconds } from './apple-time.js';
import { CORE_DATA_BOOKKEEPING_SCHEMA, writeCoreDataBookkeeping } from './core-data.js';
import { demoUUID } from './ids.js';
import { exifLocalTime } from './media/exif.js';
import { buildIsoMedia } from './media/iso-media.js';
import { encodeJpeg, type Rgb } from './media/jpeg.js';
import { PHOTOS_IOS17_0_TABLES } from './schemas/photos-ios17-0.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/**
 * Camera roll: CameraRollDomain Media/DCIM/100APPLE/IMG_000n.JPG (+ IMG_0003.MOV, the video half of a Live Photo:
 * a real Live Photo is HEIC + MOV; writing HEIC is impractical here, so the still is a JPEG), a thumbnail for an asset
 * whose original is missing, and Media/PhotoData/Photos.sqlite (iOS 17.0-17.5 layout, see schemas/photos-ios17-0.ts).
 * Entities: 1 AdditionalAssetAttributes, 2 AlbumList, 3 Asset, 27 GenericAlbum, 28 Album (the Z_28ASSETS join table).
 * ZKIND 0 photo; ZKINDSUBTYPE 2 Live Photo; ZTRASHEDSTATE 1 = in Recently Deleted; ZGENERICALBUM.ZKIND 2 = user album.
 */

export interface DemoPhoto {
  pk: number;
  filename: string;
  /** Local time with offset, as EXIF DateTimeOriginal + OffsetTimeOriginal give it. */
  takenAt: string;
  width: number;
  height: number;
  colours: [Rgb, Rgb, Rgb, Rgb];
  location: { latitude: number; longitude: number } | null;
  favorite: boolean;
  hidden: boolean;
  trashedAt: string | null;
  livePhotoVideo: string | null;
  /** false: the original is not in the backup, only its thumbnail. */
  originalPresent: boolean;
}
export interface DemoAlbum {
  pk: number;
  title: string;
  assetPks: number[];
}
export interface PhotosData {
  photos: DemoPhoto[];
  albums: DemoAlbum[];
}

export const PHOTOS_DIRECTORY = 'DCIM/100APPLE';
export const NO_LOCATION = -180; // what Photos.sqlite stores for "no location"

export function photosData(): PhotosData {
  const photo = (
    pk: number,
    takenAt: string,
    colours: DemoPhoto['colours'],
    extra: Partial<DemoPhoto> = {},
  ): DemoPhoto => ({
    pk,
    filename: `IMG_000${pk}.JPG`,
    takenAt,
    width: 64,
    height: 48,
    colours,
    location: null,
    favorite: false,
    hidden: false,
    trashedAt: null,
    livePhotoVideo: null,
    originalPresent: true,
    ...extra,
  });
  return {
    photos: [
      photo(
        1,
        '2024-06-15T10:24:00-07:00',
        [
          [135, 190, 235],
          [100, 160, 220],
          [200, 80, 50],
          [180, 60, 40],
        ],
        { favorite: true, location: { latitude: 37.8199, longitude: -122.4783 } },
      ),
      photo(
        2,
        '2024-08-03T18:02:00-07:00',
        [
          [250, 220, 180],
          [240, 200, 150],
          [210, 170, 120],
          [190, 150, 100],
        ],
        { hidden: true },
      ),
      photo(
        3,
        '2024-12-24T16:40:00-08:00',
        [
          [30, 60, 40],
          [200, 30, 40],
          [240, 220, 120],
          [30, 90, 50],
        ],
        { livePhotoVideo: 'IMG_0003.MOV' },
      ),
      photo(
        4,
        '2025-01-18T09:12:00-08:00',
        [
          [170, 200, 230],
          [150, 190, 230],
          [70, 110, 60],
          [90, 120, 70],
        ],
        {
          trashedAt: '2025-02-01T20:00:00Z',
          location: { latitude: 37.9235, longitude: -122.5965 },
        },
      ),
      photo(
        5,
        '2025-02-14T19:05:00-08:00',
        [
          [120, 20, 40],
          [200, 40, 70],
          [90, 10, 30],
          [160, 30, 60],
        ],
        { originalPresent: false },
      ),
    ],
    albums: [{ pk: 1, title: 'Trail days', assetPks: [1, 4] }],
  };
}

export function photoJpeg(p: DemoPhoto, scale = 1): Buffer {
  const { dateTimeOriginal, offsetTimeOriginal } = exifLocalTime(p.takenAt);
  const [topLeft, topRight, bottomLeft, bottomRight] = p.colours;
  const width = p.width * scale,
    height = p.height * scale;
  return encodeJpeg({
    width,
    height,
    corners: { topLeft, topRight, bottomLeft, bottomRight },
    exif: {
      make: 'Apple',
      model: 'iPhone 15',
      software: '17.4.1',
      dateTimeOriginal,
      offsetTimeOriginal,
      width,
      height,
      ...(p.location ? { gps: p.location } : {}),
    },
  });
}

/** Where iOS keeps the 5005 thumbnail of an asset: Thumbnails/V2/<directory>/<filename>/5005.JPG. */
export function thumbnailPath(p: DemoPhoto): string {
  return `Media/PhotoData/Thumbnails/V2/${PHOTOS_DIRECTORY}/${p.filename}/5005.JPG`;
}

function timeZoneName(takenAt: string): { name: string; offsetSeconds: number } {
  const { offsetTimeOriginal } = exifLocalTime(takenAt);
  const sign = offsetTimeOriginal.startsWith('-') ? -1 : 1;
  const [h, m] = offsetTimeOriginal.slice(1).split(':').map(Number);
  return {
    name: `GMT${offsetTimeOriginal.replace(':', '')}`,
    offsetSeconds: sign * (h * 3600 + m * 60),
  };
}

export function buildPhotos(data: PhotosData = photosData()): BackupFileInput[] {
  const files: BackupFileInput[] = [];
  const db = buildSqliteFile([...PHOTOS_IOS17_0_TABLES, ...CORE_DATA_BOOKKEEPING_SCHEMA], (db) => {
    for (const p of data.photos) {
      const created = appleSeconds(p.takenAt);
      const jpeg = photoJpeg(p);
      insertRow(db, 'ZASSET', {
        Z_PK: p.pk,
        Z_ENT: 3,
        Z_OPT: 1,
        ZADDITIONALATTRIBUTES: p.pk,
        ZCOMPLETE: 1,
        ZDATECREATED: created,
        ZADDEDDATE: created + 2,
        ZMODIFICATIONDATE: created + 2,
        ZDIRECTORY: PHOTOS_DIRECTORY,
        ZFILENAME: p.filename,
        ZUUID: demoUUID(`asset-${p.pk}`),
        ZUNIFORMTYPEIDENTIFIER: 'public.jpeg',
        ZKIND: 0,
        ZKINDSUBTYPE: p.livePhotoVideo ? 2 : 0,
        ZPLAYBACKSTYLE: p.livePhotoVideo ? 3 : 1,
        ZWIDTH: p.width,
        ZHEIGHT: p.height,
        ZORIENTATION: 1,
        ZDURATION: 0,
        ZLATITUDE: p.location?.latitude ?? NO_LOCATION,
        ZLONGITUDE: p.location?.longitude ?? NO_LOCATION,
        ZFAVORITE: p.favorite ? 1 : 0,
        ZHIDDEN: p.hidden ? 1 : 0,
        ZTRASHEDSTATE: p.trashedAt ? 1 : 0,
        ZTRASHEDDATE: p.trashedAt ? appleSeconds(p.trashedAt) : null,
        ZSAVEDASSETTYPE: 3,
        ZVISIBILITYSTATE: 0,
        ZHASADJUSTMENTS: 0,
        ZMEDIAGROUPUUID: p.livePhotoVideo ? demoUUID(`live-${p.pk}`) : null,
      });
      const tz = timeZoneName(p.takenAt);
      insertRow(db, 'ZADDITIONALASSETATTRIBUTES', {
        Z_PK: p.pk,
        Z_ENT: 1,
        Z_OPT: 1,
        ZASSET: p.pk,
        ZORIGINALFILENAME: p.filename,
        ZORIGINALFILESIZE: jpeg.length,
        ZORIGINALWIDTH: p.width,
        ZORIGINALHEIGHT: p.height,
        ZEXIFTIMESTAMPSTRING: exifLocalTime(p.takenAt).dateTimeOriginal,
        ZTIMEZONENAME: tz.name,
        ZTIMEZONEOFFSET: tz.offsetSeconds,
        ZVIEWCOUNT: p.favorite ? 4 : 1,
        ZPLAYCOUNT: 0,
      });
      const modified = asDate(new Date(unixSeconds(p.takenAt) * 1000).toISOString());
      if (p.originalPresent) {
        files.push({
          domain: 'CameraRollDomain',
          relativePath: `Media/${PHOTOS_DIRECTORY}/${p.filename}`,
          data: jpeg,
          modified,
        });
      } else {
        files.push({
          domain: 'CameraRollDomain',
          relativePath: thumbnailPath(p),
          data: photoJpeg({ ...p, width: 32, height: 24 }),
          modified,
        });
      }
      if (p.livePhotoVideo) {
        files.push({
          domain: 'CameraRollDomain',
          relativePath: `Media/${PHOTOS_DIRECTORY}/${p.livePhotoVideo}`,
          data: buildIsoMedia({
            kind: 'quicktime',
            createdUnix: unixSeconds(p.takenAt),
            durationSeconds: 2.9,
          }),
          modified,
        });
      }
    }
    for (const a of data.albums) {
      insertRow(db, 'ZGENERICALBUM', {
        Z_PK: a.pk,
        Z_ENT: 28,
        Z_OPT: 1,
        ZKIND: 2,
        ZTITLE: a.title,
        ZUUID: demoUUID(`album-${a.pk}`),
        ZCACHEDCOUNT: a.assetPks.length,
        ZCACHEDPHOTOSCOUNT: a.assetPks.length,
        ZCACHEDVIDEOSCOUNT: 0,
        ZCREATIONDATE: appleSeconds('2025-01-19T10:00:00Z'),
        ZTRASHEDSTATE: 0,
        ZISPINNED: 0,
        ZCUSTOMSORTASCENDING: 1,
        ZCUSTOMSORTKEY: 1,
      });
      a.assetPks.forEach((assetPk, i) =>
        insertRow(db, 'Z_28ASSETS', {
          Z_28ALBUMS: a.pk,
          Z_3ASSETS: assetPk,
          Z_FOK_3ASSETS: (i + 1) * 1024,
        }),
      );
    }
    writeCoreDataBookkeeping(
      db,
      [
        { ent: 1, name: 'AdditionalAssetAttributes', max: data.photos.length },
        { ent: 2, name: 'AlbumList', max: 0 },
        { ent: 3, name: 'Asset', max: data.photos.length },
        { ent: 27, name: 'GenericAlbum', max: data.albums.length },
        { ent: 28, name: 'Album', superEnt: 27, max: 0 },
      ],
      {
        storeUUID: demoUUID('photos-library'),
        frameworkVersion: 1340,
        modelVersionIdentifiers: [''],
      },
    );
  });
  return [
    {
      domain: 'CameraRollDomain',
      relativePath: 'Media/PhotoData/Photos.sqlite',
      data: db,
      modified: asDate('2025-02-14T19:06:00Z'),
    },
    ...files,
  ];
}
