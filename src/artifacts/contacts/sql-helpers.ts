import type { ArtifactDatabase, Row } from '../database.js';
import { quoteIdentifier } from '../database.js';

/**
 * A SELECT list naming `wanted` columns of `table`: those the table lacks (older or newer iOS) read as
 * NULL, so one query works across schema versions. `alias` prefixes each column ("m.").
 */
export function columnList(
  db: ArtifactDatabase,
  table: string,
  wanted: readonly string[],
  alias = '',
): string {
  const have = new Set(db.columns(table).map((c) => c.toLowerCase()));
  return wanted
    .map((c) =>
      have.has(c.toLowerCase())
        ? `${alias}${quoteIdentifier(c)} AS ${quoteIdentifier(c)}`
        : `NULL AS ${quoteIdentifier(c)}`,
    )
    .join(', ');
}

/** Columns of `wanted` a table lacks (for a warning naming them). */
export function missingColumns(
  db: ArtifactDatabase,
  table: string,
  wanted: readonly string[],
): string[] {
  const have = new Set(db.columns(table).map((c) => c.toLowerCase()));
  return wanted.filter((c) => !have.has(c.toLowerCase()));
}

/** A value read as text (blobs decoded as UTF-8), trimmed; null when empty. */
export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = Buffer.isBuffer(value)
    ? value.toString('utf8')
    : typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'bigint'
        ? String(value)
        : null;
  if (s === null) return null;
  const t = s.replace(/\u0000+$/, '').trim();
  return t ? t : null;
}

/** A value read as a finite number; null otherwise. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'bigint' ? Number(value) : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A row value by column name, case-insensitively (recovered rows carry the schema's spelling). */
export function get(row: Row, column: string): Row[string] {
  if (column in row) return row[column]!;
  const lower = column.toLowerCase();
  for (const key of Object.keys(row)) if (key.toLowerCase() === lower) return row[key]!;
  return null;
}
