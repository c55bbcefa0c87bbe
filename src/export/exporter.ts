import type { ArtifactData, ArtifactId, Problem } from '../artifacts/artifact.js';
import type { ArtifactDeclaration, ExportFormat } from '../artifacts/declaration.js';
import type { NameIndex } from '../artifacts/names.js';
import type { SourceFiles } from '../sources/files.js';
import type { TimeOptions } from '../time.js';

export type PhotoLayout = 'date' | 'album' | 'flat';

/** What the user asked for on the command line (or in the web UI). */
export interface ExportOptions {
  /** Formats asked for (html, csv, json, txt, vcf, ics, md, ...); each exporter uses those it knows. */
  formats?: string[];
  layout?: PhotoLayout;
  heicToJpeg?: boolean;
  /** Photos: include the Recently Deleted album. */
  includeDeleted?: boolean;
  /** Photos: include the Hidden album. */
  includeHidden?: boolean;
  vcardVersion?: '3.0' | '4.0';
  /** How times are shown: this computer's zone by default; { utc: true } for --utc. */
  time?: TimeOptions;
}

export interface ExportContext {
  /** This artifact's own output folder (already created). */
  outDir: string;
  /** The bytes of the files items point to (a backup's, or an iCloud export's). */
  source: SourceFiles;
  names: NameIndex;
  options: ExportOptions;
  /** The formats to write, already resolved for this exporter. */
  formats: string[];
  onProgress?: (done: number, total: number) => void;
}

export interface ExportSummary {
  artifact: ArtifactId;
  /** What was written, by kind: { conversations: 3, messages: 120, recovered: 4 }. */
  counts: Record<string, number>;
  /** Files written. */
  files: number;
  problems: Problem[];
}

/** Writes one artifact's records in the formats its declaration offers. */
export interface Exporter<T = unknown, Id extends ArtifactId = ArtifactId> {
  id: Id;
  formats: readonly ExportFormat[];
  defaultFormats: readonly ExportFormat[];
  write(data: ArtifactData<T>, context: ExportContext): Promise<ExportSummary>;
}

/** The exporter of a declared data type: its id and formats come from the declaration. */
export function defineExporter<T, Id extends ArtifactId>(
  declaration: ArtifactDeclaration<Id>,
  write: (data: ArtifactData<T>, context: ExportContext) => Promise<ExportSummary>,
): Exporter<T, Id> {
  return {
    id: declaration.id,
    formats: declaration.formats,
    defaultFormats: declaration.defaultFormats,
    write,
  };
}
