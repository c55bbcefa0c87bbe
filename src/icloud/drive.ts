import { emptyData, type ArtifactData } from '../artifacts/artifact.js';
import type { DriveFile } from '../artifacts/drive/index.js';
import type { Catalog } from './catalog.js';
import type { Volume } from './volume.js';

/**
 * Where a file sits in the tree: its path in its archive, under the path of the zip it came in when that zip was
 * itself inside another ("Documents/Project.zip" holding "a.txt": "Documents/Project/a.txt").
 */
function treePath(volume: Volume, path: string): string {
  if (!volume.parent || volume.pathInParent === null) return path;
  return `${treePath(volume.parent, volume.pathInParent.replace(/\.zip$/i, ''))}/${path}`;
}

/**
 * iCloud Drive: the archives whose contents fit no other data type, kept as files in their folder tree. Apple's
 * Drive zips hold a folder tree; "Other data" archives land here too, and are said to.
 */
export function readIcloudDrive(catalog: Catalog): ArtifactData<DriveFile> {
  const data = emptyData<DriveFile>('drive');
  for (const volume of catalog.volumesOf('drive')) {
    for (const file of volume.files.values())
      data.items.push({
        path: treePath(volume, file.path),
        size: file.size,
        modified: file.modified,
        domain: volume.id,
        relativePath: file.path,
      });
    if (volume.files.size > 0) data.sources.push(volume.id);
  }
  if (data.sources.length > 0)
    data.problems.push({
      severity: 'warning',
      message: `${data.items.length} file(s) of ${data.sources.length} archive(s) kept as files in their folder tree (iCloud Drive, or other data that fits no data type): ${data.sources.slice(0, 3).join(', ')}${data.sources.length > 3 ? ', …' : ''}`,
    });
  return data;
}
