/** What a media file's first bytes say it is, whatever its name says (a JPEG named .PNG is a JPEG). */
export interface MediaType {
  /** The extension its bytes call for, with the dot. */
  ext: string;
  kind: 'photo' | 'video';
  uti: string;
}

const ISO_BRANDS: Record<string, MediaType> = {
  heic: { ext: '.heic', kind: 'photo', uti: 'public.heic' },
  heix: { ext: '.heic', kind: 'photo', uti: 'public.heic' },
  hevc: { ext: '.heic', kind: 'photo', uti: 'public.heic' },
  heim: { ext: '.heic', kind: 'photo', uti: 'public.heic' },
  heis: { ext: '.heic', kind: 'photo', uti: 'public.heic' },
  mif1: { ext: '.heif', kind: 'photo', uti: 'public.heif' },
  msf1: { ext: '.heif', kind: 'photo', uti: 'public.heif' },
  avif: { ext: '.avif', kind: 'photo', uti: 'public.avif' },
  'qt  ': { ext: '.mov', kind: 'video', uti: 'com.apple.quicktime-movie' },
  isom: { ext: '.mp4', kind: 'video', uti: 'public.mpeg-4' },
  iso2: { ext: '.mp4', kind: 'video', uti: 'public.mpeg-4' },
  mp41: { ext: '.mp4', kind: 'video', uti: 'public.mpeg-4' },
  mp42: { ext: '.mp4', kind: 'video', uti: 'public.mpeg-4' },
  'M4V ': { ext: '.m4v', kind: 'video', uti: 'com.apple.m4v-video' },
  '3gp4': { ext: '.3gp', kind: 'video', uti: 'public.3gpp' },
  '3gp5': { ext: '.3gp', kind: 'video', uti: 'public.3gpp' },
};

export function sniffMedia(head: Buffer): MediaType | null {
  if (head.length < 12) return null;
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
    return { ext: '.jpg', kind: 'photo', uti: 'public.jpeg' };
  if (head.readUInt32BE(0) === 0x89504e47) return { ext: '.png', kind: 'photo', uti: 'public.png' };
  if (head.toString('latin1', 0, 4) === 'GIF8')
    return { ext: '.gif', kind: 'photo', uti: 'com.compuserve.gif' };
  if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP')
    return { ext: '.webp', kind: 'photo', uti: 'org.webmproject.webp' };
  const tiff = head.toString('latin1', 0, 4);
  if (tiff === 'II*\0' || tiff === 'MM\0*')
    return { ext: '.tiff', kind: 'photo', uti: 'public.tiff' };
  const box = head.toString('latin1', 4, 8);
  if (box === 'ftyp') return ISO_BRANDS[head.toString('latin1', 8, 12)] ?? null;
  if (['moov', 'mdat', 'wide', 'free', 'skip'].includes(box))
    return { ext: '.mov', kind: 'video', uti: 'com.apple.quicktime-movie' };
  return null;
}

/** Extensions that name the same kind of bytes (TIFF-based raw formats included). */
const FAMILIES = [
  ['.jpg', '.jpeg', '.jpe'],
  ['.heic', '.heif', '.hif'],
  ['.tif', '.tiff', '.dng', '.nef', '.cr2', '.arw', '.orf', '.rw2'],
  ['.mov', '.qt', '.mp4', '.m4v', '.3gp'],
  ['.png'],
  ['.gif'],
  ['.webp'],
  ['.avif'],
];

/** The extension to export under: the sniffed one when the name's own says another kind of file. */
export function rightExtension(name: string, type: MediaType | null): string | null {
  if (!type) return null;
  const dot = name.lastIndexOf('.');
  const own = dot >= 0 ? name.slice(dot).toLowerCase() : '';
  const family = FAMILIES.find((f) => f.includes(type.ext));
  return family?.includes(own) ? null : type.ext;
}

export const MEDIA_NAME =
  /\.(jpe?g|heic|heif|hif|png|gif|tiff?|dng|webp|avif|bmp|mov|mp4|m4v|3gp)$/i;
