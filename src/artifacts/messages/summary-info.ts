import { readBinaryPlist } from '../../backup/bplist-reader.js';
import { fromAppleTime } from '../apple-time.js';
import { attributedBodyText } from './typedstream.js';

/** One version of an edited message part. */
export interface EditVersion {
  text: string | null;
  date: Date | null;
}

/** What message.message_summary_info (a binary plist, iOS 16+) says about edits and unsends. */
export interface SummaryInfo {
  /** Versions of each edited part, oldest first ("ec": { "0": [{ t: typedstream, d: seconds since 2001 }, ...] }). */
  editedParts: Map<number, EditVersion[]>;
  /** Parts the sender unsent ("rp"). */
  retractedParts: number[];
  /**
   * A translation the phone made (iOS 26): keys translationLanguage and translatedText, which
   * imessage-exporter's message.rs has_translation() looks for; the text may be plain or archived.
   */
  translation: { language: string | null; text: string } | null;
}

const MAX_VERSIONS = 1000;

/** Parses message_summary_info; null when absent or unreadable. */
export function parseSummaryInfo(data: unknown): SummaryInfo | null {
  if (
    !Buffer.isBuffer(data) ||
    data.length < 8 ||
    data.subarray(0, 6).toString('latin1') !== 'bplist'
  )
    return null;
  let root: unknown;
  try {
    root = readBinaryPlist(data);
  } catch {
    return null;
  }
  if (!root || typeof root !== 'object') return null;
  const dict = root as Record<string, unknown>;
  const editedParts = new Map<number, EditVersion[]>();
  const ec = dict.ec;
  // iOS keeps a handful of versions; a hostile plist could share one list thousands of times.
  let versionsLeft = MAX_VERSIONS;
  if (ec && typeof ec === 'object' && !Array.isArray(ec)) {
    for (const [part, versions] of Object.entries(ec as Record<string, unknown>)) {
      if (!Array.isArray(versions) || versionsLeft <= 0) continue;
      const kept = versions.slice(0, versionsLeft);
      versionsLeft -= kept.length;
      editedParts.set(
        Number(part),
        kept.map((v) => {
          const version = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
          const t = version.t;
          const text = Buffer.isBuffer(t)
            ? attributedBodyText(t)
            : typeof t === 'string'
              ? t
              : null;
          return { text, date: typeof version.d === 'number' ? fromAppleTime(version.d) : null };
        }),
      );
    }
  }
  const rp = dict.rp;
  const retractedParts = Array.isArray(rp)
    ? rp.filter((x): x is number => typeof x === 'number')
    : [];
  const translated = dict.translatedText;
  const translatedText = Buffer.isBuffer(translated)
    ? attributedBodyText(translated)
    : typeof translated === 'string'
      ? translated
      : null;
  const language = typeof dict.translationLanguage === 'string' ? dict.translationLanguage : null;
  const translation = translatedText?.trim() ? { language, text: translatedText } : null;
  return { editedParts, retractedParts, translation };
}
