import bplistParser from 'bplist-parser';
import createBplist from 'bplist-creator';
import { CorruptInputError } from '../errors.js';

/** A decoded object of a class this decoder has no special form for. */
export interface ArchivedObject {
  $class: string;
  [key: string]: unknown;
}

interface Uid { UID: number }
const isUid = (value: unknown): value is Uid =>
  typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && typeof (value as Uid).UID === 'number' && Object.keys(value).length === 1;

const MAX_DEPTH = 64;

/**
 * Decodes an NSKeyedArchiver binary plist into plain values: UIDs are resolved recursively,
 * NSDictionary/NSArray/NSSet/NSData/NSString/NSDate become JS values, other classes keep their fields
 * and a `$class` name.
 */
export function decodeKeyedArchive(data: Buffer): unknown {
  let root: unknown;
  try {
    root = bplistParser.parseBuffer(data)[0];
  } catch (error) {
    throw new CorruptInputError(`Archived object is not a valid binary plist (${(error as Error).message}).`);
  }
  const archive = root as { $objects?: unknown; $top?: Record<string, unknown> };
  if (!archive || !Array.isArray(archive.$objects) || typeof archive.$top !== 'object' || archive.$top === null) {
    throw new CorruptInputError('Archived object is not an NSKeyedArchiver archive ($objects/$top missing).');
  }
  const objects = archive.$objects as unknown[];
  const top = archive.$top;
  const rootRef = top['root'] ?? Object.values(top)[0];
  return new Decoder(objects).resolve(rootRef, 0);
}

class Decoder {
  private readonly cache = new Map<number, unknown>();
  private readonly inProgress = new Set<number>();
  constructor(private readonly objects: unknown[]) {}

  resolve(value: unknown, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new CorruptInputError('Archived object nests too deeply (a reference loop?).');
    if (!isUid(value)) return value;
    const index = value.UID;
    if (this.cache.has(index)) return this.cache.get(index);
    if (index < 0 || index >= this.objects.length) throw new CorruptInputError(`Archived object refers to missing object ${index}.`);
    if (this.inProgress.has(index)) throw new CorruptInputError('Archived object contains a reference loop.');
    this.inProgress.add(index);
    const decoded = this.decodeObject(this.objects[index], depth + 1);
    this.inProgress.delete(index);
    this.cache.set(index, decoded);
    return decoded;
  }

  private decodeObject(raw: unknown, depth: number): unknown {
    if (raw === '$null') return null;
    if (typeof raw !== 'object' || raw === null || Buffer.isBuffer(raw) || raw instanceof Date) return raw;
    if (Array.isArray(raw)) return raw.map((item) => this.resolve(item, depth));
    const fields = raw as Record<string, unknown>;
    const className = this.className(fields['$class'], depth);
    const list = (key: string) => {
      const items = this.resolve(fields[key], depth);
      return Array.isArray(items) ? items.map((item) => this.resolve(item, depth)) : [];
    };
    switch (className) {
      case 'NSDictionary':
      case 'NSMutableDictionary': {
        const keys = list('NS.keys');
        const values = list('NS.objects');
        return Object.fromEntries(keys.map((key, i) => [String(key), values[i]]));
      }
      case 'NSArray':
      case 'NSMutableArray':
      case 'NSSet':
      case 'NSMutableSet':
        return list('NS.objects');
      case 'NSData':
      case 'NSMutableData':
        return this.resolve(fields['NS.data'], depth);
      case 'NSString':
      case 'NSMutableString':
        return this.resolve(fields['NS.string'], depth);
      case 'NSDate':
        return new Date(Date.UTC(2001, 0, 1) + Number(fields['NS.time']) * 1000);
    }
    const result: ArchivedObject = { $class: className ?? 'unknown' };
    for (const [key, value] of Object.entries(fields)) {
      if (key !== '$class') result[key] = this.resolve(value, depth);
    }
    return result;
  }

  private className(ref: unknown, depth: number): string | null {
    if (!isUid(ref)) return null;
    const info = this.objects[ref.UID] as { $classname?: unknown } | undefined;
    if (depth > MAX_DEPTH || typeof info !== 'object' || info === null) return null;
    return typeof info.$classname === 'string' ? info.$classname : null;
  }
}

/**
 * Encodes one object of class `className` whose fields are plain values (numbers, strings, Buffers):
 * strings and Buffers become referenced objects, as Apple's archiver writes them. Used by the backup writer.
 */
export function encodeKeyedArchive(className: string, classChain: string[], fields: Record<string, number | string | Buffer | null>): Buffer {
  const objects: unknown[] = ['$null'];
  const rootFields: Record<string, unknown> = {};
  objects.push(rootFields);
  for (const [key, value] of Object.entries(fields)) {
    if (value === null) continue;
    if (typeof value === 'number') {
      rootFields[key] = value;
    } else if (typeof value === 'string') {
      objects.push(value);
      rootFields[key] = { UID: objects.length - 1 };
    } else {
      const dataClass = objects.length + 1;
      objects.push({ 'NS.data': value, $class: { UID: dataClass } });
      objects.push({ $classname: 'NSMutableData', $classes: ['NSMutableData', 'NSData', 'NSObject'] });
      rootFields[key] = { UID: dataClass - 1 };
    }
  }
  objects.push({ $classname: className, $classes: [className, ...classChain] });
  rootFields['$class'] = { UID: objects.length - 1 };
  return createBplist({ $version: 100000, $archiver: 'NSKeyedArchiver', $top: { root: { UID: 1 } }, $objects: objects });
}
