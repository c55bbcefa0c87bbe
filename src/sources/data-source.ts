import type { ArtifactData, ArtifactId, ReadOptions } from '../artifacts/artifact.js';
import type { ArtifactRecords } from '../artifacts/records.js';
import type { BackupDetails } from '../backup/describe.js';
import type { IcloudExportDescription } from '../icloud/describe.js';
import type { SourceFiles } from './files.js';

export type { FileRef, SourceFile, SourceFiles } from './files.js';

/**
 * Everything Reclaim reads personal data from, behind one interface: a device backup, or Apple's "copy of your
 * data" iCloud export. The CLI, the exporters and the UI server talk to a DataSource and never branch on its kind
 * except to describe it.
 */
export type SourceKind = 'backup' | 'icloud-export';

export type SourceDescription =
  ({ kind: 'backup' } & BackupDetails) | ({ kind: 'icloud-export' } & IcloudExportDescription);

/** The record type of a data type's items. */
export type RecordOf<Id extends ArtifactId> = ArtifactRecords[Id];

export interface DataSource {
  readonly kind: SourceKind;
  /** The folder (or zip) the user named, resolved. */
  readonly path: string;
  readonly files: SourceFiles;
  describe(): SourceDescription;
  /**
   * One data type's records with an honest account of what is missing. Never throws for bad data: a damaged
   * database or archive entry is a problem line.
   */
  readArtifact<Id extends ArtifactId>(
    id: Id,
    options?: ReadOptions,
  ): Promise<ArtifactData<RecordOf<Id>>>;
  /** True when `path` is inside the source (nothing may be written there: the source is evidence). */
  contains(path: string): boolean;
  /** Removes private temporary copies and closes open archives. */
  dispose(): void;
}

/** One line saying what a source is ("Jane's iPhone (iPhone 13, iOS 17.1)", "iCloud data export, 12 archives"). */
export function titleOf(description: SourceDescription): string {
  if (description.kind === 'icloud-export') return description.title;
  return description.deviceName ?? description.udid ?? 'Backup';
}
