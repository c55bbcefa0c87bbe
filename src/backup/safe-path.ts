import { createHash, randomBytes } from 'node:crypto';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';

/** The longest file name most file systems hold (ext4, APFS, NTFS: 255). */
export const MAX_NAME_BYTES = 255;

/**
 * A name the file system can hold: one longer than 255 bytes keeps its start and its extension, with a
 * hash of the whole name between them, so different long names stay different.
 */
export function fitName(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 16);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && Buffer.byteLength(name.slice(dot)) <= 16 ? name.slice(dot) : '';
  const room = MAX_NAME_BYTES - Buffer.byteLength(ext) - hash.length - 1;
  let stem = '';
  let bytes = 0;
  for (const char of name.slice(0, name.length - ext.length)) {
    const size = Buffer.byteLength(char);
    if (bytes + size > room) break;
    stem += char;
    bytes += size;
  }
  return `${stem}~${hash}${ext}`;
}

export type SafeOutput = { path: string; shortened?: string } | { refused: string };

/**
 * Where `OUT/<domain>/<relativePath>` goes, or the reason it is refused: names come from the backup,
 * so anything that could escape OUT (`..`, absolute paths, NUL, drive letters) is refused. Names too
 * long for the file system are shortened (`shortened` then says from what to what).
 */
export function safeOutputPath(outDir: string, domain: string, relativePath: string): SafeOutput {
  const root = resolve(outDir);
  if (domain.includes('\0') || relativePath.includes('\0'))
    return { refused: 'contains a NUL byte' };
  if (!domain || /[\\/]/.test(domain) || domain === '.' || domain === '..')
    return { refused: 'unsafe domain name' };
  if (isAbsolute(relativePath) || /^[\\/]/.test(relativePath) || /^[a-zA-Z]:/.test(relativePath))
    return { refused: 'absolute path' };
  const segments = relativePath.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return { refused: 'path climbs out with ..' };
  const fitted = [domain, ...segments].map(fitName);
  const path = resolve(join(root, ...fitted));
  const base = join(root, fitted[0]!);
  if (path !== base && !path.startsWith(base + sep))
    return { refused: 'path escapes the output folder' };
  if (fitted.every((name, i) => name === (i === 0 ? domain : segments[i - 1]))) return { path };
  return { path, shortened: `${domain}/${relativePath} -> ${fitted.join('/')}` };
}

const RUN_TOKEN = randomBytes(12).toString('hex');
let written = 0;

/**
 * A temporary name beside `dest` for an atomic write (write it, then rename): a random token of this
 * run (and thread) and a counter, so no backup entry, earlier run or parallel run can produce it, and
 * short, so long names still fit. Create it exclusively ('wx').
 */
export function partialPathFor(dest: string): string {
  return join(dirname(dest), `.reclaim-${RUN_TOKEN}-${written++}.part`);
}
