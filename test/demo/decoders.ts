/** Small independent decoders the demo tests use to read back what the generators wrote. */
import { gunzipSync } from 'node:zlib';

export interface ProtoValue {
  field: number;
  varint?: bigint;
  bytes?: Buffer;
}

export function decodeProto(buf: Buffer): ProtoValue[] {
  const out: ProtoValue[] = [];
  let i = 0;
  const varint = (): bigint => {
    let result = 0n,
      shift = 0n;
    for (;;) {
      const b = buf[i++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (!(b & 0x80)) return result;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const field = key >> 3,
      wire = key & 7;
    if (wire === 0) out.push({ field, varint: varint() });
    else if (wire === 2) {
      const len = Number(varint());
      out.push({ field, bytes: buf.subarray(i, i + len) });
      i += len;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

export function protoField(values: ProtoValue[], field: number): ProtoValue {
  const v = values.find((x) => x.field === field);
  if (!v) throw new Error(`field ${field} missing`);
  return v;
}

export interface DecodedNote {
  text: string;
  runs: Array<{
    length: number;
    styleType: number | null;
    checklistDone: number | null;
    bold: boolean;
  }>;
}

export function decodeNote(zdata: Buffer): DecodedNote {
  const root = decodeProto(gunzipSync(zdata));
  const document = decodeProto(protoField(root, 2).bytes!);
  const note = decodeProto(protoField(document, 3).bytes!);
  const text = protoField(note, 2).bytes!.toString('utf8');
  const runs = note
    .filter((v) => v.field === 5)
    .map((v) => {
      const run = decodeProto(v.bytes!);
      const style = decodeProto(protoField(run, 2).bytes!);
      const styleType = style.find((s) => s.field === 1)?.varint;
      const checklist = style.find((s) => s.field === 5);
      const done = checklist
        ? decodeProto(checklist.bytes!).find((c) => c.field === 2)?.varint
        : undefined;
      return {
        length: Number(protoField(run, 1).varint!),
        styleType: styleType === undefined ? null : Number(styleType),
        checklistDone: done === undefined ? null : Number(done),
        bold: run.some((r) => r.field === 5 && r.varint === 1n),
      };
    });
  return { text, runs };
}

/** Text of a one-run attributedBody: the UTF-8 bytes after the NSString's "+" type tag (84 01 2B). */
export function typedstreamText(body: Buffer): string {
  if (body.subarray(0, 13).toString('latin1') !== '\x04\x0bstreamtyped')
    throw new Error('not a typedstream');
  const at = body.indexOf(Buffer.from([0x84, 0x01, 0x2b]));
  if (at < 0) throw new Error('no NSString in typedstream');
  let i = at + 3;
  let length = body[i++];
  if (length === 0x81) {
    length = body.readInt16LE(i);
    i += 2;
  }
  return body.subarray(i, i + length).toString('utf8');
}

/**
 * Baseline-JPEG reader for the demo encoder's pictures: walks the markers, builds the Huffman tables from DHT,
 * decodes every block's DC value and requires every AC part to be an immediate end-of-block.
 * Returns the size and the per-block Y/Cb/Cr sample values.
 */
export function decodeFlatJpeg(jpeg: Buffer): {
  width: number;
  height: number;
  blocks: number[][];
  exif: Buffer | null;
} {
  if (jpeg.readUInt16BE(0) !== 0xffd8) throw new Error('no SOI');
  let i = 2,
    width = 0,
    height = 0,
    components = 0,
    exif: Buffer | null = null;
  const tables = new Map<number, Map<string, number>>();
  let scan: Buffer | null = null;
  while (i < jpeg.length) {
    const marker = jpeg.readUInt16BE(i);
    if (marker === 0xffd9) break;
    const len = jpeg.readUInt16BE(i + 2);
    const body = jpeg.subarray(i + 4, i + 2 + len);
    if (marker === 0xffe1) exif = body;
    if (marker === 0xffc0) {
      height = body.readUInt16BE(1);
      width = body.readUInt16BE(3);
      components = body[5];
    }
    if (marker === 0xffc4) {
      let p = 0;
      while (p < body.length) {
        const id = body[p];
        const counts = [...body.subarray(p + 1, p + 17)];
        const symbols = body.subarray(p + 17, p + 17 + counts.reduce((a, b) => a + b, 0));
        const map = new Map<string, number>();
        let code = 0,
          k = 0;
        counts.forEach((n, li) => {
          for (let j = 0; j < n; j++)
            map.set((code++).toString(2).padStart(li + 1, '0'), symbols[k++]);
          code <<= 1;
        });
        tables.set(id, map);
        p += 17 + symbols.length;
      }
    }
    if (marker === 0xffda) {
      const start = i + 2 + len;
      const end = jpeg.lastIndexOf(Buffer.from([0xff, 0xd9]));
      const raw: number[] = [];
      for (let j = start; j < end; j++) {
        raw.push(jpeg[j]);
        if (jpeg[j] === 0xff) j++;
      } // unstuff FF00
      scan = Buffer.from(raw);
      break;
    }
    i += 2 + len;
  }
  if (!scan || components !== 3) throw new Error('no scan / not 3 components');
  const bits = [...scan].map((b) => b.toString(2).padStart(8, '0')).join('');
  let pos = 0;
  const read = (table: Map<string, number>): number => {
    let code = '';
    while (code.length <= 16) {
      code += bits[pos++];
      const s = table.get(code);
      if (s !== undefined) return s;
    }
    throw new Error('bad Huffman code');
  };
  const dc = tables.get(0x00)!,
    ac = tables.get(0x10)!;
  const previous = [0, 0, 0];
  const blocks: number[][] = [];
  for (let b = 0; b < (width / 8) * (height / 8); b++) {
    blocks.push(
      [0, 1, 2].map((c) => {
        const category = read(dc);
        let diff = 0;
        if (category > 0) {
          const v = parseInt(bits.slice(pos, pos + category), 2);
          pos += category;
          diff = v >= 1 << (category - 1) ? v : v - (1 << category) + 1;
        }
        previous[c] += diff;
        if (read(ac) !== 0) throw new Error('expected end-of-block');
        return previous[c] / 8 + 128;
      }),
    );
  }
  return { width, height, blocks, exif };
}
