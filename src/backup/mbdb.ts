import { CorruptInputError } from '../errors.js';
import { EntryTableBuilder } from './entry-table.js';
import { fileIdOf, kindFromMode } from './file-id.js';
import type { IndexReadResult } from './manifest-db.js';
import type { BackupEntry } from './types.js';

const MAGIC = Buffer.from('mbdb\x05\x00', 'latin1');

class Reader {
  offset = MAGIC.length;
  constructor(private readonly data: Buffer) {}
  private need(n: number): void {
    if (this.offset + n > this.data.length)
      throw new CorruptInputError(`Manifest.mbdb is truncated at byte ${this.offset}.`);
  }
  u8(): number {
    this.need(1);
    return this.data.readUInt8(this.offset++);
  }
  u16(): number {
    this.need(2);
    const v = this.data.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.data.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  u64(): number {
    this.need(8);
    const v = Number(this.data.readBigUInt64BE(this.offset));
    this.offset += 8;
    return v;
  }
  bytes(): Buffer | null {
    const length = this.u16();
    if (length === 0xffff) return null;
    this.need(length);
    const value = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
  string(): string | null {
    return this.bytes()?.toString('utf8') ?? null;
  }
  get done(): boolean {
    return this.offset >= this.data.length;
  }
}

/** Parses an iOS 5–9 Manifest.mbdb index (all fields big-endian); throws at the first damage. */
export function parseMbdb(data: Buffer): BackupEntry[] {
  const { entries, damaged } = readMbdb(data);
  if (damaged.length) throw new CorruptInputError(damaged[0]!);
  return entries.toArray();
}

/**
 * Reads an iOS 5–9 Manifest.mbdb index. A damaged one (cut, or garbage from some record on) gives the
 * records before the damage and says where it stopped; only an index with no readable record at all throws.
 */
export function readMbdb(data: Buffer): IndexReadResult {
  if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CorruptInputError('Manifest.mbdb does not start with the mbdb 5.0 signature.');
  }
  const reader = new Reader(data);
  const entries = new EntryTableBuilder();
  const damaged: string[] = [];
  while (!reader.done) {
    const start = reader.offset;
    try {
      entries.add(readRecord(reader));
    } catch (error) {
      if (!(error instanceof CorruptInputError)) throw error;
      if (entries.length === 0) throw error;
      damaged.push(
        `Manifest.mbdb is damaged at byte ${start} (${error.message.replace(/^Manifest\.mbdb is |\.$/g, '')}): the ${entries.length} records before it were read, the rest of the index is lost`,
      );
      break;
    }
  }
  return { entries: entries.build(), refused: [], damaged };
}

function readRecord(reader: Reader): BackupEntry {
  const domain = reader.string() ?? '';
  const relativePath = reader.string() ?? '';
  const target = reader.string();
  reader.bytes(); // SHA-1 of the data (unused)
  const key = reader.bytes();
  const mode = reader.u16();
  const inode = reader.u64();
  const uid = reader.u32();
  const gid = reader.u32();
  const modified = reader.u32();
  const accessed = reader.u32();
  const statusChanged = reader.u32();
  const size = reader.u64();
  const protectionClass = reader.u8();
  const propertyCount = reader.u8();
  const properties: Array<[Buffer | null, Buffer | null]> = [];
  for (let i = 0; i < propertyCount; i++) {
    const name = reader.bytes();
    const value = reader.bytes();
    properties.push([name && Buffer.from(name), value && Buffer.from(value)]);
  }
  return {
    domain,
    relativePath,
    fileID: fileIdOf(domain, relativePath),
    kind: kindFromMode(mode) ?? 'file',
    size,
    mode,
    modified,
    created: statusChanged,
    statusChanged,
    protectionClass,
    wrappedKey: key && key.length > 4 ? Buffer.from(key) : null,
    target,
    extras: { inode, uid, gid, accessed, ...(properties.length ? { properties } : {}) },
  };
}

function writeBytes(parts: Buffer[], value: Buffer | string | null): void {
  if (value === null) {
    parts.push(Buffer.from([0xff, 0xff]));
    return;
  }
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length, 0);
  parts.push(length, bytes);
}

/** Writes a Manifest.mbdb for the backup writer. */
export function serializeMbdb(entries: BackupEntry[]): Buffer {
  const parts: Buffer[] = [MAGIC];
  entries.forEach((entry, index) => {
    writeBytes(parts, entry.domain);
    writeBytes(parts, entry.relativePath);
    writeBytes(parts, entry.target);
    writeBytes(parts, null);
    writeBytes(parts, entry.wrappedKey);
    const fixed = Buffer.alloc(2 + 8 + 4 + 4 + 4 + 4 + 4 + 8 + 1 + 1);
    let o = 0;
    o = fixed.writeUInt16BE(entry.mode & 0xffff, o);
    const extras = entry.extras ?? {};
    const properties = (extras.properties ?? []).slice(0, 255);
    o = fixed.writeBigUInt64BE(BigInt(extras.inode ?? index + 1), o);
    o = fixed.writeUInt32BE((extras.uid ?? 501) >>> 0, o);
    o = fixed.writeUInt32BE((extras.gid ?? 501) >>> 0, o);
    o = fixed.writeUInt32BE(entry.modified >>> 0, o);
    o = fixed.writeUInt32BE((extras.accessed ?? entry.modified) >>> 0, o);
    o = fixed.writeUInt32BE(entry.statusChanged >>> 0, o);
    o = fixed.writeBigUInt64BE(BigInt(entry.size), o);
    o = fixed.writeUInt8(entry.protectionClass & 0xff, o);
    fixed.writeUInt8(properties.length, o);
    parts.push(fixed);
    for (const [name, value] of properties) {
      writeBytes(parts, name);
      writeBytes(parts, value);
    }
  });
  return Buffer.concat(parts);
}
