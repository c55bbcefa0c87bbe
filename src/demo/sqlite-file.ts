import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;
export type SqlValue = string | number | bigint | Buffer | null;
export type Row = Record<string, SqlValue>;

export interface SqliteBuildOptions {
  /** Custom SQL functions that the real schema's defaults and triggers call (iOS registers them in-process). */
  functions?: Record<string, (...args: SqlValue[]) => SqlValue>;
}

/**
 * Builds one SQLite database in a private temporary folder and returns its bytes.
 * journal_mode DELETE, so everything is in the one file; the folder is removed afterwards.
 * `schema` holds real CREATE statements, run in order; statements starting with CREATE VIRTUAL TABLE
 * are recorded in sqlite_master without being instantiated (see addVirtualTableEntry).
 */
export function buildSqliteFile(
  schema: readonly string[],
  fill: (db: SqliteDatabase) => void,
  options: SqliteBuildOptions = {},
): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'reclaim-demo-'));
  const path = join(dir, 'demo.sqlite');
  try {
    const db = new Database(path);
    try {
      db.pragma('journal_mode = DELETE');
      for (const [name, fn] of Object.entries(options.functions ?? {})) {
        db.function(name, { deterministic: true, varargs: true }, (...args: unknown[]) => fn(...(args as SqlValue[])));
      }
      for (const sql of schema) {
        if (/^CREATE VIRTUAL TABLE/i.test(sql)) addVirtualTableEntry(db, sql);
        else db.exec(sql);
      }
      db.transaction(() => fill(db))();
    } finally {
      db.close();
    }
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Records a virtual table in sqlite_master exactly as the real file has it, without calling the module
 * (the AddressBook FTS table uses Apple's own tokenizer, which is not available here). The table's shadow
 * tables are created by their own real CREATE TABLE statements.
 */
function addVirtualTableEntry(db: SqliteDatabase, sql: string): void {
  const match = /^CREATE VIRTUAL TABLE\s+("?)([A-Za-z0-9_]+)\1/i.exec(sql);
  if (!match) throw new Error(`cannot read virtual table name: ${sql.slice(0, 60)}`);
  const name = match[2];
  db.unsafeMode(true); // better-sqlite3 runs in SQLite's defensive mode, which forbids writable_schema
  db.pragma('writable_schema = ON');
  db.prepare("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('table', ?, ?, 0, ?)").run(
    name,
    name,
    sql.replace(/;\s*$/, ''),
  );
  db.pragma('writable_schema = OFF');
  db.unsafeMode(false);
}

/** INSERT of the given columns (all others keep their schema defaults). */
export function insertRow(db: SqliteDatabase, table: string, row: Row): void {
  const columns = Object.keys(row);
  const sql = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  db.prepare(sql).run(...columns.map((c) => row[c]));
}

/** Adds columns the way iOS migrates its databases (ALTER TABLE ... ADD COLUMN), so sqlite_master reads as on device. */
export function addColumns(table: string, columns: readonly string[]): string[] {
  return columns.map((column) => `ALTER TABLE ${table} ADD COLUMN ${column};`);
}
