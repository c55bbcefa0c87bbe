import Database from 'better-sqlite3';
import {
  carveDatabase,
  type NaturalKeySpec,
  type RecoveredRecord,
  type SqlValue,
} from '../sqlite-recovery/index.js';
import type { RecoveredMark } from './artifact.js';

export type Row = Record<string, SqlValue>;

interface ColumnInfo {
  name: string;
  type: string;
  pk: number;
}

/** A row carved from a database, its values named after the table's columns. */
export interface RecoveredRow {
  table: string;
  rowid: number | null;
  values: Row;
  recovered: RecoveredMark;
  /** An earlier version: the rowid of the live row it is a version of. */
  liveRowid?: number;
  /**
   * A deleted row found more than once with different values (its state before and after an edit),
   * told by its natural key: the other copies. This row is the most complete one.
   */
  otherVersions?: RecoveredRow[];
}

/** Natural keys per table (name, any case -> key columns, or keys in order), as the carver takes them. */
export type NaturalKeys = Record<string, NaturalKeySpec>;

export interface ArtifactDatabaseOptions {
  recoverDeleted?: boolean;
  /**
   * What identifies a row of each table (the location's declared natural keys): a carved record holding
   * a live row's key is that row's earlier version, not a deleted row.
   */
  naturalKeys?: NaturalKeys;
}

export interface DatabaseFiles {
  /** Private copies (never a backup's own files). */
  main: string;
  wal?: string;
  journal?: string;
  /** Shown in messages: "HomeDomain/Library/SMS/sms.db". */
  label: string;
}

/**
 * A SQLite database an artifact reads: a private copy opened read-only. When deleted records are wanted
 * they are carved from the untouched bytes (WAL included) before SQLite ever opens the file.
 */
export class ArtifactDatabase {
  readonly db: Database.Database;
  private readonly carved: RecoveredRecord[];
  private readonly naturalKeys: NaturalKeys;
  private readonly infoByTable = new Map<string, ColumnInfo[]>();
  readonly carveWarnings: string[];

  constructor(
    readonly files: DatabaseFiles,
    options: ArtifactDatabaseOptions = {},
  ) {
    let carved: RecoveredRecord[] = [];
    let warnings: string[] = [];
    if (options.recoverDeleted !== false) {
      try {
        const result = carveDatabase(files.main, {
          wal: files.wal,
          journal: files.journal,
          naturalKeys: options.naturalKeys,
        });
        carved = result.records;
        warnings = result.warnings;
      } catch (error) {
        warnings = [`deleted-record recovery failed: ${(error as Error).message}`];
      }
    }
    this.carved = carved;
    this.naturalKeys = options.naturalKeys ?? {};
    this.carveWarnings = warnings;
    try {
      this.db = new Database(files.main, { readonly: true, fileMustExist: true });
      this.db.pragma('query_only = ON');
      this.db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      throw new Error(
        `${files.label} is not a readable SQLite database (${(error as Error).message})`,
      );
    }
  }

  get label(): string {
    return this.files.label;
  }

  tables(): string[] {
    return (
      this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
        name: string;
      }>
    ).map((r) => r.name);
  }

  hasTable(name: string): boolean {
    return (
      this.db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")
        .get(name) !== undefined
    );
  }

  /** The table's columns as SQLite describes them, read once per table. */
  private tableInfo(table: string): ColumnInfo[] {
    const key = table.toLowerCase();
    let info = this.infoByTable.get(key);
    if (!info) {
      info = this.db.prepare(`PRAGMA table_info(${quoteIdentifier(table)})`).all() as ColumnInfo[];
      this.infoByTable.set(key, info);
    }
    return info;
  }

  columns(table: string): string[] {
    return this.tableInfo(table).map((r) => r.name);
  }

  hasColumn(table: string, column: string): boolean {
    return this.columns(table).some((c) => c.toLowerCase() === column.toLowerCase());
  }

  /** Rows one at a time: a table of 200,000 messages is never all in memory at once. */
  iterate<T = Row>(sql: string, ...params: unknown[]): IterableIterator<T> {
    return this.db.prepare(sql).iterate(...params) as IterableIterator<T>;
  }

  all<T = Row>(sql: string, ...params: unknown[]): T[] {
    return this.db.prepare(sql).all(...params) as T[];
  }

  /**
   * Deleted rows of a table: no live row has their identity (natural key, else rowid) or their values.
   * Values are keyed by column name (the INTEGER PRIMARY KEY column gets the rowid). Earlier versions
   * of live rows are never among them (see earlierVersions), nor copies of live rows.
   */
  recovered(table: string): RecoveredRow[] {
    const rows = this.carvedRows(
      table,
      (r) => r.relation === undefined || r.relation === 'deleted',
    );
    return this.oneCopyEach(table, rows);
  }

  /** Deleted rows sharing their natural key are one row: the most complete copy, the others beside it. */
  private oneCopyEach(table: string, rows: RecoveredRow[]): RecoveredRow[] {
    const spec = Object.entries(this.naturalKeys).find(
      ([t]) => t.toLowerCase() === table.toLowerCase(),
    )?.[1];
    const key = spec?.length ? (typeof spec[0] === 'string' ? spec : spec[0]) : undefined;
    if (!key || rows.length < 2) return rows;
    const columns = this.columns(table);
    const names = (key as readonly string[]).map((k) =>
      columns.find((c) => c.toLowerCase() === k.toLowerCase()),
    );
    if (names.some((n) => n === undefined)) return rows;
    const groups = new Map<string, RecoveredRow[]>();
    const keyOf = (row: RecoveredRow): string | null => {
      const lost = new Set(row.recovered.lostColumns ?? []);
      const values = names.map((n) => (lost.has(n!) ? null : (row.values[n!] ?? null)));
      if (values.some((v) => v === null)) return null;
      return JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    };
    const out: Array<RecoveredRow | RecoveredRow[]> = [];
    for (const row of rows) {
      const k = keyOf(row);
      const group = k === null ? undefined : groups.get(k);
      if (group) group.push(row);
      else if (k === null) out.push(row);
      else {
        const created = [row];
        groups.set(k, created);
        out.push(created);
      }
    }
    const filled = (r: RecoveredRow): number =>
      (r.recovered.partial ? 0 : 1e6) +
      Object.values(r.values).filter((v) => v !== null && v !== undefined).length;
    return out.map((entry) => {
      if (!Array.isArray(entry)) return entry;
      if (entry.length === 1) return entry[0]!;
      const [best, ...others] = [...entry].sort(
        (a, b) => filled(b) - filled(a) || b.recovered.confidence - a.recovered.confidence,
      );
      for (const other of others) fillLost(other, best!.values);
      return { ...best!, otherVersions: others };
    });
  }

  /**
   * Earlier versions of live rows (old copies SQLite left behind when it moved or rewrote a row), by
   * the rowid of the live row each belongs to, oldest source first. Exact copies are not kept.
   */
  earlierVersions(table: string): Map<number, RecoveredRow[]> {
    const byLive = new Map<number, RecoveredRow[]>();
    let liveRow: Database.Statement | null = null;
    for (const row of this.carvedRows(
      table,
      (r) => r.relation === 'earlierVersion' && typeof r.liveRowid === 'number',
    )) {
      // what the old copy lost is unknown: the live row's values stand in, so only kept values differ
      if (row.recovered.lostColumns?.length) {
        liveRow ??= this.db.prepare(`SELECT * FROM ${quoteIdentifier(table)} WHERE rowid = ?`);
        const live = liveRow.get(row.liveRowid) as Row | undefined;
        if (live) fillLost(row, live);
      }
      const list = byLive.get(row.liveRowid!) ?? [];
      list.push(row);
      byLive.set(row.liveRowid!, list);
    }
    return byLive;
  }

  private carvedRows(table: string, wanted: (r: RecoveredRecord) => boolean): RecoveredRow[] {
    const info = this.tableInfo(table);
    if (info.length === 0) return [];
    const pkColumns = info.filter((c) => c.pk > 0);
    const rowidAlias =
      pkColumns.length === 1 && pkColumns[0]!.type.toUpperCase() === 'INTEGER'
        ? pkColumns[0]!.name
        : null;
    const seen = new Set<string>();
    const rows: RecoveredRow[] = [];
    for (const record of this.carved) {
      if (record.table.toLowerCase() !== table.toLowerCase() || !wanted(record)) continue;
      const earlier = record.relation === 'earlierVersion' && typeof record.liveRowid === 'number';
      // an earlier version is read as the live row it belongs to (its rowid is often lost)
      const rowid = earlier ? record.liveRowid! : record.rowid;
      const values: Row = {};
      info.forEach((column, i) => {
        const value = record.values[i] ?? null;
        values[column.name] = column.name === rowidAlias && value === null ? rowid : value;
      });
      const key = `${rowid}|${JSON.stringify(record.values, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        table: record.table,
        rowid,
        values,
        recovered: {
          source: record.source,
          confidence: record.confidence,
          ...(record.partial ? { partial: true } : {}),
          ...(record.lostColumns?.length ? { lostColumns: [...record.lostColumns] } : {}),
          ...(earlier ? { earlierVersion: true } : {}),
        },
        ...(earlier ? { liveRowid: record.liveRowid! } : {}),
      });
    }
    return rows;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Puts `from`'s values into the columns `row` lost (overwritten bytes, not known to be NULL). */
function fillLost(row: RecoveredRow, from: Row): void {
  for (const column of row.recovered.lostColumns ?? []) {
    const name = Object.keys(from).find((c) => c.toLowerCase() === column.toLowerCase());
    if (name !== undefined) row.values[column] = from[name] ?? null;
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
