import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactData, ArtifactId } from '../artifacts/artifact.js';
import type { Conversation } from '../artifacts/conversation.js';
import { isConversationType } from '../artifacts/identities.js';
import { isArtifactId } from '../artifacts/registry.js';
import { ExitCode, ReclaimError } from '../errors.js';
import { writeFileAtomic } from '../export/files.js';
import type { SourceFiles } from '../sources/files.js';
import { unitsOf } from './units.js';

/**
 * An export folder remembers what it holds in OUT/reclaim-export.json: every record's identity with a hash of
 * what it said, and each run (when, from which sources, what it added). Running `reclaim export` into the same
 * OUT again writes only records that are new or changed since, into a folder of their own
 * (OUT/updates/<time>/), and adds a run to this file; nothing else already in OUT is touched.
 */
export const MANIFEST_NAME = 'reclaim-export.json';
const FORMAT = 'reclaim-export-manifest';
/** An export's own manifest, but read from disk: far above what a million records take. */
const MAX_MANIFEST_BYTES = 512 * 1024 * 1024;

export interface ManifestRun {
  at: string;
  /** Where the run wrote, relative to OUT ("." for the first). */
  folder: string;
  sources: Array<{ label: string; path: string; kind: string }>;
  added: Record<string, number>;
  changed: Record<string, number>;
}

export interface ExportManifest {
  format: typeof FORMAT;
  version: 1;
  runs: ManifestRun[];
  /** Per data type: identity → fingerprint of the version exported. */
  items: Partial<Record<ArtifactId, Record<string, string>>>;
}

export function readManifest(out: string): ExportManifest | null {
  const path = join(out, MANIFEST_NAME);
  if (!existsSync(path)) return null;
  const bad = (why: string) =>
    new ReclaimError(
      `${path} is not an export manifest Reclaim can read (${why}); move it away to export afresh.`,
      ExitCode.badInput,
    );
  if (statSync(path).size > MAX_MANIFEST_BYTES) throw bad('too large');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw bad((error as Error).message);
  }
  const m = value as Partial<ExportManifest>;
  if (
    m?.format !== FORMAT ||
    m.version !== 1 ||
    !Array.isArray(m.runs) ||
    typeof m.items !== 'object' ||
    m.items === null
  )
    throw bad('unknown format');
  return m as ExportManifest;
}

export function emptyManifest(): ExportManifest {
  return { format: FORMAT, version: 1, runs: [], items: {} };
}

export function writeManifest(out: string, manifest: ExportManifest): void {
  writeFileAtomic(join(out, MANIFEST_NAME), JSON.stringify(manifest) + '\n');
}

export interface NewRecords {
  /** Only the records new or changed since the manifest (everything when there is none). */
  data: ArtifactData<unknown>;
  added: number;
  changed: number;
  /** Every record read now: identity → fingerprint (what the manifest will hold). */
  seen: Record<string, string>;
}

/** What of `data` an export holding `known` lacks: new identities, and known ones whose content changed. */
export async function newSince(
  id: ArtifactId,
  data: ArtifactData<unknown>,
  files: SourceFiles,
  known: Record<string, string> | undefined,
): Promise<NewRecords> {
  const seen: Record<string, string> = {};
  const fresh = new Set<unknown>();
  let added = 0;
  let changed = 0;
  for (const unit of await unitsOf(id, data, files)) {
    seen[unit.key] = unit.fingerprint;
    const before = known?.[unit.key];
    if (before === unit.fingerprint) continue;
    if (before === undefined) added++;
    else changed++;
    fresh.add(unit.item);
  }
  if (!known) return { data, added, changed, seen };
  const items = isConversationType(id)
    ? (data.items as Conversation[])
        .map((c) => ({ ...c, messages: c.messages.filter((m) => fresh.has(m)) }))
        .filter((c) => c.messages.length > 0)
    : data.items.filter((item) => fresh.has(item));
  return { data: { ...data, items }, added, changed, seen };
}

/** Folder name of an update run: "2025-01-20 080000". */
export function updateFolder(at: Date): string {
  return join('updates', at.toISOString().slice(0, 19).replace('T', ' ').replace(/:/g, ''));
}

export function knownTypes(manifest: ExportManifest): ArtifactId[] {
  return Object.keys(manifest.items).filter(isArtifactId);
}
