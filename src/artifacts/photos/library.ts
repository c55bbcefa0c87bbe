import { fromAppleTime } from '../apple-time.js';
import { quoteIdentifier, type ArtifactDatabase, type Row } from '../database.js';
import { num, text } from '../sql-values.js';
import { readColumns } from '../known-schema.js';
import { emptyAsset, kindFromName, type PhotoAsset } from './model.js';
import { PHOTOS_SCHEMA } from './schema.js';

/**
 * Reads Photos.sqlite (Media/PhotoData/Photos.sqlite). The asset table is ZASSET from iOS 14 and ZGENERICASSET
 * before; the album/asset join table is named after Core Data entity numbers that change with every model
 * version (Z_26ASSETS on iOS 13, Z_28ASSETS on iOS 16-17.5, ...), so it is discovered from the schema here.
 */

export interface LibraryRead {
  assetTable: string;
  assets: PhotoAsset[];
  /** The join table used for albums, or null when none was found. */
  joinTable: string | null;
  warnings: string[];
}

/** Photos.sqlite does not have the columns this reader needs: the caller falls back to the DCIM files. */
export class UnknownPhotosSchema extends Error {}

export interface AlbumJoin {
  table: string;
  albumColumn: string;
  assetColumn: string;
  orderColumn: string | null;
}

/**
 * The album <-> asset join table: Z_<N>ASSETS(Z_<N>ALBUMS, Z_<M>ASSETS[, Z_FOK_<M>ASSETS]) where N is the Z_ENT of
 * the Album entity (Z_PRIMARYKEY); when that does not lead to a table, any table named exactly Z_<n>ASSETS that
 * has a Z_<n>ALBUMS column (memories' tables such as Z_34MEMORIESBEINGCURATEDASSETS do not match).
 */
export function findAlbumJoin(db: ArtifactDatabase): AlbumJoin | null {
  const candidates: string[] = [];
  if (db.hasTable('Z_PRIMARYKEY')) {
    for (const row of db.all<{ Z_ENT: number }>(
      "SELECT Z_ENT FROM Z_PRIMARYKEY WHERE Z_NAME = 'Album'",
    ))
      candidates.push(`Z_${row.Z_ENT}ASSETS`);
  }
  for (const name of db.tables())
    if (
      /^Z_\d+ASSETS$/i.test(name) &&
      !candidates.some((c) => c.toLowerCase() === name.toLowerCase())
    )
      candidates.push(name);
  for (const table of candidates) {
    if (!db.hasTable(table)) continue;
    const n = /^Z_(\d+)ASSETS$/i.exec(table)![1];
    const columns = db.columns(table);
    const albumColumn = columns.find((c) => c.toUpperCase() === `Z_${n}ALBUMS`);
    const assetColumn = columns.find((c) => /^Z_\d+ASSETS$/i.test(c));
    if (!albumColumn || !assetColumn) continue;
    const m = /^Z_(\d+)ASSETS$/i.exec(assetColumn)![1];
    const orderColumn = columns.find((c) => c.toUpperCase() === `Z_FOK_${m}ASSETS`) ?? null;
    return { table, albumColumn, assetColumn, orderColumn };
  }
  return null;
}

/**
 * Who else added a Shared Library asset: ZASSETCONTRIBUTOR (Z<n>LIBRARYSCOPEASSETCONTRIBUTORS = the asset)
 * → ZSHAREPARTICIPANT, when that participant is not the owner (ZISCURRENTUSER 0); by e-mail or phone.
 */
function sharedLibraryContributors(db: ArtifactDatabase): Map<number, string> {
  const out = new Map<number, string>();
  if (!db.hasTable('ZASSETCONTRIBUTOR') || !db.hasTable('ZSHAREPARTICIPANT')) return out;
  const link = db
    .columns('ZASSETCONTRIBUTOR')
    .find((c) => /^Z\d+LIBRARYSCOPEASSETCONTRIBUTORS$/i.test(c));
  const p = new Set(db.columns('ZSHAREPARTICIPANT').map((c) => c.toUpperCase()));
  if (!link || !db.hasColumn('ZASSETCONTRIBUTOR', 'ZPARTICIPANT')) return out;
  const col = (c: string) => (p.has(c) ? `p.${c}` : 'NULL');
  for (const r of db.all<Row>(
    `SELECT c.${quoteIdentifier(link)} AS asset, ${col('ZISCURRENTUSER')} AS me, ${col('ZEMAILADDRESS')} AS email, ${col('ZPHONENUMBER')} AS phone
     FROM ZASSETCONTRIBUTOR c JOIN ZSHAREPARTICIPANT p ON p.Z_PK = c.ZPARTICIPANT`,
  )) {
    const asset = num(r['asset']);
    const who = text(r['email']) ?? text(r['phone']);
    if (asset !== null && who && num(r['me']) !== 1) out.set(asset, who);
  }
  return out;
}

/** Photos.sqlite stores -180 (both coordinates) for "no location". */
function coordinates(
  lat: unknown,
  lon: unknown,
): { latitude: number | null; longitude: number | null } {
  const la = num(lat),
    lo = num(lon);
  if (
    la === null ||
    lo === null ||
    (la === -180 && lo === -180) ||
    Math.abs(la) > 90 ||
    Math.abs(lo) > 180 ||
    (la === 0 && lo === 0)
  ) {
    return { latitude: null, longitude: null };
  }
  return { latitude: la, longitude: lo };
}

export function readLibrary(db: ArtifactDatabase): LibraryRead {
  const assetTable = db.hasTable('ZASSET')
    ? 'ZASSET'
    : db.hasTable('ZGENERICASSET')
      ? 'ZGENERICASSET'
      : null;
  if (!assetTable) throw new UnknownPhotosSchema('no asset table (ZASSET or ZGENERICASSET)');
  const has = new Set(db.columns(assetTable).map((c) => c.toUpperCase()));
  for (const needed of ['Z_PK', 'ZFILENAME', 'ZDIRECTORY']) {
    if (!has.has(needed)) throw new UnknownPhotosSchema(`${assetTable} has no ${needed} column`);
  }
  const warnings: string[] = [];
  const a = (column: string) => (has.has(column) ? `a.${column}` : 'NULL');

  // Additional attributes: original file name and title.
  let attrJoin = '';
  let attrSelect = 'NULL AS ORIGINALNAME, NULL AS TITLE, NULL AS TZOFFSET';
  if (db.hasTable('ZADDITIONALASSETATTRIBUTES')) {
    const attr = new Set(db.columns('ZADDITIONALASSETATTRIBUTES').map((c) => c.toUpperCase()));
    const on = has.has('ZADDITIONALATTRIBUTES')
      ? 'aa.Z_PK = a.ZADDITIONALATTRIBUTES'
      : attr.has('ZASSET')
        ? 'aa.ZASSET = a.Z_PK'
        : null;
    if (on) {
      attrJoin = `LEFT JOIN ZADDITIONALASSETATTRIBUTES aa ON ${on}`;
      attrSelect = `${attr.has('ZORIGINALFILENAME') ? 'aa.ZORIGINALFILENAME' : 'NULL'} AS ORIGINALNAME, ${attr.has('ZTITLE') ? 'aa.ZTITLE' : 'NULL'} AS TITLE, ${attr.has('ZTIMEZONEOFFSET') ? 'aa.ZTIMEZONEOFFSET' : 'NULL'} AS TZOFFSET`;
    }
  }
  const albumsByAsset = new Map<number, string[]>();
  const join = findAlbumJoin(db);
  if (!join) {
    warnings.push('Photos.sqlite: no album join table found (albums are not listed)');
  } else if (db.hasTable('ZGENERICALBUM') && db.hasColumn('ZGENERICALBUM', 'ZTITLE')) {
    const albumCols = new Set(db.columns('ZGENERICALBUM').map((c) => c.toUpperCase()));
    const notTrashed = albumCols.has('ZTRASHEDSTATE') ? 'AND COALESCE(g.ZTRASHEDSTATE, 0) = 0' : '';
    const order = join.orderColumn ? `j.${quoteIdentifier(join.orderColumn)}` : 'j.rowid';
    const links = db.all<{ asset: number; title: string }>(
      `SELECT j.${quoteIdentifier(join.assetColumn)} AS asset, g.ZTITLE AS title FROM ${quoteIdentifier(join.table)} j
       JOIN ZGENERICALBUM g ON g.Z_PK = j.${quoteIdentifier(join.albumColumn)}
       WHERE g.ZTITLE IS NOT NULL AND g.ZTITLE != '' ${notTrashed} ORDER BY g.ZTITLE, ${order}`,
    );
    for (const link of links) {
      const list = albumsByAsset.get(Number(link.asset)) ?? [];
      if (!list.includes(link.title)) list.push(link.title);
      albumsByAsset.set(Number(link.asset), list);
    }
  }

  const contributors = sharedLibraryContributors(db);
  const assets: PhotoAsset[] = [];
  const columns = ['Z_PK', ...readColumns(PHOTOS_SCHEMA.tables['ZASSET|ZGENERICASSET'])];
  // One row at a time (the other queries are done): a library's rows never sit in memory all at once.
  for (const row of db.iterate<Row>(
    `SELECT ${columns.map((c) => `${a(c)} AS ${c}`).join(', ')}, ${attrSelect} FROM ${quoteIdentifier(assetTable)} a ${attrJoin} ORDER BY a.Z_PK`,
  )) {
    const filename = text(row['ZFILENAME']);
    const pk = num(row['Z_PK'])!;
    if (!filename) {
      warnings.push(`Photos.sqlite: asset ${pk} has no file name (skipped)`);
      continue;
    }
    const asset = emptyAsset(text(row['ZUUID']) ?? `pk:${pk}`, filename);
    asset.pk = pk;
    const original = text(row['ORIGINALNAME']);
    asset.originalFilename = original && original !== filename ? original : null;
    asset.directory = text(row['ZDIRECTORY']);
    const kind = num(row['ZKIND']);
    asset.kind = kind === 0 ? 'photo' : kind === 1 ? 'video' : kindFromName(filename);
    const subtype = num(row['ZKINDSUBTYPE']);
    asset.uti = text(row['ZUNIFORMTYPEIDENTIFIER']);
    asset.title = text(row['TITLE']);
    asset.created = fromAppleTime(row['ZDATECREATED']);
    asset.dateSource = asset.created ? 'library' : 'unknown';
    const offset = num(row['TZOFFSET']);
    asset.timeZoneOffset = offset !== null && Math.abs(offset) <= 14 * 3600 ? offset : null;
    asset.added = fromAppleTime(row['ZADDEDDATE']);
    asset.modified = fromAppleTime(row['ZMODIFICATIONDATE']);
    asset.width = num(row['ZWIDTH']) || null;
    asset.height = num(row['ZHEIGHT']) || null;
    const duration = num(row['ZDURATION']);
    asset.duration = asset.kind === 'video' && duration ? duration : null;
    Object.assign(asset, coordinates(row['ZLATITUDE'], row['ZLONGITUDE']));
    asset.favorite = num(row['ZFAVORITE']) === 1;
    asset.hidden = num(row['ZHIDDEN']) === 1;
    asset.trashed = num(row['ZTRASHEDSTATE']) === 1;
    asset.trashedAt = asset.trashed ? fromAppleTime(row['ZTRASHEDDATE']) : null;
    asset.screenshot = subtype === 10 || num(row['ZISDETECTEDSCREENSHOT']) === 1;
    asset.livePhoto = asset.kind === 'photo' && (subtype === 2 || num(row['ZPLAYBACKSTYLE']) === 3);
    asset.burstId = text(row['ZAVALANCHEUUID']);
    asset.burstPick =
      asset.burstId !== null && ((num(row['ZAVALANCHEPICKTYPE']) ?? 0) & (4 | 8 | 16)) !== 0;
    // ZHASADJUSTMENTS up to iOS 17; ZADJUSTMENTSSTATE (0 none, 2 Photos edit, 3 camera) from iOS 18.
    asset.edited =
      (num(row['ZHASADJUSTMENTS']) ?? 0) !== 0 || (num(row['ZADJUSTMENTSSTATE']) ?? 0) > 0;
    if (num(row['ZACTIVELIBRARYSCOPEPARTICIPATIONSTATE']) === 1) {
      asset.sharedLibrary = true;
      asset.contributor = contributors.get(pk) ?? null;
    }
    asset.inICloud =
      text(row['ZCLOUDASSETGUID']) !== null || (num(row['ZCLOUDLOCALSTATE']) ?? 0) === 1;
    asset.albums = albumsByAsset.get(pk) ?? [];
    assets.push(asset);
  }
  return { assetTable, assets, joinTable: join?.table ?? null, warnings };
}
