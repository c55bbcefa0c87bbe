import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactData, ArtifactId, Problem, ReadOptions } from '../artifacts/artifact.js';
import { nameIndexFrom } from '../artifacts/contacts/index.js';
import { summarizeMissing, type MissingSummary } from '../artifacts/missing.js';
import { NO_NAMES, type NameIndex } from '../artifacts/names.js';
import { artifactById, NEEDS_NAMES } from '../artifacts/registry.js';
import type { ArtifactSource } from '../artifacts/source.js';
import { readFromFiles } from '../sources/backup-source.js';
import type { DataSource } from '../sources/data-source.js';
import type { ExportOptions, ExportSummary } from './exporter.js';
import { writeFileAtomic } from './files.js';
import { toJson } from './json.js';
import { exporterFor } from './registry.js';
import { clock } from '../time.js';

export interface ArtifactExport extends ExportSummary {
  title: string;
  /** Items read (live and recovered). */
  items: number;
  recovered: number;
  notInBackup: string[];
  sources: string[];
  /** What the backup lists for this data type without its data, grouped by why. */
  missing: MissingSummary;
}

export interface ExportEvents {
  onArtifactStart?: (id: ArtifactId, title: string) => void;
  onProgress?: (id: ArtifactId, done: number, total: number) => void;
  onArtifactDone?: (result: ArtifactExport) => void;
}

const isRecovered = (item: unknown): boolean =>
  typeof item === 'object' && item !== null && Boolean((item as { recovered?: unknown }).recovered);

/** Recovered items, counting the messages inside conversations (a live chat may hold recovered messages). */
function countRecovered(items: unknown[]): number {
  let n = 0;
  for (const item of items) {
    const messages = (item as { messages?: unknown }).messages;
    if (Array.isArray(messages)) n += messages.filter(isRecovered).length;
    else if (isRecovered(item)) n++;
  }
  return n;
}

/** What an export needs of a source: its records and the bytes of the files they point to. */
export type ExportableSource = Pick<DataSource, 'readArtifact' | 'files'>;

/** A DataSource as it is, or an artifact source (a backup's files, or loose files in tests) read through the artifact modules. */
export function exportable(source: ExportableSource | ArtifactSource): ExportableSource {
  if ('readArtifact' in source) return source;
  return {
    files: source,
    readArtifact: <Id extends ArtifactId>(id: Id, options?: ReadOptions) =>
      readFromFiles(source, id, options),
  };
}

/**
 * Exports the chosen data types into OUT/<artifact>/, and writes OUT/export-summary.json.
 * Contacts are read first whenever another artifact wants names for numbers.
 */
export async function exportArtifacts(
  from: ExportableSource | ArtifactSource,
  outDir: string,
  ids: ArtifactId[],
  options: {
    read?: ReadOptions;
    export?: ExportOptions;
    /** Names for numbers when the source's own contacts are not all of them (diff and incremental exports). */
    names?: NameIndex;
  } & ExportEvents = {},
): Promise<ArtifactExport[]> {
  const source = exportable(from);
  const readOptions = options.read ?? {};
  let contacts: ArtifactData<unknown> | null = null;
  let names: NameIndex = options.names ?? NO_NAMES;
  if (!options.names && ids.some((id) => NEEDS_NAMES.has(id))) {
    contacts = await source.readArtifact('contacts', readOptions);
    names = nameIndexFrom(contacts);
  }
  const results: ArtifactExport[] = [];
  for (const id of ids) {
    const title = artifactById(id).title;
    options.onArtifactStart?.(id, title);
    const data =
      id === 'contacts' && contacts ? contacts : await source.readArtifact(id, readOptions);
    const exporter = exporterFor(id);
    const asked = options.export?.formats;
    const formats = asked?.length
      ? exporter.formats.filter((f) => asked.includes(f))
      : [...exporter.defaultFormats];
    const dir = join(outDir, id);
    let summary: ExportSummary;
    if (data.items.length === 0) {
      summary = { artifact: id, counts: {}, files: 0, problems: [] };
    } else {
      mkdirSync(dir, { recursive: true });
      try {
        summary = await exporter.write(data, {
          outDir: dir,
          source: source.files,
          names,
          options: options.export ?? {},
          formats,
          onProgress: (done, total) => options.onProgress?.(id, done, total),
        });
      } catch (error) {
        summary = {
          artifact: id,
          counts: {},
          files: 0,
          problems: [
            { severity: 'error', message: `${title}: export failed: ${(error as Error).message}` },
          ],
        };
      }
    }
    const problems: Problem[] = [...data.problems, ...summary.problems];
    const result: ArtifactExport = {
      ...summary,
      problems,
      title,
      items: data.items.length,
      recovered: countRecovered(data.items),
      notInBackup: data.notInBackup,
      sources: data.sources,
      missing: summarizeMissing(data),
    };
    results.push(result);
    options.onArtifactDone?.(result);
  }
  writeFileAtomic(
    join(outDir, 'export-summary.json'),
    toJson(results, clock(options.export?.time)),
  );
  return results;
}
