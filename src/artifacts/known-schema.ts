import type { ArtifactDatabase } from './database.js';
import type { DatabaseSchema, TableReads } from './declaration.js';

/**
 * Schema drift, from what each database location declares it reads (declaration.ts, DatabaseSchema):
 * the optional columns a database lacks (one problem line, the fields stay empty) and the tables and
 * columns it has that this version of Reclaim does not know (`reclaim info` lists them for reports).
 */

/** Core Data's own bookkeeping tables, in every store. */
const CORE_DATA_TABLES = [
  'Z_PRIMARYKEY',
  'Z_METADATA',
  'Z_MODELCACHE',
  'ACHANGE',
  'ATRANSACTION',
  'ATRANSACTIONSTRING',
];
const CORE_DATA_COLUMNS = ['Z_PK', 'Z_ENT', 'Z_OPT'];

const words = (text: string | undefined): string[] => (text ?? '').split(/\s+/).filter(Boolean);
const names = (spec: string): string[] => spec.split('|');

/** A name as compared: case folded; in Core Data stores entity numbers folded to "#". */
function keyOf(name: string, coreData: boolean): string {
  const upper = name.toUpperCase();
  return coreData ? upper.replace(/\d+/g, '#') : upper;
}

/** Whether a declared name ("#" = digits) is the actual one. */
function matches(declared: string, actual: string): boolean {
  if (!declared.includes('#')) return declared.toUpperCase() === actual.toUpperCase();
  const pattern = declared.replace(/[.*+?^${}()[\]\\]/g, '\\$&').replace(/#/g, '\\d+');
  return new RegExp(`^${pattern}$`, 'i').test(actual);
}

/** Every column a table's declaration names (read, fallback or ignored). */
export function declaredColumns(reads: TableReads): string[] {
  return [
    ...[...(reads.required ?? []), ...(reads.optional ?? []), ...(reads.extras ?? [])].flatMap(
      names,
    ),
    ...words(reads.ignored),
  ];
}

/** The columns a table's reader selects (each name of "A|B"); those a database lacks read as NULL (columnList). */
export function readColumns(reads: TableReads): string[] {
  return [...(reads.required ?? []), ...(reads.optional ?? []), ...(reads.extras ?? [])].flatMap(
    names,
  );
}

/** The declared columns a column drop may take away (optional and extras, each name of "A|B"). */
export function droppableColumns(reads: TableReads): string[] {
  return [...(reads.optional ?? []), ...(reads.extras ?? [])].flatMap(names);
}

/** The database's table that a declared table name ("A|B", "Z_#ASSETS") stands for, if any. */
export function actualTable(db: ArtifactDatabase, declared: string): string | null {
  const tables = db.tables();
  for (const name of names(declared)) {
    const found = tables.find((t) => matches(name, t));
    if (found) return found;
  }
  return null;
}

export interface MissingColumns {
  table: string;
  /** Each a declared spec ("ZTITLE1|ZTITLE") of which the table has no name. */
  columns: string[];
}

/** The optional columns (fields) that the database's tables lack. Tables it lacks are the reader's business. */
export function missingOptional(db: ArtifactDatabase, schema: DatabaseSchema): MissingColumns[] {
  const out: MissingColumns[] = [];
  for (const [declared, reads] of Object.entries(schema.tables)) {
    const table = actualTable(db, declared);
    if (!table || !reads.optional?.length) continue;
    const have = db.columns(table);
    const columns = reads.optional.filter(
      (spec) => !names(spec).some((name) => have.some((c) => matches(name, c))),
    );
    if (columns.length) out.push({ table, columns });
  }
  return out;
}

/** One problem line for a database's missing optional columns. */
export function describeMissing(label: string, missing: readonly MissingColumns[]): string {
  const list = missing
    .flatMap((m) => m.columns.map((c) => `${m.table}.${c.replace(/\|/g, '/')}`))
    .join(', ');
  return `${label} has no ${list} (another iOS version's schema): those fields are left empty`;
}

/** Whether the schema reads `table` (by any of its names). */
export function declaresTable(schema: DatabaseSchema, table: string): boolean {
  const coreData = schema.coreData === true;
  return Object.keys(schema.tables).some((spec) =>
    names(spec).some(
      (name) => keyOf(name, coreData) === keyOf(table, coreData) || matches(name, table),
    ),
  );
}

export interface UnknownSchema {
  /** Tables neither read nor known. */
  tables: string[];
  /** "table.column" of the tables read, neither read nor known. */
  columns: string[];
}

/**
 * The tables and columns of a database this version of Reclaim does not know. Columns are checked in
 * the tables it reads (a new column there may hold data it misses); tables it leaves are not looked into.
 */
export function unknownSchema(db: ArtifactDatabase, schema: DatabaseSchema): UnknownSchema {
  const coreData = schema.coreData === true;
  const key = (name: string) => keyOf(name, coreData);
  const knownTables = new Set(
    [
      ...Object.keys(schema.tables).flatMap(names),
      ...words(schema.ignoredTables),
      ...(coreData ? CORE_DATA_TABLES : []),
    ].map(key),
  );
  const tables: string[] = [];
  const columns: string[] = [];
  for (const table of db.tables()) {
    if (/^sqlite_/i.test(table)) continue;
    const declared = Object.entries(schema.tables).find(([spec]) =>
      names(spec).some((name) => key(name) === key(table) || matches(name, table)),
    );
    if (!declared) {
      if (!knownTables.has(key(table))) tables.push(table);
      continue;
    }
    const known = new Set(
      [...declaredColumns(declared[1]), 'ROWID', ...(coreData ? CORE_DATA_COLUMNS : [])].map(key),
    );
    for (const column of db.columns(table))
      if (!known.has(key(column))) columns.push(`${table}.${column}`);
  }
  return { tables, columns };
}
