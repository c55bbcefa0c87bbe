import type { ByteSource } from './bytes.js';

export interface JournalPage {
  pgno: number;
  offset: number; // byte offset of the page image in the journal
  /** 1-based record number across the journal's segments. */
  index: number;
}

const MAGIC = Buffer.from('d9d505f920a163d7', 'hex');

/** Page images kept by a rollback journal (every segment, bounded; never throws). */
export function parseJournal(
  src: ByteSource,
  dbPageSize: number,
  warnings: string[],
): JournalPage[] {
  const out: JournalPage[] = [];
  let segStart = 0;
  let index = 0;
  for (let seg = 0; seg < 10_000 && segStart + 28 <= src.size; seg++) {
    const h = src.read(segStart, 28);
    if (!h.subarray(0, 8).equals(MAGIC)) {
      if (seg === 0)
        warnings.push(
          'journal: bad magic (zeroed or not a rollback journal); scanning as raw records',
        );
      if (seg > 0) break;
    }
    let nRec = h.readUInt32BE(8);
    let sector = h.readUInt32BE(20);
    let pageSize = h.readUInt32BE(24);
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
      pageSize = dbPageSize;
    if (sector < 32 || sector > 65536 || (sector & (sector - 1)) !== 0) sector = 512;
    const recSize = pageSize + 8;
    const dataStart = segStart + sector;
    const fit = Math.floor((src.size - dataStart) / recSize);
    if (nRec === 0 || nRec === 0xffffffff || nRec > fit) nRec = Math.max(0, fit);
    for (let i = 0; i < nRec; i++) {
      const off = dataStart + i * recSize;
      const pg = src.read(off, 4);
      if (pg.length < 4) break;
      const pgno = pg.readUInt32BE(0);
      index++;
      if (pgno >= 1 && pgno <= 0x7fffffff) out.push({ pgno, offset: off + 4, index });
    }
    const next = dataStart + nRec * recSize;
    segStart = Math.ceil(next / sector) * sector;
    if (segStart <= dataStart - sector) break;
  }
  return out;
}
