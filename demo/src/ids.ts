import { createHash } from 'node:crypto';

/** A stable, upper-case UUID derived from a label (name-based, SHA-1, like RFC 4122 version 5). */
export function demoUUID(label: string): string {
  const h = createHash('sha1').update(`reclaim-demo:${label}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The 16 raw bytes of demoUUID(label). */
export function demoUUIDBytes(label: string): Buffer {
  return Buffer.from(demoUUID(label).replace(/-/g, ''), 'hex');
}
