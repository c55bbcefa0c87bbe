import type { ArtifactSource } from './source.js';

/** Every data type Reclaim extracts; one module per id under src/artifacts/. */
export const ARTIFACT_IDS = [
  'photos',
  'voice-memos',
  'voicemail',
  'messages',
  'whatsapp',
  'contacts',
  'calls',
  'notes',
  'calendar',
  'reminders',
  'safari',
  'drive',
] as const;
export type ArtifactId = (typeof ARTIFACT_IDS)[number];

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

/** One data type: where it lives in a backup and how to read it into plain records. */
export interface Artifact<T = unknown> {
  id: ArtifactId;
  title: string;
  read(source: ArtifactSource, options: ReadOptions): Promise<ArtifactData<T>>;
}

export function emptyData<T>(artifact: ArtifactId): ArtifactData<T> {
  return { artifact, items: [], problems: [], notInBackup: [], sources: [] };
}
