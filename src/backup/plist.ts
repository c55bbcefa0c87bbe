import { readFileSync } from 'node:fs';
import bplistParser from 'bplist-parser';
import plist from 'plist';
import { CorruptInputError, ExitCode, ReclaimError } from '../errors.js';

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

/** Parses a binary or XML property list from bytes. `what` names it in error messages. */
export function parsePlist(data: Buffer, what = 'property list'): PlistValue {
  try {
    if (data.subarray(0, 8).toString('latin1') === 'bplist00') {
      const objects = bplistParser.parseBuffer(data) as PlistValue[];
      if (!objects.length) throw new Error('empty');
      return objects[0]!;
    }
    const text = data.toString('utf8').replace(/^\uFEFF/, '');
    if (!/<plist[\s>]/.test(text)) throw new Error('not a property list');
    return plist.parse(text) as PlistValue;
  } catch (error) {
    throw new CorruptInputError(
      `${what} is damaged or not a property list (${(error as Error).message}).`,
      { cause: error },
    );
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

/** Reads a plist file that must hold a dictionary. */
export function readPlistDict(path: string, what: string): PlistDict {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
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
