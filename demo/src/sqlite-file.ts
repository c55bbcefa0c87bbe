import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** Registers the schema's SQL functions and runs its CREATE statements (virtual tables only recorded). */
function createSchema(
  db: SqliteDatabase,
  schema: readonly string[],
  options: SqliteBuildOptions,
): void {
  for (const [name, fn] of Object.entries(options.functions ?? {})) {
    db.function(name, { deterministic: true, varargs: true }, (...args: unknown[]) =>
      fn(...(args as SqlValue[])),
    );
  }
  for (const sql of schema) {
    if (/^CREATE VIRTUAL TABLE/i.test(sql)) addVirtualTableEntry(db, sql);
    else db.exec(sql);
  }
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
      createSchema(db, schema, options);
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
 * Builds a database the way an app in WAL mode leaves it between checkpoints: `fill` is committed and checkpointed
 * into the main file; then `walOnly` runs (in its own transaction, automatic checkpoints off), so its changes exist
 * only as frames in the -wal file. Deleted rows keep their bytes in the main file's pages (secure_delete off), which
 * the WAL supersedes. Both files are copied while the connection is open (closing would checkpoint the WAL away).
 * The WAL header's random salts are replaced by fixed ones (checksums recomputed), so the bytes are the same on every run.
 */
export function buildSqliteFileWithWal(
  schema: readonly string[],
  fill: (db: SqliteDatabase) => void,
  walOnly: (db: SqliteDatabase) => void,
  options: SqliteBuildOptions = {},
): { db: Buffer; wal: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'reclaim-demo-'));
  const path = join(dir, 'demo.sqlite');
  try {
    const db = new Database(path);
    try {
      db.pragma('secure_delete = OFF');
      db.pragma('journal_mode = WAL');
      db.pragma('wal_autocheckpoint = 0');
      createSchema(db, schema, options);
      db.transaction(() => fill(db))();
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.transaction(() => walOnly(db))();
      copyFileSync(path, `${path}.copy`);
      copyFileSync(`${path}-wal`, `${path}.copy-wal`);
    } finally {
      db.close();
    }
    return {
      db: readFileSync(`${path}.copy`),
      wal: withFixedWalSalts(readFileSync(`${path}.copy-wal`)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A WAL with fixed salts in its header and frame headers, and its checksum chain recomputed (format: sqlite.org/fileformat2.html#walformat). */
function withFixedWalSalts(wal: Buffer, salt1 = 0x5eed0001, salt2 = 0x5eed0002): Buffer {
  const out = Buffer.from(wal);
  if (out.length < 32) return out;
  const bigEndian = (out.readUInt32BE(0) & 1) === 1;
  const pageSize = out.readUInt32BE(8);
  const word = (offset: number) =>
    bigEndian ? out.readUInt32BE(offset) : out.readUInt32LE(offset);
  let s0 = 0,
    s1 = 0;
  const sum = (start: number, end: number) => {
    for (let i = start; i < end; i += 8) {
      s0 = (s0 + word(i) + s1) >>> 0;
      s1 = (s1 + word(i + 4) + s0) >>> 0;
    }
  };
  out.writeUInt32BE(salt1, 16);
  out.writeUInt32BE(salt2, 20);
  sum(0, 24);
  out.writeUInt32BE(s0, 24);
  out.writeUInt32BE(s1, 28);
  for (let frame = 32; frame + 24 + pageSize <= out.length; frame += 24 + pageSize) {
    out.writeUInt32BE(salt1, frame + 8);
    out.writeUInt32BE(salt2, frame + 12);
    sum(frame, frame + 8);
    sum(frame + 24, frame + 24 + pageSize);
    out.writeUInt32BE(s0, frame + 16);
    out.writeUInt32BE(s1, frame + 20);
  }
  return out;
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
  db.prepare(
    "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('table', ?, ?, 0, ?)",
  ).run(name, name, sql.replace(/;\s*$/, ''));
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
