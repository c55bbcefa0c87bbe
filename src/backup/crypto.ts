import { createCipheriv, createDecipheriv, randomBytes, type Decipher } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { aesUnwrap, aesWrap } from './aes-key-wrap.js';
import type { ClassKeys } from './keybag.js';
import { CorruptInputError, ReclaimError, ExitCode } from '../errors.js';

const ZERO_IV = Buffer.alloc(16);
const BLOCK = 16;

/** Unwraps a per-file (or manifest) key: 4-byte little-endian protection class, then the RFC 3394 wrapped key. */
export function unwrapEntryKey(classKeys: ClassKeys, wrapped: Buffer): Buffer {
  if (wrapped.length < 4 + 24) throw new CorruptInputError('A wrapped file key is too short.');
  const protectionClass = wrapped.readUInt32LE(0);
  const classKey = classKeys.get(protectionClass);
  if (!classKey) {
    throw new ReclaimError(
      `Missing class key ${protectionClass}: the keybag cannot unlock this file.`,
      ExitCode.badInput,
    );
  }
  const key = aesUnwrap(classKey, wrapped.subarray(4));
  if (!key)
    throw new CorruptInputError(
      `A file key does not unwrap with class key ${protectionClass}: the index or keybag is damaged.`,
    );
  return key;
}

export function wrapEntryKey(classKeys: ClassKeys, protectionClass: number, key: Buffer): Buffer {
  const classKey = classKeys.get(protectionClass);
  if (!classKey) throw new RangeError(`no class key ${protectionClass}`);
  const head = Buffer.alloc(4);
  head.writeUInt32LE(protectionClass, 0);
  return Buffer.concat([head, aesWrap(classKey, key)]);
}

/** Length of valid PKCS#7 padding at the end of `tail` (a whole last block), or 0 when it is not valid padding. */
export function pkcs7PaddingLength(tail: Buffer): number {
  if (tail.length < BLOCK) return 0;
  const n = tail[tail.length - 1]!;
  if (n < 1 || n > BLOCK) return 0;
  for (let i = tail.length - n; i < tail.length; i++) if (tail[i] !== n) return 0;
  return n;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export interface DecryptOptions {
  /** The recorded Size: when it equals the whole plaintext, a last block that looks like padding is content. */
  expectedSize?: number;
  /** Streams only: fail (naming this file) instead of passing on cut data or data with bad padding. */
  strict?: string;
}

/**
 * How many bytes of valid-looking PKCS#7 padding to strip. Some files (Manifest.db, SQLite files) are stored
 * without padding, so a last byte of 0x01 may be content: keep it when the recorded size or the SQLite page
 * layout says the unpadded length is the real one.
 */
function paddingToStrip(
  plainLength: number,
  lastBlock: Buffer,
  head: Buffer,
  options: DecryptOptions,
): { pad: number; bad: boolean } {
  const pad = pkcs7PaddingLength(lastBlock);
  const unpadded =
    options.expectedSize === plainLength ||
    (plainLength % 512 === 0 && head.subarray(0, 16).equals(SQLITE_MAGIC));
  if (unpadded) return { pad: 0, bad: false };
  // No valid padding, and neither the recorded size nor the SQLite layout says the file carries none:
  // the key or the data is damaged, and the last block (at least) is garbage.
  if (pad === 0) return { pad: 0, bad: plainLength > 0 && options.expectedSize !== undefined };
  return { pad, bad: false };
}

export interface DecryptOutcome {
  /** The ciphertext length was not a multiple of 16 (truncated file): the partial block was dropped. */
  truncated: boolean;
  /** The last block held valid PKCS#7 padding, which was removed. */
  paddingStripped: boolean;
  /** The last block holds no valid padding and the recorded size does not explain it: damaged. */
  badPadding: boolean;
}

/** Why decrypted data cannot be trusted as the file's content, or null when it can. */
export function decryptDamage(outcome: DecryptOutcome, cipherLength?: number): string | null {
  if (outcome.truncated)
    return `its encrypted data is cut (${cipherLength ?? 'a length'} bytes, not whole 16-byte AES blocks)`;
  if (outcome.badPadding)
    return 'its encrypted data ends without valid padding (a damaged file key or damaged data)';
  return null;
}

/**
 * AES-256-CBC decryption with a zero IV, fed in pieces of any size: memory stays flat. Valid PKCS#7 padding
 * is stripped; a last block without valid padding is kept whole (some files, e.g. Manifest.db, carry none).
 */
export class CbcDecryptor {
  private readonly decipher: Decipher;
  private carry: Buffer = Buffer.alloc(0);
  private held: Buffer = Buffer.alloc(0);
  private head: Buffer | null = null;
  private plainLength = 0;
  readonly outcome: DecryptOutcome = {
    truncated: false,
    paddingStripped: false,
    badPadding: false,
  };
  private cipherLength = 0;

  constructor(
    key: Buffer,
    private readonly options: DecryptOptions = {},
  ) {
    this.decipher = createDecipheriv('aes-256-cbc', key, ZERO_IV);
    this.decipher.setAutoPadding(false);
  }

  /** Plain bytes that are final; the last block is held back until `final()`, as it may carry padding. */
  update(chunk: Buffer): Buffer {
    this.cipherLength += chunk.length;
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = data.length - (data.length % BLOCK);
    this.carry = data.subarray(whole);
    if (whole === 0) return Buffer.alloc(0);
    const plain = this.decipher.update(data.subarray(0, whole));
    this.plainLength += plain.length;
    this.head ??= Buffer.from(plain.subarray(0, 16));
    const joined = this.held.length ? Buffer.concat([this.held, plain]) : plain;
    this.held = joined.subarray(joined.length - BLOCK);
    return joined.subarray(0, joined.length - BLOCK);
  }

  final(): Buffer {
    this.decipher.final();
    if (this.carry.length) this.outcome.truncated = true;
    const { pad, bad } = paddingToStrip(
      this.plainLength,
      this.held,
      this.head ?? Buffer.alloc(0),
      this.options,
    );
    this.outcome.paddingStripped = pad > 0;
    this.outcome.badPadding = bad;
    return this.held.subarray(0, this.held.length - pad);
  }

  /** Bytes of ciphertext seen so far. */
  get bytesIn(): number {
    return this.cipherLength;
  }
}

/** The streaming form of CbcDecryptor. */
export class DecryptStream extends Transform {
  private readonly decryptor: CbcDecryptor;
  readonly outcome: DecryptOutcome;

  constructor(
    key: Buffer,
    private readonly options: DecryptOptions = {},
  ) {
    super();
    this.decryptor = new CbcDecryptor(key, options);
    this.outcome = this.decryptor.outcome;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const ready = this.decryptor.update(chunk);
    if (ready.length) this.push(ready);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    const last = this.decryptor.final();
    const damage = this.options.strict ? decryptDamage(this.outcome, this.decryptor.bytesIn) : null;
    if (damage) return callback(new CorruptInputError(`${this.options.strict}: ${damage}.`));
    if (last.length) this.push(last);
    callback();
  }
}

export function decryptBuffer(
  key: Buffer,
  data: Buffer,
  options: DecryptOptions = {},
): { data: Buffer } & DecryptOutcome {
  const decryptor = new CbcDecryptor(key, options);
  const plain = Buffer.concat([decryptor.update(data), decryptor.final()]);
  return { data: plain, ...decryptor.outcome };
}

/** Decrypts one file into another, a few megabytes at a time. */
export function decryptFileSync(
  key: Buffer,
  source: string | number,
  dest: string,
  options: DecryptOptions = {},
): DecryptOutcome {
  const decryptor = new CbcDecryptor(key, options);
  const input = typeof source === 'number' ? source : openSync(source, 'r');
  const output = openSync(dest, 'wx', 0o600);
  try {
    const chunk = Buffer.alloc(4 << 20);
    for (let n; (n = readSync(input, chunk, 0, chunk.length, null)) > 0;)
      writeSync(output, decryptor.update(chunk.subarray(0, n)));
    writeSync(output, decryptor.final());
  } finally {
    if (typeof source !== 'number') closeSync(input);
    closeSync(output);
  }
  return decryptor.outcome;
}

export function encryptBuffer(key: Buffer, data: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-cbc', key, ZERO_IV);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

export function randomKey(): Buffer {
  return randomBytes(32);
}
