import convert from 'heic-convert';

/**
 * HEIC to JPEG (heic-convert: libheif compiled to WebAssembly) keeping the photo's EXIF: the HEIF "Exif" item is
 * copied into the JPEG as an APP1 segment. libheif applies the rotation while decoding, so the copied EXIF
 * Orientation is set to 1 (else viewers would rotate the picture twice).
 */
export async function heicToJpeg(heic: Buffer, quality = 0.92): Promise<Buffer> {
  const out = await convert({ buffer: heic, format: 'JPEG', quality });
  const jpeg = Buffer.from(out instanceof ArrayBuffer ? new Uint8Array(out) : out);
  const tiff = heifExif(heic);
  return tiff ? insertExif(jpeg, tiff) : jpeg;
}

interface Box {
  type: string;
  start: number;
  body: number;
  end: number;
}

function boxes(buf: Buffer, start: number, end: number): Box[] {
  const out: Box[] = [];
  let pos = start;
  while (pos + 8 <= end) {
    let size = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    let body = pos + 8;
    if (size === 1) {
      if (pos + 16 > end) break;
      size = Number(buf.readBigUInt64BE(pos + 8));
      body = pos + 16;
    } else if (size === 0) size = end - pos;
    if (size < 8 || pos + size > end) break;
    out.push({ type, start: pos, body, end: pos + size });
    pos += size;
  }
  return out;
}

function readSized(buf: Buffer, pos: number, size: number): number {
  if (size === 0) return 0;
  if (size === 4) return buf.readUInt32BE(pos);
  if (size === 8) return Number(buf.readBigUInt64BE(pos));
  if (size === 2) return buf.readUInt16BE(pos);
  throw new Error(`unsupported field size ${size}`);
}

/** The TIFF bytes (starting "II*\0" or "MM\0*") of a HEIF file's Exif item, or null. Never throws. */
export function heifExif(heif: Buffer): Buffer | null {
  try {
    const meta = boxes(heif, 0, heif.length).find((b) => b.type === 'meta');
    if (!meta) return null;
    const children = boxes(heif, meta.body + 4, meta.end); // meta is a full box
    const iinf = children.find((b) => b.type === 'iinf');
    const iloc = children.find((b) => b.type === 'iloc');
    if (!iinf || !iloc) return null;
    const iinfVersion = heif[iinf.body]!;
    const firstInfe = iinf.body + 4 + (iinfVersion === 0 ? 2 : 4);
    let exifId: number | null = null;
    for (const infe of boxes(heif, firstInfe, iinf.end)) {
      if (infe.type !== 'infe') continue;
      const version = heif[infe.body]!;
      if (version < 2) continue;
      const idSize = version === 2 ? 2 : 4;
      const id = readSized(heif, infe.body + 4, idSize);
      const type = heif.toString('latin1', infe.body + 4 + idSize + 2, infe.body + 4 + idSize + 6);
      if (type === 'Exif') {
        exifId = id;
        break;
      }
    }
    if (exifId === null) return null;
    let p = iloc.body;
    const version = heif[p]!;
    p += 4;
    const offsetSize = heif[p]! >> 4,
      lengthSize = heif[p]! & 15,
      baseOffsetSize = heif[p + 1]! >> 4;
    const indexSize = version === 1 || version === 2 ? heif[p + 1]! & 15 : 0;
    p += 2;
    const count = version < 2 ? heif.readUInt16BE(p) : heif.readUInt32BE(p);
    p += version < 2 ? 2 : 4;
    for (let i = 0; i < count; i++) {
      const id = version < 2 ? heif.readUInt16BE(p) : heif.readUInt32BE(p);
      p += version < 2 ? 2 : 4;
      let method = 0;
      if (version === 1 || version === 2) {
        method = heif.readUInt16BE(p) & 15;
        p += 2;
      }
      p += 2; // data_reference_index
      const base = readSized(heif, p, baseOffsetSize);
      p += baseOffsetSize;
      const extents = heif.readUInt16BE(p);
      p += 2;
      const parts: Buffer[] = [];
      for (let e = 0; e < extents; e++) {
        p += indexSize;
        const offset = readSized(heif, p, offsetSize);
        p += offsetSize;
        const length = readSized(heif, p, lengthSize);
        p += lengthSize;
        if (id === exifId && method === 0)
          parts.push(heif.subarray(base + offset, base + offset + length));
      }
      if (id !== exifId) continue;
      if (method !== 0 || parts.length === 0) return null;
      const payload = Buffer.concat(parts);
      const tiffAt = 4 + payload.readUInt32BE(0);
      const tiff = payload.subarray(tiffAt);
      const magic = tiff.toString('latin1', 0, 2);
      return magic === 'II' || magic === 'MM' ? Buffer.from(tiff) : null;
    }
    return null;
  } catch {
    return null;
  }
}

/** Sets IFD0 Orientation (tag 0x0112) to 1 in a TIFF block, in place. */
function resetOrientation(tiff: Buffer): void {
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return;
  const n = u16(ifd);
  for (let i = 0; i < n; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return;
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
      if (le) tiff.writeUInt16LE(1, entry + 8);
      else tiff.writeUInt16BE(1, entry + 8);
    }
  }
}

/**
 * A JPEG with the given TIFF/EXIF block as its APP1 segment (after SOI and any APP0/JFIF), replacing an existing
 * EXIF APP1. Returns the JPEG unchanged when the block does not fit in one segment.
 */
export function insertExif(
  jpeg: Buffer,
  tiff: Buffer,
  options: { resetOrientation?: boolean } = { resetOrientation: true },
): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const block = Buffer.from(tiff);
  if (options.resetOrientation !== false) resetOrientation(block);
  const length = 2 + 6 + block.length;
  if (length > 0xffff) return jpeg;
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(length, 2);
  const app1 = Buffer.concat([header, Buffer.from('Exif\0\0', 'latin1'), block]);
  const kept: Buffer[] = [jpeg.subarray(0, 2)];
  let pos = 2;
  let inserted = false;
  while (pos + 4 <= jpeg.length && jpeg[pos] === 0xff) {
    const marker = jpeg[pos + 1]!;
    if (marker < 0xe0 || marker > 0xef) break; // only APPn segments are walked
    const size = jpeg.readUInt16BE(pos + 2);
    const segment = jpeg.subarray(pos, pos + 2 + size);
    const isExif = marker === 0xe1 && jpeg.toString('latin1', pos + 4, pos + 10) === 'Exif\0\0';
    if (marker !== 0xe0 && !inserted) {
      kept.push(app1);
      inserted = true;
    }
    if (!isExif) kept.push(segment);
    pos += 2 + size;
  }
  if (!inserted) kept.push(app1);
  kept.push(jpeg.subarray(pos));
  return Buffer.concat(kept);
}
