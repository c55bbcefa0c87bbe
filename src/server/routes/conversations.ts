import { readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Conversation } from '../../artifacts/conversation.js';
import { summarizeMissing } from '../../artifacts/missing.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import { saveConversationPdf } from '../../export/pdf/conversation-export.js';
import { clock } from '../../time.js';
import type { ConversationList, MessagePage, MessageSearch } from '../api-types.js';
import {
  ConversationText,
  messageAt,
  originalsOf,
  pageRange,
  summarize,
} from '../conversations.js';
import { handleOf, type RouteDeps } from '../requests.js';
import type { BackupHandle } from '../session.js';
import { itemsJson, namesFor } from './items.js';

type Chats = 'messages' | 'whatsapp';
const CHATS: readonly string[] = ['messages', 'whatsapp'];
const DEFAULT_PAGE = 150;

function chatsOf(c: Context): Chats {
  const artifact = c.req.param('artifact') ?? '';
  if (!CHATS.includes(artifact))
    throw new ReclaimError(`${artifact} has no conversations.`, ExitCode.notFound);
  return artifact as Chats;
}

async function conversations(handle: BackupHandle, artifact: Chats) {
  const data = await handle.read(artifact);
  const items = data.items as Conversation[];
  const text = handle.memo(`text:${artifact}`, () => new ConversationText(items));
  return { data, items, text };
}

function conversationOf(items: Conversation[], c: Context): [Conversation, number] {
  const n = Number(c.req.param('n'));
  const conversation = Number.isInteger(n) ? items[n] : undefined;
  if (!conversation) throw new ReclaimError('No such conversation.', ExitCode.notFound);
  return [conversation, n];
}

const optionalNumber = (c: Context, key: string): number | undefined => {
  const value = c.req.query(key);
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n))
    throw new ReclaimError(`${key} must be a whole number.`, ExitCode.usage);
  return n;
};

const json = (c: Context, value: unknown) =>
  c.body(itemsJson(value), 200, { 'Content-Type': 'application/json; charset=utf-8' });

/**
 * /api/backups/:id/conversations/:artifact: the conversations of Messages or WhatsApp, and each one's messages
 * in pages and searched on the server, so a 100,000-message thread never travels whole.
 */
export function conversationRoutes({ session }: RouteDeps): Hono {
  const routes = new Hono();

  routes.get('/:id/conversations/:artifact', async (c) => {
    const handle = handleOf(session, c);
    const { data, items, text } = await conversations(handle, chatsOf(c));
    const names = await handle.names();
    const q = c.req.query('q')?.trim() ?? '';
    const chosen = items
      .map((conversation, i) => ({ conversation, i }))
      .filter(({ conversation }) => !q || text.matches(conversation, q, names))
      .map(({ conversation, i }) => summarize(conversation, i, names))
      .sort((a, b) => (b.last ?? '').localeCompare(a.last ?? '') || a.index - b.index);
    return c.json({
      total: items.length,
      conversations: chosen,
      problems: data.problems,
      notInBackup: data.notInBackup,
      missing: summarizeMissing(data),
    } satisfies ConversationList);
  });

  // The conversation as a PDF for someone else (as `export --conversation --format pdf`), made in the
  // private workspace and removed once read.
  routes.get('/:id/conversations/:artifact/:n/pdf', async (c) => {
    const handle = handleOf(session, c);
    handle.checkReadable();
    const artifact = chatsOf(c);
    const { items } = await conversations(handle, artifact);
    const [conversation] = conversationOf(items, c);
    const source = await handle.source();
    const folder = source.files.workspace.folder();
    try {
      const pdf = await saveConversationPdf(source, folder, conversation, await handle.names(), {
        clock: clock(),
      });
      const name = encodeURIComponent(basename(pdf.path));
      return c.body(readFileSync(pdf.path), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename*=UTF-8''${name}`,
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  routes.get('/:id/conversations/:artifact/:n/messages', async (c) => {
    const handle = handleOf(session, c);
    const { items } = await conversations(handle, chatsOf(c));
    const [conversation, n] = conversationOf(items, c);
    const names = await handle.names();
    const date = c.req.query('date');
    let around = optionalNumber(c, 'around');
    if (date) {
      const when = new Date(date);
      if (Number.isNaN(when.getTime()))
        throw new ReclaimError(`${date} is not a date.`, ExitCode.usage);
      around = messageAt(conversation, when);
    }
    const total = conversation.messages.length;
    const [start, end] = pageRange(total, {
      from: optionalNumber(c, 'from'),
      before: optionalNumber(c, 'before'),
      after: optionalNumber(c, 'after'),
      around,
      count: optionalNumber(c, 'count') ?? DEFAULT_PAGE,
    });
    const messages = conversation.messages
      .slice(start, end)
      .map((m, k) => ({ ...m, index: start + k }));
    const { lastText: _unused, ...summary } = summarize(conversation, n, names);
    const page = {
      conversation: { ...summary, participants: conversation.participants },
      total,
      start,
      messages,
      names: namesFor([conversation.participants, messages], names),
      originals: originalsOf(conversation, messages),
    };
    return json(c, page satisfies Omit<MessagePage, 'messages'> & { messages: unknown[] });
  });

  routes.get('/:id/conversations/:artifact/:n/search', async (c) => {
    const handle = handleOf(session, c);
    const { items, text } = await conversations(handle, chatsOf(c));
    const [, n] = conversationOf(items, c);
    const q = (c.req.query('q') ?? '').slice(0, 200);
    return c.json({ q, ...text.search(n, q) } satisfies MessageSearch);
  });

  return routes;
}
