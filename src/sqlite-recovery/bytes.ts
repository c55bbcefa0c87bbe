import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Random-access bytes: a whole Buffer or an open file read on demand (flat memory). */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (shorter at the end of the source; never throws). */
  read(offset: number, length: number): Buffer;
  close(): void;
}

export class BufferSource implements ByteSource {
  constructor(private readonly buf: Buffer) {}
  get size(): number {
    return this.buf.length;
  }
  read(offset: number, length: number): Buffer {
    if (offset < 0 || offset >= this.buf.length || length <= 0) return Buffer.alloc(0);
    return this.buf.subarray(offset, Math.min(this.buf.length, offset + length));
  }
  close(): void {}
}

/**
 * Reads a file through one cached chunk, so sequential page reads cost few system calls. A new chunk is
 * allocated on each refill, so views stay valid; with `reuse`, one chunk buffer serves every refill (no
 * garbage when a whole large file is read) and a view is valid only until the next read.
 */
export class FileSource implements ByteSource {
  private fd: number;
  readonly size: number;
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = -1;
  private readonly buffer: Buffer | null;
  private static readonly CHUNK = 1 << 20;

  constructor(path: string, options: { reuse?: boolean } = {}) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
    this.buffer = options.reuse ? Buffer.allocUnsafe(FileSource.CHUNK) : null;
  }

  read(offset: number, length: number): Buffer {
    if (offset < 0 || offset >= this.size || length <= 0) return Buffer.alloc(0);
    const end = Math.min(this.size, offset + length);
    if (
      this.chunkStart >= 0 &&
      offset >= this.chunkStart &&
      end <= this.chunkStart + this.chunk.length
    ) {
      return this.chunk.subarray(offset - this.chunkStart, end - this.chunkStart);
    }
    if (end - offset > FileSource.CHUNK / 2) {
      const out = Buffer.alloc(end - offset);
      readSync(this.fd, out, 0, out.length, offset);
      return out;
    }
    const start = offset - (offset % 4096);
    const want = Math.min(FileSource.CHUNK, this.size - start);
    const buf = this.buffer ?? Buffer.allocUnsafe(want);
    const got = readSync(this.fd, buf, 0, want, start);
    this.chunk = buf.subarray(0, got);
    this.chunkStart = start;
    return this.chunk.subarray(offset - start, Math.min(end, start + got) - start);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

export function u16(b: Buffer, off: number): number {
  return off >= 0 && off + 2 <= b.length ? b.readUInt16BE(off) : 0;
}

export function u32(b: Buffer, off: number): number {
  return off >= 0 && off + 4 <= b.length ? b.readUInt32BE(off) : 0;
}
