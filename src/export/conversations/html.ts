import { marksOf } from '../marks.js';
import type { MessageCard, TextStyle } from '../../artifacts/conversation.js';
import type { Clock } from '../../time.js';
import { attachmentKind, durationText, eventSentence, messageMarks } from './describe.js';
import {
  ME,
  reactionEmoji,
  recoveredText,
  type PreparedAttachment,
  type PreparedMessage,
} from './model.js';

/** Escapes text for HTML text and quoted attribute values: message text is untrusted. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'\u00a0]+[^\s<>"'\u00a0.,;:!?)\]]/g;

/** Message text, escaped, with http(s) links made clickable (only those schemes: never javascript: or data:). */
export function textHtml(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    out += escapeHtml(text.slice(last, match.index));
    const url = escapeHtml(match[0]);
    out += `<a href="${url}" rel="noopener noreferrer nofollow">${url}</a>`;
    last = match.index! + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

const STYLE_TAGS: Array<[keyof TextStyle, string]> = [
  ['bold', 'b'],
  ['italic', 'i'],
  ['underline', 'u'],
  ['strikethrough', 's'],
];

/** Text with its iOS 18 formatting (bold, italic, underline, strikethrough, animated effects as classes). */
export function styledHtml(text: string, styles: TextStyle[] | undefined): string {
  if (!styles?.length) return textHtml(text);
  const cuts = new Set([0, text.length]);
  for (const st of styles) {
    cuts.add(Math.min(st.start, text.length));
    cuts.add(Math.min(st.start + st.length, text.length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  let out = '';
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i]!, points[i + 1]!];
    if (to <= from) continue;
    let piece = textHtml(text.slice(from, to));
    const st = styles.find((x) => x.start <= from && x.start + x.length >= to);
    if (st) {
      for (const [key, tag] of STYLE_TAGS) if (st[key]) piece = `<${tag}>${piece}</${tag}>`;
      if (st.effect)
        piece = `<span class="fx fx-${escapeHtml(st.effect.replace(/[^a-z0-9]/gi, ''))}" title="${escapeHtml(`${st.effect} effect`)}">${piece}</span>`;
    }
    out += piece;
  }
  return out;
}

/** A rich bubble: link preview, app message, poll, call, contact cards, handwriting. */
export function cardHtml(
  card: MessageCard,
  clock: Clock,
  nameOf: (handle: string | null) => string,
): string {
  const parts = [`<div class="card-label">${escapeHtml(card.label)}</div>`];
  if (card.title) parts.push(`<div class="card-title">${escapeHtml(card.title)}</div>`);
  if (card.svg) parts.push(`<div class="handwriting">${card.svg}</div>`);
  for (const line of card.lines ?? []) parts.push(`<div>${escapeHtml(line)}</div>`);
  for (const t of card.times ?? [])
    parts.push(`<div>${escapeHtml(`${t.label} ${clock.text(t.date)}`)}</div>`);
  if (card.options?.length) {
    const items = card.options.map((o) => {
      const who = o.voters.map(nameOf).join(', ');
      return `<li>${escapeHtml(o.text)}${o.voters.length ? ` <span class="votes">${o.voters.length} \u00b7 ${escapeHtml(who)}</span>` : ''}</li>`;
    });
    parts.push(`<ul class="options">${items.join('')}</ul>`);
  }
  if (card.contacts?.length) {
    const items = card.contacts.map(
      (c) =>
        `<li>${escapeHtml(c.name)}${c.phones.length ? ` <span class="votes">${escapeHtml(c.phones.join(', '))}</span>` : ''}</li>`,
    );
    parts.push(`<ul class="options">${items.join('')}</ul>`);
  }
  if (card.duration !== undefined)
    parts.push(`<div>${escapeHtml(durationText(card.duration))}</div>`);
  if (card.url) parts.push(`<div class="card-url">${textHtml(card.url)}</div>`);
  if (card.note) parts.push(`<div class="card-note">${escapeHtml(card.note)}</div>`);
  return `<div class="card card-${escapeHtml(card.kind.replace(/[^a-z0-9-]/gi, ''))}">${parts.join('')}</div>`;
}

/** A relative path as a URL (each segment percent-encoded), escaped for an attribute. */
export function hrefFor(path: string): string {
  return escapeHtml(path.split('/').map(encodeURIComponent).join('/'));
}

/** No scripts, no remote loads: the page only shows its own text and the copied files beside it. */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' file: data:; media-src 'self' file:";

const STYLE = `
:root { color-scheme: light dark; --in: #e9e9eb; --in-text: #000; --out: #0b84fe; --out-text: #fff; --muted: #6b6b70; --bg: #fff; }
@media (prefers-color-scheme: dark) { :root { --in: #26252a; --in-text: #fff; --bg: #000; --muted: #98989f; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.35 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; background: var(--bg); }
header { position: sticky; top: 0; background: var(--bg); border-bottom: 1px solid var(--in); padding: 12px 16px; z-index: 1; }
header h1 { margin: 0; font-size: 18px; }
header p { margin: 4px 0 0; color: var(--muted); font-size: 13px; }
main { max-width: 760px; margin: 0 auto; padding: 12px 16px 48px; }
.day { text-align: center; color: var(--muted); font-size: 12px; margin: 18px 0 8px; }
.msg { display: flex; flex-direction: column; margin: 6px 0; max-width: 78%; }
.msg, .event, .day { content-visibility: auto; contain-intrinsic-size: auto 48px; }
.msg, .event { scroll-margin-top: 140px; }
.msg:target .bubble { box-shadow: 0 0 0 3px #ffd60a; }
.msg.in { align-items: flex-start; }
.msg.out { align-items: flex-end; margin-left: auto; }
.sender { font-size: 12px; color: var(--muted); margin: 0 10px 2px; }
.bubble { border-radius: 18px; padding: 8px 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.in .bubble { background: var(--in); color: var(--in-text); }
.out .bubble { background: var(--out); color: var(--out-text); }
.out .bubble a { color: var(--out-text); }
.in .bubble.media, .out .bubble.media { background: transparent; padding: 0; color: var(--in-text); }
.in .bubble.media a, .out .bubble.media a { color: var(--out); }
.bubble img, .bubble video { display: block; max-width: 100%; max-height: 420px; border-radius: 12px; margin: 4px 0; }
.bubble audio { display: block; margin: 4px 0; }
.file { display: block; margin: 4px 0; }
.missing { font-style: italic; opacity: .8; }
.subject { font-weight: 600; }
.reply { font-size: 12px; opacity: .8; display: block; margin-bottom: 2px; }
.unsent { font-style: italic; opacity: .85; }
.edits { font-size: 12px; margin-top: 4px; opacity: .9; white-space: normal; }
.edits ol { margin: 4px 0 0; padding-left: 18px; }
.edits s { opacity: .8; }
.reactions { display: flex; flex-wrap: wrap; gap: 4px; margin: 2px 6px 0; }
.reaction { font-size: 12px; border: 1px solid var(--in); border-radius: 10px; padding: 1px 6px; background: var(--bg); }
.time { font-size: 11px; color: var(--muted); margin: 2px 10px 0; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; color: #7a4a00; background: #ffe7b3; border: 1px solid #e0a800; border-radius: 6px; padding: 1px 6px; margin: 3px 6px 0; }
.recovered .bubble { outline: 2px dashed #e0a800; outline-offset: 2px; }
.context { opacity: 0.6; }
.event { text-align: center; color: var(--muted); font-size: 12px; margin: 10px 0; }
.card { border: 1px solid var(--muted); border-radius: 12px; padding: 6px 10px; margin: 4px 0; white-space: normal; }
.card-label { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; opacity: .8; }
.card-title { font-weight: 600; }
.card-note { font-size: 12px; font-style: italic; opacity: .85; }
.card .options { margin: 4px 0; padding-left: 18px; }
.votes { font-size: 12px; opacity: .8; }
.handwriting svg { display: block; width: 100%; max-height: 240px; }
.fx { font-weight: 600; }
.fx-big { font-size: 1.6em; }
.fx-small { font-size: .75em; }
.reaction img { height: 22px; vertical-align: middle; }
.kind { font-size: 12px; opacity: .85; display: block; }
.translation { font-size: 12px; opacity: .9; margin-top: 4px; }
nav.pages { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 0; font-size: 13px; color: var(--muted); }
nav.pages.bottom { justify-content: center; margin: 24px 0 0; }
nav.months ul { columns: 14em; padding-left: 18px; }
nav.months li { margin: 2px 0; break-inside: avoid; }
.count { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--in); vertical-align: top; }
`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const IMAGE = /^image\/(jpeg|jpg|png|gif|webp|bmp|avif)$/i;
const IMAGE_EXT = /\.(jpe?g|png|gif|webp|bmp|avif)$/i;
const VIDEO = /^video\/(mp4|quicktime|webm|x-m4v)$/i;
const AUDIO = /^audio\//i;
const ACTIVE = /\.(svgz?|x?html?|xht|xml|xsl|m?js)$/i;

function attachmentHtml(
  { attachment: a, exportedPath, previewPath }: PreparedAttachment,
  link: (path: string) => string,
): string {
  const name = escapeHtml(a.fileName);
  const kind = attachmentKind(a);
  const label = kind ? `<span class="kind">${escapeHtml(kind)}</span>` : '';
  const transcript = a.transcript
    ? `<span class="kind">\u201c${escapeHtml(a.transcript)}\u201d</span>`
    : '';
  if (a.expired)
    return `<span class="file missing">${escapeHtml(kind ?? 'Attachment')} expired (not kept): ${name}</span>${transcript}`;
  if (!exportedPath)
    return `${label}<span class="file missing">\ud83d\udcce ${name} (not in the backup)</span>${transcript}`;
  const href = hrefFor(link(exportedPath));
  const mime = a.mimeType ?? '';
  if (a.kind === 'genmoji' || a.kind === 'sticker')
    return `<a href="${href}"><img class="${a.kind}" src="${href}" alt="${escapeHtml(kind ?? a.fileName)}" title="${escapeHtml(kind ?? a.fileName)}" loading="lazy"></a>`;
  if (a.kind === 'audio-message' && !/^audio\/(mp4|mpeg|aac|ogg|wav|x-m4a)/i.test(mime))
    return `${label}<a class="file" href="${href}">\ud83c\udfa4 ${escapeHtml(exportedPath.split('/').pop()!)}</a>${transcript}`;
  if (previewPath)
    return `<a href="${href}"><img src="${hrefFor(link(previewPath))}" alt="${name}" loading="lazy"></a>`;
  // HEIC shows in Safari only: link it (use --heic-to-jpeg for inline previews)
  if (/^image\/hei[cf]/i.test(mime) || /\.hei[cf]$/i.test(a.fileName))
    return `<a class="file" href="${href}">\ud83d\uddbc\ufe0f ${name}</a>`;
  if (IMAGE.test(mime) || (!mime && IMAGE_EXT.test(exportedPath))) {
    return `<a href="${href}"><img src="${href}" alt="${name}" loading="lazy"></a>`;
  }
  if (VIDEO.test(mime))
    return `<video controls preload="metadata" src="${href}"></video><a class="file" href="${href}">${name}</a>`;
  if (AUDIO.test(mime))
    return `${label}<audio controls preload="none" src="${href}"></audio><a class="file" href="${href}">${name}</a>${transcript}`;
  // A stranger's .svg or .html would run its scripts if opened from here: offered as a download only.
  if (ACTIVE.test(a.fileName) || /svg|html|xml|javascript/i.test(mime))
    return `<a class="file" href="${href}" download>\ud83d\udcce ${name} (download)</a>`;
  return `<a class="file" href="${href}">\ud83d\udcce ${name}</a>`;
}

/** What a message needs to know about the page it is written on. */
export interface MessageContext {
  clock: Clock;
  /** A path relative to the conversation folder (an attachment), as a link from this page. */
  link: (path: string) => string;
  /** The href (encoded and escaped) of the message with this id, maybe on another page ("pages/2024-03.html#m-12"). */
  messageLink: (id: string) => string | null;
  /** The text of the message with this id, for reply quotes; undefined when it is not in the conversation. */
  textOf: (id: string) => string | null | undefined;
  /** A handle as the export names the person (poll voters). */
  nameOf?: (handle: string | null) => string;
}

/** One message as HTML; its anchor is m-INDEX (the index in the whole conversation). */
export function messageHtml(p: PreparedMessage, index: number, ctx: MessageContext): string {
  const humanDate = (date: Date | null | undefined) => ctx.clock.text(date);
  const m = p.message;
  const showSender = !m.fromMe;
  const time = `<span title="${escapeHtml(humanDate(m.date))}">${escapeHtml(humanDate(m.date))}</span>`;
  const context = marksOf(m).context;
  const badge =
    (m.recovered
      ? `<span class="badge" title="${escapeHtml(recoveredText(m.recovered))}">Recovered (deleted) \u2014 ${escapeHtml(m.recovered.source)}</span>`
      : '') +
    (context ? `<span class="badge context">Context \u2014 ${escapeHtml(context)}</span>` : '');
  if (m.event) {
    return `<div class="event${m.recovered ? ' recovered' : ''}" id="m-${index}">${escapeHtml(eventSentence(m, p.senderName, p.eventText))} \u00b7 ${time}${badge ? ` ${badge}` : ''}</div>`;
  }
  const parts: string[] = [];
  if (m.replyTo || m.quote) {
    const target = m.replyTo ? ctx.messageLink(m.replyTo) : null;
    const found = m.replyTo ? ctx.textOf(m.replyTo) : undefined;
    const quoted = found ?? m.quote?.text ?? null;
    const short = quoted && quoted.length > 60 ? `${quoted.slice(0, 60)}\u2026` : quoted;
    const gone = found === undefined;
    const label = `\u21a9 Reply${short ? ` to \u201c${short}\u201d` : gone ? ' to a message that is no longer in this backup' : ''}${short && gone ? ' (the original is no longer in this backup)' : ''}`;
    parts.push(
      target !== null
        ? `<a class="reply" href="${target}">${escapeHtml(label)}</a>`
        : `<span class="reply">${escapeHtml(label)}</span>`,
    );
  }
  if (m.subject) parts.push(`<div class="subject">${escapeHtml(m.subject)}</div>`);
  if (m.unsent)
    parts.push(
      `<div class="unsent">${m.fromMe ? 'You' : escapeHtml(p.senderName)} unsent a message${m.editedAt ? ` (${escapeHtml(humanDate(m.editedAt))})` : ''}</div>`,
    );
  if (m.parts) {
    for (const part of m.parts) {
      if ('text' in part)
        parts.push(`<div class="text">${styledHtml(part.text, part.styles)}</div>`);
      else if (p.attachments[part.attachment])
        parts.push(attachmentHtml(p.attachments[part.attachment]!, ctx.link));
    }
  } else {
    if (m.text !== null) parts.push(`<div class="text">${styledHtml(m.text, m.textStyles)}</div>`);
    parts.push(...p.attachments.map((a) => attachmentHtml(a, ctx.link)));
  }
  const nameOf = ctx.nameOf ?? ((h: string | null) => h ?? ME);
  if (m.card) parts.push(cardHtml(m.card, ctx.clock, nameOf));
  if (m.translation)
    parts.push(
      `<div class="translation">Translation${m.translation.language ? ` (${escapeHtml(m.translation.language)})` : ''}: ${escapeHtml(m.translation.text)}</div>`,
    );
  if (m.text === null && !m.unsent && !m.subject && p.attachments.length === 0 && !m.card)
    parts.push('<div class="unsent">(no text)</div>');
  if (m.edits && m.edits.length > 0) {
    const items = m.edits
      .map(
        (e) =>
          `<li><s>${escapeHtml(e.text)}</s> <span>${escapeHtml(humanDate(e.date))}</span></li>`,
      )
      .join('');
    parts.push(
      `<details class="edits"><summary>Edited${m.editedAt ? ` ${escapeHtml(humanDate(m.editedAt))}` : ''}</summary><ol>${items}</ol></details>`,
    );
  } else if (m.editedAt && !m.unsent) {
    parts.push(`<div class="edits">Edited ${escapeHtml(humanDate(m.editedAt))}</div>`);
  }
  const reactions = p.reactions.length
    ? `<div class="reactions">${p.reactions.map((r) => `<span class="reaction" title="${escapeHtml(`${reactionWords(r)} by ${r.by} \u00b7 ${humanDate(r.date)}${r.recovered ? ` \u00b7 ${recoveredText(r.recovered)}` : ''}`)}">${reactionFace(r, ctx.link)} ${escapeHtml(r.by)}${r.recovered ? ' (recovered)' : ''}</span>`).join('')}</div>`
    : '';
  const status = [
    m.effect ? `sent with ${m.effect}` : null,
    m.service,
    ...messageMarks(m),
    m.dateRead ? `read ${humanDate(m.dateRead)}` : null,
    m.fromMe && m.dateDelivered ? `delivered ${humanDate(m.dateDelivered)}` : null,
  ]
    .filter(Boolean)
    .join(' \u00b7 ');
  const mediaOnly =
    !m.card &&
    m.text === null &&
    !m.unsent &&
    !m.subject &&
    !m.replyTo &&
    p.attachments.length > 0 &&
    p.attachments.every((a) => a.exportedPath !== null);
  return `<div class="msg ${m.fromMe ? 'out' : 'in'}${m.recovered ? ' recovered' : ''}${context ? ' context' : ''}" id="m-${index}">
${showSender ? `<div class="sender">${escapeHtml(p.senderName)}</div>` : ''}<div class="bubble${mediaOnly ? ' media' : ''}">${parts.join('')}</div>${reactions}
<div class="time">${time}${status ? ` <span>\u00b7 ${escapeHtml(status)}</span>` : ''}</div>${badge}
</div>`;
}

/** What a reaction was, in words: the tapback, the emoji, or the sticker / Genmoji placed. */
export function reactionWords(r: PreparedMessage['reactions'][number]): string {
  const kind = r.attachment ? attachmentKind(r.attachment.attachment) : null;
  return kind ?? r.kind;
}

function reactionFace(
  r: PreparedMessage['reactions'][number],
  link: (path: string) => string,
): string {
  const path = r.attachment?.exportedPath;
  if (path) {
    const words = escapeHtml(reactionWords(r));
    return `<img src="${hrefFor(link(path))}" alt="${words}" title="${words}">`;
  }
  return escapeHtml(reactionEmoji(r.kind));
}

export interface IndexRow {
  title: string;
  href: string | null;
  messages: number;
  first: Date | null;
  last: Date | null;
  recovered: number;
  participants: string;
  /** HTML pages the conversation was written in. */
  pages: number;
}

/** index.html: every conversation, with counts and dates, linking to its page. */
export function indexHtml(heading: string, rows: IndexRow[], clock: Clock): string {
  const humanDate = (date: Date | null) => clock.text(date);
  const lines = rows.map(
    (r) =>
      `<tr><td>${r.href ? `<a href="${hrefFor(r.href)}">${escapeHtml(r.title)}</a>` : escapeHtml(r.title)}</td><td>${escapeHtml(r.participants)}</td><td>${r.messages}${r.pages > 1 ? ` <span class="count">in ${r.pages} pages</span>` : ''}</td><td>${escapeHtml(humanDate(r.first))}</td><td>${escapeHtml(humanDate(r.last))}</td><td>${r.recovered ? `<span class="badge">${r.recovered} recovered</span>` : ''}</td></tr>`,
  );
  return page(
    heading,
    `<header><h1>${escapeHtml(heading)}</h1><p>${rows.length} conversation${rows.length === 1 ? '' : 's'}${clock.utc ? '' : ` \u00b7 ${escapeHtml(clock.label)}`}</p></header>
<main>
<table><thead><tr><th>Conversation</th><th>With</th><th>Messages</th><th>First</th><th>Last</th><th></th></tr></thead>
<tbody>
${lines.join('\n')}
</tbody></table>
</main>`,
  );
}
