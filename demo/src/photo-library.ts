import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate } from './apple-time.js';
import {
  CORE_DATA_BOOKKEEPING_SCHEMA,
  writeCoreDataBookkeeping,
  type CoreDataEntity,
} from './core-data.js';
import { demoUUID } from './ids.js';
import { PHOTOS_IOS13_TABLES } from './schemas/photos-ios13.js';
import { PHOTOS_IOS17_0_TABLES } from './schemas/photos-ios17-0.js';
import { buildSqliteFile, insertRow, type Row } from './sqlite-file.js';

/**
 * A camera roll of any shape for tests and benchmarks: Photos.sqlite to the iOS 13 (ZGENERICASSET, Z_26ASSETS) or
 * iOS 16/17 (ZASSET, Z_28ASSETS) layout, plus the files of each asset where iOS keeps them: the original in
 * Media/<directory>/, a Live Photo's video beside it, an edited render in Media/PhotoData/Mutations/<directory>/<stem>/
 * Adjustments/FullSizeRender.<ext>, a thumbnail in Media/PhotoData/Thumbnails/V2/<directory>/<filename>/5005.JPG.
 * (The bundled demo backup uses photos.ts, which this does not change.)
 */

export type PhotoLibraryVersion = 'ios13' | 'ios17';

export interface LibraryAsset {
  pk: number;
  filename: string;
  /** Default DCIM/100APPLE. */
  directory?: string;
  kind: 'photo' | 'video';
  /** ZKINDSUBTYPE: 2 Live Photo, 10 screenshot, 101 slow motion ... (default 0). */
  subtype?: number;
  takenAt: string;
  /** Seconds east of UTC (ZTIMEZONEOFFSET). */
  timeZoneOffset?: number;
  width: number;
  height: number;
  duration?: number;
  location?: { latitude: number; longitude: number };
  favorite?: boolean;
  hidden?: boolean;
  trashedAt?: string;
  burst?: { uuid: string; pickType: number };
  cloudGuid?: string;
  title?: string;
  originalFilename?: string;
  /** The original's bytes; null: not in the backup. */
  original: Buffer | null;
  liveVideo?: Buffer;
  render?: { ext: 'jpg' | 'heic' | 'mov'; data: Buffer };
  thumbnail?: Buffer;
}

export interface LibraryAlbum {
  pk: number;
  title: string;
  assetPks: number[];
  trashed?: boolean;
}

interface Layout {
  tables: readonly string[];
  assetTable: string;
  join: { table: string; album: string; asset: string; order: string };
  assetEnt: number;
  albumEnt: number;
  entities: (assets: number, albums: number) => CoreDataEntity[];
  attributesHaveAsset: boolean;
}

const LAYOUTS: Record<PhotoLibraryVersion, Layout> = {
  ios17: {
    tables: PHOTOS_IOS17_0_TABLES,
    assetTable: 'ZASSET',
    join: { table: 'Z_28ASSETS', album: 'Z_28ALBUMS', asset: 'Z_3ASSETS', order: 'Z_FOK_3ASSETS' },
    assetEnt: 3,
    albumEnt: 28,
    attributesHaveAsset: true,
    entities: (assets, albums) => [
      { ent: 1, name: 'AdditionalAssetAttributes', max: assets },
      { ent: 2, name: 'AlbumList', max: 0 },
      { ent: 3, name: 'Asset', max: assets },
      { ent: 27, name: 'GenericAlbum', max: albums },
      { ent: 28, name: 'Album', superEnt: 27, max: 0 },
    ],
  },
  // Album 26, GenericAlbum 25, AlbumList 3 and GenericAsset 34 follow from the iOS 13 join table names; the rest
  // (AdditionalAssetAttributes 1, Asset 35 under GenericAsset, Memory 40) are assumptions.
  ios13: {
    tables: PHOTOS_IOS13_TABLES,
    assetTable: 'ZGENERICASSET',
    join: {
      table: 'Z_26ASSETS',
      album: 'Z_26ALBUMS',
      asset: 'Z_34ASSETS',
      order: 'Z_FOK_34ASSETS',
    },
    assetEnt: 35,
    albumEnt: 26,
    attributesHaveAsset: false,
    entities: (assets, albums) => [
      { ent: 1, name: 'AdditionalAssetAttributes', max: assets },
      { ent: 3, name: 'AlbumList', max: 0 },
      { ent: 25, name: 'GenericAlbum', max: albums },
      { ent: 26, name: 'Album', superEnt: 25, max: 0 },
      { ent: 34, name: 'GenericAsset', max: assets },
      { ent: 35, name: 'Asset', superEnt: 34, max: 0 },
      { ent: 40, name: 'Memory', max: 0 },
    ],
  },
};

const NO_LOCATION = -180;
const stem = (name: string) => name.replace(/\.[^.]*$/, '');

/** The bytes of Photos.sqlite for these assets and albums. */
export function buildPhotosSqlite(
  version: PhotoLibraryVersion,
  assets: readonly LibraryAsset[],
  albums: readonly LibraryAlbum[],
): Buffer {
  const layout = LAYOUTS[version];
  return buildSqliteFile([...layout.tables, ...CORE_DATA_BOOKKEEPING_SCHEMA], (db) => {
    for (const a of assets) {
      const created = appleSeconds(a.takenAt);
      const subtype = a.subtype ?? 0;
      const row: Row = {
        Z_PK: a.pk,
        Z_ENT: layout.assetEnt,
        Z_OPT: 1,
        ZADDITIONALATTRIBUTES: a.pk,
        ZCOMPLETE: 1,
        ZDATECREATED: created,
        ZADDEDDATE: created + 5,
        ZMODIFICATIONDATE: created + (a.render ? 600 : 5),
        ZDIRECTORY: a.directory ?? 'DCIM/100APPLE',
        ZFILENAME: a.filename,
        ZUUID: demoUUID(`${version}-asset-${a.pk}`),
        ZUNIFORMTYPEIDENTIFIER:
          a.kind === 'video'
            ? 'com.apple.quicktime-movie'
            : /\.heic$/i.test(a.filename)
              ? 'public.heic'
              : /\.png$/i.test(a.filename)
                ? 'public.png'
                : 'public.jpeg',
        ZKIND: a.kind === 'video' ? 1 : 0,
        ZKINDSUBTYPE: subtype,
        ZPLAYBACKSTYLE: a.kind === 'video' ? 4 : subtype === 2 ? 3 : 1,
        ZWIDTH: a.width,
        ZHEIGHT: a.height,
        ZORIENTATION: 1,
        ZDURATION: a.duration ?? 0,
        ZLATITUDE: a.location?.latitude ?? NO_LOCATION,
        ZLONGITUDE: a.location?.longitude ?? NO_LOCATION,
        ZFAVORITE: a.favorite ? 1 : 0,
        ZHIDDEN: a.hidden ? 1 : 0,
        ZTRASHEDSTATE: a.trashedAt ? 1 : 0,
        ZTRASHEDDATE: a.trashedAt ? appleSeconds(a.trashedAt) : null,
        ZAVALANCHEUUID: a.burst?.uuid ?? null,
        ZAVALANCHEPICKTYPE: a.burst?.pickType ?? 0,
        ZHASADJUSTMENTS: a.render ? 1 : 0,
        ZCLOUDASSETGUID: a.cloudGuid ?? null,
        ZCLOUDLOCALSTATE: a.cloudGuid ? 1 : 0,
        ZMEDIAGROUPUUID: subtype === 2 ? demoUUID(`${version}-live-${a.pk}`) : null,
        ZSAVEDASSETTYPE: 3,
        ZVISIBILITYSTATE: 0,
      };
      insertRow(db, layout.assetTable, row);
      insertRow(db, 'ZADDITIONALASSETATTRIBUTES', {
        Z_PK: a.pk,
        Z_ENT: 1,
        Z_OPT: 1,
        ...(layout.attributesHaveAsset ? { ZASSET: a.pk } : {}),
        ZORIGINALFILENAME: a.originalFilename ?? a.filename,
        ZORIGINALFILESIZE: a.original?.length ?? 0,
        ZTITLE: a.title ?? null,
        ZTIMEZONEOFFSET: a.timeZoneOffset ?? 0,
        ZTIMEZONENAME:
          a.timeZoneOffset !== undefined
            ? `GMT${a.timeZoneOffset >= 0 ? '+' : '-'}${Math.abs(a.timeZoneOffset / 3600)}`
            : 'GMT',
      });
    }
    for (const album of albums) {
      insertRow(db, 'ZGENERICALBUM', {
        Z_PK: album.pk,
        Z_ENT: layout.albumEnt,
        Z_OPT: 1,
        ZKIND: 2,
        ZTITLE: album.title,
        ZUUID: demoUUID(`${version}-album-${album.pk}`),
        ZCACHEDCOUNT: album.assetPks.length,
        ZTRASHEDSTATE: album.trashed ? 1 : 0,
        ZCREATIONDATE: appleSeconds('2024-01-01T00:00:00Z'),
      });
      album.assetPks.forEach((pk, i) =>
        insertRow(db, layout.join.table, {
          [layout.join.album]: album.pk,
          [layout.join.asset]: pk,
          [layout.join.order]: (i + 1) * 1024,
        }),
      );
    }
    writeCoreDataBookkeeping(db, layout.entities(assets.length, albums.length), {
      storeUUID: demoUUID(`${version}-photos-library`),
      frameworkVersion: 1340,
      modelVersionIdentifiers: [''],
    });
  });
}

/** Every backup file of the camera roll; `fileModified` is the backup's own file time (deliberately not the date taken). */
export function buildPhotoLibrary(
  version: PhotoLibraryVersion,
  assets: readonly LibraryAsset[],
  albums: readonly LibraryAlbum[],
  options: { fileModified?: Date; withDatabase?: boolean } = {},
): BackupFileInput[] {
  const modified = options.fileModified ?? asDate('2030-01-01T00:00:00Z');
  const files: BackupFileInput[] = [];
  if (options.withDatabase !== false) {
    files.push({
      domain: 'CameraRollDomain',
      relativePath: 'Media/PhotoData/Photos.sqlite',
      data: buildPhotosSqlite(version, assets, albums),
      modified,
    });
  }
  for (const a of assets) {
    const dir = a.directory ?? 'DCIM/100APPLE';
    if (a.original)
      files.push({
        domain: 'CameraRollDomain',
        relativePath: `Media/${dir}/${a.filename}`,
        data: a.original,
        modified,
      });
    if (a.liveVideo)
      files.push({
        domain: 'CameraRollDomain',
        relativePath: `Media/${dir}/${stem(a.filename)}.MOV`,
        data: a.liveVideo,
        modified,
      });
    if (a.render) {
      files.push({
        domain: 'CameraRollDomain',
        relativePath: `Media/PhotoData/Mutations/${dir}/${stem(a.filename)}/Adjustments/FullSizeRender.${a.render.ext}`,
        data: a.render.data,
        modified,
      });
    }
    if (a.thumbnail)
      files.push({
        domain: 'CameraRollDomain',
        relativePath: `Media/PhotoData/Thumbnails/V2/${dir}/${a.filename}/5005.JPG`,
        data: a.thumbnail,
        modified,
      });
  }
  return files;
}
