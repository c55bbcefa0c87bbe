import { closeSync, openSync, readSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactData, Problem } from '../../artifacts/artifact.js';
import type {
  Conversation,
  ConversationMessage,
  MessageAttachment,
} from '../../artifacts/conversation.js';
import { lacksExtension, SNIFF_BYTES, sniffFileType } from '../../artifacts/file-type.js';
import type { ArtifactDeclaration } from '../../artifacts/declaration.js';
import {
  defineExporter,
  type ExportContext,
  type Exporter,
  type ExportSummary,
} from '../exporter.js';
import { safeFileName, UniqueNames, writeFileAtomic } from '../files.js';
import { conversationCsv } from './csv.js';
import { clock } from '../../time.js';
import { indexHtml, type IndexRow } from './html.js';
import { conversationJson } from './json.js';
import {
  conversationTitle,
  ME,
  personName,
  type PreparedAttachment,
  type PreparedConversation,
  type PreparedMessage,
  type PreparedReaction,
} from './model.js';
import { conversationPages, PAGE_LIMITS } from './pages.js';
import { conversationTxt } from './txt.js';

export { escapeHtml } from './html.js';
export type { PreparedConversation } from './model.js';

/** Individual missing-attachment warnings before they are summed up in one line. */
const MISSING_LISTED = 25;

/**
 * The exporter shared by Messages and WhatsApp: one folder per conversation holding
 * NAME.html (self-contained chat page; a long chat goes on in pages/, a page per month), NAME.txt,
 * NAME.csv, NAME.json and attachments/ (copied files), plus index.html listing every conversation.
 */
export function conversationExporter<Id extends 'messages' | 'whatsapp'>(
  declaration: ArtifactDeclaration<Id>,
  heading: string,
): Exporter<Conversation, Id> {
  return defineExporter(declaration, (data: ArtifactData<Conversation>, context) =>
    writeConversations(declaration.id, heading, data, context),
  );
}

/** The exported file's name: the stored one, with the extension the bytes call for when it has none. */
function exportName(a: MessageAttachment): string {
  const name = safeFileName(a.fileName, 'attachment');
  return lacksExtension(name) && a.detectedType ? `${name}${a.detectedType.extension}` : name;
}

/** A copied file without an extension gets the one its first bytes call for (renamed in place). */
function nameFromBytes(dir: string, name: string, names: UniqueNames): string {
  const path = join(dir, 'attachments', name);
  const head = Buffer.alloc(SNIFF_BYTES);
  const fd = openSync(path, 'r');
  let read = 0;
  try {
    read = readSync(fd, head, 0, SNIFF_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const type = sniffFileType(head.subarray(0, read));
  if (!type) return name;
  const renamed = names.take(`${name}${type.extension}`);
  renameSync(path, join(dir, 'attachments', renamed));
  return renamed;
}

function isHeic(mimeType: string | null, fileName: string): boolean {
  return /^image\/hei[cf]/i.test(mimeType ?? '') || /\.hei[cf]$/i.test(fileName);
}

export async function writeConversations(
  id: 'messages' | 'whatsapp',
  heading: string,
  data: ArtifactData<Conversation>,
  context: ExportContext,
  pageLimits = PAGE_LIMITS,
): Promise<ExportSummary> {
  const problems: Problem[] = [];
  const counts: Record<string, number> = {
    conversations: 0,
    messages: 0,
    recovered: 0,
    reactions: 0,
    attachments: 0,
    missingAttachments: 0,
  };
  let files = 0;
  const formats = new Set(context.formats);
  const label = id === 'messages' ? 'Messages' : 'WhatsApp';
  let missingListed = 0;
  const folders = new UniqueNames();
  folders.take('index.html');
  const rows: IndexRow[] = [];
  const total = data.items.length;
  const times = clock(context.options.time);

  for (const [i, conv] of data.items.entries()) {
    const title = conversationTitle(conv, context.names);
    const folder = folders.take(safeFileName(title, 'conversation'));
    const dir = join(context.outDir, folder);
    const attachmentNames = new UniqueNames();
    const messages: PreparedMessage[] = [];
    /** Copies one attachment (or says why not), named with the extension its bytes call for. */
    const prepare = async (
      attachment: MessageAttachment,
      message: ConversationMessage,
    ): Promise<PreparedAttachment> => {
      let exportedPath: string | null = null;
      let previewPath: string | undefined;
      const entry =
        attachment.present && attachment.domain && attachment.relativePath
          ? { domain: attachment.domain, relativePath: attachment.relativePath }
          : undefined;
      if (attachment.expired) {
        counts.expiredAudio = (counts.expiredAudio ?? 0) + 1;
      } else if (entry && context.source.stat(entry)?.present) {
        let name = attachmentNames.take(exportName(attachment));
        try {
          const dest = join(dir, 'attachments', name);
          await context.source.copyTo(entry, dest, { mtime: message.date ?? undefined });
          if (lacksExtension(name)) name = nameFromBytes(dir, name, attachmentNames);
          exportedPath = `attachments/${name}`;
          counts.attachments!++;
          files++;
          if (context.options.heicToJpeg && isHeic(attachment.mimeType, name)) {
            try {
              const { heicToJpeg } = await import('../media/heic.js');
              const preview = attachmentNames.take(`${name.replace(/\.[^.]*$/, '')}.jpg`);
              writeFileAtomic(
                join(dir, 'attachments', preview),
                await heicToJpeg(await context.source.read(entry)),
                message.date ?? undefined,
              );
              previewPath = `attachments/${preview}`;
              files++;
            } catch (error) {
              problems.push({
                severity: 'warning',
                message: `${label}: no JPEG could be made of ${attachment.fileName} in "${title}" (${(error as Error).message})`,
              });
            }
          }
        } catch (error) {
          problems.push({
            severity: 'warning',
            message: `${label}: attachment ${attachment.fileName} in "${title}" could not be copied (${(error as Error).message})`,
          });
        }
      } else {
        counts.missingAttachments!++;
        if (missingListed++ < MISSING_LISTED) {
          const where =
            attachment.domain && attachment.relativePath
              ? `${attachment.domain}/${attachment.relativePath}`
              : 'no path recorded';
          problems.push({
            severity: 'warning',
            message: `${label}: attachment ${attachment.fileName} in "${title}" is not in the backup (${where})`,
          });
        }
      }
      return { attachment, exportedPath, ...(previewPath ? { previewPath } : {}) };
    };
    const nameOf = (handle: string | null) =>
      handle === null ? ME : personName(handle, context.names, conv);
    for (const message of conv.messages) {
      const attachments: PreparedAttachment[] = [];
      for (const attachment of message.attachments)
        attachments.push(await prepare(attachment, message));
      const reactions: PreparedReaction[] = [];
      for (const r of message.reactions) {
        reactions.push({
          by: nameOf(r.from),
          from: r.from,
          kind: r.kind,
          date: r.date,
          ...(r.recovered ? { recovered: r.recovered } : {}),
          ...(r.attachment ? { attachment: await prepare(r.attachment, message) } : {}),
        });
      }
      let eventText = message.event ?? null;
      if (eventText && message.eventTarget) {
        const name = personName(message.eventTarget, context.names, conv);
        if (name !== message.eventTarget)
          eventText = eventText.split(message.eventTarget).join(name);
      }
      messages.push({
        message,
        senderName: message.fromMe ? ME : personName(message.sender, context.names, conv),
        eventText,
        attachments,
        reactions,
      });
      counts.messages!++;
      counts.reactions! += reactions.length;
      if (message.recovered) counts.recovered!++;
    }
    const prepared: PreparedConversation = {
      conversation: conv,
      title,
      folder,
      participants: conv.participants.map((p) => ({
        handle: p.handle,
        name: context.names.nameFor(p.handle) ?? p.name ?? null,
      })),
      messages,
      clock: times,
      nameOf,
    };
    const write = (ext: string, text: string) => {
      writeFileAtomic(join(dir, `${folder}.${ext}`), text);
      files++;
    };
    let pages = 0;
    if (formats.has('html')) {
      for (const { path, html } of conversationPages(
        prepared,
        `${folder}.html`,
        '../index.html',
        pageLimits,
      )) {
        writeFileAtomic(join(dir, ...path.split('/')), html);
        files++;
        pages++;
      }
    }
    if (formats.has('txt')) write('txt', conversationTxt(prepared));
    if (formats.has('csv')) write('csv', conversationCsv(prepared));
    if (formats.has('json')) write('json', conversationJson(prepared));
    counts.conversations!++;
    const dates = conv.messages
      .map((m) => m.date)
      .filter((d): d is Date => d !== null)
      .sort((a, b) => a.getTime() - b.getTime());
    rows.push({
      title,
      href: formats.has('html') ? `${folder}/${folder}.html` : null,
      messages: conv.messages.length,
      first: dates[0] ?? null,
      last: dates[dates.length - 1] ?? null,
      recovered: conv.messages.filter((m) => m.recovered).length,
      participants: prepared.participants.map((p) => p.name ?? p.handle).join(', '),
      pages,
    });
    context.onProgress?.(i + 1, total);
  }
  if (missingListed > MISSING_LISTED) {
    problems.push({
      severity: 'warning',
      message: `${label}: ${missingListed - MISSING_LISTED} more attachments are not in the backup (${missingListed} in all)`,
    });
  }
  if (formats.has('html') && rows.length > 0) {
    writeFileAtomic(join(context.outDir, 'index.html'), indexHtml(heading, rows, times));
    files++;
  }
  return { artifact: id, counts, files, problems };
}
