/** A tiny protocol-buffers writer: varints, length-delimited fields and nested messages. Enough for the Notes document. */

export type ProtoField =
  | { field: number; varint: number | bigint }
  | { field: number; bytes: Buffer | string }
  | { field: number; message: ProtoField[] }
  /** A 32-bit float (wire type 5). */
  | { field: number; float: number };

export function encodeVarint(value: number | bigint): Buffer {
  let v = BigInt(value);
  if (v < 0n) v = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}

export function encodeMessage(fields: readonly ProtoField[]): Buffer {
  return Buffer.concat(
    fields.map((f) => {
      if ('varint' in f) return Buffer.concat([encodeVarint(f.field << 3), encodeVarint(f.varint)]);
      if ('float' in f) {
        const b = Buffer.alloc(4);
        b.writeFloatLE(f.float);
        return Buffer.concat([encodeVarint((f.field << 3) | 5), b]);
      }
      const payload =
        'message' in f
          ? encodeMessage(f.message)
          : Buffer.isBuffer(f.bytes)
            ? f.bytes
            : Buffer.from(f.bytes, 'utf8');
      return Buffer.concat([
        encodeVarint((f.field << 3) | 2),
        encodeVarint(payload.length),
        payload,
      ]);
    }),
  );
}
