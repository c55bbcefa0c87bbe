import { gzipSync } from 'node:zlib';
import { demoUUIDBytes } from './ids.js';
import { encodeMessage, type ProtoField } from './protobuf.js';

/**
 * The Apple Notes document that ZICNOTEDATA.ZDATA holds: a gzipped protobuf, laid out as in real iOS 17 notes
 * (checked by decoding ios17-NoteStore.sqlite) and as apple_cloud_notes_parser's notestore.proto names it:
 *   NoteStoreProto { 2: Document { 2: version, 3: Note { 2: note_text, 3: substrings (CRDT topology),
 *   4: version vector, 5: repeated AttributeRun { 1: length, 2: ParagraphStyle { 1: style_type,
 *   5: Checklist { 1: uuid, 2: done } }, 5: font_weight, 13: timestamp } } } }
 * Run lengths count UTF-16 code units, as NSString does. style_type: 0 title, 1 heading, 2 subheading,
 * 4 monospaced, 100 bulleted, 101 dashed, 102 numbered, 103 checklist; body paragraphs carry no style_type;
 * ParagraphStyle 4 = indent_amount. AttributeRun 5 font_weight (1 bold, 2 italic, 3 both), 6 underlined,
 * 7 strikethrough, 9 link, 12 AttachmentInfo { 1 identifier, 2 type_uti } (the run's text is U+FFFC).
 */

export type NoteParagraphStyle =
  | 'title'
  | 'heading'
  | 'subheading'
  | 'body'
  | 'monospaced'
  | 'bulleted'
  | 'dashed'
  | 'numbered'
  | 'checklist';

export interface NoteSpan {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  link?: string;
  /** An attachment: the span's text must be ATTACHMENT_CHAR (U+FFFC). */
  attachment?: { id: string; uti: string };
}
export interface NoteParagraph {
  style: NoteParagraphStyle;
  spans: NoteSpan[];
  done?: boolean;
  indent?: number;
}

/** The object replacement character that stands for an attachment in the note text. */
export const ATTACHMENT_CHAR = '\ufffc';

const STYLE_TYPE: Record<NoteParagraphStyle, number | null> = {
  title: 0,
  heading: 1,
  subheading: 2,
  body: null,
  monospaced: 4,
  bulleted: 100,
  dashed: 101,
  numbered: 102,
  checklist: 103,
};

/** The plain text of the note: paragraphs joined with "\n". */
export function noteText(paragraphs: readonly NoteParagraph[]): string {
  return paragraphs.map((p) => p.spans.map((s) => s.text).join('')).join('\n');
}

export function encodeNoteDocument(
  paragraphs: readonly NoteParagraph[],
  options: { key: string; unixTime: number },
): Buffer {
  const text = noteText(paragraphs);
  const runs: ProtoField[] = [];
  paragraphs.forEach((p, pi) => {
    const style: ProtoField[] = [];
    const styleType = STYLE_TYPE[p.style];
    if (styleType !== null) style.push({ field: 1, varint: styleType });
    if (p.indent) style.push({ field: 4, varint: p.indent });
    if (p.style === 'checklist') {
      style.push({
        field: 5,
        message: [
          { field: 1, bytes: demoUUIDBytes(`${options.key}-checklist-${pi}`) },
          { field: 2, varint: p.done ? 1 : 0 },
        ],
      });
    }
    p.spans.forEach((span, si) => {
      const isLast = si === p.spans.length - 1 && pi < paragraphs.length - 1;
      const length = span.text.length + (isLast ? 1 : 0); // the paragraph's "\n" belongs to its last run
      if (length === 0) return;
      const run: ProtoField[] = [
        { field: 1, varint: length },
        { field: 2, message: style },
      ];
      const weight = (span.bold ? 1 : 0) + (span.italic ? 2 : 0);
      if (weight) run.push({ field: 5, varint: weight });
      if (span.underline) run.push({ field: 6, varint: 1 });
      if (span.strikethrough) run.push({ field: 7, varint: 1 });
      if (span.link) run.push({ field: 9, bytes: span.link });
      if (span.attachment)
        run.push({
          field: 12,
          message: [
            { field: 1, bytes: span.attachment.id },
            { field: 2, bytes: span.attachment.uti },
          ],
        });
      run.push({ field: 13, varint: options.unixTime });
      runs.push({ field: 5, message: run });
    });
  });
  const clock = (replica: number, sequence: number | bigint): ProtoField[] => [
    { field: 1, varint: replica },
    { field: 2, varint: sequence },
  ];
  const note: ProtoField[] = [
    { field: 2, bytes: text },
    {
      field: 3,
      message: [
        { field: 1, message: clock(0, 0) },
        { field: 2, varint: 0 },
        { field: 3, message: clock(0, 0) },
        { field: 5, varint: 1 },
      ],
    },
    {
      field: 3,
      message: [
        { field: 1, message: clock(1, 0) },
        { field: 2, varint: text.length },
        { field: 3, message: clock(1, 0) },
        { field: 4, varint: 1 },
        { field: 5, varint: 2 },
      ],
    },
    {
      field: 3,
      message: [
        { field: 1, message: clock(0, 0xffffffff) },
        { field: 2, varint: 0 },
        { field: 3, message: clock(0, 0xffffffff) },
      ],
    },
    {
      field: 4,
      message: [
        {
          field: 1,
          message: [
            { field: 1, bytes: demoUUIDBytes(`${options.key}-replica`) },
            { field: 2, message: [{ field: 1, varint: text.length }] },
            { field: 2, message: [{ field: 1, varint: runs.length }] },
          ],
        },
      ],
    },
    ...runs,
  ];
  const proto = encodeMessage([
    { field: 1, varint: 0 },
    {
      field: 2,
      message: [
        { field: 1, varint: 0 },
        { field: 2, varint: 0 },
        { field: 3, message: note },
      ],
    },
  ]);
  const gz = gzipSync(proto, { level: 9 });
  gz[9] = 0x13; // gzip OS byte as Apple's writer sets it (seen in the real NoteStore); Node writes 3
  return gz;
}
