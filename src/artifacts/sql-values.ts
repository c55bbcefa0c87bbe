import type { ArtifactDatabase, Row } from './database.js';
import { quoteIdentifier } from './database.js';

/**
 * The one way every artifact reads SQLite values. Backups hold whatever a version of iOS wrote: a number
 * stored as text, text stored as a blob, an empty string for "none". Each helper has one behaviour.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** C0 controls other than tab, line feed and carriage return: a blob holding them is not text. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** A finite number (bigint and numeric text converted); null for NULL, '', blobs and anything else. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '' || Buffer.isBuffer(value)) return null;
  if (typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'string')
    return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * The value as text exactly as stored: a string; a number in decimal; a blob when it is UTF-8 text
 * (trailing NULs dropped). Null for NULL, '' and binary blobs.
 */
export function str(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value)) {
    let s: string;
    try {
      s = utf8.decode(value).replace(/\u0000+$/, '');
    } catch {
      return null;
    }
    return s === '' || CONTROL.test(s) ? null : s;
  }
  return null;
}

/** str(), trimmed (trailing NULs too); null when nothing is left. For names, labels, identifiers. */
export function text(value: unknown): string | null {
  const s = str(value)
    ?.replace(/\u0000+$/, '')
    .trim();
  return s ? s : null;
}

/** A flag column: true for a non-zero number. */
export function bool(value: unknown): boolean {
  const n = num(value);
  return n !== null && n !== 0;
}

/** Seconds between the Unix epoch and Apple's (2001-01-01T00:00:00Z). */
export const APPLE_EPOCH_OFFSET = 978307200;

/**
 * A stored time as a Date. 'apple': since 2001, in seconds (Core Data, most databases) or nanoseconds
 * (sms.db since iOS 11); 'unix': Unix seconds. Null for NULL, zero and unreadable values.
 */
export function date(value: unknown, epoch: 'apple' | 'unix' = 'apple'): Date | null {
  let n = num(value);
  if (n === null || n === 0) return null;
  if (epoch === 'apple' && Math.abs(n) > 1e11) n /= 1e9;
  const d = new Date((epoch === 'apple' ? n + APPLE_EPOCH_OFFSET : n) * 1000);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A non-empty blob; null otherwise. */
export function bytes(value: unknown): Buffer | null {
  return Buffer.isBuffer(value) && value.length > 0 ? value : null;
}

/** A row value by column name, case-insensitively (recovered rows carry the schema's spelling). */
export function get(row: Row, column: string): Row[string] {
  if (column in row) return row[column]!;
  const lower = column.toLowerCase();
  for (const key of Object.keys(row)) if (key.toLowerCase() === lower) return row[key]!;
  return null;
}

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
