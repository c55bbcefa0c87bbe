import { extname } from 'node:path';
import { decodeHeic } from './heic-thread.js';
import { loadSharp } from './images.js';

const TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
  '.mov': 'video/quicktime',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.3gp': 'video/3gpp',
  '.m4a': 'audio/mp4',
  '.mp3': 'audio/mpeg',
  '.aac': 'audio/aac',
  '.amr': 'audio/amr',
  '.caf': 'audio/x-caf',
  '.wav': 'audio/wav',
  '.opus': 'audio/ogg',
  '.ogg': 'audio/ogg',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.vcf': 'text/vcard',
};

/**
 * Every file served from a backup: never run as a page of this origin (an .svg or .html attachment from a
 * stranger stays inert), shown in place only as a picture, video or sound.
 */
export const MEDIA_POLICY =
  "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'";

/** Types a browser could run scripts in: always sent as downloads. */
export const isActiveContent = (name: string): boolean =>
  /\.(svgz?|x?html?|xht|xml|xsl|js|mjs)$/i.test(name);

export function contentTypeFor(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

export const isHeic = (name: string): boolean => /\.(heic|heif)$/i.test(name);

const converted = new Map<string, Promise<Buffer>>();
/** Full-size conversions kept (each a few MB): the photo open now and its neighbours. */
const KEEP = 6;

/** HEIC → JPEG for display in the browser (browsers other than Safari do not show HEIC). */
export function heicToJpeg(key: string, read: () => Promise<Buffer>): Promise<Buffer> {
  let pending = converted.get(key);
  if (!pending) {
    pending = read()
      .then(decodeHeic)
      .then(async ({ data, width, height }) =>
        (await loadSharp())(data, { raw: { width, height, channels: 4 } })
          .jpeg({ quality: 85 })
          .toBuffer(),
      );
    pending.catch(() => converted.delete(key));
    converted.set(key, pending);
    while (converted.size > KEEP) converted.delete(converted.keys().next().value!);
  }
  return pending;
}
