import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import type { Conversation, MessageAttachment } from '../../artifacts/conversation.js';
import type { NameIndex } from '../../artifacts/names.js';
import { partialPathFor } from '../../backup/safe-path.js';
import type { SourceFiles } from '../../sources/files.js';
import type { Clock } from '../../time.js';
import { marksOf } from '../marks.js';
import {
  conversationTitle,
  prepareMessage,
  reactionEmoji,
  recoveredText,
} from '../conversations/model.js';

const require = createRequire(import.meta.url);
const fontDir = () => join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/** An image larger than this is listed, not drawn (a PDF for reading, not an archive of originals). */
const MAX_INLINE_IMAGE = 25 * 1024 * 1024;
const IMAGE_BOX = 220;

export interface ConversationPdfOptions {
  files: SourceFiles;
  names: NameIndex;
  clock: Clock;
  /** What the footer names as where it came from ("Jane's iPhone, backup of 2025-01-20"). */
  sourceTitle: string;
  exportedAt: Date;
  /** The date range asked for, said on the first page. */
  range?: { from?: Date; to?: Date };
  /** Draw JPEG/PNG (and HEIC, converted) attachments inline (default true). */
  images?: boolean;
}

export interface ConversationPdfResult {
  messages: number;
  images: number;
  attachments: number;
  recovered: number;
  edited: number;
  pages: number;
}

type Doc = InstanceType<typeof PDFDocument>;

function sizeText(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * One conversation as a PDF for someone else (a lawyer, a family member): participants and dates first, then
 * every message with its sender and time, images drawn inline and other attachments listed, recovered and
 * edited messages marked, a footer on every page naming the source, the export time and the page number.
 * Pages are written out as they fill (pdfkit without page buffering), so memory stays flat however long
 * the conversation is.
 */
export async function writeConversationPdf(
  conversation: Conversation,
  dest: string,
  options: ConversationPdfOptions,
): Promise<ConversationPdfResult> {
  const { clock, names } = options;
  const title = conversationTitle(conversation, names);
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 72, left: 56, right: 56 },
    bufferPages: false,
    info: {
      Title: `Conversation: ${title}`,
      Creator: 'Reclaim',
      Producer: 'Reclaim (pdfkit)',
      CreationDate: options.exportedAt,
    },
  });
  const partial = partialPathFor(dest);
  const out = createWriteStream(partial, { mode: 0o644 });
  doc.pipe(out);
  const fonts = fontDir();
  doc.registerFont('body', join(fonts, 'DejaVuSans.ttf'));
  doc.registerFont('bold', join(fonts, 'DejaVuSans-Bold.ttf'));
  doc.registerFont('italic', join(fonts, 'DejaVuSans-Oblique.ttf'));
  doc.font('body');
  const glyphs = (
    doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?(c: number): boolean } } }
  )._font?.font;
  /** Characters the font has no glyph for (emoji) become U+FFFD, never a blank box. */
  const printable = (text: string) =>
    glyphs?.hasGlyphForCodePoint
      ? [...text]
          .map((ch) => {
            const cp = ch.codePointAt(0)!;
            if (cp < 32 && ch !== '\n' && ch !== '\t') return ' ';
            return cp < 128 || glyphs.hasGlyphForCodePoint!(cp) || /\p{M}|\u200d|\ufe0f/u.test(ch)
              ? ch
              : '\ufffd';
          })
          .join('')
          .replace(/[\u200d\ufe0f]/g, '')
      : text;

  let pages = 1;
  const footer = () => {
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 44;
    const x = doc.x;
    const savedY = doc.y;
    doc
      .font('body')
      .fontSize(7.5)
      .fillColor('#666666')
      .text(
        printable(
          `${options.sourceTitle} \u00b7 exported ${clock.text(options.exportedAt)} by Reclaim`,
        ),
        doc.page.margins.left,
        y,
        {
          width: doc.page.width - doc.page.margins.left - doc.page.margins.right - 60,
          lineBreak: false,
        },
      )
      .text(`Page ${pages}`, doc.page.width - doc.page.margins.right - 60, y, {
        width: 60,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
    doc.x = x;
    doc.y = savedY;
    doc.fillColor('black');
  };
  footer();
  doc.on('pageAdded', () => {
    pages++;
    footer();
  });

  const result: ConversationPdfResult = {
    messages: 0,
    images: 0,
    attachments: 0,
    recovered: 0,
    edited: 0,
    pages: 0,
  };
  let first: Date | null = null;
  let last: Date | null = null;
  for (const { date } of conversation.messages) {
    if (!date) continue;
    if (!first || date < first) first = date;
    if (!last || date > last) last = date;
  }

  doc
    .font('bold')
    .fontSize(16)
    .text(printable(`Conversation: ${title}`));
  doc.moveDown(0.4).font('body').fontSize(10);
  const participants = conversation.participants.map((p) => {
    const name = names.nameFor(p.handle) ?? p.name;
    return name && name !== p.handle ? `${name} (${p.handle})` : p.handle;
  });
  doc.text(
    printable(`Participants: ${['Me (the phone\u2019s owner)', ...participants].join(', ')}`),
  );
  if (conversation.service) doc.text(printable(`Service: ${conversation.service}`));
  doc.text(
    `Messages: ${conversation.messages.length}${first ? `, from ${clock.text(first)} to ${clock.text(last)}` : ''}`,
  );
  if (options.range?.from || options.range?.to)
    doc.text(
      `Date range asked for: ${options.range.from ? clock.text(options.range.from) : 'the beginning'} to ${options.range.to ? clock.text(options.range.to) : 'the end'}`,
    );
  doc.text(printable(`Source: ${options.sourceTitle}`));
  doc.text(
    `Exported: ${clock.text(options.exportedAt)}${clock.utc ? '' : ` (times in ${clock.zone})`}`,
  );
  doc
    .moveDown(0.4)
    .fontSize(8.5)
    .fillColor('#555555')
    .text(
      'Messages marked RECOVERED were deleted on the phone and read back from the free space of its database; messages marked EDITED show their earlier versions. Images are shown inline; other attachments are listed by name.',
    )
    .fillColor('black');
  doc.moveDown(1);

  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const drawImage = async (a: MessageAttachment): Promise<boolean> => {
    if (options.images === false || !a.present || !a.domain || !a.relativePath) return false;
    const ref = { domain: a.domain, relativePath: a.relativePath };
    const stat = options.files.stat(ref);
    if (!stat?.present || stat.size > MAX_INLINE_IMAGE) return false;
    const mime = a.mimeType ?? '';
    const isHeic = /^image\/hei[cf]/i.test(mime) || /\.hei[cf]$/i.test(a.fileName);
    if (!/^image\/(jpeg|jpg|png)$/i.test(mime) && !/\.(jpe?g|png)$/i.test(a.fileName) && !isHeic)
      return false;
    try {
      let bytes = await options.files.read(ref);
      if (isHeic) {
        const { heicToJpeg } = await import('../media/heic.js');
        bytes = await heicToJpeg(bytes);
      }
      const image = (
        doc as unknown as { openImage(b: Buffer): { width: number; height: number } }
      ).openImage(bytes);
      const scale = Math.min(1, IMAGE_BOX / image.width, IMAGE_BOX / image.height);
      const h = image.height * scale;
      if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
      doc.image(image as never, doc.page.margins.left + 12, doc.y, {
        width: image.width * scale,
        height: h,
      });
      doc.y += h + 4;
      return true;
    } catch {
      return false;
    }
  };

  for (const message of conversation.messages) {
    const p = prepareMessage(message, conversation, names);
    result.messages++;
    const marks: string[] = [];
    if (message.recovered) {
      marks.push(`RECOVERED \u2014 ${recoveredText(message.recovered)}`);
      result.recovered++;
    }
    if (message.edits?.length || message.editedAt) {
      marks.push(`EDITED${message.editedAt ? ` ${clock.text(message.editedAt)}` : ''}`);
      result.edited++;
    }
    if (message.unsent) marks.push('UNSENT by the sender');
    const context = marksOf(message).context;
    if (context) marks.push(`CONTEXT \u2014 ${context}`);
    if (doc.y > doc.page.height - doc.page.margins.bottom - 40) doc.addPage();
    doc
      .font('bold')
      .fontSize(9)
      .fillColor(message.fromMe ? '#0b4f9c' : '#1d6b2c')
      .text(printable(`${clock.text(message.date)}  ${p.senderName}`), { continued: false })
      .fillColor('black');
    if (marks.length)
      doc
        .font('italic')
        .fontSize(8)
        .fillColor('#a05a00')
        .text(printable(marks.join(' \u00b7 ')))
        .fillColor('black');
    doc.font('body').fontSize(10);
    if (message.event)
      doc
        .font('italic')
        .text(printable(p.eventText ?? message.event))
        .font('body');
    if (message.subject)
      doc
        .font('bold')
        .text(printable(`Subject: ${message.subject}`))
        .font('body');
    if (message.text) doc.text(printable(message.text), { width });
    for (const edit of message.edits ?? [])
      doc
        .font('italic')
        .fontSize(8.5)
        .fillColor('#555555')
        .text(printable(`earlier version (${clock.text(edit.date)}): ${edit.text}`))
        .fillColor('black')
        .font('body')
        .fontSize(10);
    for (const a of message.attachments) {
      result.attachments++;
      if (await drawImage(a)) {
        result.images++;
        if (a.caption) doc.fontSize(8.5).text(printable(a.caption)).fontSize(10);
        continue;
      }
      const where = a.present ? '' : ' \u2014 not in the backup';
      doc
        .fontSize(8.5)
        .text(
          printable(
            `Attachment: ${a.fileName}${a.mimeType ? ` (${a.mimeType}${a.size !== null ? `, ${sizeText(a.size)}` : ''})` : ''}${where}`,
          ),
        )
        .fontSize(10);
    }
    if (p.reactions.length)
      doc
        .fontSize(8.5)
        .fillColor('#555555')
        .text(
          printable(
            `Reactions: ${p.reactions.map((r) => `${reactionEmoji(r.kind)} ${r.kind} by ${r.by}`).join('; ')}`,
          ),
        )
        .fillColor('black')
        .fontSize(10);
    doc.moveDown(0.6);
  }
  doc.end();
  try {
    await finished(out);
    await rename(partial, dest);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  result.pages = pages;
  return result;
}
