import { type ByteSource, u16, u32 } from './bytes.js';
import type { DbHeader } from './header.js';

/** Pages of the database as SQLite would see them: the main file with committed WAL frames on top. */
export class PageStore {
  /** page number -> [source, byte offset] of a newer copy (committed WAL frames). */
  private readonly overlay = new Map<number, { src: ByteSource; offset: number; frame: number }>();
  pageCount: number;

  constructor(
    readonly main: ByteSource,
    readonly hdr: DbHeader,
  ) {
    this.pageCount = hdr.pageCount;
  }

  setOverlay(pgno: number, src: ByteSource, offset: number, frame = 0): void {
    this.overlay.set(pgno, { src, offset, frame });
  }

  /** The WAL frame number a page is read from; 0 when it comes from the main file. */
  overlayFrame(pgno: number): number {
    return this.overlay.get(pgno)?.frame ?? 0;
  }

  /** The page as stored in the main file only (ignoring the WAL). */
  readMain(pgno: number): Buffer | null {
    if (pgno < 1 || pgno > Math.ceil(this.main.size / this.hdr.pageSize)) return null;
    const b = this.main.read((pgno - 1) * this.hdr.pageSize, this.hdr.pageSize);
    return b.length === this.hdr.pageSize ? b : padPage(b, this.hdr.pageSize);
  }

  read(pgno: number): Buffer | null {
    if (!Number.isInteger(pgno) || pgno < 1 || pgno > this.pageCount) return null;
    const o = this.overlay.get(pgno);
    if (o) {
      const b = o.src.read(o.offset, this.hdr.pageSize);
      return b.length === this.hdr.pageSize ? b : padPage(b, this.hdr.pageSize);
    }
    return this.readMain(pgno);
  }

  overlaid(pgno: number): boolean {
    return this.overlay.has(pgno);
  }
}

function padPage(b: Buffer, size: number): Buffer {
  const out = Buffer.alloc(size);
  b.copy(out);
  return out;
}

export const PAGE_TABLE_LEAF = 0x0d;
export const PAGE_TABLE_INTERIOR = 0x05;
export const PAGE_INDEX_LEAF = 0x0a;
export const PAGE_INDEX_INTERIOR = 0x02;

export interface BtreePage {
  type: number;
  /** Offset of the b-tree header inside the page (100 on page 1). */
  hdrOff: number;
  firstFreeblock: number;
  cellCount: number;
  contentStart: number;
  fragmented: number;
  rightChild: number;
  /** Offset just past the cell pointer array. */
  ptrEnd: number;
  leaf: boolean;
  table: boolean;
}

/** Parses a b-tree page header; null when the bytes are not a plausible b-tree page. */
export function parseBtreePage(page: Buffer, pgno: number, usable: number): BtreePage | null {
  const hdrOff = pgno === 1 ? 100 : 0;
  if (page.length < hdrOff + 8) return null;
  const type = page[hdrOff]!;
  if (
    type !== PAGE_TABLE_LEAF &&
    type !== PAGE_TABLE_INTERIOR &&
    type !== PAGE_INDEX_LEAF &&
    type !== PAGE_INDEX_INTERIOR
  ) {
    return null;
  }
  const leaf = type === PAGE_TABLE_LEAF || type === PAGE_INDEX_LEAF;
  const hlen = leaf ? 8 : 12;
  const firstFreeblock = u16(page, hdrOff + 1);
  const cellCount = u16(page, hdrOff + 3);
  let contentStart = u16(page, hdrOff + 5);
  if (contentStart === 0) contentStart = 65536;
  const ptrEnd = hdrOff + hlen + 2 * cellCount;
  if (ptrEnd > usable) return null;
  if (contentStart > usable || contentStart < ptrEnd) return null;
  if (firstFreeblock !== 0 && (firstFreeblock < ptrEnd || firstFreeblock > usable - 4)) return null;
  return {
    type,
    hdrOff,
    firstFreeblock,
    cellCount,
    contentStart,
    fragmented: page[hdrOff + 7]!,
    rightChild: leaf ? 0 : u32(page, hdrOff + 8),
    ptrEnd,
    leaf,
    table: type === PAGE_TABLE_LEAF || type === PAGE_TABLE_INTERIOR,
  };
}

export function cellPointers(page: Buffer, bp: BtreePage, usable: number): number[] {
  const out: number[] = [];
  const base = bp.hdrOff + (bp.leaf ? 8 : 12);
  for (let i = 0; i < bp.cellCount; i++) {
    const p = u16(page, base + 2 * i);
    if (p >= bp.ptrEnd && p < usable) out.push(p);
  }
  return out;
}

/** The freeblock chain, ascending, cycle-safe and bounded. */
export function freeblocks(
  page: Buffer,
  bp: BtreePage,
  usable: number,
): Array<{ off: number; size: number }> {
  const out: Array<{ off: number; size: number }> = [];
  let off = bp.firstFreeblock;
  let guard = 0;
  while (off !== 0 && guard++ < usable / 4) {
    if (off < bp.ptrEnd || off + 4 > usable) break;
    const next = u16(page, off);
    const size = u16(page, off + 2);
    if (size < 4 || off + size > usable) break;
    out.push({ off, size });
    if (next !== 0 && next <= off + size - 1) break; // must ascend
    off = next;
  }
  return out;
}
