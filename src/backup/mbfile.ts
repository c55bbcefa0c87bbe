import { BplistReader } from './bplist-reader.js';
import { decodeKeyedArchive } from './nskeyedarchiver.js';

/** The MBFile fields the index uses. */
export interface MBFileFields {
  Mode?: number;
  Size?: number;
  LastModified?: number;
  Birth?: number;
  LastStatusChange?: number;
  ProtectionClass?: number;
  InodeNumber?: number;
  UserID?: number;
  GroupID?: number;
  Flags?: number;
  EncryptionKey?: Buffer;
  Target?: string;
}

const NUMBER_FIELDS = [
  'Mode',
  'Size',
  'LastModified',
  'Birth',
  'LastStatusChange',
  'ProtectionClass',
  'InodeNumber',
  'UserID',
  'GroupID',
  'Flags',
] as const;
const FIELDS = new Set<string>([...NUMBER_FIELDS, 'EncryptionKey', 'Target']);

/**
 * Reads the MBFile fields of a Manifest.db row. A backup of a few hundred thousand files has as many
 * archives, so the common shape is read straight from the plist objects; anything unusual goes through
 * the general NSKeyedArchiver decoder.
 */
export function readMBFile(blob: Buffer): MBFileFields {
  try {
    const fast = readCommonShape(blob);
    if (fast) return fast;
  } catch {
    /* fall back to the general decoder, which reports damage clearly */
  }
  const decoded = decodeKeyedArchive(blob);
  return typeof decoded === 'object' && decoded !== null ? (decoded as MBFileFields) : {};
}

const ascii = (text: string) => Buffer.from(text, 'latin1');
const OBJECTS = ascii('$objects');
const TOP = ascii('$top');
const NS_DATA = ascii('NS.data');
type NumberField = (typeof NUMBER_FIELDS)[number];
/** The fields read, by key length (the keys of a row are told apart without building strings). */
const KEYS_BY_LENGTH = new Map<number, [Buffer, keyof MBFileFields][]>();
for (const name of FIELDS) {
  const list = KEYS_BY_LENGTH.get(name.length) ?? [];
  list.push([ascii(name), name as keyof MBFileFields]);
  KEYS_BY_LENGTH.set(name.length, list);
}

/** Not the common shape: the general decoder reads it (and reports damage). Thrown as is: no stack. */
const UNUSUAL = Symbol('unusual');
const unusual = (): never => {
  throw UNUSUAL;
};

/**
 * Reads the common shape of an MBFile archive straight from the bytes of its binary plist: no strings
 * or arrays are built, so 200,000 rows cost little time and leave little garbage. Anything unusual
 * (another layout, a symlink's Target, damage) returns null and goes to the general decoder.
 */
function readCommonShape(blob: Buffer): MBFileFields | null {
  try {
    return new MBFileBytes(blob).read();
  } catch (error) {
    if (error === UNUSUAL) return null;
    throw error;
  }
}

const BPLIST = ascii('bplist');

class MBFileBytes {
  private readonly offsetSize: number;
  private readonly refSize: number;
  private readonly count: number;
  private readonly table: number;
  private readonly top: number;
  /** Where the trailer starts: no object reaches past it. */
  private readonly end: number;

  constructor(private readonly data: Buffer) {
    const trailer = data.length - 32;
    if (trailer < 8) unusual();
    for (let i = 0; i < BPLIST.length; i++) if (data[i] !== BPLIST[i]) unusual();
    this.end = trailer;
    this.offsetSize = data[trailer + 6]!;
    this.refSize = data[trailer + 7]!;
    // Each 64-bit trailer field must fit in its low 32 bits.
    if (this.uint(trailer + 8, 4) || this.uint(trailer + 16, 4) || this.uint(trailer + 24, 4))
      unusual();
    this.count = this.uint(trailer + 12, 4);
    this.top = this.uint(trailer + 20, 4);
    this.table = this.uint(trailer + 28, 4);
    if (
      this.offsetSize < 1 ||
      this.offsetSize > 4 ||
      this.refSize < 1 ||
      this.refSize > 4 ||
      this.top >= this.count ||
      this.table + this.count * this.offsetSize > trailer
    )
      unusual();
  }

  private uint(at: number, size: number): number {
    if (at + size > this.data.length) unusual();
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + this.data[at + i]!;
    return value;
  }

  /** Where object `ref` starts. */
  private at(ref: number): number {
    if (ref >= this.count) unusual();
    const offset = this.uint(this.table + ref * this.offsetSize, this.offsetSize);
    if (offset >= this.end) unusual();
    return offset;
  }

  private type(ref: number): number {
    return this.data[this.at(ref)]! >> 4;
  }

  /** Where the object last measured by `extent` starts, past its marker and length. */
  private start = 0;
  /** Its length (bytes, characters or elements). */
  private length = 0;

  /** Measures the data, string or collection `ref` (into start and length), which must be of `type`. */
  private extent(ref: number, type: number): void {
    const offset = this.at(ref);
    const marker = this.data[offset]!;
    if (marker >> 4 !== type) unusual();
    let start = offset + 1;
    let length = marker & 0xf;
    if (length === 0xf) {
      const sizeMarker = this.data[offset + 1]!;
      const size = 1 << (sizeMarker & 0xf);
      if (sizeMarker >> 4 !== 0x1 || size > 4) unusual();
      length = this.uint(offset + 2, size);
      start = offset + 2 + size;
    }
    const bytes =
      type === 0xd ? 2 * length * this.refSize : type >= 0xa ? length * this.refSize : length;
    if (start + bytes > this.end) unusual();
    this.start = start;
    this.length = length;
  }

  /** The `i`th reference of a collection starting at `start`. */
  private ref(start: number, i: number): number {
    return this.uint(start + i * this.refSize, this.refSize);
  }

  /** Whether the ASCII string at `start` (of `length` bytes) is `text`. */
  private equals(start: number, length: number, text: Buffer): boolean {
    if (length !== text.length) return false;
    for (let i = 0; i < length; i++) if (this.data[start + i] !== text[i]) return false;
    return true;
  }

  /** The field named by the key at `ref`, or undefined for keys not read (and keys not ASCII). */
  private field(ref: number): keyof MBFileFields | undefined {
    if (this.type(ref) !== 0x5) return undefined;
    this.extent(ref, 0x5);
    for (const [bytes, name] of KEYS_BY_LENGTH.get(this.length) ?? [])
      if (this.equals(this.start, this.length, bytes)) return name;
    return undefined;
  }

  /** The value of the ASCII `key` in the dictionary at `ref` (the first or last when repeated), or -1. */
  private lookup(ref: number, key: Buffer, last: boolean): number {
    this.extent(ref, 0xd);
    const { start, length } = this;
    let found = -1;
    for (let i = 0; i < length && (last || found < 0); i++) {
      const keyRef = this.ref(start, i);
      if (this.type(keyRef) !== 0x5) continue;
      this.extent(keyRef, 0x5);
      if (this.equals(this.start, this.length, key)) found = this.ref(start, length + i);
    }
    return found;
  }

  /** The object a UID at `ref` points to, through the archive's object list. */
  private follow(ref: number, objects: { start: number; length: number }): number {
    const offset = this.at(ref);
    const marker = this.data[offset]!;
    if (marker >> 4 !== 0x8) unusual();
    const uid = this.uint(offset + 1, (marker & 0xf) + 1);
    if (uid >= objects.length) unusual();
    return this.ref(objects.start, uid);
  }

  /** A number (integer or real), as the general reader gives it. */
  private number(ref: number): number {
    const offset = this.at(ref);
    const marker = this.data[offset]!;
    if (marker >> 4 === 0x1) {
      const size = 1 << (marker & 0xf);
      if (offset + 1 + size > this.end) unusual();
      if (size <= 4) return this.uint(offset + 1, size);
      if (size !== 8 && size !== 16) unusual();
      // Signed 64 bits (the low half of a 128-bit integer), rounded once like Number(BigInt).
      const at = offset + 1 + size - 8;
      return this.data.readInt32BE(at) * 0x1_0000_0000 + this.data.readUInt32BE(at + 4);
    }
    if (marker === 0x22 || marker === 0x23) {
      if (offset + 9 > this.end) unusual();
      return marker === 0x22
        ? this.data.readFloatBE(offset + 1)
        : this.data.readDoubleBE(offset + 1);
    }
    return unusual();
  }

  /** NSData archived as {NS.data: bytes} or {NS.data: UID → bytes}. */
  private nsData(ref: number, objects: { start: number; length: number }): Buffer {
    let value = this.lookup(ref, NS_DATA, false);
    if (value < 0) unusual();
    if (this.type(value) === 0x8) value = this.follow(value, objects);
    this.extent(value, 0x4);
    return this.data.subarray(this.start, this.start + this.length);
  }

  read(): MBFileFields {
    const objectsRef = this.lookup(this.top, OBJECTS, true);
    const topRef = this.lookup(this.top, TOP, true);
    if (objectsRef < 0 || topRef < 0) unusual();
    const listType = this.type(objectsRef);
    if (listType !== 0xa && listType !== 0xc) unusual();
    this.extent(objectsRef, listType);
    const objects = { start: this.start, length: this.length };
    this.extent(topRef, 0xd);
    if (this.length !== 1) unusual();
    this.extent(this.follow(this.ref(this.start, 1), objects), 0xd);
    const { start, length } = this;
    const fields: MBFileFields = {};
    for (let i = 0; i < length; i++) {
      const name = this.field(this.ref(start, i));
      if (name === undefined) continue;
      const value = this.ref(start, length + i);
      if (name === 'Target') unusual();
      else if (name === 'EncryptionKey')
        fields.EncryptionKey = this.nsData(this.follow(value, objects), objects);
      else fields[name as NumberField] = this.number(value);
    }
    return fields;
  }
}
