import { join } from 'node:path';
import type { ArtifactData, Problem } from '../../artifacts/artifact.js';
import type { Conversation } from '../../artifacts/conversation.js';
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
  prepareMessage,
  type PreparedAttachment,
  type PreparedConversation,
  type PreparedMessage,
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
    for (const message of conv.messages) {
      const attachments: PreparedAttachment[] = [];
      for (const attachment of message.attachments) {
        let exportedPath: string | null = null;
        let previewPath: string | undefined;
        const entry =
          attachment.present && attachment.domain && attachment.relativePath
            ? { domain: attachment.domain, relativePath: attachment.relativePath }
            : undefined;
        if (entry && context.source.stat(entry)?.present) {
          const name = attachmentNames.take(safeFileName(attachment.fileName, 'attachment'));
          try {
            await context.source.copyTo(entry, join(dir, 'attachments', name), {
              mtime: message.date ?? undefined,
            });
            exportedPath = `attachments/${name}`;
            counts.attachments!++;
            files++;
            if (context.options.heicToJpeg && isHeic(attachment.mimeType, attachment.fileName)) {
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
        attachments.push({ attachment, exportedPath, ...(previewPath ? { previewPath } : {}) });
      }
      const prepared = prepareMessage(message, conv, context.names, attachments);
      messages.push(prepared);
      counts.messages!++;
      counts.reactions! += prepared.reactions.length;
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
