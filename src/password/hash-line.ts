import { ExitCode, ReclaimError } from '../errors.js';
import { WRAP_PASSCODE, type Keybag } from '../backup/keybag.js';

/** What a password guess is checked against: one wrapped class key and the two derivation stages. */
export interface HashTarget {
  /** 10: iOS 10.2+ (PBKDF2-SHA256 then PBKDF2-SHA1); 9: older backups (PBKDF2-SHA1 only). */
  version: 9 | 10;
  wrappedKey: Buffer;
  iterations: number;
  salt: Buffer;
  dpic: number | null;
  dpsl: Buffer | null;
}

const PREFIX = '$itunes_backup$';
const WRAPPED_KEY_BYTES = 40;
const SALT_BYTES = 20;

/** The target of a backup keybag: any password-wrapped class key works (all share one KEK). */
export function hashTargetFromKeybag(bag: Keybag): HashTarget {
  const record = bag.classKeys.find(
    (k) => (k.wrap & WRAP_PASSCODE) !== 0 && k.wrappedKey.length === WRAPPED_KEY_BYTES,
  );
  if (!record)
    throw new ReclaimError(
      'The backup keybag has no password-wrapped class key to test passwords against.',
      ExitCode.badInput,
    );
  const modern = bag.dpic !== null && bag.dpsl !== null;
  return {
    version: modern ? 10 : 9,
    wrappedKey: record.wrappedKey,
    iterations: bag.iterations,
    salt: bag.salt,
    dpic: modern ? bag.dpic : null,
    dpsl: modern ? bag.dpsl : null,
  };
}

/** `$itunes_backup$*VERSION*WPKY*ITER*SALT*DPIC*DPSL` (hashcat 14700/14800, John's itunes-backup). */
export function formatHashLine(target: HashTarget): string {
  const tail = target.version === 10 ? `${target.dpic}*${target.dpsl!.toString('hex')}` : '*';
  return `${PREFIX}*${target.version}*${target.wrappedKey.toString('hex')}*${target.iterations}*${target.salt.toString('hex')}*${tail}`;
}

function bad(reason: string): ReclaimError {
  return new ReclaimError(
    `Bad hash line: ${reason}. Expected $itunes_backup$*10*WPKY*ITER*SALT*DPIC*DPSL or $itunes_backup$*9*WPKY*ITER*SALT**.`,
    ExitCode.usage,
  );
}

function hexField(value: string, name: string, bytes: number): Buffer {
  if (value.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(value))
    throw bad(`${name} must be ${bytes * 2} hex digits`);
  return Buffer.from(value, 'hex');
}

function countField(value: string, name: string): number {
  const n = /^[0-9]{1,10}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 0xffffffff)
    throw bad(`${name} must be a whole number from 1 to 4294967295`);
  return n;
}

export function parseHashLine(line: string): HashTarget {
  const text = line.trim();
  if (!text.startsWith(`${PREFIX}*`)) throw bad(`it must start with ${PREFIX}*`);
  const fields = text.slice(PREFIX.length + 1).split('*');
  if (fields.length !== 6) throw bad(`it has ${fields.length} fields after the prefix, not 6`);
  const [version, wpky, iter, salt, dpic, dpsl] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (version !== '9' && version !== '10')
    throw bad(`version ${JSON.stringify(version)} is neither 9 nor 10`);
  const target: HashTarget = {
    version: version === '10' ? 10 : 9,
    wrappedKey: hexField(wpky, 'WPKY', WRAPPED_KEY_BYTES),
    iterations: countField(iter, 'ITER'),
    salt: hexField(salt, 'SALT', SALT_BYTES),
    dpic: null,
    dpsl: null,
  };
  if (target.version === 10) {
    target.dpic = countField(dpic, 'DPIC');
    target.dpsl = hexField(dpsl, 'DPSL', SALT_BYTES);
  } else if (dpic !== '' || dpsl !== '') {
    throw bad('version 9 lines end with two empty fields (**)');
  }
  return target;
}
