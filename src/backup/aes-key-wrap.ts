import { createCipheriv, createDecipheriv } from 'node:crypto';

/** RFC 3394 default integrity check value. */
const IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');
const IV_WORD = 0xa6a6a6a6;
const TWO_32 = 0x1_0000_0000;

/** One ECB context per wrap/unwrap: with padding off, each update() of whole blocks returns them at once. */
function aesEcb(key: Buffer, decrypt: boolean): (blocks: Buffer) => Buffer {
  const algorithm = `aes-${key.length * 8}-ecb`;
  const c = decrypt ? createDecipheriv(algorithm, key, null) : createCipheriv(algorithm, key, null);
  c.setAutoPadding(false);
  return (blocks) => c.update(blocks);
}

/** RFC 3394 key unwrap. Returns null when the integrity value does not match (wrong key). */
export function aesUnwrap(kek: Buffer, wrapped: Buffer): Buffer | null {
  return aesUnwrapMany(kek, [wrapped])[0]!;
}

/**
 * RFC 3394 unwrap of many keys wrapped with the same key: each of the 6n steps decrypts the block of
 * every key in one call (a backup holds a key per file; one call per block costs more than the AES).
 * Each result is null where the integrity value does not match.
 */
export function aesUnwrapMany(kek: Buffer, wrapped: Buffer[]): (Buffer | null)[] {
  const results: (Buffer | null)[] = new Array<Buffer | null>(wrapped.length).fill(null);
  const byLength = new Map<number, number[]>();
  wrapped.forEach((w, index) => {
    if (w.length < 24 || w.length % 8 !== 0) return;
    const group = byLength.get(w.length);
    if (group) group.push(index);
    else byLength.set(w.length, [index]);
  });
  for (const [length, indexes] of byLength) {
    const n = length / 8 - 1;
    const count = indexes.length;
    // A: the 64-bit integrity registers; R: each key's n 64-bit blocks, one key after another.
    const a = Buffer.allocUnsafe(8 * count);
    const r = Buffer.allocUnsafe(8 * n * count);
    indexes.forEach((index, k) => {
      const w = wrapped[index]!;
      w.copy(a, 8 * k, 0, 8);
      w.copy(r, 8 * n * k, 8, length);
    });
    const block = Buffer.allocUnsafe(16 * count);
    const decrypt = aesEcb(kek, true);
    for (let j = 5; j >= 0; j--) {
      for (let i = n; i >= 1; i--) {
        // t = n·j + i, XORed into A as a big-endian 64-bit number (kept as bytes: no call per key).
        const t = n * j + i;
        const tHigh = Math.floor(t / TWO_32);
        const tBytes = [tHigh >>> 24, (tHigh >>> 16) & 255, (tHigh >>> 8) & 255, tHigh & 255];
        tBytes.push(t >>> 24, (t >>> 16) & 255, (t >>> 8) & 255, t & 255);
        for (let k = 0; k < count; k++) {
          const at = 8 * k;
          const to = 16 * k;
          const ri = 8 * (n * k + i - 1);
          for (let x = 0; x < 8; x++) {
            block[to + x] = a[at + x]! ^ tBytes[x]!;
            block[to + 8 + x] = r[ri + x]!;
          }
        }
        const b = decrypt(block);
        for (let k = 0; k < count; k++) {
          const at = 8 * k;
          const from = 16 * k;
          const ri = 8 * (n * k + i - 1);
          for (let x = 0; x < 8; x++) {
            a[at + x] = b[from + x]!;
            r[ri + x] = b[from + 8 + x]!;
          }
        }
      }
    }
    indexes.forEach((index, k) => {
      if (a.readUInt32BE(8 * k) === IV_WORD && a.readUInt32BE(8 * k + 4) === IV_WORD)
        results[index] = Buffer.from(r.subarray(8 * n * k, 8 * n * (k + 1)));
    });
  }
  return results;
}

/** RFC 3394 key wrap (used by the backup writer). */
export function aesWrap(kek: Buffer, key: Buffer): Buffer {
  if (key.length < 16 || key.length % 8 !== 0)
    throw new RangeError('key to wrap must be a multiple of 8 bytes, at least 16');
  const n = key.length / 8;
  let a: Buffer = Buffer.from(IV);
  const r: Buffer[] = Array.from({ length: n }, (_, i) =>
    Buffer.from(key.subarray(8 * i, 8 * (i + 1))),
  );
  const block = Buffer.alloc(16);
  const encrypt = aesEcb(kek, false);
  for (let j = 0; j <= 5; j++) {
    for (let i = 1; i <= n; i++) {
      a.copy(block, 0);
      r[i - 1]!.copy(block, 8);
      const b = encrypt(block);
      a = Buffer.from(b.subarray(0, 8));
      a.writeBigUInt64BE(a.readBigUInt64BE(0) ^ BigInt(n * j + i), 0);
      r[i - 1] = b.subarray(8, 16);
    }
  }
  return Buffer.concat([a, ...r]);
}
