import { pushTo } from '../../collections.js';
import { escapeHtml, hrefFor, messageHtml, page, type MessageContext } from './html.js';
import { previewText } from './describe.js';
import { recoveredText, type PreparedConversation } from './model.js';

/**
 * A long conversation's HTML in pages a browser opens quickly: one page per month (in the clock's zone),
 * split further so that no page holds more than `messages` messages or `bytes` of message HTML. A
 * conversation within both limits stays on one page.
 */
export const PAGE_LIMITS = { messages: 5000, bytes: 2_000_000 };

export interface ConversationPage {
  /** Relative to the conversation folder: "NAME.html" for the first page, "pages/2024-03.html" after it. */
  path: string;
  /** "2024-03", or "undated" for messages before any dated one. */
  month: string;
  /** Which part of its month this page is (1-based), of how many. */
  part: number;
  parts: number;
  /** Messages [start, end) of the conversation. */
  start: number;
  end: number;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function monthLabel(month: string): string {
  const m = /^(.+)-(\d\d)$/.exec(month);
  return m ? `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}` : 'Unknown date';
}

const pageLabel = (p: ConversationPage) =>
  `${monthLabel(p.month)}${p.parts > 1 ? `, part ${p.part} of ${p.parts}` : ''}`;
const count = (n: number, what: string) =>
  `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

/** Where each page goes, given each message's size in bytes (messages without a date stay with the page before). */
export function planPages(
  c: PreparedConversation,
  firstPath: string,
  sizes: number[],
  limits = PAGE_LIMITS,
): ConversationPage[] {
  const total = sizes.reduce((sum, n) => sum + n, 0);
  if (c.messages.length <= limits.messages && total <= limits.bytes) {
    const month = c.clock.month(c.messages.find((p) => p.message.date)?.message.date) ?? 'undated';
    return [{ path: firstPath, month, part: 1, parts: 1, start: 0, end: c.messages.length }];
  }
  const pages: ConversationPage[] = [];
  let bytes = 0;
  let current: ConversationPage | null = null;
  c.messages.forEach((p, i) => {
    const month = c.clock.month(p.message.date) ?? current?.month ?? 'undated';
    const size = sizes[i] ?? 0;
    if (
      !current ||
      month !== current.month ||
      i - current.start >= limits.messages ||
      (i > current.start && bytes + size > limits.bytes)
    ) {
      if (current) current.end = i;
      current = { path: '', month, part: 0, parts: 0, start: i, end: i };
      pages.push(current);
      bytes = 0;
    }
    bytes += size;
  });
  if (current) (current as ConversationPage).end = c.messages.length;
  const parts = new Map<string, number>();
  for (const p of pages) parts.set(p.month, (p.part = (parts.get(p.month) ?? 0) + 1));
  pages.forEach((p, i) => {
    p.parts = parts.get(p.month)!;
    p.path = i === 0 ? firstPath : `pages/${p.month}${p.part > 1 ? `-part-${p.part}` : ''}.html`;
  });
  return pages;
}

/** A path relative to the conversation folder, as a link from the page at `from`. */
function relativeTo(from: string, path: string): string {
  if (!from.startsWith('pages/')) return path;
  return path.startsWith('pages/') ? path.slice('pages/'.length) : `../${path}`;
}

function navHtml(pages: ConversationPage[], i: number): string {
  const here = pages[i]!;
  const link = (to: ConversationPage, text: string, rel: string) =>
    `<a rel="${rel}" href="${hrefFor(relativeTo(here.path, to.path))}">${escapeHtml(text)}</a>`;
  const prev = pages[i - 1];
  const next = pages[i + 1];
  return [
    prev ? link(prev, `\u2190 ${pageLabel(prev)}`, 'prev') : '',
    `<span>Page ${i + 1} of ${pages.length}: ${escapeHtml(pageLabel(here))}</span>`,
    i > 0
      ? `<a href="${hrefFor(relativeTo(here.path, pages[0]!.path))}#months">All months</a>`
      : '',
    next ? link(next, `${pageLabel(next)} \u2192`, 'next') : '',
  ].join('');
}

function monthsHtml(pages: ConversationPage[]): string {
  const months = new Map<string, ConversationPage[]>();
  for (const p of pages) pushTo(months, p.month, p);
  const items = [...months].map(([month, list]) => {
    const n = list.reduce((sum, p) => sum + p.end - p.start, 0);
    const href = (p: ConversationPage) => hrefFor(relativeTo(pages[0]!.path, p.path));
    const parts =
      list.length > 1
        ? ` in ${list.length} pages: ${list.map((p) => `<a href="${href(p)}">${p.part}</a>`).join(' ')}`
        : '';
    return `<li><a href="${href(list[0]!)}">${escapeHtml(monthLabel(month))}</a> <span class="count">${count(n, 'message')}</span>${parts}</li>`;
  });
  return `<nav class="months" id="months"><h2>Months</h2><ul>\n${items.join('\n')}\n</ul></nav>`;
}

/**
 * The conversation as HTML pages (one when it is short): bubbles, names, inline images, reactions,
 * edits and recovered marks, each page with links to the previous and next, and the first page with
 * every month and its count. `backLink` (relative to the conversation folder) leads to the list of
 * conversations.
 */
export function conversationPages(
  c: PreparedConversation,
  firstPath: string,
  backLink: string | null,
  limits = PAGE_LIMITS,
): Array<{ path: string; html: string }> {
  const conv = c.conversation;
  const firstIndex = new Map<string, number>();
  const textById = new Map<string, string | null>();
  c.messages.forEach((p, i) => {
    if (!firstIndex.has(p.message.id)) firstIndex.set(p.message.id, i);
    textById.set(p.message.id, previewText(p.message));
  });
  const textOf = (id: string) => textById.get(id);
  const onePage: MessageContext = {
    clock: c.clock,
    link: (path) => path,
    messageLink: (id) => (firstIndex.has(id) ? `#m-${firstIndex.get(id)}` : null),
    textOf,
    ...(c.nameOf ? { nameOf: c.nameOf } : {}),
  };
  // Drafts as if on the first page; only messages whose links differ elsewhere are written again.
  const drafts = c.messages.map((p, i) => messageHtml(p, i, onePage));
  const pages = planPages(
    c,
    firstPath,
    drafts.map((html) => Buffer.byteLength(html)),
    limits,
  );
  const pageOf = new Uint32Array(c.messages.length);
  pages.forEach((p, n) => pageOf.fill(n, p.start, p.end));

  const dates = c.messages.map((p) => p.message.date).filter((d): d is Date => d !== null);
  const people = c.participants.map((p) =>
    p.name && p.name !== p.handle ? `${p.name} (${p.handle})` : p.handle,
  );
  const meta = [
    people.length ? people.join(', ') : null,
    conv.service,
    `${c.messages.length} message${c.messages.length === 1 ? '' : 's'}`,
    dates.length
      ? `${c.clock.text(dates[0])} \u2013 ${c.clock.text(dates[dates.length - 1])}`
      : null,
    c.clock.utc ? null : c.clock.label,
  ]
    .filter(Boolean)
    .join(' \u00b7 ');
  const convBadge = conv.recovered
    ? `<p><span class="badge" title="${escapeHtml(recoveredText(conv.recovered))}">Recovered (deleted) \u2014 ${escapeHtml(conv.recovered.source)}</span></p>`
    : '';

  return pages.map((here, n) => {
    const nested = here.path !== firstPath;
    const ctx: MessageContext = {
      clock: c.clock,
      link: (path) => relativeTo(here.path, path),
      messageLink: (id) => {
        const target = firstIndex.get(id);
        if (target === undefined) return null;
        const on = pages[pageOf[target]!]!;
        return `${on === here ? '' : hrefFor(relativeTo(here.path, on.path))}#m-${target}`;
      },
      textOf,
      ...(c.nameOf ? { nameOf: c.nameOf } : {}),
    };
    const body: string[] = [];
    let lastDay = '';
    for (let i = here.start; i < here.end; i++) {
      const p = c.messages[i]!;
      const day = c.clock.day(p.message.date) ?? 'unknown date';
      if (day !== lastDay) {
        body.push(`<div class="day">${escapeHtml(day)}</div>`);
        lastDay = day;
      }
      const target = p.message.replyTo ? firstIndex.get(p.message.replyTo) : undefined;
      const relinked =
        (nested &&
          (p.attachments.some((a) => a.exportedPath !== null) ||
            p.reactions.some((r) => r.attachment?.exportedPath))) ||
        (target !== undefined && pageOf[target] !== n);
      body.push(relinked ? messageHtml(p, i, ctx) : drafts[i]!);
    }
    const back = backLink
      ? `<p><a href="${hrefFor(relativeTo(here.path, backLink))}">\u2190 All conversations</a></p>`
      : '';
    const paged = pages.length > 1;
    const nav = paged ? `<nav class="pages">${navHtml(pages, n)}</nav>` : '';
    const html = page(
      n === 0 ? c.title : `${c.title} \u2014 ${pageLabel(here)}`,
      `<header>${back}<h1>${escapeHtml(c.title)}</h1><p>${escapeHtml(meta)}</p>${convBadge}${nav}</header>
<main>
${paged && n === 0 ? `${monthsHtml(pages)}\n` : ''}${body.join('\n')}
${paged ? `<nav class="pages bottom">${navHtml(pages, n)}</nav>\n` : ''}</main>`,
    );
    return { path: here.path, html };
  });
}
