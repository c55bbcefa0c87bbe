// Telling a deleted row from a stale copy of a live one. SQLite leaves the old bytes of a row behind
// whenever it moves it (an UPDATE that grows it, a page rebalance): such a copy is the live item's
// history, not a deleted item. Its rowid is usually lost with the cell's first 4 bytes, so the table's
// natural key (message guid, CalendarItem UNIQUE_IDENTIFIER, Core Data ZUUID) is what ties it back.
import type { RecoveredRecord } from './carve.js';
import type { SqlValue } from './record.js';

/**
 * deleted: no live row has this record's identity or values. earlierVersion: a live row has its
 * identity (natural key, or else rowid) with other values. duplicate: a live row repeats every value
 * the record holds (only the rowid may differ): nothing to show.
 */
export type LiveRelation = 'deleted' | 'earlierVersion' | 'duplicate';

export interface LiveRow {
  rowid: number | null;
  /** In the table's column order, as RecoveredRecord.values. */
  values: readonly SqlValue[];
}

export interface ClassifyOptions {
  /** The table's columns in order (RecoveredRecord.values and LiveRow.values follow it). */
  columns: readonly string[];
  /** The INTEGER PRIMARY KEY column: it holds the rowid, so it is not compared as a value. */
  rowidAlias?: string | null;
  /**
   * Columns that name one item for its whole life (case-insensitive). When the record holds them all
   * (not NULL, not lost), they decide alone: a rowid reused by a new row does not make an old row
   * that row's history, and a text sent twice has its own guid.
   */
  naturalKey?: readonly string[];
}

export interface Classified {
  record: RecoveredRecord;
  relation: LiveRelation;
  /** earlierVersion / duplicate: the live row's rowid (null for WITHOUT ROWID tables). */
  liveRowid?: number | null;
}

/** Patterns of lost columns indexed for duplicate detection; partial records beyond are rare. */
const MAX_LOST_PATTERNS = 16;

function valueKey(v: SqlValue | undefined): string {
  if (v === null || v === undefined) return 'z';
  if (typeof v === 'number') return 'n' + (Object.is(v, -0) ? '0' : String(v));
  if (typeof v === 'bigint') return 'n' + v.toString();
  if (typeof v === 'string') return 's' + v;
  return 'b' + v.toString('hex');
}

/** A canonical key of some columns' values (a natural key, or the values compared for copies). */
export function naturalKeyOf(values: readonly SqlValue[], cols: readonly number[]): string {
  return cols.map((i) => valueKey(values[i])).join('\u0001');
}

/**
 * Sorts carved records of one table against that table's live rows (read by the caller, e.g. with
 * SQLite after the WAL was applied). Records are returned in their order, each with its relation.
 */
export function classifyAgainstLive(
  records: readonly RecoveredRecord[],
  liveRows: Iterable<LiveRow>,
  opts: ClassifyOptions,
): Classified[] {
  const live = [...liveRows];
  if (live.length === 0) return records.map((record) => ({ record, relation: 'deleted' }));
  const lower = opts.columns.map((c) => c.toLowerCase());
  const alias = opts.rowidAlias ? lower.indexOf(opts.rowidAlias.toLowerCase()) : -1;
  const keyCols = (opts.naturalKey ?? []).map((c) => lower.indexOf(c.toLowerCase()));
  const hasKey = keyCols.length > 0 && keyCols.every((i) => i >= 0);
  const compared = (lost: Set<number>): number[] =>
    lower.map((_, i) => i).filter((i) => i !== alias && !lost.has(i));
  const lostOf = (r: RecoveredRecord): Set<number> =>
    new Set((r.lostColumns ?? []).map((c) => lower.indexOf(c.toLowerCase())).filter((i) => i >= 0));

  // one index of values per pattern of lost columns (whole records share the empty pattern)
  const patterns = new Map<string, number[]>();
  for (const r of records) {
    const cols = compared(lostOf(r));
    const id = cols.join(',');
    if (!patterns.has(id) && patterns.size < MAX_LOST_PATTERNS) patterns.set(id, cols);
  }
  const byValues = new Map<string, Map<string, number | null>>();
  for (const id of patterns.keys()) byValues.set(id, new Map());
  const byKey = new Map<string, number | null>();
  const rowids = new Set<number>();
  for (const row of live) {
    for (const [id, cols] of patterns) {
      const k = naturalKeyOf(row.values, cols);
      const m = byValues.get(id)!;
      if (!m.has(k)) m.set(k, row.rowid);
    }
    if (hasKey) {
      const k = naturalKeyOf(row.values, keyCols);
      if (!byKey.has(k)) byKey.set(k, row.rowid);
    }
    if (row.rowid !== null) rowids.add(row.rowid);
  }

  return records.map((record): Classified => {
    const lost = lostOf(record);
    const cols = compared(lost);
    // values that say something: a partial record of NULLs repeats any row
    const informative = cols.some(
      (i) => record.values[i] !== null && record.values[i] !== undefined,
    );
    const same = informative
      ? byValues.get(cols.join(','))?.get(naturalKeyOf(record.values, cols))
      : undefined;
    if (same !== undefined) return { record, relation: 'duplicate', liveRowid: same };
    const keyKnown =
      hasKey &&
      keyCols.every(
        (i) => !lost.has(i) && record.values[i] !== null && record.values[i] !== undefined,
      );
    if (keyKnown) {
      const owner = byKey.get(naturalKeyOf(record.values, keyCols));
      return owner === undefined
        ? { record, relation: 'deleted' }
        : { record, relation: 'earlierVersion', liveRowid: owner };
    }
    if (record.rowid !== null && rowids.has(record.rowid))
      return { record, relation: 'earlierVersion', liveRowid: record.rowid };
    return { record, relation: 'deleted' };
  });
}
