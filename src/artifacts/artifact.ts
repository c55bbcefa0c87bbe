import type { ArtifactDeclaration } from './declaration.js';
import type { ArtifactId } from './registry.js';
import type { ArtifactSource } from './source.js';

/** Every data type Reclaim extracts, as the registry's declarations name them. */
export type { ArtifactId } from './registry.js';

/** A record that came back from deleted space in a database (never mixed silently with live data). */
export interface RecoveredMark {
  /** Where the carver found it: "freeblock page 5", "wal frame 3 (salt 2)", ... */
  source: string;
  confidence: number;
  /** Part of the record was overwritten. */
  partial?: boolean;
  /** An earlier version of a row that still exists with other values. */
  earlierVersion?: boolean;
}

export interface Problem {
  /** error: something that should have been read was not; warning: a gap worth telling (a missing attachment). */
  severity: 'error' | 'warning';
  message: string;
}

/** What an artifact read from a backup: the items, and an honest account of what is missing. */
export interface ArtifactData<T> {
  artifact: ArtifactId;
  /** Live items, plus recovered ones carrying `recovered`. */
  items: T[];
  problems: Problem[];
  /** Things this data type can never hold, or that this backup does not hold ("iCloud-only photos ..."). */
  notInBackup: string[];
  /** The backup files that were read, as "domain/relativePath". */
  sources: string[];
}

export interface ReadOptions {
  /** Carve deleted records out of the databases (default true). */
  recoverDeleted?: boolean;
  /** The password of locked notes, when the user gives one. */
  notesPassword?: string;
}

/** One data type: its declaration, and how to read it into plain records. */
export interface Artifact<T = unknown, Id extends ArtifactId = ArtifactId> {
  id: Id;
  title: string;
  declaration: ArtifactDeclaration<Id>;
  read(source: ArtifactSource, options: ReadOptions): Promise<ArtifactData<T>>;
}

/** The reader of a declared data type (its id and title come from the declaration). */
export function defineReader<T, Id extends ArtifactId = ArtifactId>(
  declaration: ArtifactDeclaration<Id>,
  read: (source: ArtifactSource, options: ReadOptions) => Promise<ArtifactData<T>>,
): Artifact<T, Id> {
  return { id: declaration.id, title: declaration.title, declaration, read };
}

export function emptyData<T>(artifact: ArtifactId): ArtifactData<T> {
  return { artifact, items: [], problems: [], notInBackup: [], sources: [] };
}
