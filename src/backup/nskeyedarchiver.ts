import createBplist from 'bplist-creator';
import { CorruptInputError } from '../errors.js';
import { BplistReader, MAX_EXPANDED } from './bplist-reader.js';

/** A decoded object of a class this decoder has no special form for. */
export interface ArchivedObject {
  $class: string;
  [key: string]: unknown;
}

const MAX_DEPTH = 64;

/**
 * Decodes an NSKeyedArchiver binary plist into plain values: UIDs are resolved recursively,
 * NSDictionary/NSArray/NSSet/NSData/NSString/NSDate become JS values, other classes keep their fields
 * and a `$class` name. Only objects reachable from the root are decoded.
 */
export function decodeKeyedArchive(data: Buffer): unknown {
  let reader: BplistReader;
  let objects: number[] | null = null;
  let root: number | null = null;
  try {
    reader = new BplistReader(data);
    const archive = reader.dictRefs(reader.top);
    const objectsRef = archive?.get('$objects');
    const topRef = archive?.get('$top');
    objects = objectsRef === undefined ? null : reader.arrayRefs(objectsRef);
    const top = topRef === undefined ? null : reader.dictRefs(topRef);
    const rootRef = top?.get('root') ?? (top ? [...top.values()][0] : undefined);
    root = rootRef === undefined ? null : reader.uid(rootRef);
  } catch (error) {
    throw new CorruptInputError(
      `Archived object is not a valid binary plist (${(error as Error).message}).`,
    );
  }
  if (!objects || root === null)
    throw new CorruptInputError(
      'Archived object is not an NSKeyedArchiver archive ($objects/$top missing).',
    );
  return new Decoder(reader, objects).object(root, 0);
}

class Decoder {
  private readonly cache = new Map<number, unknown>();
  private readonly classNames = new Map<number, string | null>();
  private readonly inProgress = new Set<number>();
  private readonly arrays = new Map<number, unknown[]>();
  /** Entries each decoded object (u<uid>) or array (r<ref>) stands for, references followed as copies. */
  private readonly sizes = new Map<string, number>();
  constructor(
    private readonly reader: BplistReader,
    private readonly objects: number[],
  ) {}

  /** The archived object with this UID. */
  object(uid: number, depth: number): unknown {
    if (depth > MAX_DEPTH)
      throw new CorruptInputError('Archived object nests too deeply (a reference loop?).');
    if (this.cache.has(uid)) return this.cache.get(uid);
    const ref = this.objects[uid];
    if (ref === undefined)
      throw new CorruptInputError(`Archived object refers to missing object ${uid}.`);
    if (this.inProgress.has(uid))
      throw new CorruptInputError('Archived object contains a reference loop.');
    this.inProgress.add(uid);
    const decoded = this.decode(ref, depth + 1);
    this.inProgress.delete(uid);
    this.cache.set(uid, decoded);
    const fields = this.reader.dictRefs(ref);
    this.countExpanded(
      `u${uid}`,
      fields ? [...fields.values()] : (this.reader.arrayRefs(ref) ?? []),
    );
    return decoded;
  }

  /** Refuses an archive whose shared references stand for more entries than any real one holds. */
  private countExpanded(key: string, children: number[]): void {
    let total = 1;
    for (const child of children) {
      const uid = this.reader.uid(child);
      total += this.sizes.get(uid === null ? `r${child}` : `u${uid}`) ?? 1;
    }
    if (total > MAX_EXPANDED)
      throw new CorruptInputError(
        `Archived object expands to more than ${MAX_EXPANDED} entries through shared references (an archive bomb).`,
      );
    if (total > 1) this.sizes.set(key, total);
  }

  /** A field value: UIDs are followed, arrays mapped (once per array, however often referenced), plain values decoded. */
  private field(ref: number, depth: number): unknown {
    if (depth > MAX_DEPTH)
      throw new CorruptInputError('Archived object nests too deeply (a reference loop?).');
    const uid = this.reader.uid(ref);
    if (uid !== null) return this.object(uid, depth);
    if (this.arrays.has(ref)) return this.arrays.get(ref);
    const items = this.reader.arrayRefs(ref);
    if (!items) return this.reader.value(ref, depth);
    this.reader.charge(items.length + 1);
    const value = items.map((item) => this.field(item, depth + 1));
    this.arrays.set(ref, value);
    this.countExpanded(`r${ref}`, items);
    return value;
  }

  private decode(ref: number, depth: number): unknown {
    const fields = this.reader.dictRefs(ref);
    if (!fields) {
      const items = this.reader.arrayRefs(ref);
      if (items) {
        this.reader.charge(items.length + 1);
        return items.map((item) => this.field(item, depth));
      }
      const value = this.reader.value(ref, depth);
      return value === '$null' ? null : value;
    }
    const classRef = fields.get('$class');
    const className = classRef === undefined ? null : this.className(classRef);
    const list = (key: string): unknown[] => {
      const ref = fields.get(key);
      const items = ref === undefined ? null : this.field(ref, depth);
      return Array.isArray(items) ? items : [];
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
      case 'NSString':
      case 'NSMutableString': {
        const inner = fields.get(className.endsWith('Data') ? 'NS.data' : 'NS.string');
        return inner === undefined ? null : this.field(inner, depth);
      }
      case 'NSDate': {
        const time = fields.get('NS.time');
        return new Date(
          Date.UTC(2001, 0, 1) + Number(time === undefined ? 0 : this.reader.value(time)) * 1000,
        );
      }
    }
    const result: ArchivedObject = { $class: className ?? 'unknown' };
    this.reader.charge(fields.size + 1);
    for (const [key, value] of fields) {
      if (key === '$class') continue;
      Object.defineProperty(result, key, {
        value: this.field(value, depth),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }

  private className(classRef: number): string | null {
    const uid = this.reader.uid(classRef);
    if (uid === null) return null;
    if (this.classNames.has(uid)) return this.classNames.get(uid)!;
    const ref = this.objects[uid];
    const info = ref === undefined ? null : this.reader.dictRefs(ref);
    const nameRef = info?.get('$classname');
    const name = nameRef === undefined ? null : this.reader.value(nameRef);
    const result = typeof name === 'string' ? name : null;
    this.classNames.set(uid, result);
    return result;
  }
}

/**
 * Encodes one object of class `className` whose fields are plain values (numbers, strings, Buffers):
 * strings and Buffers become referenced objects, as Apple's archiver writes them. Used by the backup writer.
 */
export function encodeKeyedArchive(
  className: string,
  classChain: string[],
  fields: Record<string, number | string | Buffer | null>,
): Buffer {
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
      objects.push({
        $classname: 'NSMutableData',
        $classes: ['NSMutableData', 'NSData', 'NSObject'],
      });
      rootFields[key] = { UID: dataClass - 1 };
    }
  }
  objects.push({ $classname: className, $classes: [className, ...classChain] });
  rootFields['$class'] = { UID: objects.length - 1 };
  return createBplist({
    $version: 100000,
    $archiver: 'NSKeyedArchiver',
    $top: { root: { UID: 1 } },
    $objects: objects,
  });
}
