import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import exifr from 'exifr';

/** What a photo's own EXIF says (used when Photos.sqlite does not know the file). */
export interface ExifFacts {
  taken: Date | null;
  latitude: number | null;
  longitude: number | null;
  width: number | null;
  height: number | null;
}

const EXIF_STAMP = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;

/**
 * EXIF DateTimeOriginal (else CreateDate) as an instant. EXIF stores local time; OffsetTimeOriginal (iOS 10+)
 * gives the offset. Without one the time is read as UTC, so it is at most a few hours off, never a day-mangled guess
 * made from the time zone of the computer running the export.
 */
export function exifInstant(stamp: unknown, offset: unknown): Date | null {
  if (typeof stamp !== 'string') return null;
  const m = EXIF_STAMP.exec(stamp.trim());
  if (!m) return null;
  const off =
    typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : 'Z';
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${off}`);
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1990 ? null : date;
}

/** Reads EXIF from image bytes or a file path (exifr reads only the chunks it needs from a path). Never throws. */
export async function readExif(input: Buffer | string): Promise<ExifFacts | null> {
  try {
    const tags = (await exifr.parse(input, {
      tiff: true,
      exif: true,
      gps: true,
      ifd1: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      reviveValues: false,
      translateValues: false,
      pick: [
        'DateTimeOriginal',
        'CreateDate',
        'OffsetTimeOriginal',
        'OffsetTime',
        'ExifImageWidth',
        'ExifImageHeight',
        'GPSLatitude',
        'GPSLatitudeRef',
        'GPSLongitude',
        'GPSLongitudeRef',
      ],
    })) as Record<string, unknown> | undefined;
    if (!tags) return null;
    const taken =
      exifInstant(tags['DateTimeOriginal'], tags['OffsetTimeOriginal']) ??
      exifInstant(tags['CreateDate'], tags['OffsetTime']);
    const lat = typeof tags['latitude'] === 'number' ? tags['latitude'] : null;
    const lon = typeof tags['longitude'] === 'number' ? tags['longitude'] : null;
    const width = typeof tags['ExifImageWidth'] === 'number' ? tags['ExifImageWidth'] : null;
    const height = typeof tags['ExifImageHeight'] === 'number' ? tags['ExifImageHeight'] : null;
    return { taken, latitude: lat, longitude: lon, width, height };
  } catch {
    return null;
  }
}

/** Seconds between 1904-01-01 (QuickTime epoch) and 1970-01-01. */
const QUICKTIME_EPOCH_OFFSET = 2_082_844_800;

/** Positional reads of a file's bytes (a file on disk, or a stored entry of an archive). */
export interface PositionalReader {
  size: number;
  readAt(buffer: Buffer, position: number, length: number): Promise<number>;
}

export interface MovieHeader {
  created: Date | null;
  duration: number | null;
}

/**
 * The creation time in a QuickTime/MPEG-4 file's movie header (moov/mvhd), read with a few positional reads
 * (moov may sit at the end of a large video). Null when absent, zero or unreadable.
 */
export async function movieHeader(file: PositionalReader): Promise<MovieHeader | null> {
  try {
    const head = Buffer.alloc(16);
    const boxes = async (start: number, end: number) => {
      const out: Array<{ type: string; body: number; end: number }> = [];
      let pos = start;
      while (pos + 8 <= end && out.length < 4096) {
        if ((await file.readAt(head, pos, 16)) < 8) break;
        let size = head.readUInt32BE(0);
        const type = head.toString('latin1', 4, 8);
        let body = pos + 8;
        if (size === 1) {
          size = Number(head.readBigUInt64BE(8));
          body = pos + 16;
        } else if (size === 0) size = end - pos;
        if (size < 8 || pos + size > end) break;
        out.push({ type, body, end: pos + size });
        pos += size;
      }
      return out;
    };
    const moov = (await boxes(0, file.size)).find((b) => b.type === 'moov');
    if (!moov) return null;
    const mvhd = (await boxes(moov.body, moov.end)).find((b) => b.type === 'mvhd');
    if (!mvhd) return null;
    const buf = Buffer.alloc(32);
    if ((await file.readAt(buf, mvhd.body, 32)) < 28) return null;
    const version = buf[0];
    const created = version === 1 ? Number(buf.readBigUInt64BE(4)) : buf.readUInt32BE(4);
    const timescale = version === 1 ? buf.readUInt32BE(20) : buf.readUInt32BE(12);
    const duration = version === 1 ? Number(buf.readBigUInt64BE(24)) : buf.readUInt32BE(16);
    const unix = created - QUICKTIME_EPOCH_OFFSET;
    const date = created > 0 && unix > 631152000 ? new Date(unix * 1000) : null; // after 1990
    return { created: date, duration: timescale > 0 ? duration / timescale : null };
  } catch {
    return null;
  }
}

/** movieHeader of a file on disk. */
export async function quickTimeCreated(path: string): Promise<MovieHeader | null> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return await movieHeader({
      size: fstatSync(fd).size,
      readAt: async (buffer, position, length) => readSync(fd, buffer, 0, length, position),
    });
  } finally {
    closeSync(fd);
  }
}
