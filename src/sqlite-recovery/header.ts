import { type ByteSource, u16, u32 } from './bytes.js';

export type TextEncodingName = 'utf8' | 'utf16le' | 'utf16be';

export interface DbHeader {
  pageSize: number;
  reserved: number;
  usable: number;
  /** Pages in the file as the header states them, or as the file size implies. */
  pageCount: number;
  freelistTrunk: number;
  freelistCount: number;
  encoding: TextEncodingName;
  autoVacuum: boolean;
  schemaFormat: number;
}

export const SQLITE_MAGIC = 'SQLite format 3\0';

export function isSqliteHeader(b: Buffer): boolean {
  return b.length >= 100 && b.toString('latin1', 0, 16) === SQLITE_MAGIC;
}

/** Parses the 100-byte header; tolerates damage by falling back to defaults, with warnings. */
export function parseHeader(src: ByteSource, warnings: string[]): DbHeader {
  const b = src.read(0, 100);
  if (!isSqliteHeader(b))
    warnings.push('file header: not a SQLite 3 header; assuming 4096-byte pages');
  let pageSize = u16(b, 16);
  if (pageSize === 1) pageSize = 65536;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    if (b.length >= 100) warnings.push(`file header: invalid page size ${pageSize}; assuming 4096`);
    pageSize = 4096;
  }
  let reserved = b.length > 20 ? b[20]! : 0;
  if (pageSize - reserved < 480) {
    warnings.push(`file header: invalid reserved bytes ${reserved}; assuming 0`);
    reserved = 0;
  }
  const filePages = Math.ceil(src.size / pageSize);
  const inHeader = u32(b, 28);
  const valid = u32(b, 24) === u32(b, 92) && inHeader > 0;
  let pageCount = valid ? inHeader : filePages;
  if (pageCount > filePages) pageCount = filePages;
  if (pageCount < filePages) pageCount = filePages; // carve pages past the stated end too
  const enc = u32(b, 56);
  const encoding: TextEncodingName = enc === 2 ? 'utf16le' : enc === 3 ? 'utf16be' : 'utf8';
  return {
    pageSize,
    reserved,
    usable: pageSize - reserved,
    pageCount,
    freelistTrunk: u32(b, 32),
    freelistCount: u32(b, 36),
    encoding,
    autoVacuum: u32(b, 52) !== 0,
    schemaFormat: u32(b, 44),
  };
}
