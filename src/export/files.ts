import { existsSync, mkdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { partialPathFor } from '../backup/safe-path.js';

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A file or folder name safe on Windows, macOS and Linux, made from untrusted text (a chat name, a
 * note title): no separators, no control characters, no dot-only names, at most 120 characters.
 */
export function safeFileName(text: string, fallback = 'untitled'): string {
  let name = text
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  if (name.length > 120) {
    const ext = extname(name).slice(0, 12);
    name = name.slice(0, 120 - ext.length).trim() + ext;
  }
  if (!name || RESERVED.test(name.replace(/\..*$/, ''))) name = name ? `_${name}` : fallback;
  return name;
}

/** Hands out names in one folder without clashes: "a.jpg", "a (2).jpg", ... (case-insensitively). */
export class UniqueNames {
  private readonly taken = new Set<string>();

  take(name: string): string {
    const ext = extname(name);
    const stem = name.slice(0, name.length - ext.length);
    let candidate = name;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n++)
      candidate = `${stem} (${n})${ext}`;
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}

/** Writes a file atomically (temp file, then rename), creating its folder, with a modification time when given. */
export function writeFileAtomic(path: string, data: string | Buffer, mtime?: Date): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = partialPathFor(path);
  try {
    writeFileSync(partial, data, { flag: 'wx' });
    if (mtime && !Number.isNaN(mtime.getTime())) utimesSync(partial, mtime, mtime);
    renameSync(partial, path);
  } catch (error) {
    if (existsSync(partial)) rmSync(partial, { force: true });
    throw error;
  }
}
