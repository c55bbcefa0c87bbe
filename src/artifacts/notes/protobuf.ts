/**
 * A small protocol-buffers reader (wire format only, no schema): enough to walk the Apple Notes
 * document and its mergeable table data. Malformed input throws ProtoError; callers turn it into a problem.
 */

export class ProtoError extends Error {}

export interface ProtoField {
  field: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wire: number;
  /** Varint and fixed values. */
  value?: bigint;
  /** Length-delimited payload. */
  bytes?: Buffer;
}

const MAX_DEPTH = 64;

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ProtoError('truncated varint');
    const byte = buf[pos++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return [result, pos];
    shift += 7n;
  }
  throw new ProtoError('varint longer than 10 bytes');
}

export function readFields(buf: Buffer): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, afterKey] = readVarint(buf, pos);
    pos = afterKey;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0) throw new ProtoError('field number 0');
    switch (wire) {
      case 0: {
        const [value, next] = readVarint(buf, pos);
        fields.push({ field, wire, value });
        pos = next;
        break;
      }
      case 1:
        if (pos + 8 > buf.length) throw new ProtoError('truncated fixed64');
        fields.push({ field, wire, value: buf.readBigUInt64LE(pos) });
        pos += 8;
        break;
      case 2: {
        const [length, next] = readVarint(buf, pos);
        const end = next + Number(length);
        if (length > BigInt(buf.length) || end > buf.length)
          throw new ProtoError('length-delimited field runs past the end');
        fields.push({ field, wire, bytes: buf.subarray(next, end) });
        pos = end;
        break;
      }
      case 5:
        if (pos + 4 > buf.length) throw new ProtoError('truncated fixed32');
        fields.push({ field, wire, value: BigInt(buf.readUInt32LE(pos)) });
        pos += 4;
        break;
      default:
        throw new ProtoError(`unsupported wire type ${wire}`);
    }
  }
  return fields;
}

/** A decoded message with typed accessors; nested messages are parsed when asked for. */
export class ProtoMessage {
  readonly fields: ProtoField[];

  constructor(
    buf: Buffer,
    private readonly depth = 0,
  ) {
    if (depth > MAX_DEPTH) throw new ProtoError('messages nested too deeply');
    this.fields = readFields(buf);
  }

  has(field: number): boolean {
    return this.fields.some((f) => f.field === field);
  }

  /** The last occurrence (protobuf semantics for a non-repeated field). */
  private last(field: number): ProtoField | undefined {
    for (let i = this.fields.length - 1; i >= 0; i--)
      if (this.fields[i]!.field === field) return this.fields[i];
    return undefined;
  }

  int(field: number): number | undefined {
    const f = this.last(field);
    if (!f || f.value === undefined) return undefined;
    return Number(BigInt.asIntN(64, f.value));
  }

  bigint(field: number): bigint | undefined {
    const f = this.last(field);
    return f?.value;
  }

  bytes(field: number): Buffer | undefined {
    return this.last(field)?.bytes;
  }

  string(field: number): string | undefined {
    const b = this.bytes(field);
    return b === undefined ? undefined : b.toString('utf8');
  }

  message(field: number): ProtoMessage | undefined {
    const b = this.bytes(field);
    return b === undefined ? undefined : new ProtoMessage(b, this.depth + 1);
  }

  messages(field: number): ProtoMessage[] {
    return this.fields
      .filter((f) => f.field === field && f.bytes !== undefined)
      .map((f) => new ProtoMessage(f.bytes!, this.depth + 1));
  }

  strings(field: number): string[] {
    return this.fields
      .filter((f) => f.field === field && f.bytes !== undefined)
      .map((f) => f.bytes!.toString('utf8'));
  }

  bytesList(field: number): Buffer[] {
    return this.fields
      .filter((f) => f.field === field && f.bytes !== undefined)
      .map((f) => f.bytes!);
  }
}
