import type { TextStyle } from '../conversation.js';
import type { Row } from '../database.js';
import { stylesWithin } from './body.js';
import { attributedBodyText, decodeAttributedString } from './typedstream.js';

/** Where an attachment's filename ("~/Library/SMS/Attachments/..", "/var/mobile/Library/SMS/...") is in a backup. */
export function attachmentLocation(
  filename: string | null,
  domain: string,
): { domain: string; relativePath: string } | null {
  if (!filename) return null;
  const m = /(?:^|\/)(Library\/SMS\/.+)$/.exec(filename.replace(/^~\//, ''));
  return m ? { domain, relativePath: m[1]! } : null;
}

/** The guid a tapback points at: "p:0/GUID", "bp:GUID" or a bare GUID. */
export function tapbackTarget(associated: string): string {
  const m = /^(?:p:\d+\/|bp:)(.+)$/.exec(associated);
  return m ? m[1]! : associated;
}

/** Message text without the U+FFFC placeholders that stand for attachments; null when nothing is left. */
export function cleanText(text: string | null): string | null {
  if (text === null) return null;
  const cleaned = text.replace(/\ufffc/g, '');
  return cleaned.trim() === '' ? null : cleaned;
}

export type MessagePart = { text: string; styles?: TextStyle[] } | { attachment: number };

/**
 * Text and attachments in their order in the message, from the U+FFFC placeholders of the text (the
 * attachment GUIDs of the attributedBody runs say which is which; else the join order). Null when the
 * order is simply text first, then attachments. Text parts carry the formatting that falls in them.
 */
export function messageParts(
  raw: string,
  attachments: Row[],
  attributedBody: unknown,
  styles: TextStyle[] = [],
): MessagePart[] | null {
  if (attachments.length === 0 || !raw.includes('\ufffc')) return null;
  const segments = raw.split('\ufffc');
  if (!segments.slice(1).some((seg) => seg.trim() !== '')) return null;
  let order = attachments.map((_, i) => i);
  if (Buffer.isBuffer(attributedBody)) {
    try {
      const runs = decodeAttributedString(attributedBody)?.runs ?? [];
      const guids = runs
        .map((run) => run.attributes.__kIMFileTransferGUIDAttributeName)
        .filter((g): g is string => typeof g === 'string');
      const byGuid = guids.map((g) => attachments.findIndex((a) => a.guid === g));
      if (byGuid.length === segments.length - 1 && byGuid.every((i) => i >= 0)) order = byGuid;
    } catch {
      // keep the join order
    }
  }
  const parts: MessagePart[] = [];
  const used = new Set<number>();
  let offset = 0;
  segments.forEach((seg, i) => {
    if (seg.trim() !== '') {
      const within = stylesWithin(styles, raw, offset, offset + seg.length);
      parts.push(within.length ? { text: seg, styles: within } : { text: seg });
    }
    offset += seg.length + 1;
    const index = order[i];
    if (
      i < segments.length - 1 &&
      index !== undefined &&
      index < attachments.length &&
      !used.has(index)
    ) {
      parts.push({ attachment: index });
      used.add(index);
    }
  });
  for (let i = 0; i < attachments.length; i++) if (!used.has(i)) parts.push({ attachment: i });
  return parts;
}

/**
 * The text of a recoverable_message_part blob: an archived attributed string, or plain UTF-8 text.
 * Anything else is damage, never passed off as text.
 */
export function partText(raw: Buffer, onDamaged: () => void): string | null {
  let damaged = false;
  const archived = attributedBodyText(raw, () => {
    damaged = true;
  });
  if (archived !== null) return archived;
  if (!damaged || raw[0] !== 0x04) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      /* not text either */
    }
  }
  onDamaged();
  return null;
}
