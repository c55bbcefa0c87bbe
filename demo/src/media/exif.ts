/** A minimal little-endian EXIF (TIFF) block: camera, dates, pixel size and optional GPS position. */

export interface ExifInfo {
  make: string;
  model: string;
  software: string;
  /** Local wall-clock time, "YYYY:MM:DD HH:MM:SS". */
  dateTimeOriginal: string;
  /** "+HH:MM" / "-HH:MM". */
  offsetTimeOriginal: string;
  width: number;
  height: number;
  gps?: { latitude: number; longitude: number };
}

const ASCII = 2,
  SHORT = 3,
  LONG = 4,
  RATIONAL = 5,
  BYTE = 1;

interface IfdEntry {
  tag: number;
  type: number;
  count: number;
  value: Buffer;
}

function ascii(tag: number, text: string): IfdEntry {
  const value = Buffer.from(`${text}\0`, 'latin1');
  return { tag, type: ASCII, count: value.length, value };
}
function short(tag: number, n: number): IfdEntry {
  const value = Buffer.alloc(2);
  value.writeUInt16LE(n);
  return { tag, type: SHORT, count: 1, value };
}
function long(tag: number, n: number): IfdEntry {
  const value = Buffer.alloc(4);
  value.writeUInt32LE(n);
  return { tag, type: LONG, count: 1, value };
}
function rationals(tag: number, parts: Array<[number, number]>): IfdEntry {
  const value = Buffer.alloc(8 * parts.length);
  parts.forEach(([num, den], i) => {
    value.writeUInt32LE(num, i * 8);
    value.writeUInt32LE(den, i * 8 + 4);
  });
  return { tag, type: RATIONAL, count: parts.length, value };
}
function degreesMinutesSeconds(decimal: number): Array<[number, number]> {
  const abs = Math.abs(decimal);
  const degrees = Math.floor(abs);
  const minutes = Math.floor((abs - degrees) * 60);
  const seconds = Math.round(((abs - degrees) * 60 - minutes) * 60 * 100);
  return [
    [degrees, 1],
    [minutes, 1],
    [seconds, 100],
  ];
}

function ifdSize(entries: IfdEntry[]): number {
  const data = entries.reduce(
    (n, e) => n + (e.value.length > 4 ? e.value.length + (e.value.length % 2) : 0),
    0,
  );
  return 2 + entries.length * 12 + 4 + data;
}

function serializeIfd(entries: IfdEntry[], start: number): Buffer {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const out = Buffer.alloc(ifdSize(sorted));
  out.writeUInt16LE(sorted.length, 0);
  let dataOffset = 2 + sorted.length * 12 + 4;
  sorted.forEach((e, i) => {
    const at = 2 + i * 12;
    out.writeUInt16LE(e.tag, at);
    out.writeUInt16LE(e.type, at + 2);
    out.writeUInt32LE(e.count, at + 4);
    if (e.value.length <= 4) {
      e.value.copy(out, at + 8);
    } else {
      out.writeUInt32LE(start + dataOffset, at + 8);
      e.value.copy(out, dataOffset);
      dataOffset += e.value.length + (e.value.length % 2);
    }
  });
  return out; // next-IFD offset stays 0
}

/** The APP1 payload: "Exif\0\0" + TIFF header + IFD0 (+ Exif IFD, + GPS IFD). */
export function buildExifPayload(info: ExifInfo): Buffer {
  const exifIfd = [
    ascii(0x9003, info.dateTimeOriginal),
    ascii(0x9004, info.dateTimeOriginal),
    ascii(0x9011, info.offsetTimeOriginal),
    long(0xa002, info.width),
    long(0xa003, info.height),
  ];
  const gpsIfd = info.gps
    ? [
        { tag: 0x0000, type: BYTE, count: 4, value: Buffer.from([2, 2, 0, 0]) },
        ascii(0x0001, info.gps.latitude >= 0 ? 'N' : 'S'),
        rationals(0x0002, degreesMinutesSeconds(info.gps.latitude)),
        ascii(0x0003, info.gps.longitude >= 0 ? 'E' : 'W'),
        rationals(0x0004, degreesMinutesSeconds(info.gps.longitude)),
      ]
    : null;
  const ifd0 = [
    ascii(0x010f, info.make),
    ascii(0x0110, info.model),
    short(0x0112, 1),
    ascii(0x0131, info.software),
    ascii(0x0132, info.dateTimeOriginal),
    long(0x8769, 0),
    ...(gpsIfd ? [long(0x8825, 0)] : []),
  ];
  const ifd0Start = 8;
  const exifStart = ifd0Start + ifdSize(ifd0);
  const gpsStart = exifStart + ifdSize(exifIfd);
  ifd0.find((e) => e.tag === 0x8769)?.value.writeUInt32LE(exifStart);
  ifd0.find((e) => e.tag === 0x8825)?.value.writeUInt32LE(gpsStart);
  const tiffHeader = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]);
  return Buffer.concat([
    Buffer.from('Exif\0\0', 'latin1'),
    tiffHeader,
    serializeIfd(ifd0, ifd0Start),
    serializeIfd(exifIfd, exifStart),
    ...(gpsIfd ? [serializeIfd(gpsIfd, gpsStart)] : []),
  ]);
}

/** "2024-06-15T10:24:00-07:00" → { dateTimeOriginal: "2024:06:15 10:24:00", offsetTimeOriginal: "-07:00" }. */
export function exifLocalTime(isoWithOffset: string): {
  dateTimeOriginal: string;
  offsetTimeOriginal: string;
} {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})([+-]\d{2}:\d{2})$/.exec(isoWithOffset);
  if (!m) throw new Error(`need a local ISO time with offset: ${isoWithOffset}`);
  return { dateTimeOriginal: `${m[1]}:${m[2]}:${m[3]} ${m[4]}`, offsetTimeOriginal: m[5] };
}
