import type { Conversation, MessageAttachment } from './conversation.js';
import { lacksExtension, SNIFF_BYTES, sniffFileType } from './file-type.js';
import type { ArtifactSource } from './source.js';

/** Files sniffed per read at most (each costs one open of a backup file). */
const MAX_SNIFFED = 5000;

/**
 * Attachments whose names have no extension get the type their first bytes show (detectedType, and the
 * MIME type when the database gives none), so exports name them and viewers show them.
 */
export async function detectAttachmentTypes(
  source: ArtifactSource,
  conversations: Conversation[],
): Promise<void> {
  const wanted: MessageAttachment[] = [];
  for (const c of conversations)
    for (const m of c.messages)
      for (const a of [...m.attachments, ...m.reactions.flatMap((r) => r.attachment ?? [])])
        if (a.present && a.domain && a.relativePath && lacksExtension(a.fileName)) wanted.push(a);
  for (const a of wanted.slice(0, MAX_SNIFFED)) {
    const head = await readHead(source, { domain: a.domain!, relativePath: a.relativePath! });
    const type = head ? sniffFileType(head) : null;
    if (!type) continue;
    a.detectedType = type;
    if (!a.mimeType) a.mimeType = type.mimeType;
  }
}

/** The first bytes of a file, or null when it cannot be read. */
export async function readHead(
  source: ArtifactSource,
  file: { domain: string; relativePath: string },
): Promise<Buffer | null> {
  try {
    const stream = await source.open(file);
    const chunks: Buffer[] = [];
    let length = 0;
    try {
      for await (const chunk of stream) {
        chunks.push(chunk as Buffer);
        length += (chunk as Buffer).length;
        if (length >= SNIFF_BYTES) break;
      }
    } finally {
      stream.destroy();
    }
    return Buffer.concat(chunks).subarray(0, SNIFF_BYTES);
  } catch {
    return null;
  }
}
