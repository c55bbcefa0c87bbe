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

/**
 * A small, fast binary plist reader for the hot path: Manifest.db holds one NSKeyedArchiver blob per file,
 * hundreds of thousands of them, and a general parser costs ten times more per blob. Plist files
 * (Info.plist, Manifest.plist) still go through the `bplist-parser` package.
 */
const MAX_DEPTH = 64;

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

  /** Decodes the object `ref` and everything under it. */
  value(ref: number, depth = 0): BplistValue {
    if (depth > MAX_DEPTH) throw new CorruptInputError('binary plist nests too deeply (a loop?)');
    const { data } = this;
    const offset = this.at(ref);
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
        return data.subarray(start, start + length);
      }
      case 0x5: {
        const [length, start] = this.extent(offset);
        const end = Math.min(start + length, this.trailer);
        if (end - start > 48) return data.toString('latin1', start, end);
        // Short ASCII strings (keys, class names) are cheaper to build here than through a native call.
        let text = '';
        for (let i = start; i < end; i++) text += String.fromCharCode(data[i]!);
        return text;
      }
      case 0x6: {
        const [length, start] = this.extent(offset);
        return Buffer.from(data.subarray(start, Math.min(start + 2 * length, this.trailer)))
          .swap16()
          .toString('utf16le');
      }
      case 0x7: {
        const [length, start] = this.extent(offset);
        return data.toString('utf8', start, Math.min(start + length, this.trailer));
      }
      case 0x8:
        return { UID: this.uint(offset + 1, info + 1) };
      case 0xa:
      case 0xc:
        return this.arrayRefs(ref)!.map((item) => this.value(item, depth + 1));
      case 0xd: {
        const dict: { [key: string]: BplistValue } = {};
        for (const [key, item] of this.dictRefs(ref)!) dict[key] = this.value(item, depth + 1);
        return dict;
      }
      default:
        throw new CorruptInputError(
          `binary plist has an unknown object type 0x${marker.toString(16)}`,
        );
    }
  }
}
