/**
 * What a file is from its first bytes (magic numbers), for attachments stored without an extension
 * (imessage-exporter #296: backup attachments with no extension never open). Formats and signatures:
 * JPEG FF D8 FF; PNG 89 50 4E 47; GIF "GIF8"; WebP "RIFF....WEBP"; TIFF "II*\0"/"MM\0*"; ISO media
 * "....ftyp" + brand; Core Audio "caff"; AMR "#!AMR"; Ogg "OggS"; MP3 "ID3"; WAV "RIFF....WAVE";
 * PDF "%PDF"; vCard "BEGIN:VCARD"; ZIP "PK\3\4"; bplist "bplist".
 */
export interface FileType {
  extension: string;
  mimeType: string;
}

/** Bytes sniffFileType needs. */
export const SNIFF_BYTES = 64;

const BRANDS: Record<string, FileType> = {
  heic: { extension: '.heic', mimeType: 'image/heic' },
  heix: { extension: '.heic', mimeType: 'image/heic' },
  hevc: { extension: '.heic', mimeType: 'image/heic' },
  heim: { extension: '.heic', mimeType: 'image/heic' },
  heis: { extension: '.heic', mimeType: 'image/heic' },
  mif1: { extension: '.heif', mimeType: 'image/heif' },
  msf1: { extension: '.heif', mimeType: 'image/heif' },
  avif: { extension: '.avif', mimeType: 'image/avif' },
  'qt  ': { extension: '.mov', mimeType: 'video/quicktime' },
  isom: { extension: '.mp4', mimeType: 'video/mp4' },
  iso2: { extension: '.mp4', mimeType: 'video/mp4' },
  mp41: { extension: '.mp4', mimeType: 'video/mp4' },
  mp42: { extension: '.mp4', mimeType: 'video/mp4' },
  'M4V ': { extension: '.m4v', mimeType: 'video/x-m4v' },
  'M4A ': { extension: '.m4a', mimeType: 'audio/mp4' },
  '3gp4': { extension: '.3gp', mimeType: 'video/3gpp' },
  '3gp5': { extension: '.3gp', mimeType: 'video/3gpp' },
};

export function sniffFileType(head: Buffer): FileType | null {
  const ascii = (from: number, to: number) =>
    head.length >= to ? head.toString('latin1', from, to) : '';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
    return { extension: '.jpg', mimeType: 'image/jpeg' };
  if (head.length >= 4 && head.readUInt32BE(0) === 0x89504e47)
    return { extension: '.png', mimeType: 'image/png' };
  if (ascii(0, 4) === 'GIF8') return { extension: '.gif', mimeType: 'image/gif' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP')
    return { extension: '.webp', mimeType: 'image/webp' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE')
    return { extension: '.wav', mimeType: 'audio/wav' };
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*')
    return { extension: '.tiff', mimeType: 'image/tiff' };
  if (ascii(4, 8) === 'ftyp') return BRANDS[ascii(8, 12)] ?? null;
  if (['moov', 'mdat', 'wide'].includes(ascii(4, 8)))
    return { extension: '.mov', mimeType: 'video/quicktime' };
  if (ascii(0, 4) === 'caff') return { extension: '.caf', mimeType: 'audio/x-caf' };
  if (ascii(0, 5) === '#!AMR') return { extension: '.amr', mimeType: 'audio/amr' };
  if (ascii(0, 4) === 'OggS') return { extension: '.ogg', mimeType: 'audio/ogg' };
  if (ascii(0, 3) === 'ID3') return { extension: '.mp3', mimeType: 'audio/mpeg' };
  if (ascii(0, 4) === '%PDF') return { extension: '.pdf', mimeType: 'application/pdf' };
  if (/^\s*BEGIN:VCARD/i.test(ascii(0, Math.min(head.length, 32))))
    return { extension: '.vcf', mimeType: 'text/vcard' };
  if (ascii(0, 4) === 'PK\u0003\u0004') return { extension: '.zip', mimeType: 'application/zip' };
  if (ascii(0, 6) === 'bplist') return { extension: '.plist', mimeType: 'application/x-bplist' };
  return null;
}

/** True when a file name has no extension of its own ("IMG_0001", "Audio Message"). */
export function lacksExtension(name: string): boolean {
  return !/\.[A-Za-z0-9]{1,5}$/.test(name);
}

/** What UTIs of iOS attachments stand for, when mime_type is NULL (audio messages are CAF with no MIME type). */
export const MIME_FOR_UTI: Readonly<Record<string, FileType>> = {
  'com.apple.coreaudio-format': { extension: '.caf', mimeType: 'audio/x-caf' },
  'org.3gpp.adaptive-multi-rate-audio': { extension: '.amr', mimeType: 'audio/amr' },
  'public.amr-audio': { extension: '.amr', mimeType: 'audio/amr' },
  'com.apple.m4a-audio': { extension: '.m4a', mimeType: 'audio/mp4' },
  'public.jpeg': { extension: '.jpg', mimeType: 'image/jpeg' },
  'public.png': { extension: '.png', mimeType: 'image/png' },
  'public.heic': { extension: '.heic', mimeType: 'image/heic' },
  'com.apple.quicktime-movie': { extension: '.mov', mimeType: 'video/quicktime' },
  'public.mpeg-4': { extension: '.mp4', mimeType: 'video/mp4' },
};
