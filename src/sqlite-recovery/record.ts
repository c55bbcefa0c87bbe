import type { TextEncodingName } from './header.js';
import type { Column, TableSchema } from './schema.js';

/** Content size in bytes of a serial type; -1 for the reserved types 10 and 11. */
export function serialSize(st: number): number {
  if (st < 0) return -1;
  if (st <= 4) return st;
  if (st === 5) return 6;
  if (st === 6 || st === 7) return 8;
  if (st === 8 || st === 9) return 0;
  if (st === 10 || st === 11) return -1;
  return (st - (st & 1 ? 13 : 12)) / 2;
}

export const INT_TYPES = [1, 2, 3, 4, 5, 6, 8, 9];

/**
 * How well a serial type fits a column: 0 = impossible, 1 = fits the declared affinity,
 * 0.5 = legal but unusual (a REAL in an INTEGER column). `isIpk`: the INTEGER PRIMARY KEY alias.
 */
export function typeFit(st: number, col: Column, isIpk: boolean): number {
  if (st === 10 || st === 11 || st < 0) return 0;
  if (isIpk) return st === 0 ? 1 : 0;
  if (st === 0) return col.notNull ? 0 : 1;
  const isInt = (st >= 1 && st <= 6) || st === 8 || st === 9;
  const isText = st >= 13 && (st & 1) === 1;
  const isBlob = st >= 12 && (st & 1) === 0;
  switch (col.affinity) {
    case 'INTEGER':
      return isInt ? 1 : st === 7 ? 0.5 : 0;
    case 'REAL':
      return isInt || st === 7 ? 1 : 0;
    case 'TEXT':
      return isText ? 1 : 0;
    case 'NUMERIC':
      return isInt || st === 7 ? 1 : isText || isBlob ? 0.5 : 0;
    case 'BLOB':
      return 1;
  }
}

/**
 * Serial types worth trying for a column whose type byte was lost. -1 stands for "text or blob of
 * a length to be worked out from the freeblock size".
 */
export function candidateTypes(col: Column, isIpk: boolean): number[] {
  if (isIpk) return [0];
  if (col.hintTypes) return col.hintTypes;
  const nul = col.notNull ? [] : [0];
  switch (col.affinity) {
    case 'INTEGER':
      return [...INT_TYPES, ...nul];
    case 'REAL':
      return [7, ...INT_TYPES, ...nul];
    case 'NUMERIC':
      return [...INT_TYPES, 7, ...nul];
    case 'BLOB':
      return [...INT_TYPES, 7, -1, ...nul];
    default:
      return [-1, ...nul];
  }
}

const decoders: Record<TextEncodingName, TextDecoder> = {
  utf8: new TextDecoder('utf-8', { fatal: true }),
  utf16le: new TextDecoder('utf-16le', { fatal: true }),
  utf16be: new TextDecoder('utf-16be', { fatal: true }),
};

/** Text decoded strictly; null when the bytes are not valid in the database encoding. */
export function decodeText(b: Uint8Array, encoding: TextEncodingName): string | null {
  try {
    return decoders[encoding].decode(b);
  } catch {
    return null;
  }
}

export type SqlValue = null | number | bigint | string | Buffer;

function readInt(b: Buffer, off: number, n: number): number | bigint {
  switch (n) {
    case 1:
      return b.readInt8(off);
    case 2:
      return b.readInt16BE(off);
    case 3:
      return b.readIntBE(off, 3);
    case 4:
      return b.readInt32BE(off);
    case 6:
      return b.readIntBE(off, 6);
    default: {
      const v = b.readBigInt64BE(off);
      return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(v)
        : v;
    }
  }
}

/**
 * Decodes one value; `undefined` when the bytes cannot hold it (out of range, invalid text).
 * REAL-affinity columns get integers back as floats (SQLite stores integral reals as integers).
 */
export function decodeValue(
  b: Buffer,
  off: number,
  st: number,
  encoding: TextEncodingName,
  col: Column | undefined,
): SqlValue | undefined {
  const size = serialSize(st);
  if (size < 0 || off < 0 || off + size > b.length) return undefined;
  if (st === 0) return null;
  if (st === 8) return col?.affinity === 'REAL' ? 0 : 0;
  if (st === 9) return 1;
  if (st <= 6) {
    const v = readInt(b, off, size);
    return col?.affinity === 'REAL' && typeof v === 'number' ? v : v;
  }
  if (st === 7) return b.readDoubleBE(off);
  const bytes = b.subarray(off, off + size);
  if (st & 1) {
    const s = decodeText(bytes, encoding);
    return s === null ? undefined : s;
  }
  return Buffer.from(bytes);
}

/** Share of characters that look like binary junk (control characters, U+FFFD). */
export function junkRatio(s: string): number {
  if (s.length === 0) return 0;
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd || c === 0x7f) bad++;
  }
  return bad / s.length;
}

/** Maps values in storage order back to the table's column order, filling the rowid alias. */
export function toColumnOrder(
  schema: TableSchema,
  stored: SqlValue[],
  rowid: number | null,
): SqlValue[] {
  const out: SqlValue[] = new Array<SqlValue>(schema.columns.length).fill(null);
  for (let s = 0; s < stored.length && s < schema.storageOrder.length; s++) {
    out[schema.storageOrder[s]!] = stored[s]!;
  }
  if (schema.ipk >= 0) out[schema.ipk] = rowid;
  return out;
}
