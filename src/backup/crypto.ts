import { createCipheriv, createDecipheriv, randomBytes, type Decipher } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync, writevSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { aesUnwrapMany, aesWrap } from './aes-key-wrap.js';
import type { ClassKeys } from './keybag.js';
import { CorruptInputError, ReclaimError, ExitCode } from '../errors.js';
import { runGc } from '../gc.js';

const ZERO_IV = Buffer.alloc(16);
const BLOCK = 16;

/** Unwraps a per-file (or manifest) key: 4-byte little-endian protection class, then the RFC 3394 wrapped key. */
export function unwrapEntryKey(classKeys: ClassKeys, wrapped: Buffer): Buffer {
  const [key] = unwrapEntryKeys(classKeys, [wrapped]);
  if (key instanceof Error) throw key;
  return key!;
}

/**
 * Unwraps many file keys at once (far faster than one by one): each result is the key, or the error
 * that unwrapping it alone would throw.
 */
export function unwrapEntryKeys(classKeys: ClassKeys, wrapped: Buffer[]): (Buffer | Error)[] {
  const results: (Buffer | Error)[] = [];
  const byClass = new Map<number, number[]>();
  wrapped.forEach((w, index) => {
    if (w.length < 4 + 24) {
      results[index] = new CorruptInputError('A wrapped file key is too short.');
      return;
    }
    const protectionClass = w.readUInt32LE(0);
    if (!classKeys.has(protectionClass)) {
      results[index] = new ReclaimError(
        `Missing class key ${protectionClass}: the keybag cannot unlock this file.`,
        ExitCode.badInput,
      );
      return;
    }
    const group = byClass.get(protectionClass);
    if (group) group.push(index);
    else byClass.set(protectionClass, [index]);
  });
  for (const [protectionClass, indexes] of byClass) {
    const keys = aesUnwrapMany(
      classKeys.get(protectionClass)!,
      indexes.map((i) => wrapped[i]!.subarray(4)),
    );
    indexes.forEach((index, k) => {
      results[index] =
        keys[k] ??
        new CorruptInputError(
          `A file key does not unwrap with class key ${protectionClass}: the index or keybag is damaged.`,
        );
    });
  }
  return results;
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
 * Plain output comes in pieces of at most this size: Node allocates every decipher output, and large ones
 * (past malloc's mmap threshold) cost a map, page faults and an unmap each, slower than the AES itself.
 */
const PIECE = 64 << 10;
/** What the file copies read at a time, into one buffer reused for every file. */
export const COPY_CHUNK = 1 << 20;

/**
 * Decrypted bytes between two young-generation collections. Node's Decipher gives a new buffer per piece,
 * and V8 frees them only once about 64 MB have piled up, in each thread: collecting every few megabytes
 * keeps memory flat (15,000 encrypted files extracted on two threads: 186 MB peak without, 140 MB with).
 */
const COLLECT_EVERY_BYTES = 2 << 20;

/**
 * AES-256-CBC decryption with a zero IV, fed in pieces of any size: memory stays flat. Valid PKCS#7 padding
 * is stripped; a last block without valid padding is kept whole (some files, e.g. Manifest.db, carry none).
 */
export class CbcDecryptor {
  private readonly decipher: Decipher;
  /** Ciphertext short of a whole block, waiting for the rest. */
  private carry: Buffer | null = null;
  /** The last plain block so far: held back, as it may be padding. */
  private held: Buffer | null = null;
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
    /** The largest plain piece `update` returns (decryptBuffer asks for one piece). */
    private readonly piece = PIECE,
  ) {
    this.decipher = createDecipheriv('aes-256-cbc', key, ZERO_IV);
    this.decipher.setAutoPadding(false);
  }

  /**
   * Plain bytes that are final, in pieces (none refers to `chunk`, which the caller may reuse); the last
   * block is held back until `final()`, as it may carry padding.
   */
  update(chunk: Buffer): Buffer[] {
    this.cipherLength += chunk.length;
    let data = chunk;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const whole = data.length - (data.length % BLOCK);
    if (whole < data.length) this.carry = Buffer.from(data.subarray(whole));
    if (whole === 0) return [];
    const pieces: Buffer[] = [];
    for (let at = 0; at < whole; at += this.piece)
      pieces.push(this.decipher.update(data.subarray(at, Math.min(whole, at + this.piece))));
    this.plainLength += whole;
    this.head ??= Buffer.from(pieces[0]!.subarray(0, BLOCK));
    if (this.held) pieces.unshift(this.held);
    const last = pieces.pop()!;
    this.held = last.subarray(last.length - BLOCK);
    if (last.length > BLOCK) pieces.push(last.subarray(0, last.length - BLOCK));
    return pieces;
  }

  final(): Buffer {
    this.decipher.final();
    if (this.carry) this.outcome.truncated = true;
    const held = this.held ?? Buffer.alloc(0);
    const { pad, bad } = paddingToStrip(
      this.plainLength,
      held,
      this.head ?? Buffer.alloc(0),
      this.options,
    );
    this.outcome.paddingStripped = pad > 0;
    this.outcome.badPadding = bad;
    return held.subarray(0, held.length - pad);
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
    for (const piece of this.decryptor.update(chunk)) this.push(piece);
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
  const decryptor = new CbcDecryptor(key, options, Infinity);
  const plain = Buffer.concat([...decryptor.update(data), decryptor.final()]);
  return { data: plain, ...decryptor.outcome };
}

/** Writes all of `data`, however many calls the system takes. */
function writeAll(fd: number, data: Buffer): void {
  for (let at = 0; at < data.length;) at += writeSync(fd, data, at);
}

/** Writes all the pieces, in one call when the system takes them whole. */
function writePieces(fd: number, pieces: Buffer[]): number {
  let total = 0;
  for (const piece of pieces) total += piece.length;
  if (total === 0) return 0;
  let written = pieces.length === 1 ? writeSync(fd, pieces[0]!) : writevSync(fd, pieces);
  for (const piece of pieces) {
    if (written >= piece.length) {
      written -= piece.length;
      continue;
    }
    writeAll(fd, piece.subarray(written));
    written = 0;
  }
  return total;
}

export interface FdCopy {
  /** Bytes read. */
  bytesIn: number;
  /** Bytes written. */
  bytesOut: number;
  /** What decryption found, when a key was given. */
  outcome: DecryptOutcome | null;
}

/**
 * Copies an open file into another until the end, decrypting with `key` when given, through `buffer`
 * (reused from file to file): memory stays flat whatever the size, and small files cost no allocation.
 */
export function copyFdSync(
  input: number,
  output: number,
  key: Buffer | null,
  options: DecryptOptions = {},
  buffer: Buffer = Buffer.allocUnsafe(COPY_CHUNK),
): FdCopy {
  const decryptor = key ? new CbcDecryptor(key, options) : null;
  let bytesIn = 0;
  let bytesOut = 0;
  let sinceCollection = 0;
  for (let n; (n = readSync(input, buffer, 0, buffer.length, null)) > 0;) {
    bytesIn += n;
    if (decryptor) {
      bytesOut += writePieces(output, decryptor.update(buffer.subarray(0, n)));
      if ((sinceCollection += n) >= COLLECT_EVERY_BYTES) {
        runGc('minor');
        sinceCollection = 0;
      }
    } else {
      writeAll(output, buffer.subarray(0, n));
      bytesOut += n;
    }
  }
  if (decryptor) {
    const last = decryptor.final();
    writeAll(output, last);
    bytesOut += last.length;
  }
  return { bytesIn, bytesOut, outcome: decryptor?.outcome ?? null };
}

/** Decrypts one file into another, a megabyte at a time. */
export function decryptFileSync(
  key: Buffer,
  source: string | number,
  dest: string,
  options: DecryptOptions = {},
): DecryptOutcome {
  const input = typeof source === 'number' ? source : openSync(source, 'r');
  try {
    const output = openSync(dest, 'wx', 0o600);
    try {
      return copyFdSync(input, output, key, options).outcome!;
    } finally {
      closeSync(output);
    }
  } finally {
    if (typeof source !== 'number') closeSync(input);
  }
}

export function encryptBuffer(key: Buffer, data: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-cbc', key, ZERO_IV);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

export function randomKey(): Buffer {
  return randomBytes(32);
}

/**
 * The length a file decrypts to, read from its first and last blocks only (the padding decides it), or
 * null when the data is cut or its padding is bad (damage, not a length).
 */
export function decryptedLength(
  key: Buffer,
  fd: number,
  cipherLength: number,
  expectedSize?: number,
): number | null {
  if (cipherLength === 0) return 0;
  if (cipherLength % BLOCK !== 0) return null;
  const read = (offset: number, length: number) => {
    const buffer = Buffer.alloc(length);
    return readSync(fd, buffer, 0, length, offset) === length ? buffer : null;
  };
  const decryptBlock = (iv: Buffer, block: Buffer) => {
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    decipher.setAutoPadding(false);
    return Buffer.concat([decipher.update(block), decipher.final()]);
  };
  const first = read(0, BLOCK);
  const tail = read(
    cipherLength - Math.min(cipherLength, 2 * BLOCK),
    Math.min(cipherLength, 2 * BLOCK),
  );
  if (!first || !tail) return null;
  const head = decryptBlock(ZERO_IV, first);
  const last =
    tail.length === BLOCK ? head : decryptBlock(tail.subarray(0, BLOCK), tail.subarray(BLOCK));
  const { pad, bad } = paddingToStrip(cipherLength, last, head, { expectedSize });
  return bad ? null : cipherLength - pad;
}
