import { ProtoMessage } from '../notes/protobuf.js';

/**
 * WhatsApp's protobuf blobs in ChatStorage.sqlite, read with a bounded wire-format reader (no schema).
 * Field numbers as IPED reads them (sepinf-inc/IPED iped-parsers whatsapp/ExtractorIOS.java:
 * decodeReceiptInfo, findQuotedMessages, decodeCallDuration) and as checked in the real iOS-15-era
 * ChatStorage.sqlite of ../shared/fixtures (where the quoted sender is field 3, IPED reads 6: both are
 * accepted). Lengths are varints: quoted ids of any length parse (WhatsApp-Chat-Exporter #218 broke on a
 * fixed 0x2A 0x14 prefix).
 */

export interface WaReaction {
  /** The reactor's JID; null for the owner (field 7.2, which has no JID). */
  from: string | null;
  emoji: string;
  date: Date | null;
}

export interface WaPoll {
  question: string | null;
  options: string[];
}

export interface WaQuote {
  /** ZSTANZAID of the quoted message. */
  stanzaId: string;
  /** Who wrote it; null when absent, which means the owner. */
  sender: string | null;
  /** The copy of its text the reply keeps (19.1), or its media caption (19.3.3). */
  text: string | null;
}

const parse = (data: Buffer): ProtoMessage | null => {
  try {
    return new ProtoMessage(data);
  } catch {
    return null;
  }
};

/** A timestamp as WhatsApp stores it here: Unix milliseconds, as a varint or as decimal text. */
function millis(m: ProtoMessage, field: number): Date | null {
  const n = m.int(field) ?? Number(m.string(field));
  if (!Number.isFinite(n) || n <= 0) return null;
  const d = new Date(n);
  return Number.isNaN(d.getTime()) ? null : d;
}

const text = (v: string | undefined) => (v && v.trim() ? v : null);

/** ZWAMESSAGEINFO.ZRECEIPTINFO: reactions (field 7) and a poll (field 8). Null when it does not decode. */
export function readReceiptInfo(
  data: Buffer,
): { reactions: WaReaction[]; poll: WaPoll | null } | null {
  const root = parse(data);
  if (!root) return null;
  try {
    const reactions: WaReaction[] = [];
    for (const block of root.messages(7)) {
      for (const r of block.messages(1)) {
        const emoji = text(r.string(3));
        if (emoji) reactions.push({ from: text(r.string(2)), emoji, date: millis(r, 4) });
      }
      for (const r of block.messages(2)) {
        const emoji = text(r.string(2));
        if (emoji) reactions.push({ from: null, emoji, date: millis(r, 3) });
      }
    }
    let poll: WaPoll | null = null;
    const p = root.message(8);
    if (p) {
      poll = {
        question: text(p.string(2)),
        options: p
          .messages(3)
          .map((o) => text(o.string(1)))
          .filter((o): o is string => o !== null),
      };
    }
    return { reactions, poll };
  } catch {
    return null;
  }
}

/** ZWAMEDIAITEM.ZMETADATA of a reply: the quoted message's id, sender and kept copy. */
export function readQuote(data: Buffer): WaQuote | null {
  const root = parse(data);
  if (!root) return null;
  try {
    const stanzaId = text(root.string(5));
    if (!stanzaId) return null;
    const jid = (field: number) => {
      const v = text(root.string(field));
      return v && /@/.test(v) ? v : null;
    };
    const content = root.message(19);
    const quoted = content
      ? (text(content.string(1)) ?? text(content.message(3)?.string(3)) ?? null)
      : null;
    return { stanzaId, sender: jid(6) ?? jid(3), text: quoted };
  } catch {
    return null;
  }
}

/** A call message's length in seconds (ZMETADATA 87.1.3, decimal text); 0 or absent: not answered. */
export function readCallSeconds(data: Buffer): number | null {
  const root = parse(data);
  if (!root) return null;
  try {
    const s = root.message(87)?.message(1)?.string(3);
    if (s === undefined) return null;
    const n = Number(s);
    return Number.isFinite(n) && n >= 0 ? n : null;
  } catch {
    return null;
  }
}
