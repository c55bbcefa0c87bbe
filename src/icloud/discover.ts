import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { LIMITS } from './limits.js';
import { isZipName } from './volume.js';

/**
 * Where the archives of an export are: the zips of a folder of downloads (at any depth up to a few folders), the
 * folders parts were extracted into, or one zip given on its own. Only names and sizes are looked at here; what the
 * archives hold is read later, by content.
 */

/** "iCloud Photos Part 1 of 20", "iCloud Fotos Teil 1 von 37", "iCloud-bilder Del 1 av 6". */
export interface PartName {
  prefix: string;
  part: number;
  of: number;
  partWord: string;
  ofWord: string;
}

const PART = /^(.*\S)[\s_-]+(\p{L}+)\s+(\d{1,3})\s+(\p{L}+)\s+(\d{1,3})$/u;

export function partOf(name: string): PartName | null {
  const m = PART.exec(name.replace(/\.zip$/i, '').trim());
  if (!m) return null;
  const part = Number(m[3]);
  const of = Number(m[5]);
  if (part < 1 || of < 2 || part > of) return null;
  return { prefix: m[1]!, partWord: m[2]!, part, ofWord: m[4]!, of };
}

export interface LayoutZip {
  /** Absolute path. */
  path: string;
  /** Path relative to the folder given (the volume id). */
  id: string;
  size: number;
  modified: Date;
}

export interface LayoutFolder {
  path: string;
  id: string;
  /** Paths under it read as something else (parts' folders and zips found in a folder of downloads). */
  skip: Set<string>;
  /**
   * The other files of a folder of downloads (beside the zips): read only when they are recognisably part of an
   * export (Photo Details, notes, vCards…), never exported as files of their own.
   */
  loose?: boolean;
}

export interface ExportLayout {
  /** What the user named, resolved. */
  path: string;
  zips: LayoutZip[];
  folders: LayoutFolder[];
  /** Folders that are the extracted copy of a zip also here, by the zip's path: read only when the zip cannot be. */
  copies: Map<string, LayoutFolder>;
  /** Files or folders not looked at, with why. */
  notes: string[];
}

const stemOf = (name: string) => name.replace(/\.zip$/i, '');

/** A folder named like one of the export's zips ("iCloud Notes") that holds no zip itself: an extracted archive. */
function isExtractedArchive(dir: string): boolean {
  if (!/^icloud/i.test(basename(dir))) return false;
  try {
    return !readdirSync(dir).some((name) => isZipName(name));
  } catch {
    return false;
  }
}

/** The archives at `path` (a folder of downloads, an extracted part, or one zip); null when there are none. */
export function findExportLayout(path: string): ExportLayout | null {
  const root = resolve(path);
  if (!existsSync(root)) return null;
  const stat = statSync(root);
  const layout: ExportLayout = { path: root, zips: [], folders: [], copies: new Map(), notes: [] };
  if (stat.isFile()) {
    if (!isZipName(root)) return null;
    layout.zips.push({ path: root, id: basename(root), size: stat.size, modified: stat.mtime });
    return layout;
  }
  if (!stat.isDirectory()) return null;
  // A part extracted into its folder, or a folder an export's zip was extracted into ("iCloud Drive"): one archive.
  if (partOf(basename(root)) || isExtractedArchive(root)) {
    layout.folders.push({ path: root, id: `${basename(root)}/`, skip: new Set() });
    return layout;
  }
  const skip = new Set<string>();
  const walk = (dir: string, depth: number) => {
    const items = readdirSync(dir, { withFileTypes: true });
    const zipStems = new Map<string, string>();
    for (const item of items)
      if (item.isFile() && isZipName(item.name))
        zipStems.set(stemOf(item.name).toLowerCase(), item.name);
    for (const item of items) {
      const full = join(dir, item.name);
      const rel = relative(root, full).split(sep).join('/');
      if (item.isFile() && isZipName(item.name)) {
        if (layout.zips.length >= LIMITS.archivesPerSet) {
          layout.notes.push(`${rel}: more than ${LIMITS.archivesPerSet} zips; not read`);
          continue;
        }
        const s = lstatSync(full);
        layout.zips.push({ path: full, id: rel, size: s.size, modified: s.mtime });
        skip.add(rel);
      } else if (item.isDirectory()) {
        const zipName = zipStems.get(item.name.toLowerCase());
        if (zipName) {
          skip.add(rel);
          layout.copies.set(join(dir, zipName), { path: full, id: `${rel}/`, skip: new Set() });
          layout.notes.push(
            `${rel}/ looks like the extracted copy of ${zipName}: read from the zip (and from this folder only if the zip cannot be read)`,
          );
        } else if (partOf(item.name) || (depth === 0 && isExtractedArchive(full))) {
          skip.add(rel);
          layout.folders.push({ path: full, id: `${rel}/`, skip: new Set() });
        } else if (depth < LIMITS.archiveSearchDepth) walk(full, depth + 1);
      }
    }
  };
  walk(root, 0);
  layout.folders.unshift({ path: root, id: `${basename(root)}/`, skip, loose: true });
  return layout;
}

/** A missing part of a split category ("iCloud Photos Part 3 of 6"), named from its siblings. */
export interface MissingPart {
  name: string;
  prefix: string;
  part: number;
  of: number;
}

/** Parts named "… N of M" whose siblings are here but which are not. */
export function missingParts(names: string[]): MissingPart[] {
  const groups = new Map<string, { sample: PartName; present: Set<number> }>();
  for (const name of names) {
    const p = partOf(basename(name.replace(/\/$/, '')));
    if (!p) continue;
    const key = `${p.prefix.toLowerCase()}\0${p.of}`;
    const group = groups.get(key) ?? { sample: p, present: new Set<number>() };
    group.present.add(p.part);
    groups.set(key, group);
  }
  const missing: MissingPart[] = [];
  for (const { sample, present } of groups.values())
    for (let n = 1; n <= sample.of; n++)
      if (!present.has(n))
        missing.push({
          name: `${sample.prefix} ${sample.partWord} ${n} ${sample.ofWord} ${sample.of}`,
          prefix: sample.prefix,
          part: n,
          of: sample.of,
        });
  return missing;
}

/** Cheap test for `reclaim list`: a folder holding zips named like Apple's export, or its extracted parts. */
export function looksLikeIcloudExport(dir: string): boolean {
  try {
    if (!statSync(dir).isDirectory()) return false;
    return readdirSync(dir, { withFileTypes: true }).some((item) =>
      item.isDirectory()
        ? partOf(item.name) !== null
        : item.isFile() &&
          isZipName(item.name) &&
          (partOf(item.name) !== null || /^icloud/i.test(item.name)),
    );
  } catch {
    return false;
  }
}

/** What `reclaim list` and the UI show of an export before it is opened (names and sizes only). */
export interface ExportFolderSummary {
  path: string;
  archives: number;
  sizeOnDisk: number;
  newestArchive: string | null;
  missingParts: string[];
}

export function summarizeExportFolder(path: string): ExportFolderSummary | null {
  const layout = findExportLayout(path);
  if (!layout) return null;
  const newest = layout.zips.length
    ? Math.max(...layout.zips.map((z) => z.modified.getTime()))
    : null;
  return {
    path: layout.path,
    archives: layout.zips.length + layout.folders.filter((f) => f.path !== layout.path).length,
    sizeOnDisk: layout.zips.reduce((n, z) => n + z.size, 0),
    newestArchive: newest === null ? null : new Date(newest).toISOString(),
    missingParts: missingParts([
      ...layout.zips.map((z) => basename(z.path)),
      ...layout.folders.filter((f) => f.path !== layout.path).map((f) => basename(f.path)),
    ]).map((m) => `Part ${m.part} of ${m.of} is not here (${m.name}.zip)`),
  };
}
