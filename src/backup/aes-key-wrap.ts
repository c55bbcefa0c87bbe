import { createCipheriv, createDecipheriv } from 'node:crypto';

/** RFC 3394 default integrity check value. */
const IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');

/** One ECB context per wrap/unwrap: with padding off, each update() of a whole block returns it at once. */
function aesEcb(key: Buffer, decrypt: boolean): (block: Buffer) => Buffer {
  const algorithm = `aes-${key.length * 8}-ecb`;
  const c = decrypt ? createDecipheriv(algorithm, key, null) : createCipheriv(algorithm, key, null);
  c.setAutoPadding(false);
  return (block) => c.update(block);
}

/** RFC 3394 key unwrap. Returns null when the integrity value does not match (wrong key). */
export function aesUnwrap(kek: Buffer, wrapped: Buffer): Buffer | null {
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) return null;
  const n = wrapped.length / 8 - 1;
  let a: Buffer = Buffer.from(wrapped.subarray(0, 8));
  const r: Buffer[] = Array.from({ length: n }, (_, i) =>
    Buffer.from(wrapped.subarray(8 * (i + 1), 8 * (i + 2))),
  );
  const block = Buffer.alloc(16);
  const decrypt = aesEcb(kek, true);
  for (let j = 5; j >= 0; j--) {
    for (let i = n; i >= 1; i--) {
      const t = BigInt(n * j + i);
      a.writeBigUInt64BE(a.readBigUInt64BE(0) ^ t, 0);
      a.copy(block, 0);
      r[i - 1]!.copy(block, 8);
      const b = decrypt(block);
      a = b.subarray(0, 8);
      r[i - 1] = b.subarray(8, 16);
    }
  }
  return a.equals(IV) ? Buffer.concat(r) : null;
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
