import type { ArtifactData, ArtifactId, ReadOptions } from '../artifacts/artifact.js';
import { artifactById } from '../artifacts/registry.js';
import { BackupSource, type ArtifactSource } from '../artifacts/source.js';
import { PrivateWorkspace } from '../artifacts/workspace.js';
import type { Backup } from '../backup/backup.js';
import { describeBackup } from '../backup/describe.js';
import type { DataSource, RecordOf, SourceDescription } from './data-source.js';
import { isInside } from './paths.js';

/** A read that failed as a whole: one problem line, never an exception (one broken database never stops an export). */
export function failedRead<T>(id: ArtifactId, error: unknown): ArtifactData<T> {
  return {
    artifact: id,
    items: [],
    notInBackup: [],
    sources: [],
    problems: [
      { severity: 'error', message: `${artifactById(id).title}: ${(error as Error).message}` },
    ],
  };
}

/** Reads one data type through its artifact module from a backup's files (or loose files standing in for them). */
export async function readFromFiles<Id extends ArtifactId>(
  source: ArtifactSource,
  id: Id,
  options: ReadOptions = {},
): Promise<ArtifactData<RecordOf<Id>>> {
  try {
    return (await artifactById(id).read(source, options)) as ArtifactData<RecordOf<Id>>;
  } catch (error) {
    return failedRead(id, error);
  }
}

/** A device backup as a DataSource (unlocked first when encrypted). */
export class BackupDataSource implements DataSource {
  readonly kind = 'backup' as const;
  private source: BackupSource | null = null;
  private workspace: PrivateWorkspace | null = null;

  constructor(readonly backup: Backup) {}

  get path(): string {
    return this.backup.dir;
  }

  /** The artifact modules' view of the backup; it is also the backup's SourceFiles. */
  get files(): BackupSource {
    if (!this.source) {
      this.workspace = PrivateWorkspace.create();
      this.source = new BackupSource(this.backup, this.workspace);
    }
    return this.source;
  }

  describe(): SourceDescription {
    return { kind: 'backup', ...describeBackup(this.backup) };
  }

  readArtifact<Id extends ArtifactId>(
    id: Id,
    options: ReadOptions = {},
  ): Promise<ArtifactData<RecordOf<Id>>> {
    return readFromFiles(this.files, id, options);
  }

  contains(path: string): boolean {
    return isInside(this.backup.dir, path);
  }

  dispose(): void {
    this.workspace?.dispose();
    this.workspace = null;
    this.source = null;
  }
}
