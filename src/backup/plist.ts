import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import plist from 'plist';
import { CorruptInputError, ExitCode, ReclaimError } from '../errors.js';
import { readBinaryPlist } from './bplist-reader.js';
import { readBackupFile } from './input-file.js';

export type PlistValue =
  | string
  | number
  | bigint
  | boolean
  | Date
  | Buffer
  | null
  | PlistValue[]
  | { [key: string]: PlistValue };
export type PlistDict = { [key: string]: PlistValue };

/** Far above real Info.plist / Manifest.plist / Status.plist files (a few megabytes at most). */
export const MAX_PLIST_BYTES = 64 << 20;

/**
 * Parses an XML plist. The XML parser reports what it tolerates on the console; those lines are
 * caught here (one-line errors only), and an error among them means the file is damaged.
 */
function parseXmlPlist(text: string): PlistValue {
  const reported: string[] = [];
  const { error, warn } = console;
  console.error = console.warn = (...args: unknown[]) => {
    reported.push(args.map(String).join(' '));
  };
  let value: PlistValue;
  try {
    value = plist.parse(text) as PlistValue;
  } finally {
    console.error = error;
    console.warn = warn;
  }
  const damage = reported.find((line) => !/^\[xmldom warning\]/.test(line));
  if (damage)
    throw new Error(
      damage
        .replace(/^\[xmldom \w+\]\s*/, '')
        .split('\n')[0]!
        .trim(),
    );
  return value;
}

/** Parses a binary or XML property list from bytes. `what` names it in error messages. */
export function parsePlist(data: Buffer, what = 'property list'): PlistValue {
  try {
    // Binary plists go through Reclaim's bounded reader: shared objects decoded once, size and depth capped.
    if (data.subarray(0, 8).toString('latin1') === 'bplist00')
      return readBinaryPlist(data) as PlistValue;
    const text = data.toString('utf8').replace(/^\uFEFF/, '');
    if (!/<plist[\s>]/.test(text)) throw new Error('not a property list');
    return parseXmlPlist(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/\.$/, '');
    throw new CorruptInputError(`${what} is damaged or not a property list (${reason}).`, {
      cause: error,
    });
  }
}

export function isDict(value: PlistValue | undefined): value is PlistDict {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !Buffer.isBuffer(value) &&
    !(value instanceof Date)
  );
}

/**
 * Reads a plist file that must hold a dictionary. `root` is the real path of the backup folder holding
 * it (default: its own folder): links leaving it, named pipes and folders are refused, not opened.
 */
export function readPlistDict(path: string, what: string, root?: string): PlistDict {
  let data: Buffer;
  try {
    data = readBackupFile(root ?? realpathSync.native(dirname(path)), path, what, MAX_PLIST_BYTES);
  } catch (error) {
    if (error instanceof ReclaimError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReclaimError(
      `${what} cannot be read (${code ?? 'error'}): ${path}`,
      code === 'ENOENT' ? ExitCode.notFound : ExitCode.failure,
    );
  }
  const value = parsePlist(data, what);
  if (!isDict(value)) throw new CorruptInputError(`${what} does not hold a dictionary.`);
  return value;
}
