import {
  humanDate,
  reactionEmoji,
  recoveredText,
  type PreparedAttachment,
  type PreparedConversation,
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
.event { text-align: center; color: var(--muted); font-size: 12px; margin: 10px 0; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--in); vertical-align: top; }
`;

function page(title: string, body: string): string {
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

function attachmentHtml({ attachment: a, exportedPath, previewPath }: PreparedAttachment): string {
  const name = escapeHtml(a.fileName);
  if (!exportedPath)
    return `<span class="file missing">\ud83d\udcce ${name} (not in the backup)</span>`;
  const href = hrefFor(exportedPath);
  const mime = a.mimeType ?? '';
  if (previewPath)
    return `<a href="${href}"><img src="${hrefFor(previewPath)}" alt="${name}" loading="lazy"></a>`;
  // HEIC shows in Safari only: link it (use --heic-to-jpeg for inline previews)
  if (/^image\/hei[cf]/i.test(mime) || /\.hei[cf]$/i.test(a.fileName))
    return `<a class="file" href="${href}">\ud83d\uddbc\ufe0f ${name}</a>`;
  if (IMAGE.test(mime) || (!mime && IMAGE_EXT.test(a.fileName))) {
    return `<a href="${href}"><img src="${href}" alt="${name}" loading="lazy"></a>`;
  }
  if (VIDEO.test(mime))
    return `<video controls preload="metadata" src="${href}"></video><a class="file" href="${href}">${name}</a>`;
  if (AUDIO.test(mime))
    return `<audio controls preload="none" src="${href}"></audio><a class="file" href="${href}">${name}</a>`;
  // A stranger's .svg or .html would run its scripts if opened from here: offered as a download only.
  if (ACTIVE.test(a.fileName) || /svg|html|xml|javascript/i.test(mime))
    return `<a class="file" href="${href}" download>\ud83d\udcce ${name} (download)</a>`;
  return `<a class="file" href="${href}">\ud83d\udcce ${name}</a>`;
}

function messageHtml(
  p: PreparedMessage,
  index: number,
  anchors: Map<string, number>,
  showSender: boolean,
  byId: Map<string, PreparedMessage>,
): string {
  const m = p.message;
  const time = `<span title="${escapeHtml(humanDate(m.date))}">${escapeHtml(humanDate(m.date))}</span>`;
  const badge = m.recovered
    ? `<span class="badge" title="${escapeHtml(recoveredText(m.recovered))}">Recovered (deleted) \u2014 ${escapeHtml(m.recovered.source)}</span>`
    : '';
  if (m.event) {
    return `<div class="event${m.recovered ? ' recovered' : ''}" id="m-${index}">${escapeHtml(m.fromMe ? 'You' : p.senderName)} ${escapeHtml(p.eventText ?? m.event)} \u00b7 ${time}${badge ? ` ${badge}` : ''}</div>`;
  }
  const parts: string[] = [];
  if (m.replyTo) {
    const target = anchors.get(m.replyTo);
    const quoted = byId.get(m.replyTo)?.message.text;
    const label = `\u21a9 Reply${quoted ? ` to \u201c${quoted.length > 60 ? `${quoted.slice(0, 60)}\u2026` : quoted}\u201d` : ''}`;
    parts.push(
      target !== undefined
        ? `<a class="reply" href="#m-${target}">${escapeHtml(label)}</a>`
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
      if ('text' in part) parts.push(`<div class="text">${textHtml(part.text)}</div>`);
      else if (p.attachments[part.attachment])
        parts.push(attachmentHtml(p.attachments[part.attachment]!));
    }
  } else {
    if (m.text !== null) parts.push(`<div class="text">${textHtml(m.text)}</div>`);
    parts.push(...p.attachments.map(attachmentHtml));
  }
  if (m.text === null && !m.unsent && !m.subject && p.attachments.length === 0)
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
    ? `<div class="reactions">${p.reactions.map((r) => `<span class="reaction" title="${escapeHtml(`${r.kind} by ${r.by} \u00b7 ${humanDate(r.date)}${r.recovered ? ` \u00b7 ${recoveredText(r.recovered)}` : ''}`)}">${escapeHtml(reactionEmoji(r.kind))} ${escapeHtml(r.by)}${r.recovered ? ' (recovered)' : ''}</span>`).join('')}</div>`
    : '';
  const status = [
    m.effect ? `sent with ${m.effect}` : null,
    m.service,
    m.dateRead ? `read ${humanDate(m.dateRead)}` : null,
    m.fromMe && m.dateDelivered ? `delivered ${humanDate(m.dateDelivered)}` : null,
  ]
    .filter(Boolean)
    .join(' \u00b7 ');
  const mediaOnly =
    m.text === null &&
    !m.unsent &&
    !m.subject &&
    !m.replyTo &&
    p.attachments.length > 0 &&
    p.attachments.every((a) => a.exportedPath !== null);
  return `<div class="msg ${m.fromMe ? 'out' : 'in'}${m.recovered ? ' recovered' : ''}" id="m-${index}">
${showSender ? `<div class="sender">${escapeHtml(p.senderName)}</div>` : ''}<div class="bubble${mediaOnly ? ' media' : ''}">${parts.join('')}</div>${reactions}
<div class="time">${time}${status ? ` <span>\u00b7 ${escapeHtml(status)}</span>` : ''}</div>${badge}
</div>`;
}

/** One conversation as a self-contained page: bubbles, names, inline images, reactions, edits, recovered marks. */
export function conversationHtml(c: PreparedConversation, backLink: string | null): string {
  const conv = c.conversation;
  const anchors = new Map<string, number>();
  const byId = new Map<string, PreparedMessage>();
  c.messages.forEach((p, i) => {
    if (!anchors.has(p.message.id)) anchors.set(p.message.id, i);
    byId.set(p.message.id, p);
  });
  const dates = c.messages.map((p) => p.message.date).filter((d): d is Date => d !== null);
  const people = c.participants.map((p) =>
    p.name && p.name !== p.handle ? `${p.name} (${p.handle})` : p.handle,
  );
  const meta = [
    people.length ? people.join(', ') : null,
    conv.service,
    `${c.messages.length} message${c.messages.length === 1 ? '' : 's'}`,
    dates.length ? `${humanDate(dates[0])} \u2013 ${humanDate(dates[dates.length - 1])}` : null,
  ]
    .filter(Boolean)
    .join(' \u00b7 ');
  let lastDay = '';
  const body: string[] = [];
  c.messages.forEach((p, i) => {
    const day = p.message.date ? p.message.date.toISOString().slice(0, 10) : 'unknown date';
    if (day !== lastDay) {
      body.push(`<div class="day">${escapeHtml(day)}</div>`);
      lastDay = day;
    }
    body.push(messageHtml(p, i, anchors, !p.message.fromMe, byId));
  });
  const convBadge = conv.recovered
    ? `<p><span class="badge" title="${escapeHtml(recoveredText(conv.recovered))}">Recovered (deleted) \u2014 ${escapeHtml(conv.recovered.source)}</span></p>`
    : '';
  const back = backLink ? `<p><a href="${hrefFor(backLink)}">\u2190 All conversations</a></p>` : '';
  return page(
    c.title,
    `<header>${back}<h1>${escapeHtml(c.title)}</h1><p>${escapeHtml(meta)}</p>${convBadge}</header>
<main>
${body.join('\n')}
</main>`,
  );
}

export interface IndexRow {
  title: string;
  href: string | null;
  messages: number;
  first: Date | null;
  last: Date | null;
  recovered: number;
  participants: string;
}

/** index.html: every conversation, with counts and dates, linking to its page. */
export function indexHtml(heading: string, rows: IndexRow[]): string {
  const lines = rows.map(
    (r) =>
      `<tr><td>${r.href ? `<a href="${hrefFor(r.href)}">${escapeHtml(r.title)}</a>` : escapeHtml(r.title)}</td><td>${escapeHtml(r.participants)}</td><td>${r.messages}</td><td>${escapeHtml(humanDate(r.first))}</td><td>${escapeHtml(humanDate(r.last))}</td><td>${r.recovered ? `<span class="badge">${r.recovered} recovered</span>` : ''}</td></tr>`,
  );
  return page(
    heading,
    `<header><h1>${escapeHtml(heading)}</h1><p>${rows.length} conversation${rows.length === 1 ? '' : 's'}</p></header>
<main>
<table><thead><tr><th>Conversation</th><th>With</th><th>Messages</th><th>First</th><th>Last</th><th></th></tr></thead>
<tbody>
${lines.join('\n')}
</tbody></table>
</main>`,
  );
}
