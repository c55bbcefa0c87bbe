import type { Conversation, ConversationMessage } from '../artifacts/conversation.js';
import type { NameIndex } from '../artifacts/names.js';
import type { ConversationSummary } from './api-types.js';
import { matchesShown } from './search-text.js';

/** Most messages one page may hold. */
export const MAX_PAGE = 500;
/** Most hits a search in one thread lists (the count says how many there are in all). */
export const MAX_HITS = 20_000;

const iso = (d: Date | null | undefined) =>
  d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : null;

/** The conversation's name as the page shows it: its title, else its people by name or number. */
export function conversationName(c: Conversation, names: NameIndex): string {
  if (c.title) return c.title;
  return (
    c.participants.map((p) => names.nameFor(p.handle) || p.name || p.handle).join(', ') ||
    `Conversation ${c.id}`
  );
}

const recoveredCounts = new WeakMap<Conversation, number>();
const recoveredIn = (c: Conversation) => {
  let n = recoveredCounts.get(c);
  if (n === undefined) {
    n = 0;
    for (const m of c.messages) if (m.recovered) n++;
    recoveredCounts.set(c, n);
  }
  return n;
};

export function summarize(c: Conversation, index: number, names: NameIndex): ConversationSummary {
  const last = c.messages[c.messages.length - 1];
  const recoveredMessages = recoveredIn(c);
  return {
    index,
    name: conversationName(c, names),
    handles: c.participants.map((p) => p.handle),
    service: c.service,
    isGroup: c.isGroup,
    messages: c.messages.length,
    first: iso(c.messages[0]?.date),
    last: iso(last?.date),
    lastText: last?.text ? last.text.slice(0, 120) : null,
    recovered: c.recovered ?? null,
    recoveredMessages,
  };
}

/** The text a message shows: its words, attachment captions and transcripts, an event line, a subject, a card. */
export function shownText(m: ConversationMessage): string {
  let text = m.unsent ? '' : (m.text ?? '');
  if (m.subject) text += `\n${m.subject}`;
  if (m.event) text += `\n${m.event}`;
  for (const a of m.attachments) {
    if (a.caption) text += `\n${a.caption}`;
    if (a.transcript) text += `\n${a.transcript}`;
  }
  if (m.card?.title) text += `\n${m.card.title}`;
  for (const line of m.card?.lines ?? []) text += `\n${line}`;
  if (m.translation) text += `\n${m.translation.text}`;
  return text;
}

const positions = new WeakMap<Conversation, Map<string, number>>();
/**
 * The text of the originals that the replies in `page` quote from elsewhere in the thread (a page holds a
 * few hundred messages of a thread that may hold 100,000), by id; ids not in the conversation are left out.
 */
export function originalsOf(
  c: Conversation,
  page: readonly ConversationMessage[],
): Record<string, string | null> {
  let at = positions.get(c);
  if (!at) positions.set(c, (at = new Map(c.messages.map((m, i) => [m.id, i]))));
  const inPage = new Set(page.map((m) => m.id));
  const originals: Record<string, string | null> = {};
  for (const m of page) {
    if (!m.replyTo || inPage.has(m.replyTo)) continue;
    const i = at.get(m.replyTo);
    const original = i === undefined ? undefined : c.messages[i];
    if (original)
      originals[m.replyTo] = original.text ?? original.card?.title ?? original.card?.label ?? null;
  }
  return originals;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Search by shown text, on the server: a 100,000-message thread is scanned in place (no copy of its text is
 * kept), any case.
 */
export class ConversationText {
  constructor(private readonly conversations: readonly Conversation[]) {}

  private static pattern(q: string): RegExp | null {
    const needle = q.trim();
    return needle ? new RegExp(escapeRegExp(needle), 'iu') : null;
  }

  /** Numbers of the messages of conversation `index` whose shown text holds `q` (any case). */
  search(index: number, q: string): { total: number; hits: number[] } {
    const pattern = ConversationText.pattern(q);
    const hits: number[] = [];
    let total = 0;
    if (!pattern) return { total, hits };
    const messages = this.conversations[index]?.messages ?? [];
    for (let i = 0; i < messages.length; i++)
      if (pattern.test(shownText(messages[i]!))) {
        total++;
        if (hits.length < MAX_HITS) hits.push(i);
      }
    return { total, hits };
  }

  /** Conversations matching `q` by what the list shows (name, numbers in any format) or by a message. */
  matches(c: Conversation, q: string, names: NameIndex): boolean {
    const shown = [conversationName(c, names), ...c.participants.map((p) => p.handle)].join('\n');
    if (matchesShown(shown, q)) return true;
    const pattern = ConversationText.pattern(q);
    return pattern !== null && c.messages.some((m) => pattern.test(shownText(m)));
  }
}

/** The number of the first message at or after `date` (the last one when none is). */
export function messageAt(c: Conversation, date: Date): number {
  const t = date.getTime();
  const found = c.messages.findIndex((m) => m.date instanceof Date && m.date.getTime() >= t);
  return found < 0 ? Math.max(0, c.messages.length - 1) : found;
}

/** The range [start, end) a page request names, within the conversation. */
export function pageRange(
  total: number,
  query: { from?: number; before?: number; after?: number; around?: number; count: number },
): [number, number] {
  const count = Math.max(1, Math.min(MAX_PAGE, query.count));
  const clamp = (n: number) => Math.max(0, Math.min(total, n));
  if (query.before !== undefined) {
    const end = clamp(query.before);
    return [Math.max(0, end - count), end];
  }
  if (query.after !== undefined) {
    const start = clamp(query.after + 1);
    return [start, Math.min(total, start + count)];
  }
  let start = total - count; // the newest messages: where a thread opens
  if (query.around !== undefined) start = query.around - Math.floor(count / 2);
  else if (query.from !== undefined) start = query.from;
  start = Math.max(0, Math.min(start, total - count));
  return [start, Math.min(total, start + count)];
}
