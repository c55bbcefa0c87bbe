import { posix } from 'node:path';
import { emptyData, type ArtifactData, type Problem } from '../artifacts/artifact.js';
import { movieHeader, readExif } from '../artifacts/photos/media-date.js';
import {
  emptyAsset,
  kindFromName,
  type PhotoAsset,
  type PhotoFile,
} from '../artifacts/photos/model.js';
import type { Catalog, CsvFile } from './catalog.js';
import { isYes, parsePhotoDate } from './dates.js';
import { LIMITS } from './limits.js';
import { rightExtension, sniffMedia } from './media-type.js';
import { inParallel, sample } from './util.js';
import { readHead, readWhole, type Volume, type VolumeFile } from './volume.js';

/**
 * iCloud Photos of an export as PhotoAsset records (the backup photo exporter writes them). Each Photo Details row
 * is matched to a file of its own part (never by bare name across parts); a Live Photo's MOV joins its still;
 * dates come from the file's EXIF or movie header, else from the row (UTC, minute resolution); albums and
 * memories are resolved in their own part first; the zips nested in a part are shared albums.
 */

const lower = (s: string) => s.toLowerCase();
const extOf = (name: string) => posix.extname(name);
const stemOf = (name: string) => name.slice(0, name.length - extOf(name).length);
const base = (path: string) => posix.basename(path);
const dir = (path: string) => posix.dirname(path);
const naturally = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

interface Row {
  csv: CsvFile;
  index: number;
  cells: Record<string, string>;
}

interface Placed {
  asset: PhotoAsset;
  volume: Volume;
  /** The original file (absent for a row whose file is not in the export). */
  file: VolumeFile | null;
  row: Row | null;
}

function fileRef(volume: Volume, file: VolumeFile, role: PhotoFile['role']): PhotoFile {
  return { role, domain: volume.id, relativePath: file.path, size: file.size };
}

/** Counts of what needs telling, with a few examples each. */
class Tally {
  private readonly counts = new Map<string, string[]>();

  add(key: string, example: string): void {
    const list = this.counts.get(key) ?? [];
    list.push(example);
    this.counts.set(key, list);
  }

  lines(severity: Problem['severity'], text: Record<string, (n: number, e: string) => string>) {
    return [...this.counts].map(([key, examples]) => ({
      severity,
      message: text[key]!(examples.length, sample(examples)),
    }));
  }
}

export class PhotosReader {
  private readonly placed: Placed[] = [];
  private readonly tally = new Tally();
  private readonly data = emptyData<PhotoAsset>('photos');

  constructor(private readonly catalog: Catalog) {}

  async read(): Promise<ArtifactData<PhotoAsset>> {
    for (const volume of this.catalog.volumesOf('photos')) this.readPart(volume);
    for (const volume of this.catalog.volumesOf('shared-albums')) this.readSharedAlbums(volume);
    this.readAlbumLists();
    await inParallel(this.placed, 4, (p) => this.readEmbedded(p));
    this.data.items.push(...this.placed.map((p) => p.asset));
    this.report();
    return this.data;
  }

  /** One part (or extracted part): its Photo Details rows matched to its own files, then the files without rows. */
  private readPart(volume: Volume): void {
    const media = [...volume.files.values()].filter(
      (f) => this.catalog.kindOf(volume, f.path) === 'media',
    );
    const byName = new Map<string, VolumeFile[]>();
    for (const f of media) {
      const name = lower(base(f.path));
      byName.set(name, [...(byName.get(name) ?? []), f]);
      const copy = /^(.*)-\d+(\.[^.]+)$/.exec(name);
      if (copy) byName.set(copy[1]! + copy[2]!, [...(byName.get(copy[1]! + copy[2]!) ?? []), f]);
    }
    const claimed = new Set<string>();
    const rows: Row[] = this.catalog.photoDetails
      .filter((c) => c.volume === volume)
      .sort((a, b) => naturally(a.path.replace(/\.csv$/i, ''), b.path.replace(/\.csv$/i, '')))
      .flatMap((csv) => csv.rows.map((cells, index) => ({ csv, index, cells })));
    if (rows.length === 0 && media.length > 0)
      this.tally.add('no-details', `${volume.id} (${media.length} files)`);
    const deletedDirs = new Set<string>();
    const fromRows: Placed[] = [];
    for (const row of rows) {
      const name = row.cells['imgname'] ?? '';
      if (!name) {
        this.tally.add('nameless', `${row.csv.path} row ${row.index + 2}`);
        continue;
      }
      const deleted = isYes(row.cells['deleted']);
      const csvDir = dir(row.csv.path);
      const wanted = lower(name);
      const file =
        (byName.get(wanted) ?? [])
          .filter((f) => !claimed.has(f.path))
          .sort(
            (a, b) =>
              Number(lower(base(a.path)) !== wanted) - Number(lower(base(b.path)) !== wanted) ||
              Number((dir(a.path) === csvDir) === deleted) -
                Number((dir(b.path) === csvDir) === deleted) ||
              naturally(a.path, b.path),
          )[0] ?? null;
      if (file) {
        claimed.add(file.path);
        if (deleted) deletedDirs.add(dir(file.path));
      } else this.tally.add('rowless', `${name} (${volume.id})`);
      fromRows.push(this.place(volume, file, row));
    }
    this.movePlaceholderRows(volume, fromRows, media, claimed);
    const loose = media.filter((f) => !claimed.has(f.path));
    const extra = loose.map((f) => {
      const placed = this.place(volume, f, null);
      placed.asset.trashed = deletedDirs.has(dir(f.path));
      return placed;
    });
    this.pairLivePhotos([...fromRows, ...extra]);
  }

  /**
   * A 0-byte "X.MOV" whose real bytes sit beside it as "X-1.MOV" with no row of its own: the row describes that
   * file (said in its note), and the placeholder is reported, not exported.
   */
  private movePlaceholderRows(
    volume: Volume,
    placed: Placed[],
    media: VolumeFile[],
    claimed: Set<string>,
  ): void {
    for (const p of placed) {
      if (!p.file || p.file.size > 0 || !p.row) continue;
      const name = base(p.file.path);
      const pattern = new RegExp(
        `^${stemOf(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+${extOf(name).replace('.', '\\.')}$`,
        'i',
      );
      const real = media.find(
        (f) =>
          !claimed.has(f.path) &&
          f.size > 0 &&
          dir(f.path) === dir(p.file!.path) &&
          pattern.test(base(f.path)),
      );
      if (!real) continue;
      claimed.add(real.path);
      const moved = this.place(volume, real, p.row);
      moved.asset.note = `described by the Photo Details row of ${name}, a 0-byte placeholder beside it`;
      placed.push(moved);
    }
  }

  /** Shared albums: media in <album>/ folders of a zip nested in a Photos part (AlbumInfo.json names them). */
  private readSharedAlbums(volume: Volume): void {
    const media = [...volume.files.values()].filter(
      (f) => this.catalog.kindOf(volume, f.path) === 'media',
    );
    const placed = media.map((f) => {
      const p = this.place(volume, f, null);
      const folder = dir(f.path);
      const title = folder === '.' ? stemOf(volume.name) : base(folder);
      p.asset.albums = [title];
      p.asset.sharedAlbums = [title];
      return p;
    });
    this.pairLivePhotos(placed);
  }

  private place(volume: Volume, file: VolumeFile | null, row: Row | null): Placed {
    const name = file ? base(file.path) : (row?.cells['imgname'] ?? 'unknown');
    const id = file
      ? `icloud:${volume.id}/${file.path}`
      : `icloud:${volume.id}/${row!.csv.path}#${row!.index + 1}`;
    const asset = emptyAsset(id, name);
    asset.directory = file ? `${volume.id}/${dir(file.path)}` : volume.id;
    asset.kind = kindFromName(name);
    asset.inICloud = true;
    if (row) {
      asset.favorite = isYes(row.cells['favorite']);
      asset.hidden = isYes(row.cells['hidden']);
      asset.trashed = isYes(row.cells['deleted']);
      asset.added = parsePhotoDate(row.cells['importdate']);
      const created = parsePhotoDate(row.cells['originalcreationdate']);
      if (created) {
        asset.created = created;
        asset.dateSource = 'export-details';
      }
    }
    if (file && file.size > 0) {
      asset.files.push(fileRef(volume, file, 'original'));
      asset.availability = 'original';
    } else if (file) {
      asset.note = 'a 0-byte placeholder in the export: reported, not exported';
      this.tally.add('placeholder', `${name} (${volume.id})`);
    } else {
      asset.note = `listed in ${row!.csv.path} but not in ${volume.id}`;
    }
    const placed: Placed = { asset, volume, file, row };
    this.placed.push(placed);
    return placed;
  }

  /** IMG_1.HEIC + IMG_1.MOV in one folder of one part: the video joins the still (its own row, if any, goes). */
  private pairLivePhotos(placed: Placed[]): void {
    const stills = new Map<string, Placed>();
    for (const p of placed)
      if (p.file && p.file.size > 0 && p.asset.kind === 'photo')
        stills.set(lower(`${dir(p.file.path)}/${stemOf(base(p.file.path))}`), p);
    for (const p of placed) {
      if (!p.file || p.file.size === 0 || p.asset.kind !== 'video') continue;
      const still = stills.get(lower(`${dir(p.file.path)}/${stemOf(base(p.file.path))}`));
      if (!still || still.asset.livePhoto) continue;
      still.asset.livePhoto = true;
      still.asset.files.push(fileRef(p.volume, p.file, 'live-video'));
      this.placed.splice(this.placed.indexOf(p), 1);
    }
  }

  /** Album and memory lists (file names only): resolved in their own part first, else by a name unique in the export. */
  private readAlbumLists(): void {
    const memories = new Set(
      this.catalog.albumLists.filter((l) => l.memory).map((l) => `${l.volume.id}\0${l.title}`),
    );
    const byName = new Map<string, Placed[]>();
    for (const p of this.placed) {
      if (!p.file) continue;
      const names = [base(p.file.path), p.row?.cells['imgname']].filter(Boolean) as string[];
      for (const n of new Set(names.map(lower))) byName.set(n, [...(byName.get(n) ?? []), p]);
    }
    for (const list of this.catalog.albumLists) {
      // "Celebration 7 Aug 20211.csv" beside "Celebration 7 Aug 2021.csv": the same memory again.
      const repeat = /^(.*\d{4})\d{1,2}$/.exec(list.title);
      const title =
        list.memory && repeat && memories.has(`${list.volume.id}\0${repeat[1]}`)
          ? repeat[1]!
          : list.title;
      for (const name of list.names) {
        const all = (byName.get(lower(name)) ?? []).filter(
          (p) => p.asset.availability !== 'missing',
        );
        const own = all.filter((p) => p.volume === list.volume);
        const pick = own.length > 0 ? own : new Set(all.map((p) => p.volume)).size === 1 ? all : [];
        if (pick.length === 0) {
          this.tally.add(all.length ? 'album-ambiguous' : 'album-missing', `${name} (${title})`);
          continue;
        }
        for (const p of pick) {
          if (!p.asset.albums.includes(title)) p.asset.albums.push(title);
          if (list.memory && !p.asset.memories?.includes(title))
            p.asset.memories = [...(p.asset.memories ?? []), title];
        }
      }
    }
  }

  /** The file's own bytes: its real type, and its EXIF or movie-header date when it has one. */
  private async readEmbedded(p: Placed): Promise<void> {
    if (!p.file || p.file.size === 0) return;
    const { asset, volume, file } = p;
    try {
      const head = await readHead(volume, file.path, LIMITS.photoHead);
      const type = sniffMedia(head);
      const right = rightExtension(file.path, type);
      if (right) {
        asset.files[0]!.extension = right;
        this.tally.add('wrong-type', `${base(file.path)} is ${type!.uti}`);
      }
      if (type) {
        asset.kind = type.kind;
        asset.uti = type.uti;
      }
      if (asset.kind === 'photo') {
        const exif = await readExif(head);
        if (exif?.taken) {
          asset.created = exif.taken;
          asset.dateSource = 'exif';
        }
        asset.latitude = exif?.latitude ?? null;
        asset.longitude = exif?.longitude ?? null;
        asset.width = exif?.width ?? null;
        asset.height = exif?.height ?? null;
      } else if (asset.kind === 'video') {
        const source =
          (await volume.byteSource(file.path)) ??
          (file.size <= LIMITS.inflateForHeader
            ? bufferSource(await readWhole(volume, file.path, LIMITS.inflateForHeader))
            : null);
        const header = source ? await movieHeader(source) : null;
        if (header?.created) {
          asset.created = header.created;
          asset.dateSource = 'media-header';
        }
        asset.duration = header?.duration ?? null;
      }
      for (const live of asset.files.slice(1)) {
        const liveHead = await readHead(volume, live.relativePath, 64);
        const liveRight = rightExtension(live.relativePath, sniffMedia(liveHead));
        if (liveRight) live.extension = liveRight;
      }
    } catch (error) {
      this.data.problems.push({
        severity: 'error',
        message: `${volume.id}: ${file.path}: could not be read (${(error as Error).message})`,
      });
    }
    if (asset.dateSource === 'unknown') this.tally.add('undated', base(file.path));
  }

  private report(): void {
    const warnings = this.tally.lines('warning', {
      'no-details': (n, e) =>
        `${n} part(s) hold photos without any Photo Details CSV: ${e}; dated from their own EXIF or movie header`,
      nameless: (n, e) => `${n} Photo Details row(s) name no file: ${e}`,
      rowless: (n, e) =>
        `${n} Photo Details row(s) name a file their part does not hold (listed in photos.csv): ${e}`,
      placeholder: (n, e) => `${n} 0-byte placeholder file(s): reported, not exported: ${e}`,
      'wrong-type': (n, e) =>
        `${n} file(s) whose bytes are another type than their name says, exported under the right extension: ${e}`,
      undated: (n, e) =>
        `${n} photo(s)/video(s) with no date in their file or in Photo Details (in "Unknown date"): ${e}`,
      'album-missing': (n, e) =>
        `${n} album or memory entr(y/ies) name a file not in this export: ${e}`,
      'album-ambiguous': (n, e) =>
        `${n} album or memory entr(y/ies) name a file that several parts hold, so not placed: ${e}`,
    });
    this.data.problems.push(...warnings);
    const unlisted = this.placed.filter((p) => p.file && !p.row && !p.asset.sharedAlbums).length;
    if (unlisted > 0)
      this.data.problems.push({
        severity: 'warning',
        message: `${unlisted} photo(s)/video(s) have no Photo Details row (exported, dated from their own EXIF or movie header)`,
      });
  }
}

function bufferSource(buffer: Buffer) {
  return {
    size: buffer.length,
    readAt: async (target: Buffer, position: number, length: number) =>
      buffer.copy(target, 0, position, Math.min(buffer.length, position + length)),
  };
}
