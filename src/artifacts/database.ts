import Database from 'better-sqlite3';
import { carveDatabase, type RecoveredRecord, type SqlValue } from '../sqlite-recovery/index.js';
import type { RecoveredMark } from './artifact.js';

export type Row = Record<string, SqlValue>;

interface ColumnInfo {
  name: string;
  type: string;
  pk: number;
}

/** A deleted row carved from a database, its values named after the table's columns. */
export interface RecoveredRow {
  table: string;
  rowid: number | null;
  values: Row;
  recovered: RecoveredMark;
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
  private readonly infoByTable = new Map<string, ColumnInfo[]>();
  readonly carveWarnings: string[];

  constructor(
    readonly files: DatabaseFiles,
    options: { recoverDeleted?: boolean } = {},
  ) {
    let carved: RecoveredRecord[] = [];
    let warnings: string[] = [];
    if (options.recoverDeleted !== false) {
      try {
        const result = carveDatabase(files.main, { wal: files.wal, journal: files.journal });
        carved = result.records;
        warnings = result.warnings;
      } catch (error) {
        warnings = [`deleted-record recovery failed: ${(error as Error).message}`];
      }
    }
    this.carved = carved;
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
   * Deleted rows of a table, values keyed by column name (the INTEGER PRIMARY KEY column gets the rowid).
   * Earlier versions of rows that still exist are left out unless asked for.
   */
  recovered(table: string, options: { includeEarlierVersions?: boolean } = {}): RecoveredRow[] {
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
      if (record.table.toLowerCase() !== table.toLowerCase()) continue;
      if (record.earlierVersion && !options.includeEarlierVersions) continue;
      const values: Row = {};
      info.forEach((column, i) => {
        const value = record.values[i] ?? null;
        values[column.name] = column.name === rowidAlias && value === null ? record.rowid : value;
      });
      const key = `${record.rowid}|${JSON.stringify(record.values, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        table: record.table,
        rowid: record.rowid,
        values,
        recovered: {
          source: record.source,
          confidence: record.confidence,
          partial: record.partial,
          earlierVersion: record.earlierVersion,
        },
      });
    }
    return rows;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
