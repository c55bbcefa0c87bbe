import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ArtifactData, ArtifactId, Problem } from '../artifacts/artifact.js';
import { ARTIFACT_IDS, artifactById } from '../artifacts/registry.js';
import { ExitCode, ReclaimError } from '../errors.js';
import type { ExportOptions, ExportSummary } from '../export/exporter.js';
import { writeFileAtomic } from '../export/files.js';
import { toJson } from '../export/json.js';
import { exporterFor } from '../export/registry.js';
import type { BackupHandle } from './session.js';

/** What the user picked: per category, item numbers (their place in the category's list), or "all". */
export type Selection = Partial<Record<ArtifactId, number[] | 'all'>>;

export interface SavedArtifact extends ExportSummary {
  title: string;
  items: number;
}

export function parseSelection(value: unknown): Selection {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ReclaimError('Nothing selected.', ExitCode.usage);
  const selection: Selection = {};
  for (const [key, picked] of Object.entries(value)) {
    if (!ARTIFACT_IDS.includes(key as ArtifactId))
      throw new ReclaimError(`Unknown category ${key}.`, ExitCode.usage);
    if (picked === 'all') selection[key as ArtifactId] = 'all';
    else if (Array.isArray(picked) && picked.every((n) => Number.isInteger(n) && n >= 0))
      selection[key as ArtifactId] = picked as number[];
    else throw new ReclaimError(`Bad selection for ${key}.`, ExitCode.usage);
  }
  if (Object.values(selection).every((v) => Array.isArray(v) && v.length === 0))
    throw new ReclaimError('Nothing selected.', ExitCode.usage);
  return selection;
}

function pick(data: ArtifactData<unknown>, picked: number[] | 'all'): ArtifactData<unknown> {
  if (picked === 'all') return data;
  const wanted = [...new Set(picked)].sort((a, b) => a - b).filter((i) => i < data.items.length);
  return { ...data, items: wanted.map((i) => data.items[i]) };
}

/**
 * Writes the selected items into OUT/<category>/ through the exporters (the same files `reclaim export`
 * writes), plus OUT/export-summary.json. The caller has checked that OUT is not inside the backup.
 */
export async function saveSelection(
  handle: BackupHandle,
  selection: Selection,
  outDir: string,
  options: {
    formats?: string[];
    onProgress?: (p: {
      title: string;
      artifact: number;
      artifacts: number;
      done: number;
      total: number;
    }) => void;
    signal?: AbortSignal;
  } = {},
): Promise<SavedArtifact[]> {
  const source = (await handle.source()).files;
  const names = await handle.names();
  const ids = ARTIFACT_IDS.filter(
    (id) =>
      selection[id] !== undefined &&
      (selection[id] === 'all' || (selection[id] as number[]).length > 0),
  );
  const results: SavedArtifact[] = [];
  const exportOptions: ExportOptions = { includeDeleted: true, includeHidden: true };
  for (const [n, id] of ids.entries()) {
    if (options.signal?.aborted) throw new ReclaimError('Stopped.', ExitCode.failure);
    const title = artifactById(id).title;
    const data = pick(await handle.read(id), selection[id]!);
    options.onProgress?.({
      title,
      artifact: n,
      artifacts: ids.length,
      done: 0,
      total: data.items.length,
    });
    const exporter = exporterFor(id);
    const asked = options.formats;
    const formats = asked?.length
      ? exporter.formats.filter((f) => asked.includes(f))
      : [...exporter.defaultFormats];
    let summary: ExportSummary;
    if (data.items.length === 0) {
      summary = { artifact: id, counts: {}, files: 0, problems: [] };
    } else {
      const dir = join(outDir, id);
      mkdirSync(dir, { recursive: true });
      try {
        summary = await exporter.write(data, {
          outDir: dir,
          source,
          names,
          options: exportOptions,
          formats,
          onProgress: (done, total) =>
            options.onProgress?.({ title, artifact: n, artifacts: ids.length, done, total }),
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
    const problems: Problem[] = [...summary.problems];
    results.push({ ...summary, problems, title, items: data.items.length });
  }
  mkdirSync(outDir, { recursive: true });
  writeFileAtomic(join(outDir, 'export-summary.json'), toJson(results));
  return results;
}

/** Every file under `dir`, as paths relative to it (for the zip). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    for (const item of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, item.name);
      if (item.isDirectory()) walk(full);
      else if (item.isFile() && statSync(full).isFile()) out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}
