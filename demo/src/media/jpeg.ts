import { buildExifPayload, type ExifInfo } from './exif.js';

/**
 * A tiny baseline JPEG encoder for demo pictures: every 8x8 block is one flat colour (so only the DC
 * coefficient is non-zero), which yields a valid YCbCr 4:4:4 JFIF-style stream with no DCT code.
 * The picture is a horizontal-then-vertical blend of four corner colours, block by block.
 */

export type Rgb = readonly [number, number, number];

export interface JpegOptions {
  /** Pixels; rounded up to a multiple of 8. */
  width: number;
  height: number;
  corners: { topLeft: Rgb; topRight: Rgb; bottomLeft: Rgb; bottomRight: Rgb };
  exif?: ExifInfo;
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

// Standard luminance DC table (ITU T.81 Annex K.3): code-length counts and symbols.
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
// AC table with one symbol, end-of-block (0x00), coded as the single bit "0": all blocks are flat.
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0];

function canonicalCodes(
  bits: number[],
  values: number[],
): Map<number, { code: number; length: number }> {
  const codes = new Map<number, { code: number; length: number }>();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < bits[length - 1]; i++) codes.set(values[k++], { code: code++, length });
    code <<= 1;
  }
  return codes;
}

class BitWriter {
  private bytes: number[] = [];
  private current = 0;
  private filled = 0;
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.current = (this.current << 1) | ((value >> i) & 1);
      if (++this.filled === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.current);
    if (this.current === 0xff) this.bytes.push(0x00); // byte stuffing
    this.current = 0;
    this.filled = 0;
  }
  finish(): Buffer {
    while (this.filled !== 0) this.write(1, 1); // pad with 1 bits
    return Buffer.from(this.bytes);
  }
}

function lerp(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function toYCbCr([r, g, b]: Rgb): [number, number, number] {
  const clamp = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));
  return [
    clamp(0.299 * r + 0.587 * g + 0.114 * b),
    clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
    clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b),
  ];
}

export function encodeJpeg(options: JpegOptions): Buffer {
  const blocksX = Math.ceil(options.width / 8);
  const blocksY = Math.ceil(options.height / 8);
  const width = blocksX * 8;
  const height = blocksY * 8;
  const dcCodes = canonicalCodes(DC_BITS, DC_VALUES);
  const eob = canonicalCodes(AC_BITS, AC_VALUES).get(0)!;
  const bits = new BitWriter();
  const previousDc = [0, 0, 0];
  const { topLeft, topRight, bottomLeft, bottomRight } = options.corners;
  for (let by = 0; by < blocksY; by++) {
    const v = blocksY === 1 ? 0 : by / (blocksY - 1);
    for (let bx = 0; bx < blocksX; bx++) {
      const u = blocksX === 1 ? 0 : bx / (blocksX - 1);
      const colour = lerp(lerp(topLeft, topRight, u), lerp(bottomLeft, bottomRight, u), v);
      toYCbCr(colour).forEach((sample, component) => {
        const dc = 8 * (sample - 128); // flat block: F(0,0) = 8 x level-shifted sample; quantiser 1
        const diff = dc - previousDc[component];
        previousDc[component] = dc;
        const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
        const code = dcCodes.get(category)!;
        bits.write(code.code, code.length);
        if (category > 0) bits.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
        bits.write(eob.code, eob.length);
      });
    }
  }
  const sof = Buffer.from([
    8,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    3,
    1,
    0x11,
    0,
    2,
    0x11,
    0,
    3,
    0x11,
    0,
  ]);
  const dqt = Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]);
  const dht = Buffer.concat([
    Buffer.from([0x00, ...DC_BITS, ...DC_VALUES]),
    Buffer.from([0x10, ...AC_BITS, ...AC_VALUES]),
  ]);
  const sos = Buffer.from([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    ...(options.exif ? [segment(0xe1, buildExifPayload({ ...options.exif, width, height }))] : []),
    segment(0xdb, dqt),
    segment(0xc0, sof),
    segment(0xc4, dht),
    segment(0xda, sos),
    bits.finish(),
    Buffer.from([0xff, 0xd9]),
  ]);
}
