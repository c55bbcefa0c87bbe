import type { ArtifactId } from '../artifacts/artifact.js';
import type { Catalog, VolumeCategory } from './catalog.js';

import type { ExportSet } from './export-set.js';

/** What `reclaim info` says about an iCloud data export. */
export interface IcloudExportDescription {
  path: string;
  title: string;
  archives: ArchiveDescription[];
  /** "iCloud Photos Part 3 of 6 is not here". */
  missingParts: string[];
  /** Every part of every split download is here, and every archive could be read. */
  complete: boolean;
  /** Files found per data type. */
  found: Array<{ id: ArtifactId; title: string; files: number; bytes: number }>;
  /** Files of photo, notes or record archives that fit no data type. */
  unfit: string[];
  problems: string[];
  /** What such an export never holds. */
  neverIncluded: string[];
  sizeOnDisk: number;
  /** The newest download, as a stand-in for the export's date. */
  newestArchive: string | null;
}

export interface ArchiveDescription {
  id: string;
  kind: 'zip' | 'folder';
  /** The archive it sits in (a zip inside a zip). */
  inside: string | null;
  size: number;
  files: number;
  holds: string;
}

export const NEVER_IN_EXPORTS = [
  'Messages, Health data and iCloud device backups are never in Apple\u2019s data export: they are end-to-end encrypted (or not offered). To read an iCloud backup, restore it to a device, make a computer backup, and open that with Reclaim.',
];

const HOLDS: Record<VolumeCategory, string> = {
  photos: 'iCloud Photos',
  'shared-albums': 'shared albums',
  notes: 'Notes',
  records: 'contacts, calendars, reminders or bookmarks',
  drive: 'files (iCloud Drive or other data)',
  ignored: 'nothing of an export (other files beside the archives: not read)',
};

export function describeExport(
  set: ExportSet,
  catalog: Catalog,
  missing: string[],
  problems: string[],
): IcloudExportDescription {
  const archives: ArchiveDescription[] = set.volumes.map((v) => ({
    id: v.id,
    kind: v.kind,
    inside: v.parent?.id ?? null,
    size: v.size,
    files: v.files.size,
    holds: HOLDS[catalog.category.get(v) ?? 'drive'],
  }));
  const count = (
    id: ArtifactId,
    title: string,
    pick: (v: (typeof set.volumes)[number], path: string) => boolean,
  ) => {
    let files = 0;
    let bytes = 0;
    for (const v of set.volumes)
      for (const f of v.files.values())
        if (pick(v, f.path)) {
          files++;
          bytes += f.size;
        }
    return { id, title, files, bytes };
  };
  const category = (v: (typeof set.volumes)[number]) => catalog.category.get(v);
  const found = [
    count(
      'photos',
      'Photos and videos',
      (v, p) =>
        (category(v) === 'photos' || category(v) === 'shared-albums') &&
        catalog.kindOf(v, p) === 'media',
    ),
    count(
      'notes',
      'Notes',
      (v, p) => category(v) === 'notes' && catalog.kindOf(v, p) === 'note-text',
    ),
    count(
      'contacts',
      'vCard files',
      (v, p) => category(v) !== 'drive' && catalog.kindOf(v, p) === 'vcard',
    ),
    count(
      'calendar',
      'iCalendar files (calendars and reminders)',
      (v, p) => category(v) !== 'drive' && catalog.kindOf(v, p) === 'ical',
    ),
    count(
      'safari',
      'Bookmark files',
      (v, p) =>
        category(v) !== 'drive' &&
        ['bookmarks-html', 'bookmarks-csv'].includes(catalog.kindOf(v, p)),
    ),
    count('drive', 'Files (iCloud Drive and other data)', (v) => category(v) === 'drive'),
  ].filter((f) => f.files > 0);
  const tops = set.layout.zips;
  const newest = tops.length ? Math.max(...tops.map((z) => z.modified.getTime())) : null;
  return {
    path: set.layout.path,
    title: 'iCloud data export',
    archives,
    missingParts: missing,
    complete: missing.length === 0 && set.problems.length === 0,
    found,
    unfit: catalog.unfit.map((u) => `${u.volume.id}: ${u.path}`),
    problems,
    neverIncluded: NEVER_IN_EXPORTS,
    sizeOnDisk: set.volumes.filter((v) => !v.parent).reduce((n, v) => n + v.size, 0),
    newestArchive: newest === null ? null : new Date(newest).toISOString(),
  };
}

/** The export's own title for a split download ("iCloud Photos" from "iCloud Photos Part 1 of 6.zip"). */
