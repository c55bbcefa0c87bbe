import { posix } from 'node:path';
import type { ExportSet } from './export-set.js';
import { partOf } from './discover.js';
import { LIMITS } from './limits.js';
import { MEDIA_NAME } from './media-type.js';
import { csvRecords, decodeText, headerKey, parseCsv } from './text.js';
import { FolderVolume, readHead, readWhole, type Volume } from './volume.js';

/**
 * What each archive of an export holds, told from its contents (names are translated, so zip and folder names are
 * never relied on): CSV headers, the first bytes of vCard / iCalendar / bookmark files, media files, and the
 * Title/Title.txt shape of notes. What fits no data type is listed, not guessed at.
 */

/** ignored: the other files of a folder of downloads, which fit no data type of an export (not read). */
export type VolumeCategory = 'photos' | 'shared-albums' | 'notes' | 'records' | 'drive' | 'ignored';

export type FileKind =
  | 'photo-details'
  | 'album-list'
  | 'notes-details'
  | 'bookmarks-csv'
  | 'csv'
  | 'vcard'
  | 'ical'
  | 'bookmarks-html'
  | 'media'
  | 'note-text'
  | 'other';

export interface CsvFile {
  volume: Volume;
  path: string;
  rows: Record<string, string>[];
  encoding: string;
}

export interface AlbumList {
  volume: Volume;
  path: string;
  title: string;
  names: string[];
  memory: boolean;
}

export interface FileAt {
  volume: Volume;
  path: string;
}

export interface CatalogProblem {
  /** The archive it concerns. */
  volume: Volume;
  severity: 'error' | 'warning';
  message: string;
}

const TEXT_NAME = /\.(csv|vcf|vcard|ics|ical|ifb|html?)$/i;
const PHOTO_NAME_KEYS = ['imgname', 'imagename', 'images'];

const base = (path: string) => posix.basename(path);
const stemOf = (name: string) => name.slice(0, name.length - posix.extname(name).length);
const withoutCopyNumber = (stem: string) => stem.replace(/-\d+$/, '');

/** Notes/[Folder/]Title/Title.txt (a second note of the same title: Title-1.txt). */
export function isNoteText(path: string): boolean {
  if (!/\.txt$/i.test(path)) return false;
  const folder = base(posix.dirname(path));
  const stem = stemOf(base(path));
  return folder !== '.' && withoutCopyNumber(folder) === withoutCopyNumber(stem);
}

function csvKind(keys: string[]): FileKind {
  if (keys.includes('imgname') && (keys.includes('originalcreationdate') || keys.length >= 5))
    return 'photo-details';
  if (PHOTO_NAME_KEYS.includes(keys[0] ?? '') && !keys.includes('originalcreationdate'))
    return 'album-list';
  if (keys.includes('title') && (keys.includes('created on') || keys.includes('modified on')))
    return 'notes-details';
  if (keys.includes('url') && (keys.includes('title') || keys.includes('name')))
    return 'bookmarks-csv';
  return 'csv';
}

function headKind(head: string): FileKind {
  const text = head
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 2048)
    .toUpperCase();
  if (text.startsWith('BEGIN:VCARD')) return 'vcard';
  if (text.startsWith('BEGIN:VCALENDAR')) return 'ical';
  if (text.includes('NETSCAPE-BOOKMARK-FILE')) return 'bookmarks-html';
  return 'other';
}

export class Catalog {
  readonly category = new Map<Volume, VolumeCategory>();
  readonly kinds = new Map<Volume, Map<string, FileKind>>();
  readonly photoDetails: CsvFile[] = [];
  readonly albumLists: AlbumList[] = [];
  readonly notesDetails: CsvFile[] = [];
  readonly bookmarkCsvs: CsvFile[] = [];
  readonly vcards: FileAt[] = [];
  readonly calendars: FileAt[] = [];
  readonly bookmarkPages: FileAt[] = [];
  /** Files of photo, notes or record archives that fit no data type. */
  readonly unfit: Array<FileAt & { category: VolumeCategory }> = [];
  readonly problems: CatalogProblem[] = [];

  private constructor(private readonly set: ExportSet) {}

  static async build(set: ExportSet): Promise<Catalog> {
    const catalog = new Catalog(set);
    for (const volume of set.volumes) await catalog.sniff(volume);
    for (const volume of set.volumes) catalog.categorise(volume);
    for (const volume of set.volumes) catalog.collect(volume);
    // A CSV of bookmarks in an archive of other files is one of those files (iCloud Drive), not Safari data.
    const kept = (f: { volume: Volume }) =>
      !['drive', 'ignored'].includes(catalog.category.get(f.volume)!);
    catalog.bookmarkCsvs.splice(0, Infinity, ...catalog.bookmarkCsvs.filter(kept));
    return catalog;
  }

  volumesOf(category: VolumeCategory): Volume[] {
    return this.set.volumes.filter((v) => this.category.get(v) === category);
  }

  kindOf(volume: Volume, path: string): FileKind {
    return this.kinds.get(volume)?.get(path) ?? 'other';
  }

  private async sniff(volume: Volume): Promise<void> {
    const kinds = new Map<string, FileKind>();
    this.kinds.set(volume, kinds);
    for (const file of volume.files.values()) {
      if (MEDIA_NAME.test(file.path)) kinds.set(file.path, 'media');
      else if (isNoteText(file.path)) kinds.set(file.path, 'note-text');
      else if (!TEXT_NAME.test(file.path)) kinds.set(file.path, 'other');
      else if (/\.csv$/i.test(file.path))
        kinds.set(file.path, await this.readCsv(volume, file.path));
      else {
        try {
          kinds.set(file.path, headKind(decodeText(await readHead(volume, file.path, 4096)).text));
        } catch (error) {
          this.fail(volume, file.path, error);
          kinds.set(file.path, 'other');
        }
      }
    }
  }

  private async readCsv(volume: Volume, path: string): Promise<FileKind> {
    try {
      const { text, encoding } = decodeText(await readWhole(volume, path, LIMITS.textFile));
      const rows = parseCsv(text);
      const kind = csvKind((rows[0] ?? []).map(headerKey));
      const file: CsvFile = { volume, path, rows: csvRecords(rows), encoding };
      if (kind === 'photo-details') this.photoDetails.push(file);
      else if (kind === 'notes-details') this.notesDetails.push(file);
      else if (kind === 'bookmarks-csv') this.bookmarkCsvs.push(file);
      else if (kind === 'album-list')
        this.albumLists.push({
          volume,
          path,
          title: stemOf(base(path)),
          names: rows
            .slice(1)
            .map((r) => (r[0] ?? '').trim())
            .filter(Boolean),
          memory: /(^|\/)memories\//i.test(path),
        });
      return kind;
    } catch (error) {
      this.fail(volume, path, error);
      return 'other';
    }
  }

  private fail(volume: Volume, path: string, error: unknown) {
    this.problems.push({
      volume,
      severity: 'error',
      message: `${volume.id}: ${path}: could not be read (${(error as Error).message})`,
    });
  }

  private categorise(volume: Volume): void {
    const kinds = [...this.kinds.get(volume)!.values()];
    const has = (k: FileKind) => kinds.includes(k);
    let category: VolumeCategory;
    if (has('photo-details') || has('album-list')) category = 'photos';
    else if (has('notes-details')) category = 'notes';
    else if (has('media') && this.insidePhotos(volume)) category = 'shared-albums';
    else if (has('media') && this.photoSibling(volume)) category = 'photos';
    else if (
      kinds.length > 0 &&
      kinds.every((k) => ['vcard', 'ical', 'bookmarks-html', 'bookmarks-csv'].includes(k))
    )
      category = 'records';
    else if (has('note-text') && this.allInNoteFolders(volume)) category = 'notes';
    else category = volume instanceof FolderVolume && volume.loose ? 'ignored' : 'drive';
    this.category.set(volume, category);
  }

  private insidePhotos(volume: Volume): boolean {
    for (let p = volume.parent; p; p = p.parent) {
      const c = this.category.get(p);
      if (c === 'photos' || c === 'shared-albums') return true;
    }
    return false;
  }

  /** Another part of the same split download ("… Part 2 of 6") holds photos. */
  private photoSibling(volume: Volume): boolean {
    if (volume.parent) return false;
    const own = partOf(volume.name);
    if (!own) return false;
    return this.set.volumes.some((v) => {
      const p = !v.parent && v !== volume ? partOf(v.name) : null;
      return (
        p !== null &&
        p.prefix.toLowerCase() === own.prefix.toLowerCase() &&
        p.of === own.of &&
        [...(this.kinds.get(v)?.values() ?? [])].some(
          (k) => k === 'photo-details' || k === 'album-list',
        )
      );
    });
  }

  private noteFolders(volume: Volume): Set<string> {
    const folders = new Set<string>();
    for (const [path, kind] of this.kinds.get(volume)!)
      if (kind === 'note-text') folders.add(posix.dirname(path));
    return folders;
  }

  private allInNoteFolders(volume: Volume): boolean {
    const folders = this.noteFolders(volume);
    return [...volume.files.keys()].every((p) => folders.has(posix.dirname(p)));
  }

  private collect(volume: Volume): void {
    const category = this.category.get(volume)!;
    const kinds = this.kinds.get(volume)!;
    const noteFolders = category === 'notes' ? this.noteFolders(volume) : new Set<string>();
    for (const [path, kind] of kinds) {
      const at = { volume, path };
      if (category === 'drive' || category === 'ignored') continue;
      if (category === 'records' || category === 'photos' || category === 'notes') {
        if (kind === 'vcard') this.vcards.push(at);
        else if (kind === 'ical') this.calendars.push(at);
        else if (kind === 'bookmarks-html') this.bookmarkPages.push(at);
      }
      const fits =
        (category === 'photos' && ['media', 'photo-details', 'album-list'].includes(kind)) ||
        (category === 'shared-albums' && (kind === 'media' || /\.json$/i.test(path))) ||
        (category === 'notes' &&
          (kind === 'notes-details' || noteFolders.has(posix.dirname(path)))) ||
        ['vcard', 'ical', 'bookmarks-html', 'bookmarks-csv'].includes(kind);
      if (!fits) this.unfit.push({ ...at, category });
    }
  }
}
