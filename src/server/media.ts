import { extname } from 'node:path';

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

export function contentTypeFor(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

export const isHeic = (name: string): boolean => /\.(heic|heif)$/i.test(name);

type Convert = (options: {
  buffer: Buffer | Uint8Array;
  format: 'JPEG' | 'PNG';
  quality?: number;
}) => Promise<ArrayBuffer | Buffer>;
let converter: Promise<Convert> | null = null;
const converted = new Map<string, Promise<Buffer>>();
const KEEP = 64;

/** HEIC → JPEG for display in the browser (browsers do not show HEIC), kept for the session. */
export function heicToJpeg(key: string, read: () => Promise<Buffer>): Promise<Buffer> {
  let pending = converted.get(key);
  if (!pending) {
    const moduleName = 'heic-convert';
    converter ??= import(moduleName).then((m: { default: Convert }) => m.default);
    pending = (async () => {
      const convert = await converter!;
      const out = await convert({ buffer: await read(), format: 'JPEG', quality: 0.85 });
      return Buffer.from(out as ArrayBuffer);
    })();
    pending.catch(() => converted.delete(key));
    converted.set(key, pending);
    while (converted.size > KEEP) converted.delete(converted.keys().next().value!);
  }
  return pending;
}
