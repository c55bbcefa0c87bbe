import { closeSync, createReadStream, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { LIMITS } from './limits.js';
import { isLitter, unsafeName, type ByteSource, type ZipArchive, type ZipEntry } from './zip.js';

/**
 * One archive of an export as a tree of files: a downloaded zip, a zip inside it, or a folder someone extracted a
 * part into. Items point at a file by the volume's id (FileRef.domain) and the path inside (relativePath).
 */
export interface VolumeFile {
  path: string;
  size: number;
  modified: Date | null;
}

export interface Volume {
  /** Unique in the export: "iCloud Photos Part 1 of 6.zip", "…zip!/iCloud Shared Albums.zip", "iCloud Notes/". */
  readonly id: string;
  /** The zip's or folder's own name. */
  readonly name: string;
  readonly kind: 'zip' | 'folder';
  readonly parent: Volume | null;
  /** Bytes on disk (a nested zip: its size inside its parent). */
  readonly size: number;
  /** Where a nested zip sits in its parent (null at the top). */
  readonly pathInParent: string | null;
  /** Files by path (nested zips are volumes of their own and not listed here). */
  readonly files: ReadonlyMap<string, VolumeFile>;
  readonly problems: string[];
  open(path: string): Promise<Readable>;
  /** Positional reads when the bytes can be reached without inflating them (stored entries, plain files). */
  byteSource(path: string): Promise<ByteSource | null>;
  close(): void;
}

export const isZipName = (path: string): boolean => /\.zip$/i.test(path);

/** Reads a whole file of a volume, refusing one larger than `max` bytes. */
export async function readWhole(volume: Volume, path: string, max: number): Promise<Buffer> {
  const file = volume.files.get(path);
  if (!file) throw new Error(`${path} is not in ${volume.id}`);
  if (file.size > max) throw new Error(`${path} is ${file.size} bytes, over the ${max}-byte limit`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of await volume.open(path)) {
    total += (chunk as Buffer).length;
    if (total > max) throw new Error(`${path} is over the ${max}-byte limit`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The first `bytes` bytes of a file (its type, its EXIF), stopping the stream there. */
export async function readHead(volume: Volume, path: string, bytes: number): Promise<Buffer> {
  const source = await volume.byteSource(path);
  if (source) {
    const buffer = Buffer.alloc(Math.min(bytes, source.size));
    const n = await source.readAt(buffer, 0, buffer.length);
    return buffer.subarray(0, n);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = await volume.open(path);
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

export class ZipVolume implements Volume {
  readonly kind = 'zip' as const;
  readonly files = new Map<string, VolumeFile>();
  /** Entries that are zips themselves (opened as volumes of their own). */
  readonly innerZips: ZipEntry[] = [];
  readonly problems: string[];

  constructor(
    readonly id: string,
    readonly name: string,
    readonly parent: Volume | null,
    readonly archive: ZipArchive,
    readonly pathInParent: string | null = null,
  ) {
    this.problems = [...archive.problems];
    for (const entry of archive.entries.values()) {
      if (isZipName(entry.path)) this.innerZips.push(entry);
      else this.files.set(entry.path, entry);
    }
  }

  get size(): number {
    return this.archive.size;
  }

  private entry(path: string): ZipEntry {
    const entry = this.archive.entries.get(path);
    if (!entry) throw new Error(`${path} is not in ${this.id}`);
    return entry;
  }

  open(path: string): Promise<Readable> {
    return this.archive.stream(this.entry(path));
  }

  byteSource(path: string): Promise<ByteSource | null> {
    return this.archive.byteSource(this.entry(path));
  }

  close(): void {
    this.archive.close();
  }
}

/** A folder a part was extracted into: walked once (symlinks are not followed), read in place. */
export class FolderVolume implements Volume {
  readonly kind = 'folder' as const;
  readonly files = new Map<string, VolumeFile>();
  /** Zip files inside the folder (opened as volumes of their own). */
  readonly innerZips: string[] = [];
  readonly problems: string[] = [];
  size = 0;

  readonly pathInParent = null;

  /**
   * `skip`: paths under the folder that are read as something else (a part's own folder or zip); `loose`: the
   * other files of a folder of downloads, read only when they fit a data type of an export.
   */
  constructor(
    readonly id: string,
    readonly name: string,
    readonly parent: Volume | null,
    readonly dir: string,
    skip: ReadonlySet<string> = new Set(),
    readonly loose = false,
  ) {
    let seen = 0;
    const walk = (rel: string, depth: number) => {
      if (depth > LIMITS.folderDepth) {
        this.problems.push(`${id}: ${rel}: deeper than ${LIMITS.folderDepth} folders, not read`);
        return;
      }
      for (const item of readdirSync(join(dir, rel), { withFileTypes: true })) {
        if (++seen > LIMITS.folderEntries) {
          if (seen === LIMITS.folderEntries + 1)
            this.problems.push(`${id}: more than ${LIMITS.folderEntries} files; the rest not read`);
          return;
        }
        const path = rel ? `${rel}/${item.name}` : item.name;
        if (skip.has(path) || isLitter(path) || unsafeName(path)) continue;
        if (item.isDirectory()) walk(path, depth + 1);
        else if (item.isFile()) {
          const stat = lstatSync(join(dir, path));
          this.size += stat.size;
          if (isZipName(path)) this.innerZips.push(path);
          else this.files.set(path, { path, size: stat.size, modified: stat.mtime });
        } else if (item.isSymbolicLink())
          this.problems.push(`${id}: ${path}: a symbolic link, not followed`);
      }
    };
    walk('', 0);
  }

  private pathOf(path: string): string {
    if (!this.files.has(path)) throw new Error(`${path} is not in ${this.id}`);
    return join(this.dir, ...path.split('/'));
  }

  async open(path: string): Promise<Readable> {
    return createReadStream(this.pathOf(path), { highWaterMark: 1 << 20 });
  }

  async byteSource(path: string): Promise<ByteSource | null> {
    const full = this.pathOf(path);
    const size = this.files.get(path)!.size;
    return {
      size,
      readAt: async (buffer, position, length) => {
        const fd = openSync(full, 'r');
        try {
          return readSync(fd, buffer, 0, length, position);
        } finally {
          closeSync(fd);
        }
      },
    };
  }

  close(): void {
    /* nothing held open */
  }
}
