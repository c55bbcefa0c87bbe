import { join } from 'node:path';
import type { ArtifactData, ArtifactId, ReadOptions } from '../artifacts/artifact.js';
import { nameIndexFrom } from '../artifacts/contacts/index.js';
import { NO_NAMES, type NameIndex } from '../artifacts/names.js';
import { NEEDS_NAMES } from '../artifacts/registry.js';
import type { ExportOptions } from '../export/exporter.js';
import { exportArtifacts, type ArtifactExport, type ExportableSource } from '../export/run.js';
import {
  emptyManifest,
  newSince,
  readManifest,
  updateFolder,
  writeManifest,
  type ExportManifest,
} from '../history/incremental.js';
import { guardFor } from '../history/compare.js';
import { labelSources, newestFirst, type LabelledSource } from '../history/labels.js';
import { Merger } from '../history/merge.js';
import { BackupDataSource } from '../sources/backup-source.js';
import type { DataSource } from '../sources/data-source.js';
import { itemProgressBar } from './progress.js';

export { guardFor };

export interface HistoryExport {
  results: ArtifactExport[];
  /** Where this run wrote (OUT, or OUT/updates/<time> when OUT held an export already). */
  folder: string;
  /** The run before this one, when OUT held an export. */
  previous: ExportManifest['runs'][number] | null;
  added: Record<string, number>;
  changed: Record<string, number>;
  sources: LabelledSource[];
  /** True when nothing was new: nothing was written. */
  nothingNew: boolean;
}

/**
 * `reclaim export SOURCE OUT [--add SOURCE2 …]`: one source as it is, or several merged (each record once by
 * identity, see Merger). When OUT already holds an export (its manifest), only records that are new or changed
 * since are written, into OUT/updates/<time>/; the manifest gains the run. Nothing else in OUT is touched.
 */
export async function exportWithHistory(
  opened: DataSource[],
  out: string,
  ids: ArtifactId[],
  exportOptions: ExportOptions,
  read: ReadOptions,
  now = new Date(),
): Promise<HistoryExport> {
  const sources = labelSources(opened);
  const ordered = newestFirst(sources);
  const base: ExportableSource =
    opened.length === 1
      ? opened[0]!
      : (() => {
          const merger = new Merger(ordered);
          return {
            files: merger.files,
            readArtifact: (id, o) => merger.read(id, o),
          } as ExportableSource;
        })();
  const guard = guardFor(opened);
  guard.mkdir(out);
  const manifest = readManifest(out);
  const folder = manifest ? join(out, updateFolder(now)) : out;
  for (const s of opened)
    if (s instanceof BackupDataSource)
      for (const problem of s.backup.indexProblems()) console.error(`reclaim: index: ${problem}`);

  const cache = new Map<ArtifactId, Promise<ArtifactData<unknown>>>();
  const readAll = (id: ArtifactId) => {
    let pending = cache.get(id);
    if (!pending) {
      pending = base.readArtifact(id, read) as Promise<ArtifactData<unknown>>;
      cache.set(id, pending);
    }
    return pending;
  };
  let names: NameIndex = NO_NAMES;
  if (ids.some((id) => NEEDS_NAMES.has(id))) names = nameIndexFrom(await readAll('contacts'));

  const added: Record<string, number> = {};
  const changed: Record<string, number> = {};
  const seen: ExportManifest['items'] = {};
  const filtered = new Map<ArtifactId, ArtifactData<unknown>>();
  for (const id of ids) {
    const fresh = await newSince(id, await readAll(id), base.files, manifest?.items[id]);
    filtered.set(id, fresh.data);
    seen[id] = fresh.seen;
    if (fresh.added) added[id] = fresh.added;
    if (fresh.changed) changed[id] = fresh.changed;
  }
  const nothingNew =
    manifest !== null && Object.keys(added).length === 0 && Object.keys(changed).length === 0;
  const previous = manifest?.runs[manifest.runs.length - 1] ?? null;
  if (nothingNew)
    return { results: [], folder: out, previous, added, changed, sources: ordered, nothingNew };

  guard.mkdir(folder);
  for (const id of ids) guard.check(join(folder, id));
  let bar: ReturnType<typeof itemProgressBar> | null = null;
  const results = await exportArtifacts(
    {
      files: base.files,
      readArtifact: async (id) => filtered.get(id) ?? (await readAll(id)),
    } as ExportableSource,
    folder,
    ids,
    {
      read,
      names,
      export: exportOptions,
      onArtifactStart: (_id, title) => {
        bar = itemProgressBar(title);
      },
      onProgress: (_id, done, total) => bar?.update(done, total),
      onArtifactDone: () => bar?.stop(),
    },
  );
  const next = manifest ?? emptyManifest();
  for (const id of ids) next.items[id] = { ...next.items[id], ...seen[id] };
  next.runs.push({
    at: now.toISOString(),
    folder: manifest ? updateFolder(now).split('\\').join('/') : '.',
    sources: ordered.map((s) => ({ label: s.label, path: s.path, kind: s.source.kind })),
    added,
    changed,
  });
  writeManifest(out, next);
  return { results, folder, previous, added, changed, sources: ordered, nothingNew };
}
