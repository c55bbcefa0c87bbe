import type { Backup, IndexFormat } from '../backup/backup.js';
import { summarize, type BackupSummary } from '../backup/describe.js';
import { ExitCode, ReclaimError } from '../errors.js';
import { summarizeExportFolder } from '../icloud/discover.js';
import type { SourceKind } from './data-source.js';

/** One line of a list of sources (`reclaim list`, the UI's first page): a backup or an iCloud export. */
export type SourceSummary = Omit<BackupSummary, 'format'> & {
  kind: SourceKind;
  format: IndexFormat | 'icloud-export';
};

export function summarizeBackup(backup: Backup): SourceSummary {
  return { ...summarize(backup), kind: 'backup' };
}

/** An export before it is opened: its archives by name and size, and the parts of split downloads that are missing. */
export function summarizeExport(path: string, files: number | null = null): SourceSummary {
  const s = summarizeExportFolder(path);
  if (!s) throw new ReclaimError(`No iCloud data export at ${path}.`, ExitCode.notFound);
  return {
    kind: 'icloud-export',
    format: 'icloud-export',
    path: s.path,
    udid: null,
    deviceName: 'iCloud data export',
    productType: null,
    model: `${s.archives} archive${s.archives === 1 ? '' : 's'}`,
    iosVersion: null,
    buildVersion: null,
    lastBackupDate: s.newestArchive,
    encrypted: false,
    indexedFiles: files,
    filesOnDisk: s.archives,
    sizeOnDisk: s.sizeOnDisk,
    finished: s.missingParts.length === 0,
    missingParts: s.missingParts,
  };
}
