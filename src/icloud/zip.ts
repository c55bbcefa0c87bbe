import { close, createWriteStream, open, read } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline as pipe, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import yauzl from 'yauzl';
import { LIMITS } from './limits.js';

/**
 * Zip archives read in place with yauzl: the central directory for the listing, then one stream per entry
 * (inflated when deflated, its length checked against what the directory declares). A zip inside a zip is read
 * where it sits when stored, or copied once into the private workspace when compressed. Every entry is checked
 * before it is listed: unsafe names, sizes past the archive's end, overlapping entries and zip-bomb ratios are
 * refused with a problem line, and the rest of the archive is still read.
 */

/** Positional reads, for the few bytes of a movie header at the end of a large video. */
export interface ByteSource {
  size: number;
  readAt(buffer: Buffer, position: number, length: number): Promise<number>;
}

type ReadCallback = (error: Error | null, bytesRead?: number) => void;
interface Reader extends yauzl.RandomAccessReader {
  readBytes(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
}

/**
 * Bytes [start, end) of an open file, read by position in 1 MiB chunks. Destroying it never closes the file
 * (fs.ReadStream closes its fd when destroyed, even with autoClose off, and the number is then reused).
 */
class RangeStream extends Readable {
  constructor(
    private readonly fd: number,
    private position: number,
    private readonly end: number,
  ) {
    super({ highWaterMark: 1 << 20 });
  }

  override _read(): void {
    const length = Math.min(1 << 20, this.end - this.position);
    if (length <= 0) {
      this.push(null);
      return;
    }
    const buffer = Buffer.allocUnsafe(length);
    read(this.fd, buffer, 0, length, this.position, (error, n) => {
      if (this.destroyed) return;
      if (error) return this.destroy(error);
      if (n === 0) return this.destroy(new Error('the archive ends early (truncated download?)'));
      this.position += n;
      this.push(n < length ? buffer.subarray(0, n) : buffer);
    });
  }
}

/** Reads a zip file on disk by position. */
class FileReader extends yauzl.RandomAccessReader implements Reader {
  constructor(private readonly fd: number) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return new RangeStream(this.fd, start, end);
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    cb: ReadCallback,
  ) {
    read(this.fd, buffer, offset, length, position, (error, n) => cb(error, n));
  }

  readBytes(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return new Promise((resolve, reject) =>
      read(this.fd, buffer, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))),
    );
  }

  override close(cb: (error: Error | null) => void) {
    close(this.fd, (error) => cb(error ?? null));
  }
}

/** A stored zip inside another: the bytes of one entry, read where they sit. */
class SliceReader extends yauzl.RandomAccessReader implements Reader {
  constructor(
    private readonly parent: Reader,
    private readonly base: number,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return this.parent.createReadStream({ start: this.base + start, end: this.base + end });
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    cb: ReadCallback,
  ) {
    this.parent.readBytes(buffer, offset, length, this.base + position).then(
      (n) => cb(null, n),
      (e: Error) => cb(e),
    );
  }

  readBytes(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return this.parent.readBytes(buffer, offset, length, this.base + position);
  }

  override close(cb: (error: Error | null) => void) {
    setImmediate(() => cb(null));
  }
}

/** Fails a stream that gives more or fewer bytes than declared (a lying header, a truncated download). */
class ExactSize extends Transform {
  private seen = 0;

  constructor(private readonly expected: number) {
    super();
  }

  override _transform(
    chunk: Buffer,
    _encoding: string,
    done: (e?: Error | null, c?: Buffer) => void,
  ) {
    this.seen += chunk.length;
    if (this.seen > this.expected)
      return done(new Error(`more data than the ${this.expected} bytes declared`));
    done(null, chunk);
  }

  override _flush(done: (e?: Error | null) => void) {
    done(
      this.seen < this.expected
        ? new Error(`${this.seen} of ${this.expected} bytes: the archive is truncated or damaged`)
        : null,
    );
  }
}

export interface ZipEntry {
  /** Forward slashes, no leading slash, checked safe. */
  path: string;
  size: number;
  compressedSize: number;
  /** 0 stored, 8 deflated. */
  method: number;
  modified: Date | null;
  raw: yauzl.Entry;
}

const fromReader = promisify(
  (
    reader: yauzl.RandomAccessReader,
    size: number,
    options: yauzl.Options,
    cb: (e: Error | null, zip?: yauzl.ZipFile) => void,
  ) => yauzl.fromRandomAccessReader(reader, size, options, (e, z) => cb(e, z)),
);

/** Why a name is refused, or null when it is safe to use as a path under an output folder. */
export function unsafeName(name: string): string | null {
  if (name.includes('\0')) return 'a NUL character in the name';
  if (/^[a-zA-Z]:/.test(name) || name.startsWith('/')) return 'an absolute path';
  if (name.split('/').some((p) => p === '..')) return 'a path that climbs out of the folder (..)';
  if (name.length > 4096) return 'a name longer than 4096 characters';
  return null;
}

/** macOS litter a zip tool may add (resource forks, Finder files): never data. */
export const isLitter = (path: string): boolean =>
  /(^|\/)__MACOSX(\/|$)/.test(path) || /(^|\/)(\._[^/]*|\.DS_Store)$/.test(path);

export class ZipArchive {
  private constructor(
    readonly label: string,
    private readonly zip: yauzl.ZipFile,
    private readonly reader: Reader,
    readonly size: number,
    readonly entries: Map<string, ZipEntry>,
    readonly problems: string[],
  ) {}

  /** Opens a zip file on disk (read-only). */
  static async openFile(path: string, size: number, label: string): Promise<ZipArchive> {
    const fd = await promisify(open)(path, 'r');
    const reader = new FileReader(fd);
    try {
      return await ZipArchive.fromReader(reader, size, label);
    } catch (error) {
      await promisify(close)(fd).catch(() => undefined);
      throw error;
    }
  }

  private static async fromReader(reader: Reader, size: number, label: string) {
    const zip = (await fromReader(reader, size, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: false,
      strictFileNames: false,
    }))!;
    const problems: string[] = [];
    const entries = await listEntries(zip, size, label, problems);
    return new ZipArchive(label, zip, reader, size, entries, problems);
  }

  /** The entry's plain bytes, checked against its declared size. */
  async stream(entry: ZipEntry): Promise<Readable> {
    const raw = await this.zip.openReadStreamPromise(entry.raw, {});
    return pipe(raw, new ExactSize(entry.size), () => undefined);
  }

  /** Where a stored entry's bytes start in this archive. */
  private async dataStart(entry: ZipEntry): Promise<number> {
    const header = await this.zip.readLocalFileHeaderPromise(entry.raw, { minimal: true });
    return header.fileDataStart;
  }

  /** Positional reads of a stored entry; null for a compressed one (it can only be streamed). */
  async byteSource(entry: ZipEntry): Promise<ByteSource | null> {
    if (entry.method !== 0) return null;
    const start = await this.dataStart(entry);
    const reader = this.reader;
    return {
      size: entry.size,
      readAt: (buffer, position, length) =>
        position >= entry.size
          ? Promise.resolve(0)
          : reader.readBytes(buffer, 0, Math.min(length, entry.size - position), start + position),
    };
  }

  /**
   * A zip inside this one: read in place when stored; when compressed, inflated once into `spoolDir` (the
   * private workspace), bounded in size.
   */
  async nested(entry: ZipEntry, label: string, spoolDir: () => string): Promise<ZipArchive> {
    if (entry.method === 0) {
      const start = await this.dataStart(entry);
      return ZipArchive.fromReader(new SliceReader(this.reader, start), entry.size, label);
    }
    if (entry.size > LIMITS.nestedSpool)
      throw new Error(`a compressed inner archive of ${entry.size} bytes is over the limit`);
    const path = join(spoolDir(), 'nested.zip');
    try {
      await pipeline(await this.stream(entry), createWriteStream(path, { mode: 0o600 }));
      return await ZipArchive.openFile(path, entry.size, label);
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  close(): void {
    this.zip.close();
  }
}

/** Reads the central directory, keeping the entries that are safe to read and saying why the others are not. */
async function listEntries(
  zip: yauzl.ZipFile,
  archiveSize: number,
  label: string,
  problems: string[],
): Promise<Map<string, ZipEntry>> {
  const entries = new Map<string, ZipEntry>();
  const refuse = (name: string, why: string) =>
    problems.push(`${label}: ${name}: refused (${why})`);
  if (zip.entryCount > LIMITS.entriesPerArchive)
    problems.push(
      `${label}: declares ${zip.entryCount} entries; only the first ${LIMITS.entriesPerArchive} are read`,
    );
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (raw: yauzl.Entry) => {
      seen++;
      const name = yauzl
        .getFileNameLowLevel(raw.generalPurposeBitFlag, raw.fileNameRaw, raw.extraFields, false)
        .replace(/^\.\/+/, '');
      const next = () => (seen < LIMITS.entriesPerArchive ? zip.readEntry() : resolve());
      if (name.endsWith('/') || isLitter(name)) return next();
      const why = entryProblem(raw, name, archiveSize);
      if (why) {
        refuse(name, why);
        return next();
      }
      if (entries.has(name)) {
        refuse(name, 'a second entry with the same name');
        return next();
      }
      let modified: Date | null = null;
      try {
        modified = raw.getLastModDate();
      } catch {
        /* no usable date */
      }
      entries.set(name, {
        path: name,
        size: raw.uncompressedSize,
        compressedSize: raw.compressedSize,
        method: raw.compressionMethod,
        modified: modified && !Number.isNaN(modified.getTime()) ? modified : null,
        raw,
      });
      next();
    });
    zip.readEntry();
  });
  refuseOverlaps(entries, refuse);
  return entries;
}

function entryProblem(raw: yauzl.Entry, name: string, archiveSize: number): string | null {
  const unsafe = unsafeName(name);
  if (unsafe) return unsafe;
  if (raw.isEncrypted()) return 'encrypted';
  if (raw.compressionMethod !== 0 && raw.compressionMethod !== 8)
    return `compression method ${raw.compressionMethod} is not supported`;
  if (raw.compressionMethod === 0 && raw.compressedSize !== raw.uncompressedSize)
    return `stored, yet declares ${raw.compressedSize} bytes stored for ${raw.uncompressedSize}`;
  if (raw.relativeOffsetOfLocalHeader + 30 + raw.compressedSize > archiveSize)
    return `declares ${raw.compressedSize} bytes past the end of the archive`;
  if (raw.uncompressedSize > LIMITS.entrySize)
    return `declares ${raw.uncompressedSize} bytes, over the ${LIMITS.entrySize}-byte limit`;
  if (
    raw.uncompressedSize > LIMITS.ratioFloor &&
    raw.uncompressedSize > LIMITS.maxRatio * Math.max(1, raw.compressedSize)
  )
    return `expands ${Math.round(raw.uncompressedSize / Math.max(1, raw.compressedSize))} times (${raw.uncompressedSize} bytes from ${raw.compressedSize}): a zip bomb`;
  return null;
}

/** Entries whose data overlaps another's (the "overlapping files" zip bomb): refused. */
function refuseOverlaps(entries: Map<string, ZipEntry>, refuse: (n: string, w: string) => void) {
  const sorted = [...entries.values()].sort(
    (a, b) => a.raw.relativeOffsetOfLocalHeader - b.raw.relativeOffsetOfLocalHeader,
  );
  let end = -1;
  let owner = '';
  for (const e of sorted) {
    const start = e.raw.relativeOffsetOfLocalHeader;
    if (start < end) {
      entries.delete(e.path);
      refuse(e.path, `its data overlaps ${owner}'s: a zip bomb`);
      continue;
    }
    end = start + 30 + e.compressedSize;
    owner = e.path;
  }
}
