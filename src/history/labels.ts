import { basename } from 'node:path';
import type { DataSource } from '../sources/data-source.js';
import { titleOf } from '../sources/data-source.js';

/** A source as a history names it: what it is, when it was made, and a label unique among the sources given. */
export interface LabelledSource {
  source: DataSource;
  label: string;
  /** When the backup was made (an export: its newest archive); null when nothing says. */
  date: Date | null;
  path: string;
}

function dateOf(source: DataSource): Date | null {
  const d = source.describe();
  const iso = d.kind === 'backup' ? d.lastBackupDate : d.newestArchive;
  const date = iso ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/**
 * "iPhone 2025-01-20": the device (or "iCloud data export") and the day; the folder's name is added when two
 * sources would read the same.
 */
export function labelSources(sources: DataSource[]): LabelledSource[] {
  const labelled = sources.map((source) => {
    const date = dateOf(source);
    const title = titleOf(source.describe());
    return {
      source,
      date,
      path: source.path,
      label: date ? `${title} ${date.toISOString().slice(0, 10)}` : title,
    };
  });
  const counts = new Map<string, number>();
  for (const l of labelled) counts.set(l.label, (counts.get(l.label) ?? 0) + 1);
  for (const l of labelled)
    if ((counts.get(l.label) ?? 0) > 1) l.label = `${l.label} (${basename(l.path)})`;
  return labelled;
}

/** Newest first (sources without a date last, in the order given). */
export function newestFirst(sources: LabelledSource[]): LabelledSource[] {
  return sources
    .map((s, i) => ({ s, i }))
    .sort(
      (a, b) =>
        (b.s.date?.getTime() ?? -Infinity) - (a.s.date?.getTime() ?? -Infinity) || a.i - b.i,
    )
    .map(({ s }) => s);
}
