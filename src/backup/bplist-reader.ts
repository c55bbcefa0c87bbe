import { CorruptInputError } from '../errors.js';

/** A binary-plist UID, as NSKeyedArchiver uses for references. */
export interface Uid {
  UID: number;
}

export type BplistValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Date
  | Buffer
  | Uid
  | BplistValue[]
  | { [key: string]: BplistValue };

const APPLE_EPOCH_MS = Date.UTC(2001, 0, 1);
const MAX_OBJECTS = 1_000_000;
const MAX_DEPTH = 64;
/**
 * Elements and characters a whole plist may decode to. Objects are decoded once and shared however many
 * times they are referenced, so real plists stay near their own size; this only stops hostile ones.
 */
export const MAX_DECODED = 64_000_000;
/**
 * Entries a plist may stand for when every reference is followed as a copy (what a consumer walking it
 * would visit). Real plists share little; a bomb shares one array from the next, level after level.
 */
export const MAX_EXPANDED = 1 << 24;

/**
 * Reclaim's binary plist reader, for every binary plist a backup holds (Info.plist, Manifest.plist, the
 * NSKeyedArchiver blob of each Manifest.db row, plists inside databases). Input is hostile: an object
 * referenced many times is decoded once and shared, loops are refused, and depth and the total decoded
 * size are capped (a 200-byte file can otherwise reference its way to 2^40 entries).
 */

export function readBinaryPlist(data: Buffer): BplistValue {
  const reader = new BplistReader(data);
  return reader.value(reader.top);
}

/**
 * Reads objects by reference, on demand: callers that need a few fields of a large graph (an
 * NSKeyedArchiver archive) walk references and decode only what they use.
 */
export class BplistReader {
  readonly top: number;
  private readonly trailer: number;
  private readonly offsetSize: number;
  private readonly refSize: number;
  private readonly count: number;
  private readonly tableOffset: number;
  private decoded: Map<number, BplistValue> | null = null;
  /** Entries each decoded collection stands for, references followed as copies (1 when absent). */
  private expanded: Map<number, number> | null = null;
  private inProgress: Set<number> | null = null;
  private budget = MAX_DECODED;

  constructor(private readonly data: Buffer) {
    if (data.length < 40 || data.toString('latin1', 0, 6) !== 'bplist')
      throw new CorruptInputError('not a binary plist');
    const trailer = data.length - 32;
    this.trailer = trailer;
    this.offsetSize = data[trailer + 6]!;
    this.refSize = data[trailer + 7]!;
    this.count = this.u64(trailer + 8);
    this.top = this.u64(trailer + 16);
    this.tableOffset = this.u64(trailer + 24);
    if (
      !this.offsetSize ||
      this.offsetSize > 8 ||
      !this.refSize ||
      this.refSize > 8 ||
      this.count > MAX_OBJECTS ||
      this.top >= this.count ||
      this.tableOffset + this.count * this.offsetSize > trailer
    ) {
      throw new CorruptInputError('binary plist trailer is damaged');
    }
  }

  private u64(offset: number): number {
    const high = this.data.readUInt32BE(offset);
    if (high > 0x1fffff) throw new CorruptInputError('binary plist field is out of range');
    return high * 0x1_0000_0000 + this.data.readUInt32BE(offset + 4);
  }

  private uint(offset: number, size: number): number {
    if (offset + size > this.data.length) throw new CorruptInputError('binary plist is truncated');
    if (size === 1) return this.data[offset]!;
    if (size === 2) return this.data.readUInt16BE(offset);
    if (size <= 6) return this.data.readUIntBE(offset, size);
    return this.u64(offset + size - 8);
  }

  /** Offset of the object `ref` in the file. */
  private at(ref: number): number {
    if (ref >= this.count) throw new CorruptInputError('binary plist refers to a missing object');
    const offset = this.uint(this.tableOffset + ref * this.offsetSize, this.offsetSize);
    if (offset >= this.trailer) throw new CorruptInputError('binary plist object is out of range');
    return offset;
  }

  /** Length and start of a variable-size object (strings, data, arrays, dictionaries). */
  private extent(offset: number): [length: number, start: number] {
    const info = this.data[offset]! & 0xf;
    if (info !== 0xf) return [info, offset + 1];
    const size = 1 << (this.data[offset + 1]! & 0xf);
    return [this.uint(offset + 2, size), offset + 2 + size];
  }

  private refs(start: number, length: number): number[] {
    if (start + length * this.refSize > this.trailer)
      throw new CorruptInputError('binary plist collection runs past its end');
    const refs = new Array<number>(length);
    for (let i = 0; i < length; i++) refs[i] = this.uint(start + i * this.refSize, this.refSize);
    return refs;
  }

  /** The UID stored at `ref`, or null when it is not a UID. */
  uid(ref: number): number | null {
    const offset = this.at(ref);
    const marker = this.data[offset]!;
    return marker >> 4 === 0x8 ? this.uint(offset + 1, (marker & 0xf) + 1) : null;
  }

  /** Element references of an array or set, or null when `ref` is neither. */
  arrayRefs(ref: number): number[] | null {
    const offset = this.at(ref);
    const type = this.data[offset]! >> 4;
    if (type !== 0xa && type !== 0xc) return null;
    const [length, start] = this.extent(offset);
    return this.refs(start, length);
  }

  /** Keys (decoded) and value references of a dictionary, or null when `ref` is not one. */
  dictRefs(ref: number): Map<string, number> | null {
    const offset = this.at(ref);
    if (this.data[offset]! >> 4 !== 0xd) return null;
    const [length, start] = this.extent(offset);
    const keys = this.refs(start, length);
    const values = this.refs(start + length * this.refSize, length);
    const map = new Map<string, number>();
    for (let i = 0; i < length; i++) map.set(this.key(keys[i]!), values[i]!);
    return map;
  }

  /** Key and value references of a dictionary, without decoding the keys; null when `ref` is not one. */
  dictPairs(ref: number): [keys: number[], values: number[]] | null {
    const offset = this.at(ref);
    if (this.data[offset]! >> 4 !== 0xd) return null;
    const [length, start] = this.extent(offset);
    return [this.refs(start, length), this.refs(start + length * this.refSize, length)];
  }

  /** The ASCII string at `ref` without building it; null when it is not an ASCII string. */
  asciiBytes(ref: number): Buffer | null {
    const offset = this.at(ref);
    if (this.data[offset]! >> 4 !== 0x5) return null;
    const [length, start] = this.extent(offset);
    return start + length <= this.trailer ? this.data.subarray(start, start + length) : null;
  }

  /** A dictionary key: always a string. */
  private key(ref: number): string {
    const type = this.data[this.at(ref)]! >> 4;
    if (type !== 0x5 && type !== 0x6 && type !== 0x7)
      throw new CorruptInputError('binary plist dictionary key is not a string');
    return this.value(ref) as string;
  }

  /** Counts decoded elements or characters against the whole plist's allowance. */
  charge(units: number): void {
    this.budget -= units;
    if (this.budget < 0)
      throw new CorruptInputError(
        `binary plist expands past ${MAX_DECODED} decoded elements (shared references: a plist bomb?)`,
      );
  }

  /** Records what a collection stands for when its references are followed as copies; refuses bombs. */
  private countExpanded(ref: number, children: number[], own: number): void {
    let total = own;
    for (const child of children) total += this.expanded?.get(child) ?? 1;
    if (total > MAX_EXPANDED)
      throw new CorruptInputError(
        `binary plist expands to more than ${MAX_EXPANDED} entries through shared references (a plist bomb)`,
      );
    if (total !== 1) (this.expanded ??= new Map()).set(ref, total);
  }

  /** Decodes the object `ref` and everything under it; an object met again is the same value. */
  value(ref: number, depth = 0): BplistValue {
    if (depth > MAX_DEPTH) throw new CorruptInputError('binary plist nests too deeply');
    const offset = this.at(ref);
    const type = this.data[offset]! >> 4;
    // Leaves (numbers, strings, data) are decoded again when met again, each time charged against the
    // allowance; collections, the only way to multiply references, are decoded once and shared.
    if (type !== 0xa && type !== 0xc && type !== 0xd) return this.decode(ref, offset, depth);
    const known = this.decoded?.get(ref);
    if (known !== undefined) return known;
    const inProgress = (this.inProgress ??= new Set());
    if (inProgress.has(ref)) throw new CorruptInputError('binary plist contains a reference loop');
    inProgress.add(ref);
    const value = this.decode(ref, offset, depth);
    inProgress.delete(ref);
    (this.decoded ??= new Map()).set(ref, value);
    return value;
  }

  private decode(ref: number, offset: number, depth: number): BplistValue {
    const { data } = this;
    const marker = data[offset]!;
    const info = marker & 0xf;
    switch (marker >> 4) {
      case 0x0:
        return info === 0x8 ? false : info === 0x9 ? true : null;
      case 0x1: {
        const size = 1 << info;
        if (offset + 1 + size > this.trailer)
          throw new CorruptInputError('binary plist is truncated');
        if (size === 8) return Number(data.readBigInt64BE(offset + 1));
        if (size === 16) return Number(data.readBigInt64BE(offset + 9));
        return this.uint(offset + 1, size);
      }
      case 0x2:
        if (offset + 9 > this.trailer) throw new CorruptInputError('binary plist is truncated');
        return info === 2 ? data.readFloatBE(offset + 1) : data.readDoubleBE(offset + 1);
      case 0x3:
        if (offset + 9 > this.trailer) throw new CorruptInputError('binary plist is truncated');
        return new Date(APPLE_EPOCH_MS + data.readDoubleBE(offset + 1) * 1000);
      case 0x4: {
        const [length, start] = this.extent(offset);
        if (start + length > this.trailer)
          throw new CorruptInputError('binary plist data runs past its end');
        this.charge(1);
        return data.subarray(start, start + length);
      }
      case 0x5: {
        const [length, start] = this.extent(offset);
        const end = Math.min(start + length, this.trailer);
        this.charge(end - start + 1);
        if (end - start > 48) return data.toString('latin1', start, end);
        // Short ASCII strings (keys, class names) are cheaper to build here than through a native call.
        let text = '';
        for (let i = start; i < end; i++) text += String.fromCharCode(data[i]!);
        return text;
      }
      case 0x6: {
        const [length, start] = this.extent(offset);
        this.charge(Math.min(length, this.trailer) + 1);
        const end = Math.min(start + 2 * length, this.trailer);
        return Buffer.from(data.subarray(start, end - ((end - start) % 2)))
          .swap16()
          .toString('utf16le');
      }
      case 0x7: {
        const [length, start] = this.extent(offset);
        this.charge(Math.min(length, this.trailer) + 1);
        return data.toString('utf8', start, Math.min(start + length, this.trailer));
      }
      case 0x8:
        return { UID: this.uint(offset + 1, info + 1) };
      case 0xa:
      case 0xc: {
        const refs = this.arrayRefs(ref)!;
        this.charge(refs.length + 1);
        const items = refs.map((item) => this.value(item, depth + 1));
        this.countExpanded(ref, refs, 1);
        return items;
      }
      case 0xd: {
        const [keys, values] = this.dictPairs(ref)!;
        this.charge(keys.length + 1);
        const dict: { [key: string]: BplistValue } = {};
        keys.forEach((keyRef, i) => {
          const key = this.key(keyRef);
          const item = this.value(values[i]!, depth + 1);
          if (key === '__proto__')
            Object.defineProperty(dict, key, { value: item, enumerable: true, writable: true });
          else dict[key] = item;
        });
        this.countExpanded(ref, values, 1 + keys.length);
        return dict;
      }
      default:
        throw new CorruptInputError(
          `binary plist has an unknown object type 0x${marker.toString(16)}`,
        );
    }
  }
}
