import type { RecoveredMark } from './artifact.js';
import type { ArtifactDatabase, RecoveredRow, Row } from './database.js';

/**
 * An earlier version of a live item: an old copy of its row that SQLite left behind when it moved or
 * rewrote the row (an edit that made it longer, a sync). It is that item's history, never a deleted
 * item: it is not counted as recovered and never exported as an item of its own. On a recovered item:
 * another copy of the same deleted row, with other values (which of the two is older is not known).
 */
export interface EarlierVersion {
  /** Where the old copy was found ("freeblock page 5", "wal frame 3 (salt 2)", ...). */
  source: string;
  confidence: number;
  /** Part of the old copy was overwritten (the live item's values stand in for what it lost). */
  partial?: boolean;
  /** The item's fields that differed, with the values they had then. */
  changed: Record<string, unknown>;
}

/** An item that may carry its history (the field every artifact's records use). */
export interface WithHistory {
  earlierVersions?: EarlierVersion[];
}

export interface HistoryOptions {
  /** Fields never compared (ids, the source file, fields the reader fills from other tables). */
  ignore?: readonly string[];
  /** Fields that change with every rewrite (modification dates): shown, but alone not worth a version. */
  bookkeeping?: readonly string[];
}

const ALWAYS_IGNORED = new Set(['recovered', 'earlierVersions']);

/** A comparable text of a field's value (dates, bytes and bigints included). */
function canonical(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date)
      return Number.isNaN(raw.getTime()) ? 'Invalid Date' : raw.toISOString();
    if (Buffer.isBuffer(raw)) return `bytes:${raw.toString('base64')}`;
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
}

/**
 * Adds `earlier` (the same item built from an old copy of its row) to `live`'s earlier versions when
 * its content differs; an exact copy, or one that differs only in bookkeeping fields, is dropped.
 * Returns whether it was kept.
 */
export function addEarlierVersion<T extends object>(
  live: T & WithHistory,
  earlier: T,
  mark: RecoveredMark,
  options: HistoryOptions = {},
): boolean {
  const ignore = new Set([...ALWAYS_IGNORED, ...(options.ignore ?? [])]);
  const bookkeeping = new Set(options.bookkeeping ?? []);
  const changed: Record<string, unknown> = {};
  let content = false;
  const a = live as Record<string, unknown>;
  const b = earlier as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (ignore.has(key)) continue;
    if (canonical(a[key] ?? null) === canonical(b[key] ?? null)) continue;
    changed[key] = b[key] ?? null;
    if (!bookkeeping.has(key)) content = true;
  }
  if (!content) return false;
  const version: EarlierVersion = {
    source: mark.source,
    confidence: mark.confidence,
    ...(mark.partial ? { partial: true } : {}),
    changed,
  };
  const list = (live.earlierVersions ??= []);
  if (list.some((v) => canonical(v.changed) === canonical(changed))) return false;
  list.push(version);
  return true;
}

/**
 * Gives live items their history: each earlier version of a live row of `table` is built into an item
 * (`build`, as for the live row) and kept on the live item when its content differs.
 * `liveItems` maps the live rows' rowids to their items.
 */
export function attachEarlierVersions<T extends object>(
  db: ArtifactDatabase,
  table: string,
  liveItems: ReadonlyMap<number, T & WithHistory>,
  build: (values: Row, mark: RecoveredMark) => T | null,
  options: HistoryOptions = {},
): number {
  if (liveItems.size === 0) return 0;
  let kept = 0;
  for (const [rowid, versions] of db.earlierVersions(table)) {
    const live = liveItems.get(rowid);
    if (!live) continue;
    for (const v of versions) {
      let earlier: T | null = null;
      try {
        earlier = build(v.values, v.recovered);
      } catch {
        continue; // an old copy too damaged to read adds nothing
      }
      if (earlier && addEarlierVersion(live, earlier, v.recovered, options)) kept++;
    }
  }
  return kept;
}

/**
 * A recovered item found more than once with other values (a deleted row edited before it was
 * deleted): the other copies become its versions, never items of their own.
 */
export function attachOtherVersions<T extends object>(
  item: T & WithHistory,
  row: RecoveredRow,
  build: (values: Row, mark: RecoveredMark) => T | null,
  options: HistoryOptions = {},
): void {
  for (const other of row.otherVersions ?? []) {
    let version: T | null = null;
    try {
      version = build(other.values, other.recovered);
    } catch {
      continue;
    }
    if (version) addEarlierVersion(item, version, other.recovered, options);
  }
}
