import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeHeic } from './heic-thread.js';
import { loadSharp } from './images.js';
import { isHeic } from './media.js';

/** Grid pictures: at most this many pixels on the long side (sharp enough for 2x screens at tile size). */
export const THUMB_PIXELS = 320;
/** An embedded thumbnail this small is sent as it is. */
const SEND_AS_IS = 64 * 1024;
/** Originals larger than this are not decoded for a thumbnail. */
const MAX_SOURCE = 256 * 1024 * 1024;
/** Nor pictures of more pixels than this. */
const MAX_PIXELS = 200_000_000;

/** Runs at most `n` pieces of work at a time, the rest waiting their turn. */
export function limiter(n: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * A picture shrunk for the grid, as JPEG (rotated upright from its EXIF orientation), from its bytes or from
 * the file that holds them as they are (libvips then reads it in pieces instead of the whole file at once).
 */
export async function shrink(input: Buffer | string, name: string): Promise<Buffer> {
  const sharp = await loadSharp();
  // libheif applies a HEIC's rotation while decoding: its pixels are upright already.
  const picture = isHeic(name)
    ? await decodeHeic(typeof input === 'string' ? await readFile(input) : input).then(
        ({ data, width, height }) =>
          sharp(data, { raw: { width, height, channels: 4 }, limitInputPixels: MAX_PIXELS }),
      )
    : sharp(input, { failOn: 'none', limitInputPixels: MAX_PIXELS }).rotate();
  return picture
    .resize(THUMB_PIXELS, THUMB_PIXELS, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 72 })
    .toBuffer();
}

/**
 * Thumbnails made once and kept in the private workspace (removed with it when the server stops), two made
 * at a time so the server keeps answering while a screen of them is made.
 */
export class ThumbnailCache {
  private readonly making = new Map<string, Promise<Buffer>>();
  private readonly turn = limiter(2);

  constructor(private readonly dir: string) {}

  /**
   * `source` names the file (domain/path and size); `read` gives its bytes, `open` its bytes or the plain
   * file that holds them (read-only), when the thumbnail is to be made.
   */
  get(
    source: { key: string; name: string; size: number; embedded: boolean },
    read: () => Promise<Buffer>,
    open: () => Promise<Buffer | string> = read,
  ): Promise<Buffer> {
    // A small embedded JPEG is sent as it is: nothing to make, so it never waits behind one being made.
    if (source.embedded && /\.jpe?g$/i.test(source.name) && source.size <= SEND_AS_IS)
      return read();
    const file = join(this.dir, createHash('sha1').update(source.key).digest('hex') + '.jpg');
    let pending = this.making.get(file);
    if (pending) return pending;
    if (existsSync(file)) return Promise.resolve(readFileSync(file));
    pending = this.turn(async () => {
      if (source.size > MAX_SOURCE)
        throw new Error(`${source.name} is too large to make a thumbnail of`);
      const thumb = await shrink(await open(), source.name);
      writeFileSync(`${file}.partial`, thumb, { mode: 0o600 });
      renameSync(`${file}.partial`, file);
      return thumb;
    });
    this.making.set(file, pending);
    const forget = () => this.making.delete(file);
    pending.then(forget, forget);
    return pending;
  }
}
