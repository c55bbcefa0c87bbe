import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { promisify } from 'node:util';
import { aesUnwrap } from './aes-key-wrap.js';
import { CorruptInputError, ReclaimError, WrongPasswordError, ExitCode } from '../errors.js';

const pbkdf2Async = promisify(pbkdf2);

/** WRAP flag: the class key is wrapped with the key derived from the password. */
export const WRAP_PASSCODE = 2;

export interface ClassKeyRecord {
  uuid: Buffer | null;
  protectionClass: number;
  wrap: number;
  keyType: number | null;
  wrappedKey: Buffer;
}

export interface Keybag {
  version: number;
  type: number;
  uuid: Buffer | null;
  wrap: number | null;
  salt: Buffer;
  iterations: number;
  /** iOS 10.2+: the first, PBKDF2-HMAC-SHA256 stage. */
  dpwt: number | null;
  dpic: number | null;
  dpsl: Buffer | null;
  classKeys: ClassKeyRecord[];
}

const HEADER_TAGS = new Set([
  'VERS',
  'TYPE',
  'UUID',
  'HMCK',
  'WRAP',
  'SALT',
  'ITER',
  'DPWT',
  'DPIC',
  'DPSL',
]);

/** Parses a BackupKeyBag: a run of [4-byte tag][4-byte big-endian length][value]. */
export function parseKeybag(data: Buffer): Keybag {
  const bag: Keybag = {
    version: 0,
    type: 0,
    uuid: null,
    wrap: null,
    salt: Buffer.alloc(0),
    iterations: 0,
    dpwt: null,
    dpic: null,
    dpsl: null,
    classKeys: [],
  };
  let current: Partial<ClassKeyRecord> | null = null;
  let seenUuid = false;
  const closeClass = () => {
    if (current && current.protectionClass !== undefined && current.wrappedKey) {
      bag.classKeys.push({
        uuid: current.uuid ?? null,
        protectionClass: current.protectionClass,
        wrap: current.wrap ?? 0,
        keyType: current.keyType ?? null,
        wrappedKey: current.wrappedKey,
      });
    }
    current = null;
  };
  let offset = 0;
  while (offset < data.length) {
    if (offset + 8 > data.length)
      throw new CorruptInputError('Keybag is truncated (a tag header is cut off).');
    const tag = data.toString('latin1', offset, offset + 4);
    const length = data.readUInt32BE(offset + 4);
    const start = offset + 8;
    if (start + length > data.length)
      throw new CorruptInputError(
        `Keybag is truncated (tag ${JSON.stringify(tag)} runs past the end).`,
      );
    const value = data.subarray(start, start + length);
    const u32 = () => (length === 4 ? value.readUInt32BE(0) : NaN);
    offset = start + length;

    if (tag === 'UUID') {
      if (!seenUuid) {
        bag.uuid = Buffer.from(value);
        seenUuid = true;
        continue;
      }
      closeClass();
      current = { uuid: Buffer.from(value) };
      continue;
    }
    if (current) {
      if (tag === 'CLAS') current.protectionClass = u32();
      else if (tag === 'WRAP') current.wrap = u32();
      else if (tag === 'KTYP') current.keyType = u32();
      else if (tag === 'WPKY') current.wrappedKey = Buffer.from(value);
      continue;
    }
    if (!HEADER_TAGS.has(tag)) continue;
    switch (tag) {
      case 'VERS':
        bag.version = u32();
        break;
      case 'TYPE':
        bag.type = u32();
        break;
      case 'WRAP':
        bag.wrap = u32();
        break;
      case 'SALT':
        bag.salt = Buffer.from(value);
        break;
      case 'ITER':
        bag.iterations = u32();
        break;
      case 'DPWT':
        bag.dpwt = u32();
        break;
      case 'DPIC':
        bag.dpic = u32();
        break;
      case 'DPSL':
        bag.dpsl = Buffer.from(value);
        break;
    }
  }
  closeClass();
  if (!Number.isFinite(bag.iterations) || bag.iterations <= 0 || bag.salt.length === 0) {
    throw new CorruptInputError(
      'Keybag has no valid SALT/ITER: it is not a backup keybag or it is damaged.',
    );
  }
  if (bag.classKeys.length === 0) throw new CorruptInputError('Keybag holds no class keys.');
  if (bag.dpic !== null && (!Number.isFinite(bag.dpic) || bag.dpic <= 0 || !bag.dpsl)) {
    throw new CorruptInputError('Keybag has a damaged DPIC/DPSL (second key-derivation stage).');
  }
  return bag;
}

/** Rounds iOS writes are 10,000 (ITER) and 10,000,000 (DPIC); more than this is damage or a trap. */
export const MAX_PLAUSIBLE_ROUNDS = 100_000_000;
/** PBKDF2 cannot run more rounds than this at all. */
const MAX_ROUNDS = 0x7fffffff;

/** Seconds this computer needs for the keybag's key derivation, from a short measurement. */
export function estimateDerivationSeconds(bag: Keybag): number {
  const sample = 20_000;
  const rate = (digest: 'sha1' | 'sha256') => {
    const start = process.hrtime.bigint();
    pbkdf2Sync('x', 'salt', sample, 32, digest);
    return sample / Math.max(1e-6, Number(process.hrtime.bigint() - start) / 1e9);
  };
  const stage2 = usesDoubleProtection(bag) ? bag.dpic! / rate('sha256') : 0;
  return stage2 + bag.iterations / rate('sha1');
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Math.ceil(seconds)} seconds`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 2 * 86400) return `${Math.round(seconds / 3600)} hours`;
  return `${Math.round(seconds / 86400)} days`;
}

/**
 * Refuses a key derivation iOS would never ask for (a damaged or hostile keybag could hold the computer
 * for hours); with `force`, only what PBKDF2 cannot compute at all is refused.
 */
export function checkDerivationRounds(bag: Keybag, options: { force?: boolean } = {}): void {
  const stages: [string, number][] = [['ITER (PBKDF2-SHA1)', bag.iterations]];
  if (usesDoubleProtection(bag)) stages.unshift(['DPIC (PBKDF2-SHA256)', bag.dpic!]);
  for (const [name, rounds] of stages) {
    if (rounds > MAX_ROUNDS)
      throw new CorruptInputError(
        `Keybag is damaged: its ${name} asks for ${rounds.toLocaleString('en')} rounds, more than any key derivation can run.`,
      );
  }
  if (options.force) return;
  const implausible = stages.find(([, rounds]) => rounds > MAX_PLAUSIBLE_ROUNDS);
  if (!implausible) return;
  const [name, rounds] = implausible;
  throw new CorruptInputError(
    `Keybag looks damaged or hostile: its ${name} asks for ${rounds.toLocaleString('en')} rounds (iOS uses at most 10,000,000); deriving the key would take about ${formatDuration(estimateDerivationSeconds(bag))} here. Give --force to derive it anyway.`,
  );
}

/** True when the keybag uses the iOS 10.2+ two-stage derivation. */
export function usesDoubleProtection(bag: Keybag): boolean {
  return bag.dpic !== null && bag.dpsl !== null;
}

/** Derives the key-encryption key from the password (slow by design: 10 M rounds on iOS 10.2+). */
export async function deriveKek(bag: Keybag, password: string | Buffer): Promise<Buffer> {
  let secret = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  if (usesDoubleProtection(bag))
    secret = await pbkdf2Async(secret, bag.dpsl!, bag.dpic!, 32, 'sha256');
  return pbkdf2Async(secret, bag.salt, bag.iterations, 32, 'sha1');
}

export function deriveKekSync(bag: Keybag, password: string | Buffer): Buffer {
  let secret = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  if (usesDoubleProtection(bag)) secret = pbkdf2Sync(secret, bag.dpsl!, bag.dpic!, 32, 'sha256');
  return pbkdf2Sync(secret, bag.salt, bag.iterations, 32, 'sha1');
}

/** Class keys by protection class. */
export type ClassKeys = Map<number, Buffer>;

/**
 * Unwraps every password-wrapped class key with the KEK. The first failed unwrap means a wrong password
 * (all class keys are wrapped with the same KEK).
 */
export function unlockKeybag(bag: Keybag, kek: Buffer): ClassKeys {
  if (kek.length !== 32)
    throw new ReclaimError('The derived key must be 32 bytes (64 hex digits).', ExitCode.usage);
  const wrapped = bag.classKeys.filter((record) => (record.wrap & WRAP_PASSCODE) !== 0);
  if (wrapped.length === 0)
    throw new CorruptInputError('Keybag has no password-wrapped class keys.');
  // A wrapped 256-bit key is 40 bytes: a shorter one was cut, and no password can ever unwrap it.
  const cut = wrapped.find((record) => record.wrappedKey.length !== 40);
  if (cut)
    throw new CorruptInputError(
      `Keybag is damaged: class key ${cut.protectionClass} is ${cut.wrappedKey.length} bytes, not 40, so no password can unlock this backup.`,
    );
  const keys: ClassKeys = new Map();
  const failed: number[] = [];
  for (const record of wrapped) {
    const key = aesUnwrap(kek, record.wrappedKey);
    if (key) keys.set(record.protectionClass, key);
    else failed.push(record.protectionClass);
  }
  if (keys.size === 0) throw new WrongPasswordError();
  // All class keys are wrapped with the same key: when some unwrap, the others are damaged.
  if (failed.length)
    throw new CorruptInputError(
      `Keybag is damaged: the password unlocks it, but class key(s) ${failed.join(', ')} do not unwrap.`,
    );
  return keys;
}
