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

function readCommonShape(blob: Buffer): MBFileFields | null {
  const reader = new BplistReader(blob);
  const archive = reader.dictPairs(reader.top);
  if (!archive) return null;
  let objectsRef = -1;
  let topRef = -1;
  archive[0].forEach((keyRef, i) => {
    const key = reader.asciiBytes(keyRef)?.toString('latin1');
    if (key === '$objects') objectsRef = archive[1][i]!;
    else if (key === '$top') topRef = archive[1][i]!;
  });
  if (objectsRef < 0 || topRef < 0) return null;
  const objects = reader.arrayRefs(objectsRef);
  const top = reader.dictPairs(topRef);
  if (!objects || !top || top[0].length !== 1) return null;
  const rootUid = reader.uid(top[1][0]!);
  const rootRef = rootUid === null ? undefined : objects[rootUid];
  const root = rootRef === undefined ? null : reader.dictPairs(rootRef);
  if (!root) return null;
  const fields: MBFileFields = {};
  for (let i = 0; i < root[0].length; i++) {
    const name = reader.asciiBytes(root[0][i]!)?.toString('latin1') ?? '';
    if (!FIELDS.has(name)) continue;
    const valueRef = root[1][i]!;
    if (name === 'EncryptionKey' || name === 'Target') {
      const uid = reader.uid(valueRef);
      const target = uid === null ? undefined : objects[uid];
      if (target === undefined) return null;
      const value = name === 'Target' ? reader.value(target) : dataOf(reader, objects, target);
      if (name === 'Target' && typeof value === 'string') fields.Target = value;
      else if (name === 'EncryptionKey' && Buffer.isBuffer(value)) fields.EncryptionKey = value;
      else return null;
    } else {
      const value = reader.value(valueRef);
      if (typeof value !== 'number') return null;
      fields[name as (typeof NUMBER_FIELDS)[number]] = value;
    }
  }
  return fields;
}

/** NSData archived as {NS.data: bytes} or {NS.data: UID → bytes}. */
function dataOf(reader: BplistReader, objects: number[], ref: number): Buffer | null {
  const pairs = reader.dictPairs(ref);
  if (!pairs) return null;
  for (let i = 0; i < pairs[0].length; i++) {
    if (reader.asciiBytes(pairs[0][i]!)?.toString('latin1') !== 'NS.data') continue;
    const uid = reader.uid(pairs[1][i]!);
    const dataRef = uid === null ? pairs[1][i]! : objects[uid];
    const value = dataRef === undefined ? null : reader.value(dataRef);
    return Buffer.isBuffer(value) ? value : null;
  }
  return null;
}
