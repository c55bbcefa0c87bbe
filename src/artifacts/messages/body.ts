import type { TextStyle } from '../conversation.js';
import { decodeAttributedString, type AttributeRun } from './typedstream.js';

/**
 * What message.attributedBody says beyond its text: iOS 18 formatting and animated text effects, which
 * attachment is a Genmoji, and audio transcripts. Attribute names and effect ids as imessage-exporter
 * reads them (imessage-database tables/messages/body.rs get_text_effects, message_types/text_effects.rs).
 */

/** __kIMTextEffectAttributeName values (imessage-exporter text_effects.rs Animation::from_id). */
const EFFECTS: Record<number, string> = {
  4: 'ripple',
  5: 'big',
  6: 'bloom',
  8: 'nod',
  9: 'shake',
  10: 'jitter',
  11: 'small',
  12: 'explode',
};

const STYLE_KEYS = {
  __kIMTextBoldAttributeName: 'bold',
  __kIMTextItalicAttributeName: 'italic',
  __kIMTextUnderlineAttributeName: 'underline',
  __kIMTextStrikethroughAttributeName: 'strikethrough',
} as const;

/** Byte patterns worth decoding the attribute runs for (decoding every body's runs costs time). */
const MARKERS = ['__kIMText', '__kIMEmojiImage', 'IMAudioTranscription'].map((m) =>
  Buffer.from(m, 'latin1'),
);

export interface RichBody {
  /** The text as stored, U+FFFC placeholders included. */
  raw: string;
  /** Formatting in UTF-16 offsets of `raw`. */
  styles: TextStyle[];
  /** Attachment GUIDs shown inline as Genmoji. */
  genmoji: Set<string>;
  /** Audio transcripts by attachment GUID. */
  transcripts: Map<string, string>;
}

/** True when the body may hold formatting, Genmoji or transcripts. */
export function mayBeRich(body: Buffer): boolean {
  return MARKERS.some((m) => body.includes(m));
}

/** The formatting of a decoded body; null when it has none of interest or does not decode. */
export function richBody(body: Buffer): RichBody | null {
  let decoded;
  try {
    decoded = decodeAttributedString(body);
  } catch {
    return null;
  }
  if (!decoded) return null;
  return fromRuns(decoded.text, decoded.runs);
}

export function fromRuns(raw: string, runs: AttributeRun[]): RichBody {
  const styles: TextStyle[] = [];
  const genmoji = new Set<string>();
  const transcripts = new Map<string, string>();
  for (const run of runs) {
    const a = run.attributes;
    const guid =
      typeof a.__kIMFileTransferGUIDAttributeName === 'string'
        ? a.__kIMFileTransferGUIDAttributeName
        : null;
    if (guid && a.__kIMEmojiImageAttributeName !== undefined) genmoji.add(guid);
    if (guid && typeof a.IMAudioTranscription === 'string' && a.IMAudioTranscription.trim())
      transcripts.set(guid, a.IMAudioTranscription.trim());
    const style: TextStyle = { start: run.start, length: run.length };
    let styled = false;
    for (const [key, name] of Object.entries(STYLE_KEYS)) {
      if (a[key] !== undefined && a[key] !== 0) {
        style[name] = true;
        styled = true;
      }
    }
    const effect = a.__kIMTextEffectAttributeName;
    if (typeof effect === 'number') {
      style.effect = EFFECTS[effect] ?? `effect ${effect}`;
      styled = true;
    }
    if (!styled || run.length <= 0) continue;
    const last = styles[styles.length - 1];
    if (last && last.start + last.length === style.start && sameLook(last, style))
      last.length += style.length;
    else styles.push(style);
  }
  return { raw, styles, genmoji, transcripts };
}

function sameLook(a: TextStyle, b: TextStyle): boolean {
  return (
    !!a.bold === !!b.bold &&
    !!a.italic === !!b.italic &&
    !!a.underline === !!b.underline &&
    !!a.strikethrough === !!b.strikethrough &&
    a.effect === b.effect
  );
}

/**
 * Styles of `raw` moved onto the slice [from, to) with its U+FFFC placeholders taken out (the text a
 * message or one of its parts shows). Empty when none fall inside.
 */
export function stylesWithin(
  styles: TextStyle[],
  raw: string,
  from = 0,
  to = raw.length,
): TextStyle[] {
  // Offset in the cleaned slice of each raw position.
  const shift: number[] = new Array(to - from + 1);
  let kept = 0;
  for (let i = from; i <= to; i++) {
    shift[i - from] = kept;
    if (i < to && raw.charCodeAt(i) !== 0xfffc) kept++;
  }
  const out: TextStyle[] = [];
  for (const s of styles) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.start + s.length, to);
    if (end <= start) continue;
    const a = shift[start - from]!;
    const b = shift[end - from]!;
    if (b <= a) continue;
    const { start: _s, length: _l, ...look } = s;
    out.push({ start: a, length: b - a, ...look });
  }
  return out;
}
