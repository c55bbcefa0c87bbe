import { locationsOf, type ArtifactDeclaration } from './declaration.js';
import type { ArtifactData } from './artifact.js';
import type { ArtifactSource } from './source.js';

/**
 * Why something a data type lists is not in what Reclaim can read:
 * - not-in-folder: the backup's index lists the file, but its data is not in the backup folder (an
 *   interrupted or partial copy, a file another tool removed);
 * - offloaded: a database names a file (an attachment, a recording) that the backup does not list:
 *   offloaded to iCloud, or never downloaded to the phone;
 * - icloud-only: kept only in iCloud (iCloud Photos with "Optimise storage", recordings in iCloud);
 * - expired: an audio message the phone removed after it was played (Messages keeps them 2 minutes
 *   unless kept).
 */
export type MissingReason = 'not-in-folder' | 'offloaded' | 'icloud-only' | 'expired';

export const MISSING_REASONS: Record<MissingReason, string> = {
  'not-in-folder': "listed in the backup's index, but its data is not in this folder",
  offloaded: 'offloaded to iCloud or never downloaded to the phone (not in the backup)',
  'icloud-only': 'kept only in iCloud (not on the phone when it was backed up)',
  expired: 'audio message expired on the phone (removed after it was played)',
};

/** One thing a data type lists without its data. */
export interface MissingItem {
  reason: MissingReason;
  /** "HomeDomain/Library/SMS/sms.db", or what a database names ("IMG_0001.HEIC"). */
  name: string;
  /** Bytes the index or the database gives for it, when known. */
  bytes: number | null;
  /** A database the data type reads: every item in it is missing too. */
  database?: boolean;
}

/** What the backup's index lists in a data type's locations, and how much of it is in the folder. */
export interface IndexedFiles {
  files: number;
  bytes: number;
  presentFiles: number;
  presentBytes: number;
}

/** Adds one missing item to an artifact's account (artifacts call this for what their databases name). */
export function addMissing(
  data: ArtifactData<unknown>,
  reason: MissingReason,
  name: string,
  bytes: number | null,
): void {
  (data.missing ??= []).push({ reason, name, bytes: bytes !== null && bytes > 0 ? bytes : null });
}

const GLOB = /[*?{}[\]!()]/;

/**
 * The files of a declaration's locations that the backup lists: how many, how many are present, and
 * each one listed without its data (reason not-in-folder). Read from the index alone (nothing opened).
 */
export function indexedFiles(
  source: ArtifactSource,
  declaration: ArtifactDeclaration,
): { indexed: IndexedFiles; missing: MissingItem[] } {
  const indexed: IndexedFiles = { files: 0, bytes: 0, presentFiles: 0, presentBytes: 0 };
  const missing: MissingItem[] = [];
  const seen = new Set<string>();
  for (const location of locationsOf(declaration)) {
    const entries = GLOB.test(location.path)
      ? source.listAt(location)
      : [source.find(location.domain, location.path)].filter((e) => e !== undefined);
    for (const entry of entries) {
      const key = `${entry.domain}/${entry.relativePath}`;
      if (seen.has(key)) continue;
      seen.add(key);
      indexed.files++;
      indexed.bytes += entry.size;
      if (source.has(entry)) {
        indexed.presentFiles++;
        indexed.presentBytes += entry.size;
      } else {
        missing.push({
          reason: 'not-in-folder',
          name: key,
          bytes: entry.size > 0 ? entry.size : null,
          ...(location.kind === 'database' ? { database: true } : {}),
        });
      }
    }
  }
  return { indexed, missing };
}

/** One reason's share of what is missing, as summaries and the UI show it. */
export interface MissingGroup {
  reason: MissingReason;
  /** The reason in words. */
  says: string;
  items: number;
  /** Bytes of the items whose size is known. */
  bytes: number;
  /** The databases among them, by name (each one loses every item it holds). */
  databases: string[];
  /** A few of the other items, by name. */
  examples: string[];
}

export interface MissingSummary {
  /** Files the backup's index lists for this data type, and those whose data is in the folder. */
  listed: { files: number; bytes: number };
  present: { files: number; bytes: number };
  /** What is missing, by reason (empty when nothing is). */
  reasons: MissingGroup[];
}

const EXAMPLES = 10;

/** Groups an artifact's missing items by reason (for export-summary.json, the CLI and the UI). */
export function summarizeMissing(data: ArtifactData<unknown>): MissingSummary {
  const indexed = data.indexed ?? { files: 0, bytes: 0, presentFiles: 0, presentBytes: 0 };
  const groups = new Map<MissingReason, MissingGroup>();
  for (const item of data.missing ?? []) {
    let group = groups.get(item.reason);
    if (!group) {
      group = {
        reason: item.reason,
        says: MISSING_REASONS[item.reason],
        items: 0,
        bytes: 0,
        databases: [],
        examples: [],
      };
      groups.set(item.reason, group);
    }
    group.items++;
    group.bytes += item.bytes ?? 0;
    if (item.database) group.databases.push(item.name);
    else if (group.examples.length < EXAMPLES) group.examples.push(item.name);
  }
  const order = Object.keys(MISSING_REASONS);
  return {
    listed: { files: indexed.files, bytes: indexed.bytes },
    present: { files: indexed.presentFiles, bytes: indexed.presentBytes },
    reasons: [...groups.values()].sort((a, b) => order.indexOf(a.reason) - order.indexOf(b.reason)),
  };
}

/** Whether a data type is incomplete in the sense of exit code 6: the index lists files the folder lacks. */
export function incomplete(summary: MissingSummary): boolean {
  return summary.reasons.some((r) => r.reason === 'not-in-folder' && r.items > 0);
}
