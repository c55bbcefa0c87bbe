/**
 * Minimal ISO base media files (QuickTime .MOV, MPEG-4 audio .m4a): ftyp + moov/mvhd (with the duration)
 * + a small mdat. Enough for tools that read the container and its duration; there is no playable track.
 */

/** Seconds between 1904-01-01 (QuickTime epoch) and 1970-01-01. */
const QUICKTIME_EPOCH_OFFSET = 2_082_844_800;

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

function movieHeader(createdUnix: number, timescale: number, durationSeconds: number): Buffer {
  const b = Buffer.alloc(100);
  const time = Math.floor(createdUnix) + QUICKTIME_EPOCH_OFFSET;
  b.writeUInt32BE(0, 0); // version 0, flags 0
  b.writeUInt32BE(time, 4);
  b.writeUInt32BE(time, 8);
  b.writeUInt32BE(timescale, 12);
  b.writeUInt32BE(Math.round(durationSeconds * timescale), 16);
  b.writeUInt32BE(0x00010000, 20); // rate 1.0
  b.writeUInt16BE(0x0100, 24); // volume 1.0
  // 10 reserved bytes at 26, then the unity matrix at 36
  const matrix = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];
  matrix.forEach((v, i) => b.writeUInt32BE(v, 36 + i * 4));
  // 24 bytes pre_defined at 72, next_track_ID at 96
  b.writeUInt32BE(1, 96);
  return box('mvhd', b);
}

export interface IsoMediaOptions {
  kind: 'quicktime' | 'm4a';
  createdUnix: number;
  durationSeconds: number;
  /** Bytes for the mdat box (defaults to a few zero bytes). */
  mediaData?: Buffer;
}

export function buildIsoMedia(options: IsoMediaOptions): Buffer {
  const ftyp =
    options.kind === 'quicktime'
      ? box(
          'ftyp',
          Buffer.from('qt  ', 'latin1'),
          Buffer.from([0, 0, 0, 0]),
          Buffer.from('qt  ', 'latin1'),
        )
      : box(
          'ftyp',
          Buffer.from('M4A ', 'latin1'),
          Buffer.from([0, 0, 0, 0]),
          Buffer.from('M4A mp42isom\0\0\0\0', 'latin1'),
        );
  const timescale = options.kind === 'quicktime' ? 600 : 44100;
  return Buffer.concat([
    ftyp,
    box('moov', movieHeader(options.createdUnix, timescale, options.durationSeconds)),
    box('mdat', options.mediaData ?? Buffer.alloc(16)),
  ]);
}
