/** Helpers that read any item of any data type without knowing its type in advance. */
import type { RecoveredMark } from '../../src/artifacts/artifact.js';
import type { PhotoAsset, PhotoFile } from '../../src/artifacts/photos/model.js';
import type { Wire } from '../../src/server/api-types.js';
import { signedUrl } from './api.js';
import { formatTime } from './time.js';

/** An item as a plain JSON object, for the code that shows any data type's fields. */
export type Fields = Readonly<Record<string, unknown>>;

/** Something that points at a file of the backup (a photo's file, an attachment, a recording...). */
export interface FileRef {
  domain: string;
  relativePath: string;
  fileName?: string;
  mimeType?: string | null;
  present?: boolean;
}

export const isObject = (v: unknown): v is Fields =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every {domain, relativePath} the item points at (its own file, attachments...), nearest first. */
export function fileRefs(item: unknown, depth = 0, out: FileRef[] = []): FileRef[] {
  if (depth > 3 || item === null || typeof item !== 'object') return out;
  if (Array.isArray(item)) {
    for (const v of item.slice(0, 50)) fileRefs(v, depth + 1, out);
    return out;
  }
  const o = item as Fields;
  if (typeof o.domain === 'string' && typeof o.relativePath === 'string' && o.present !== false)
    out.push(o as unknown as FileRef);
  for (const [key, value] of Object.entries(o)) {
    if (key === 'messages') continue;
    if (typeof value === 'object' && value !== null) fileRefs(value, depth + 1, out);
  }
  return out;
}

export const extOf = (path: string) => (path.match(/\.([a-z0-9]+)$/i)?.[1] ?? '').toLowerCase();
const IMAGE = new Set(['jpg', 'jpeg', 'png', 'gif', 'heic', 'heif', 'webp', 'bmp', 'tif', 'tiff']);
const VIDEO = new Set(['mov', 'mp4', 'm4v', '3gp']);
const AUDIO = new Set(['m4a', 'mp3', 'aac', 'amr', 'caf', 'wav', 'opus', 'ogg']);

export function mediaKind(ref: {
  relativePath: string;
  mimeType?: string | null;
  fileName?: string;
}): 'image' | 'video' | 'audio' | 'file' {
  const mime = ref.mimeType ?? '';
  const ext = extOf(ref.fileName || ref.relativePath) || extOf(ref.relativePath);
  if (mime.startsWith('image/') || IMAGE.has(ext)) return 'image';
  if (mime.startsWith('video/') || VIDEO.has(ext)) return 'video';
  if (mime.startsWith('audio/') || AUDIO.has(ext)) return 'audio';
  return 'file';
}

export function mediaUrl(backup: string, ref: FileRef, display = true): string {
  const q = new URLSearchParams({ domain: ref.domain, path: ref.relativePath });
  if (display) q.set('display', '1');
  return signedUrl(`/api/backups/${backup}/media?${q}`);
}

export function downloadUrl(backup: string, domain: string, path: string): string {
  return signedUrl(`/api/backups/${backup}/file?${new URLSearchParams({ domain, path })}`);
}

/** The grid picture of photo number `index` (made on the server, a few kilobytes). */
export const thumbUrl = (backup: string, index: number) =>
  signedUrl(`/api/backups/${backup}/photos/${index}/thumb`);

export const recoveredOf = (item: unknown): RecoveredMark | null =>
  isObject(item) && isObject(item.recovered) ? (item.recovered as unknown as RecoveredMark) : null;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return ISO.test(value) ? formatDate(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return value.join(', ');
    return value.map((v) => (isObject(v) ? summary(v) : formatValue(v))).join('; ');
  }
  if (isObject(value)) {
    if ('$bytes' in value) return `${value.$bytes} bytes`;
    return summary(value);
  }
  return String(value);
}

function summary(o: Fields): string {
  if ('value' in o && 'label' in o)
    return `${o.label ? `${o.label}: ` : ''}${formatValue(o.value)}`;
  if (typeof o.title === 'string' && o.title) return o.title;
  if (typeof o.name === 'string' && o.name) return o.name;
  const parts = Object.entries(o)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .slice(0, 3);
  return parts.map(([k, v]) => `${k}: ${formatValue(v)}`).join(', ');
}

/** A date and time in the person's own time zone. */
export const formatDate = (value: string | null | undefined): string => formatTime(value);

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** Columns worth showing: the view's own choice, else scalar fields the items have, in their order. */
export function columnsFor(
  items: readonly Fields[],
  max = 7,
  preferred?: readonly string[],
): string[] {
  if (preferred) {
    const present = preferred.filter((k) =>
      items.some((i) => i[k] !== undefined && i[k] !== null && i[k] !== ''),
    );
    if (present.length >= 2) return present;
  }
  const seen = new Map<string, number>();
  for (const item of items.slice(0, 200)) {
    for (const [key, value] of Object.entries(item)) {
      if (key === 'recovered' || key === 'id' || key === 'messages') continue;
      if (value === null || value === undefined || value === '') continue;
      if (isObject(value) && !('$bytes' in value)) continue;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  return [...seen]
    .filter(([, n]) => n > 0)
    .slice(0, max)
    .map(([k]) => k);
}

/** A cell: durations as m:ss, dates readable, the rest as text. */
export function formatCell(key: string, value: unknown): string {
  if (typeof value === 'number' && /seconds$/i.test(key)) {
    const total = Math.round(value);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const sec = String(total % 60).padStart(2, '0');
    return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
  }
  if (typeof value === 'boolean') return value ? 'yes' : '';
  return formatValue(value);
}

export const label = (key: string) =>
  key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/** A one-line title for an item of any kind. */
export function titleOf(item: Fields): string {
  for (const key of [
    'title',
    'name',
    'displayName',
    'fullName',
    'fileName',
    'filename',
    'summary',
    'subject',
    'url',
    'handle',
    'address',
    'number',
    'phoneNumber',
  ]) {
    const v = item[key];
    if (typeof v === 'string' && v.trim()) return v;
  }
  const first = [item.firstName, item.lastName].filter(Boolean).join(' ');
  if (first) return first;
  if (typeof item.organization === 'string' && item.organization) return item.organization;
  return typeof item.id === 'string' || typeof item.id === 'number' ? `#${item.id}` : 'Untitled';
}

const ROLE_ORDER = ['original', 'edited', 'lower-resolution', 'live-video', 'edited-live-video'];
const rank = (role: string) => {
  const i = ROLE_ORDER.indexOf(role);
  return i < 0 ? 99 : i;
};

/** The file to show for a photo: the original, else the edited render, else a lower-resolution copy. */
export function photoFile(item: Wire<PhotoAsset>): Wire<PhotoFile> | undefined {
  return [...item.files].sort((a, b) => rank(a.role) - rank(b.role))[0];
}
