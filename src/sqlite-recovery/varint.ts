/** SQLite varints: 1–9 bytes, big-endian, 7 bits per byte except a full 9th byte. */

export interface Varint {
  value: number; // exact below 2^53; larger values are approximate (rowids that big are rare)
  big: bigint | null; // set only when value is outside the safe integer range
  len: number; // 0 when there are not enough bytes
}

const NONE: Varint = { value: 0, big: null, len: 0 };

export function readVarint(b: Uint8Array, off: number, end: number = b.length): Varint {
  if (off < 0 || off >= end) return NONE;
  const b0 = b[off]!;
  if (b0 < 0x80) return { value: b0, big: null, len: 1 };
  let n = 0;
  for (let i = 0; i < 7; i++) {
    if (off + i >= end) return NONE;
    const c = b[off + i]!;
    n = n * 128 + (c & 0x7f);
    if (c < 0x80) return { value: n, big: null, len: i + 1 };
  }
  let v = 0n;
  for (let i = 0; i < 9; i++) {
    if (off + i >= end) return NONE;
    const c = b[off + i]!;
    if (i === 8) {
      v = (v << 8n) | BigInt(c);
      return finish(BigInt.asIntN(64, v), 9);
    }
    v = (v << 7n) | BigInt(c & 0x7f);
    if (c < 0x80) return finish(BigInt.asIntN(64, v), i + 1);
  }
  return NONE;
}

function finish(v: bigint, len: number): Varint {
  const safe = v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER);
  return { value: Number(v), big: safe ? null : v, len };
}

/** Fast path for small varints used in record headers (serial types, lengths). -1 when invalid. */
export function readSmallVarint(
  b: Uint8Array,
  off: number,
  end: number,
): { value: number; len: number } {
  let v = 0;
  for (let i = 0; i < 5; i++) {
    if (off + i >= end) return { value: -1, len: 0 };
    const c = b[off + i]!;
    v = v * 128 + (c & 0x7f);
    if (c < 0x80) return { value: v, len: i + 1 };
  }
  return { value: -1, len: 0 };
}

export function varintLength(v: number): number {
  let n = 1;
  while (v >= 128 && n < 9) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}
