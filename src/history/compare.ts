import type { ArtifactData, ArtifactId } from '../artifacts/artifact.js';
import { nameIndexFrom } from '../artifacts/contacts/index.js';
import type { NameIndex } from '../artifacts/names.js';
import { OutputGuard, physicalPath } from '../backup/output-guard.js';
import type { ExportOptions } from '../export/exporter.js';
import { exportArtifacts, type ArtifactExport, type ExportableSource } from '../export/run.js';
import { BackupDataSource } from '../sources/backup-source.js';
import type { DataSource } from '../sources/data-source.js';
import { diffArtifact, lostData, type TypeDiff } from './diff.js';

/** OUT (and every folder an export writes in it) must stay out of every source, links resolved. */
export function guardFor(sources: DataSource[]): OutputGuard {
  const dirs = sources.map((s) =>
    s instanceof BackupDataSource ? s.backup.realDir : physicalPath(s.path),
  );
  return new OutputGuard(
    dirs,
    sources.every((s) => s.kind === 'icloud-export') ? 'export' : 'backup',
  );
}

export interface Comparison {
  diffs: TypeDiff[];
  /** Names for the numbers either side mentions (NEW's contacts first). */
  names: NameIndex;
}

/** OLD against NEW, data type by data type (`reclaim diff`, the UI's compare page). */
export async function compareSources(
  oldSource: DataSource,
  newSource: DataSource,
  ids: readonly ArtifactId[],
  onType?: (id: ArtifactId, done: number) => void,
): Promise<Comparison> {
  const diffs: TypeDiff[] = [];
  for (const [i, id] of ids.entries()) {
    onType?.(id, i);
    diffs.push(await diffArtifact(id, oldSource, newSource));
  }
  const contacts =
    diffs.find((d) => d.id === 'contacts')?.old ?? (await oldSource.readArtifact('contacts'));
  const newContacts = await newSource.readArtifact('contacts');
  const names = nameIndexFrom({ ...contacts, items: [...newContacts.items, ...contacts.items] });
  return { diffs, names };
}

/**
 * The lost records written into OUT in the normal export formats, read from OLD (a conversation keeps the
 * messages around its lost ones, marked as context). Only types that lost something get a folder.
 */
export async function exportLost(
  oldSource: DataSource,
  { diffs, names }: Comparison,
  out: string,
  options: ExportOptions = {},
): Promise<ArtifactExport[]> {
  const lost = new Map<ArtifactId, ArtifactData<unknown>>(diffs.map((d) => [d.id, lostData(d)]));
  const source: ExportableSource = {
    files: oldSource.files,
    readArtifact: async (id) => lost.get(id) ?? { ...diffs[0]!.old, artifact: id, items: [] },
  } as ExportableSource;
  const withLost = diffs.map((d) => d.id).filter((id) => (lost.get(id)?.items.length ?? 0) > 0);
  return exportArtifacts(source, out, withLost, { names, export: options });
}
