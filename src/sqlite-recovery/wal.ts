import type { ByteSource } from './bytes.js';

export interface WalFrame {
  /** 1-based frame number in the file. */
  index: number;
  pgno: number;
  /** Database size in pages after this commit; 0 when not a commit frame. */
  commitSize: number;
  salt1: number;
  salt2: number;
  /** Byte offset of the page image in the WAL file. */
  offset: number;
  /** 'committed' / 'uncommitted' (valid tail after the last commit) / 'old' (earlier generation). */
  state: 'committed' | 'uncommitted' | 'old';
  /** Checksum verified against its predecessor (always false for the first surviving old frame). */
  checksumOk: boolean;
}

export interface Wal {
  pageSize: number;
  salt1: number;
  salt2: number;
  frames: WalFrame[];
  /** Pages of the database after the last commit (0 when nothing is committed). */
  dbSize: number;
}

function checksum(
  b: Buffer,
  off: number,
  len: number,
  bigEndian: boolean,
  s: [number, number],
): [number, number] {
  let s0 = s[0];
  let s1 = s[1];
  const end = off + len - (len % 8);
  for (let i = off; i < end; i += 8) {
    const x0 = bigEndian ? b.readUInt32BE(i) : b.readUInt32LE(i);
    const x1 = bigEndian ? b.readUInt32BE(i + 4) : b.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

/** Reads every frame of a WAL file: the current generation, its uncommitted tail, older generations. */
export function parseWal(src: ByteSource, expectPageSize: number, warnings: string[]): Wal | null {
  const h = src.read(0, 32);
  if (h.length < 32) {
    warnings.push('wal: file shorter than its header');
    return null;
  }
  const magic = h.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) {
    warnings.push('wal: bad magic number');
    return null;
  }
  const bigEndian = magic === 0x377f0683;
  let pageSize = h.readUInt32BE(8);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    warnings.push(`wal: invalid page size ${pageSize}; using ${expectPageSize}`);
    pageSize = expectPageSize;
  }
  const salt1 = h.readUInt32BE(16);
  const salt2 = h.readUInt32BE(20);
  let seed = checksum(h, 0, 24, bigEndian, [0, 0]);
  const headerOk = seed[0] === h.readUInt32BE(24) && seed[1] === h.readUInt32BE(28);
  if (!headerOk) warnings.push('wal: header checksum mismatch; no frame counts as committed');
  const frameSize = 24 + pageSize;
  const count = Math.floor((src.size - 32) / frameSize);
  const frames: WalFrame[] = [];
  let inCurrent = headerOk;
  let lastCommit = -1;
  let prevStored: [number, number] | null = null;
  let prevSalts = '';
  for (let i = 0; i < count; i++) {
    const off = 32 + i * frameSize;
    const buf = src.read(off, frameSize);
    if (buf.length < frameSize) break;
    const pgno = buf.readUInt32BE(0);
    const commitSize = buf.readUInt32BE(4);
    const fs1 = buf.readUInt32BE(8);
    const fs2 = buf.readUInt32BE(12);
    const stored: [number, number] = [buf.readUInt32BE(16), buf.readUInt32BE(20)];
    const salts = `${fs1}:${fs2}`;
    let ok = false;
    if (inCurrent && fs1 === salt1 && fs2 === salt2) {
      let c = checksum(buf, 0, 8, bigEndian, seed);
      c = checksum(buf, 24, pageSize, bigEndian, c);
      ok = c[0] === stored[0] && c[1] === stored[1];
      if (ok) seed = c;
      else inCurrent = false;
    } else {
      inCurrent = false;
      if (prevStored && prevSalts === salts) {
        let c = checksum(buf, 0, 8, bigEndian, prevStored);
        c = checksum(buf, 24, pageSize, bigEndian, c);
        ok = c[0] === stored[0] && c[1] === stored[1];
      }
    }
    if (pgno === 0) {
      prevStored = null;
      continue;
    }
    const current = inCurrent && ok;
    frames.push({
      index: i + 1,
      pgno,
      commitSize,
      salt1: fs1,
      salt2: fs2,
      offset: off + 24,
      state: current ? 'uncommitted' : 'old',
      checksumOk: ok,
    });
    if (current && commitSize > 0) lastCommit = frames.length - 1;
    prevStored = stored;
    prevSalts = salts;
  }
  let dbSize = 0;
  for (let k = 0; k <= lastCommit; k++) {
    frames[k]!.state = 'committed';
    if (frames[k]!.commitSize > 0) dbSize = frames[k]!.commitSize;
  }
  return { pageSize, salt1, salt2, frames, dbSize };
}
