import { gunzipSync } from 'node:zlib';
import type { NoteParagraph, NoteParagraphStyle, NoteRun } from './model.js';
import { ProtoMessage } from './protobuf.js';

/**
 * The Apple Notes document (ZICNOTEDATA.ZDATA, gzipped): NoteStoreProto { 2: Document { 3: Note } },
 * Note { 2: note_text, 5: repeated AttributeRun }. An AttributeRun covers `length` UTF-16 code units:
 *   1 length, 2 ParagraphStyle { 1 style_type, 4 indent_amount, 5 Checklist { 1 uuid, 2 done }, 8 block_quote },
 *   3 Font, 5 font_weight (1 bold, 2 italic, 3 both), 6 underlined, 7 strikethrough, 8 superscript,
 *   9 link, 10 color, 12 AttachmentInfo { 1 identifier, 2 type_uti }, 13 timestamp.
 * style_type: 0 title, 1 heading, 2 subheading, 4 monospaced, 100 bulleted (dotted), 101 dashed,
 * 102 numbered, 103 checklist; no style_type = body.
 */

const STYLE_TYPES: Record<number, NoteParagraphStyle> = {
  0: 'title',
  1: 'heading',
  2: 'subheading',
  4: 'monospaced',
  100: 'bulleted',
  101: 'dashed',
  102: 'numbered',
  103: 'checklist',
};

export const ATTACHMENT_CHAR = '\ufffc';

/** Far above any real note body (text and formatting; attachments are stored apart). */
export const MAX_NOTE_BODY_BYTES = 64 << 20;

/** Inflates a gzipped body, stopping (and throwing) past MAX_NOTE_BODY_BYTES: memory stays bounded. */
export function gunzipIfNeeded(data: Buffer): Buffer {
  if (data.length < 2 || data[0] !== 0x1f || data[1] !== 0x8b) return data;
  try {
    return gunzipSync(data, { maxOutputLength: MAX_NOTE_BODY_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Error(
        `it inflates past ${MAX_NOTE_BODY_BYTES >> 20} MiB, far beyond any real note (a compression bomb?)`,
      );
    throw new Error(`its compressed data is damaged (${(error as Error).message})`);
  }
}

/** Decodes a gzipped (or raw) NoteStoreProto into paragraphs. Throws on data that is not a note document. */
export function decodeNoteDocument(data: Buffer): { text: string; paragraphs: NoteParagraph[] } {
  const root = new ProtoMessage(gunzipIfNeeded(data));
  const note = root.message(2)?.message(3);
  if (!note || !note.has(2)) throw new Error('not a note document (no note text)');
  return decodeNoteMessage(note);
}

interface Segment {
  run: NoteRun;
  style: ProtoMessage | undefined;
}

/** A Note message (the note body, or one table cell) into paragraphs. */
export function decodeNoteMessage(note: ProtoMessage): {
  text: string;
  paragraphs: NoteParagraph[];
} {
  const text = note.string(2) ?? '';
  const paragraphs: NoteParagraph[] = [];
  let current: Segment[] = [];
  let paragraphStyle: ProtoMessage | undefined;
  let pos = 0;

  const flush = (): void => {
    paragraphs.push(makeParagraph(current, paragraphStyle));
    current = [];
    paragraphStyle = undefined;
  };
  const push = (piece: string, run: ProtoMessage | null): void => {
    const style = run?.message(2);
    // The paragraph's style is carried by its runs; the run holding the "\n" is authoritative.
    const parts = piece.split('\n');
    parts.forEach((part, i) => {
      if (part) {
        current.push({ run: runFrom(part, run), style });
        paragraphStyle ??= style;
      }
      if (i < parts.length - 1) {
        if (style) paragraphStyle = style;
        flush();
      }
    });
  };

  for (const run of note.messages(5)) {
    const length = run.int(1) ?? 0;
    if (length <= 0 || pos >= text.length) continue;
    push(text.slice(pos, pos + length), run);
    pos += length;
  }
  if (pos < text.length) push(text.slice(pos), null);
  if (current.length > 0 || paragraphs.length === 0 || !text.endsWith('\n')) flush();
  return { text: text.replace(new RegExp(ATTACHMENT_CHAR, 'g'), ''), paragraphs };
}

function runFrom(text: string, run: ProtoMessage | null): NoteRun {
  const out: NoteRun = { text };
  if (!run) return out;
  const weight = run.int(5) ?? 0;
  if (weight === 1 || weight === 3) out.bold = true;
  if (weight === 2 || weight === 3) out.italic = true;
  if ((run.int(6) ?? 0) !== 0) out.underline = true;
  if ((run.int(7) ?? 0) !== 0) out.strikethrough = true;
  const sup = run.int(8) ?? 0;
  if (sup !== 0) out.superscript = sup;
  const link = run.string(9);
  if (link) out.link = link;
  const attachment = run.message(12);
  if (attachment) {
    const id = attachment.string(1);
    if (id) out.attachmentId = id;
    const uti = attachment.string(2);
    if (uti) out.attachmentUti = uti;
  }
  return out;
}

function makeParagraph(segments: Segment[], style: ProtoMessage | undefined): NoteParagraph {
  const styleType = style?.int(1);
  const paragraph: NoteParagraph = {
    style: styleType === undefined ? 'body' : (STYLE_TYPES[styleType] ?? 'body'),
    indent: Math.max(0, style?.int(4) ?? 0),
    runs: mergeRuns(segments.map((s) => s.run)),
  };
  if (paragraph.style === 'checklist') paragraph.done = (style?.message(5)?.int(2) ?? 0) !== 0;
  if ((style?.int(8) ?? 0) !== 0) paragraph.blockQuote = true;
  return paragraph;
}

/** Joins neighbouring runs with the same formatting (a run split by the timestamp field, say). */
function mergeRuns(runs: NoteRun[]): NoteRun[] {
  const out: NoteRun[] = [];
  for (const run of runs) {
    const prev = out.at(-1);
    if (prev && !prev.attachmentId && !run.attachmentId && sameFormat(prev, run))
      prev.text += run.text;
    else out.push({ ...run });
  }
  return out;
}

function sameFormat(a: NoteRun, b: NoteRun): boolean {
  return (
    !!a.bold === !!b.bold &&
    !!a.italic === !!b.italic &&
    !!a.underline === !!b.underline &&
    !!a.strikethrough === !!b.strikethrough &&
    (a.superscript ?? 0) === (b.superscript ?? 0) &&
    a.link === b.link
  );
}

/** Plain text of paragraphs (attachments left out). */
export function paragraphsText(paragraphs: readonly NoteParagraph[]): string {
  return paragraphs
    .map((p) =>
      p.runs
        .filter((r) => !r.attachmentId)
        .map((r) => r.text)
        .join(''),
    )
    .join('\n');
}
