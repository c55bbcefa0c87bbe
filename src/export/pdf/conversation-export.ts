import { join } from 'node:path';
import type { Conversation } from '../../artifacts/conversation.js';
import { nameIndexFrom } from '../../artifacts/contacts/index.js';
import type { NameIndex } from '../../artifacts/names.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import { conversationTitle } from '../conversations/model.js';
import { safeFileName } from '../files.js';
import { writeConversationPdf, type ConversationPdfResult } from './conversation-pdf.js';
import { labelSources } from '../../history/labels.js';
import type { DataSource } from '../../sources/data-source.js';
import type { Clock } from '../../time.js';
import { guardFor } from '../../history/compare.js';

/** The one conversation NAME_OR_ID means: its id, its chat guid, its title or a participant (name or handle). */
export function findConversation(
  conversations: Conversation[],
  wanted: string,
  names: NameIndex,
): Conversation {
  const q = wanted.trim().toLowerCase();
  const exact = conversations.filter(
    (c) =>
      c.id.toLowerCase() === q ||
      c.guid?.toLowerCase() === q ||
      conversationTitle(c, names).toLowerCase() === q,
  );
  if (exact.length === 1) return exact[0]!;
  const loose = exact.length
    ? exact
    : conversations.filter(
        (c) =>
          conversationTitle(c, names).toLowerCase().includes(q) ||
          c.participants.some(
            (p) =>
              p.handle.toLowerCase().includes(q) ||
              (names.nameFor(p.handle) ?? p.name ?? '').toLowerCase().includes(q),
          ),
      );
  if (loose.length === 1) return loose[0]!;
  const list = (cs: Conversation[]) =>
    cs
      .slice(0, 12)
      .map((c) => `"${conversationTitle(c, names)}" (id ${c.id})`)
      .join(', ');
  if (loose.length === 0)
    throw new ReclaimError(
      `No conversation matches "${wanted}". Conversations: ${list(conversations)}${conversations.length > 12 ? ', …' : ''}.`,
      ExitCode.notFound,
    );
  throw new ReclaimError(
    `"${wanted}" matches ${loose.length} conversations: ${list(loose)}. Give its id.`,
    ExitCode.usage,
  );
}

export interface PdfRequest {
  type: 'messages' | 'whatsapp';
  conversation: string;
  from?: Date;
  to?: Date;
  clock: Clock;
  recoverDeleted: boolean;
}

/** `reclaim export SOURCE OUT --only messages --conversation NAME_OR_ID --format pdf`: OUT/<title>.pdf. */
export async function exportConversationPdf(
  source: DataSource,
  out: string,
  request: PdfRequest,
  now = new Date(),
): Promise<SavedConversationPdf> {
  const data = await source.readArtifact(request.type, { recoverDeleted: request.recoverDeleted });
  const names = nameIndexFrom(await source.readArtifact('contacts', { recoverDeleted: false }));
  const found = findConversation(data.items, request.conversation, names);
  return saveConversationPdf(source, out, found, names, request, now);
}

export type SavedConversationPdf = ConversationPdfResult & { path: string; title: string };

/** One conversation already read (the UI's), between the dates asked, as OUT/<title>.pdf. */
export async function saveConversationPdf(
  source: DataSource,
  out: string,
  found: Conversation,
  names: NameIndex,
  range: Pick<PdfRequest, 'from' | 'to' | 'clock'>,
  now = new Date(),
): Promise<SavedConversationPdf> {
  const guard = guardFor([source]);
  const inRange = (d: Date | null) =>
    (!range.from || (d !== null && d >= range.from)) &&
    (!range.to || (d !== null && d <= range.to));
  const conversation = { ...found, messages: found.messages.filter((m) => inRange(m.date)) };
  const title = conversationTitle(found, names);
  guard.mkdir(out);
  const path = join(out, `${safeFileName(title, 'conversation')}.pdf`);
  guard.check(path);
  const [labelled] = labelSources([source]);
  const kind = source.kind === 'backup' ? 'backup' : 'iCloud data export';
  const result = await writeConversationPdf(conversation, path, {
    files: source.files,
    names,
    clock: range.clock,
    sourceTitle: `${labelled!.label.replace(/ (\d{4}-\d{2}-\d{2})$/, `, ${kind} of $1`)} (${source.path})`,
    exportedAt: now,
    range: { from: range.from, to: range.to },
  });
  return { ...result, path, title };
}
