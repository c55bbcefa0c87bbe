import { ProtoMessage } from '../notes/protobuf.js';

/**
 * Handwritten messages (balloon com.apple.Handwriting.HandwritingProvider): payload_data is a protobuf,
 * not an archive. Layout as imessage-exporter documents it (imessage-database message_types/handwriting/
 * handwriting.proto, models.rs): BaseMessage { 2 created (ms since 2001), 3 id, 4 Handwriting { 3 frame
 * (4 int16), 4 stroke count, 5 compression (1 none, 4 XZ), 6 decompressed length, 8 strokes } }; strokes
 * are [count uint16][count x (x, y, width, ?) int16], every int16 little-endian XOR 0x8000.
 */

export interface Handwriting {
  width: number;
  height: number;
  strokes: Array<Array<{ x: number; y: number; width: number }>>;
}

const MAX_POINTS = 200_000;

/** The drawing, or a reason it cannot be drawn. */
export function readHandwriting(payload: Buffer): Handwriting | { unreadable: string } {
  let hw: ProtoMessage | undefined;
  try {
    hw = new ProtoMessage(payload).message(4);
  } catch (e) {
    return { unreadable: `its data does not decode (${(e as Error).message})` };
  }
  if (!hw) return { unreadable: 'its data holds no drawing' };
  const compression = hw.int(5);
  if (compression === 4)
    return { unreadable: 'its strokes are XZ-compressed, which this version does not decode' };
  const data = hw.bytes(8);
  if (!data) return { unreadable: 'its data holds no strokes' };
  const coordinate = (at: number) => data.readUInt16LE(at) ^ 0x8000;
  const strokes: Handwriting['strokes'] = [];
  let points = 0;
  for (let at = 0; at < data.length;) {
    if (at + 2 > data.length) return { unreadable: 'its strokes are cut short' };
    const count = data.readUInt16LE(at);
    at += 2;
    if (at + count * 8 > data.length) return { unreadable: 'its strokes are cut short' };
    if ((points += count) > MAX_POINTS) return { unreadable: 'it has too many points' };
    const stroke = [];
    for (let i = 0; i < count; i++, at += 8)
      stroke.push({ x: coordinate(at), y: coordinate(at + 2), width: coordinate(at + 4) });
    strokes.push(stroke);
  }
  const frame = hw.bytes(3);
  const { maxX, maxY } = extent(strokes);
  return {
    width: frame?.length === 8 ? coordinate(4) : maxX,
    height: frame?.length === 8 ? coordinate(6) : maxY,
    strokes,
  };
}

/** The drawing as a self-contained SVG (no scripts, no links), black strokes on transparent. */
export function handwritingSvg(h: Handwriting): string {
  const { maxX, maxY, maxWidth } = extent(h.strokes);
  const scale = (v: number, to: number, max: number) => Math.round((v * to) / max);
  const w = Math.max(1, Math.min(h.width || maxX, 4000));
  const ht = Math.max(1, Math.min(h.height || maxY, 4000));
  const lines = h.strokes
    .filter((s) => s.length > 0)
    .map((s) => {
      const pts = s.map((p) => `${scale(p.x, w, maxX)},${scale(p.y, ht, maxY)}`).join(' ');
      const width = Math.max(1, scale(s.reduce((n, p) => n + p.width, 0) / s.length, 9, maxWidth));
      return `<polyline points="${pts}" stroke-width="${width}"/>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-5 -5 ${w + 10} ${ht + 10}" fill="none" stroke="currentColor" stroke-linecap="round" stroke-linejoin="round">${lines}</svg>`;
}

function extent(strokes: Handwriting['strokes']) {
  let maxX = 1,
    maxY = 1,
    maxWidth = 1;
  for (const s of strokes)
    for (const p of s) {
      if (p.x > maxX) maxX = p.x;
      if (p.y > maxY) maxY = p.y;
      if (p.width > maxWidth) maxWidth = p.width;
    }
  return { maxX, maxY, maxWidth };
}
