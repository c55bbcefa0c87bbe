/**
 * Reader for Apple's legacy "typedstream" archives (NSArchiver / NSUnarchiver), the format of
 * sms.db message.attributedBody and of the "t" versions in message_summary_info.
 *
 * Format (as NeXTSTEP's typedstream.m writes it):
 * - header: streamer version byte (4), the signature as a length-prefixed string ("streamtyped" for
 *   little-endian), then the system version as an integer (1000);
 * - integers: one signed byte, unless it is a tag: 0x81 int16 follows, 0x82 int32 follows (little-endian);
 *   0x83 a float/double follows; 0x84 "new" (a definition follows); 0x85 nil; 0x86 end of object;
 *   bytes 0x92 and up (signed -110 ...) are back-references (0x92 = entry 0);
 * - values come in groups: a type-encoding string (Objective-C @encode text: "@", "iI", "[554c]", ...)
 *   then one value per type;
 * - shared strings (type encodings, class names, C strings' text) form one table, objects, classes and
 *   C strings another; "new" adds an entry, a reference points back into the table.
 */

export class TypedstreamError extends Error {}

export interface TsClass {
  kind: 'class';
  name: string;
  version: number;
  superclass: TsClass | null;
}

export interface TsObject {
  kind: 'object';
  class: TsClass | null;
  /** Every value the object archived, in order, all its type groups flattened. */
  values: TsValue[];
}

export type TsValue = number | string | Buffer | null | TsObject | TsClass | TsValue[];

const TAG_INT16 = -127;
const TAG_INT32 = -126;
const TAG_FLOAT = -125;
const TAG_NEW = -124;
const TAG_NIL = -123;
const TAG_END = -122;
const FIRST_TAG = -128;
const LAST_TAG = -111;
const FIRST_REFERENCE = -110;

const MAX_DEPTH = 200;
const MAX_ELEMENTS = 1_000_000;

type TypeNode =
  | { kind: 'simple'; code: string }
  | { kind: 'array'; count: number; element: TypeNode }
  | { kind: 'struct'; fields: TypeNode[] };

const parsedEncodings = new Map<string, TypeNode[]>();

/** Parses an Objective-C type encoding ("iI", "@", "[554c]", "{_NSRange=QQ}") into its types (cached: streams reuse a few). */
export function parseTypeEncoding(encoding: string): TypeNode[] {
  let types = parsedEncodings.get(encoding);
  if (!types) {
    types = parseTypeEncodingUncached(encoding);
    if (parsedEncodings.size < 1000) parsedEncodings.set(encoding, types);
  }
  return types;
}

function parseTypeEncodingUncached(encoding: string): TypeNode[] {
  let i = 0;
  let depth = 0;
  const one = (): TypeNode => {
    if (++depth > MAX_DEPTH) throw new TypedstreamError(`type encoding nests too deeply`);
    try {
      return oneType();
    } finally {
      depth--;
    }
  };
  const oneType = (): TypeNode => {
    while (i < encoding.length && 'rnNoORV'.includes(encoding[i]!)) i++; // qualifiers
    const c = encoding[i++];
    if (c === undefined) throw new TypedstreamError(`type encoding "${encoding}" ends too early`);
    if (c === '[') {
      let digits = '';
      while (i < encoding.length && /[0-9]/.test(encoding[i]!)) digits += encoding[i++];
      const element = one();
      if (encoding[i++] !== ']') throw new TypedstreamError(`bad array type "${encoding}"`);
      return { kind: 'array', count: Number(digits || '0'), element };
    }
    if (c === '{' || c === '(') {
      const close = c === '{' ? '}' : ')';
      // skip the name up to "=" (or to the end of an opaque struct)
      while (i < encoding.length && encoding[i] !== '=' && encoding[i] !== close) i++;
      if (encoding[i] === '=') i++;
      const fields: TypeNode[] = [];
      while (i < encoding.length && encoding[i] !== close) fields.push(one());
      if (encoding[i++] !== close) throw new TypedstreamError(`bad struct type "${encoding}"`);
      return { kind: 'struct', fields };
    }
    if (c === '^') return one(); // pointer: archived as what it points to
    if (c === 'b') {
      while (i < encoding.length && /[0-9]/.test(encoding[i]!)) i++;
      return { kind: 'simple', code: 'b' };
    }
    return { kind: 'simple', code: c };
  };
  const types: TypeNode[] = [];
  while (i < encoding.length) types.push(one());
  return types;
}

/** Decodes a whole typedstream into its top-level values. Throws TypedstreamError on malformed input. */
export function readTypedstream(data: Buffer): TsValue[] {
  return new TypedstreamReader(data).readAll();
}

class TypedstreamReader {
  private pos = 0;
  private readonly strings: string[] = [];
  private readonly objects: Array<TsObject | TsClass | string> = [];
  private depth = 0;
  private elements = 0;

  constructor(private readonly data: Buffer) {}

  readAll(): TsValue[] {
    const version = this.byte();
    if (version !== 4 && version !== 3)
      throw new TypedstreamError(`not a typedstream (version byte ${version})`);
    const signature = this.text(this.integer(this.head(), false), 'latin1');
    if (signature !== 'streamtyped') {
      throw new TypedstreamError(
        signature === 'typedstream'
          ? 'big-endian typedstreams are not supported'
          : 'not a typedstream (no "streamtyped" signature)',
      );
    }
    this.integer(this.head(), true); // system version
    const values: TsValue[] = [];
    while (this.pos < this.data.length) for (const value of this.group()) values.push(value);
    return values;
  }

  private fail(what: string): never {
    throw new TypedstreamError(`${what} at byte ${this.pos}`);
  }

  private byte(): number {
    if (this.pos >= this.data.length) this.fail('unexpected end of data');
    return this.data[this.pos++]!;
  }

  private head(): number {
    const b = this.byte();
    return b > 127 ? b - 256 : b;
  }

  private peekHead(): number {
    if (this.pos >= this.data.length) this.fail('unexpected end of data');
    const b = this.data[this.pos]!;
    return b > 127 ? b - 256 : b;
  }

  private bytes(length: number): Buffer {
    if (length < 0 || this.pos + length > this.data.length)
      this.fail(`length ${length} runs past the end`);
    const out = this.data.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** Text of the next `length` bytes, without making a Buffer view first (much faster on short strings). */
  private text(length: number, encoding: 'utf8' | 'latin1' = 'utf8'): string {
    if (length < 0 || this.pos + length > this.data.length)
      this.fail(`length ${length} runs past the end`);
    const out = this.data.toString(encoding, this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  private integer(head: number, signed: boolean): number {
    if (head === TAG_INT16) {
      const b = this.bytes(2);
      return signed ? b.readInt16LE(0) : b.readUInt16LE(0);
    }
    if (head === TAG_INT32) {
      const b = this.bytes(4);
      return signed ? b.readInt32LE(0) : b.readUInt32LE(0);
    }
    if (head >= FIRST_TAG && head <= LAST_TAG)
      this.fail(`tag 0x${(head & 0xff).toString(16)} where an integer was expected`);
    return signed ? head : head & 0xff;
  }

  private reference(head: number): number {
    const value = head === TAG_INT16 || head === TAG_INT32 ? this.integer(head, true) : head;
    return value - FIRST_REFERENCE;
  }

  private sharedString(): string | null {
    const head = this.head();
    if (head === TAG_NIL) return null;
    if (head === TAG_NEW) {
      const text = this.text(this.integer(this.head(), false));
      this.strings.push(text);
      return text;
    }
    const index = this.reference(head);
    const found = this.strings[index];
    if (found === undefined) this.fail(`shared string reference ${index} is unknown`);
    return found;
  }

  private unsharedString(): Buffer | null {
    const head = this.head();
    if (head === TAG_NIL) return null;
    return this.bytes(this.integer(head, false));
  }

  private cString(): string | null {
    const head = this.head();
    if (head === TAG_NIL) return null;
    if (head === TAG_NEW) {
      const text = this.sharedString() ?? '';
      this.objects.push(text);
      return text;
    }
    const found = this.objects[this.reference(head)];
    if (typeof found !== 'string') this.fail('C string reference is not a string');
    return found;
  }

  private classDef(head: number): TsClass | null {
    if (head === TAG_NIL) return null;
    if (head === TAG_NEW) {
      const name = this.sharedString() ?? '';
      const version = this.integer(this.head(), true);
      const cls: TsClass = { kind: 'class', name, version, superclass: null };
      this.objects.push(cls);
      this.enter();
      cls.superclass = this.classDef(this.head());
      this.depth--;
      return cls;
    }
    const found = this.objects[this.reference(head)];
    if (!found || typeof found === 'string' || found.kind !== 'class')
      this.fail('class reference is not a class');
    return found;
  }

  private object(): TsObject | TsClass | string | null {
    const head = this.head();
    if (head === TAG_NIL) return null;
    if (head !== TAG_NEW) {
      const found = this.objects[this.reference(head)];
      if (found === undefined) this.fail('object reference is unknown');
      return found;
    }
    const obj: TsObject = { kind: 'object', class: null, values: [] };
    this.objects.push(obj);
    this.enter();
    obj.class = this.classDef(this.head());
    for (;;) {
      if (this.peekHead() === TAG_END) {
        this.pos++;
        break;
      }
      for (const value of this.group()) obj.values.push(value);
    }
    this.depth--;
    return obj;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('objects nested too deeply');
  }

  private group(): TsValue[] {
    const encoding = this.sharedString();
    if (encoding === null) this.fail('missing type encoding');
    return parseTypeEncoding(encoding).map((t) => this.value(t));
  }

  private value(type: TypeNode): TsValue {
    if (++this.elements > MAX_ELEMENTS) this.fail('too many values');
    if (type.kind === 'array') {
      const e = type.element;
      if (e.kind === 'simple' && (e.code === 'c' || e.code === 'C'))
        return Buffer.from(this.bytes(type.count));
      const out: TsValue[] = [];
      for (let i = 0; i < type.count; i++) out.push(this.value(e));
      return out;
    }
    if (type.kind === 'struct') return type.fields.map((f) => this.value(f));
    switch (type.code) {
      case 'c':
      case 's':
      case 'i':
      case 'l':
      case 'q':
      case 'b':
      case 'B':
        return this.integer(this.head(), true);
      case 'C':
      case 'S':
      case 'I':
      case 'L':
      case 'Q':
        return this.integer(this.head(), false);
      case 'f':
      case 'd': {
        const head = this.head();
        if (head === TAG_FLOAT)
          return type.code === 'f' ? this.bytes(4).readFloatLE(0) : this.bytes(8).readDoubleLE(0);
        return this.integer(head, true);
      }
      case '*':
        return this.cString();
      case '%':
      case ':':
        return this.sharedString();
      case '+':
        return this.unsharedString();
      case '@':
        return this.object();
      case '#':
        return this.classDef(this.head());
      default:
        return this.fail(`unsupported type "${type.code}"`);
    }
  }
}

/** True when the object's class or one of its superclasses has this name. */
export function isKindOf(value: TsValue, className: string): value is TsObject {
  if (
    !value ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    Buffer.isBuffer(value) ||
    value.kind !== 'object'
  )
    return false;
  for (let c = value.class; c; c = c.superclass) if (c.name === className) return true;
  return false;
}

/** Values plainValue may visit: an object referenced many times is visited each time, so a hostile stream could multiply them. */
const MAX_PLAIN_VISITS = 1_000_000;

/** A plain JavaScript value for an archived Foundation object: NSString → string, NSNumber → number, ... */
export function plainValue(
  value: TsValue,
  seen = new Set<TsObject>(),
  budget = { left: MAX_PLAIN_VISITS },
): unknown {
  if (--budget.left < 0)
    throw new TypedstreamError('archived values expand too far (shared references)');
  if (
    value === null ||
    typeof value === 'number' ||
    typeof value === 'string' ||
    Buffer.isBuffer(value)
  )
    return value;
  if (Array.isArray(value)) return value.map((v) => plainValue(v, seen, budget));
  if (value.kind === 'class') return `<class ${value.name}>`;
  return plainObject(value, seen, budget);
}

function plainObject(value: TsObject, seen: Set<TsObject>, budget: { left: number }): unknown {
  const is = (name: string): boolean => isKindOf(value as TsValue, name);
  if (seen.has(value)) return null;
  seen.add(value);
  try {
    if (is('NSString')) return stringOf(value);
    if (is('NSNumber')) return typeof value.values[1] === 'number' ? value.values[1] : null;
    if (is('NSURL')) {
      const base = value.values.find((v) => isKindOf(v, 'NSString'));
      return base ? stringOf(base as TsObject) : null;
    }
    if (is('NSData')) return value.values.find((v) => Buffer.isBuffer(v)) ?? null;
    if (is('NSDictionary')) {
      const out: Record<string, unknown> = {};
      const count = typeof value.values[0] === 'number' ? value.values[0] : 0;
      for (let i = 0; i < count; i++) {
        const key = plainValue(value.values[1 + 2 * i] ?? null, seen, budget);
        Object.defineProperty(out, String(key), {
          value: plainValue(value.values[2 + 2 * i] ?? null, seen, budget),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    if (is('NSArray')) {
      const count = typeof value.values[0] === 'number' ? value.values[0] : 0;
      return value.values.slice(1, 1 + count).map((v) => plainValue(v, seen, budget));
    }
    return {
      class: value.class?.name ?? null,
      values: value.values.map((v) => plainValue(v, seen, budget)),
    };
  } finally {
    seen.delete(value);
  }
}

function stringOf(obj: TsObject): string | null {
  const raw = obj.values.find((v) => Buffer.isBuffer(v) || typeof v === 'string');
  if (raw === undefined) return null;
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : (raw as string);
}

export interface AttributeRun {
  /** Offset and length in UTF-16 code units, as NSAttributedString counts them. */
  start: number;
  length: number;
  attributes: Record<string, unknown>;
}

export interface AttributedText {
  text: string;
  runs: AttributeRun[];
}

/**
 * The text (and attribute runs) of an archived NSAttributedString: sms.db's attributedBody.
 * Null when the data holds no attributed string; throws TypedstreamError when it is malformed.
 */
export function decodeAttributedString(
  data: Buffer,
  options: { runs?: boolean } = {},
): AttributedText | null {
  const top = readTypedstream(data);
  const root = top.find((v) => isKindOf(v, 'NSAttributedString')) as TsObject | undefined;
  if (!root) {
    const plain = top.find((v) => isKindOf(v, 'NSString')) as TsObject | undefined;
    return plain ? { text: stringOf(plain) ?? '', runs: [] } : null;
  }
  const stringObj = root.values.find((v) => isKindOf(v, 'NSString')) as TsObject | undefined;
  const text = stringObj ? (stringOf(stringObj) ?? '') : '';
  const runs: AttributeRun[] = [];
  if (options.runs === false) return { text, runs };
  const dictionaries: unknown[] = [];
  const budget = { left: MAX_PLAIN_VISITS };
  let i = stringObj ? root.values.indexOf(stringObj) + 1 : 0;
  let offset = 0;
  while (i + 1 < root.values.length) {
    const index = root.values[i];
    const length = root.values[i + 1];
    if (typeof index !== 'number' || typeof length !== 'number') break;
    i += 2;
    if (index > dictionaries.length) {
      dictionaries.push(plainValue(root.values[i] ?? null, new Set(), budget));
      i++;
    }
    const attributes = dictionaries[index - 1];
    runs.push({
      start: offset,
      length,
      attributes:
        attributes && typeof attributes === 'object' && !Array.isArray(attributes)
          ? (attributes as Record<string, unknown>)
          : {},
    });
    offset += length;
  }
  return { text, runs };
}

/** Just the text of an attributedBody, or null when it cannot be read (then `onDamaged` hears why). */
export function attributedBodyText(
  data: Buffer | null | undefined,
  onDamaged?: (reason: string) => void,
): string | null {
  if (!data || data.length === 0) return null;
  try {
    return decodeAttributedString(data, { runs: false })?.text ?? null;
  } catch (error) {
    onDamaged?.((error as Error).message);
    return null;
  }
}
