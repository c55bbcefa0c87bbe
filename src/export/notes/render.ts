import type { Note, NoteAttachment, NoteParagraph, NoteRun } from '../../artifacts/notes/model.js';
import { UTC_CLOCK, type Clock } from '../../time.js';

/** Where each attachment's file was copied, relative to the export folder of this artifact. */
export type AttachmentPaths = Map<string, string>;

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** Links are kept only for schemes that cannot run script. */
export function safeUrl(url: string | undefined | null): string | null {
  if (!url) return null;
  const trimmed = url.trim();
  return /^(https?|mailto|tel|sms|facetime|maps|applenotes|notes):/i.test(trimmed) ? trimmed : null;
}

export function lockMessage(note: Note): string {
  switch (note.lockState) {
    case 'wrong-password':
      return 'This note is locked, and the notes password given does not unlock it.';
    case 'unsupported':
      return 'This note is locked in a format Reclaim does not decrypt; only its title is shown.';
    default:
      return 'This note is locked: give the notes password (--notes-password-file) to decrypt it.';
  }
}

export function recoveredLabel(note: Note): string {
  return note.recovered
    ? `Recovered from deleted space (${note.recovered.source}${note.recovered.partial ? ', partial' : ''})`
    : '';
}

// ---------------------------------------------------------------- HTML

function htmlRun(run: NoteRun): string {
  let s = escapeHtml(run.text);
  if (run.superscript) s = run.superscript > 0 ? `<sup>${s}</sup>` : `<sub>${s}</sub>`;
  if (run.bold) s = `<strong>${s}</strong>`;
  if (run.italic) s = `<em>${s}</em>`;
  if (run.underline) s = `<u>${s}</u>`;
  if (run.strikethrough) s = `<s>${s}</s>`;
  const href = safeUrl(run.link);
  if (href) s = `<a href="${escapeHtml(href)}">${s}</a>`;
  return s;
}

function htmlAttachment(
  att: NoteAttachment | undefined,
  id: string,
  paths: AttachmentPaths,
  prefix: string,
): string {
  if (!att) return `<span class="missing">[attachment ${escapeHtml(id)} not found]</span>`;
  if (att.kind === 'hashtag' || att.kind === 'mention' || att.kind === 'link')
    return `<span class="inline-${att.kind}">${escapeHtml(att.altText ?? '')}</span>`;
  if (att.kind === 'table') {
    if (!att.table)
      return `<p class="missing">[table not decoded${att.note ? `: ${escapeHtml(att.note)}` : ''}]</p>`;
    const rows = att.table
      .map(
        (row) =>
          `<tr>${row.map((cell) => `<td>${cell.map((p) => p.runs.map(htmlRun).join('')).join('<br>')}</td>`).join('')}</tr>`,
      )
      .join('\n');
    return `<table class="note-table">\n${rows}\n</table>`;
  }
  if (att.kind === 'url') {
    const href = safeUrl(att.url);
    const label = escapeHtml(att.title ?? att.url ?? 'link');
    return href
      ? `<a class="url" href="${escapeHtml(href)}">${label}</a>`
      : `<span class="url">${label}</span>`;
  }
  if (att.pages && att.pages.length > 0) {
    return `<div class="scan">${att.pages.map((p) => htmlAttachment(p, p.id, paths, prefix)).join('\n')}</div>`;
  }
  const path = paths.get(att.id);
  const label = escapeHtml(att.title ?? att.files[0]?.name ?? att.kind);
  if (!path)
    return `<span class="missing">[${escapeHtml(att.kind)} attachment${att.note ? `: ${escapeHtml(att.note)}` : ''}]</span>`;
  const href = escapeHtml(prefix + path.split('/').map(encodeURIComponent).join('/'));
  const isImage = /\.(jpe?g|png|gif|heic|webp|tiff?)$/i.test(path);
  const fallback = att.files[0]?.role !== 'media' ? ' <span class="badge">preview</span>' : '';
  if (isImage)
    return `<figure class="${att.kind}"><a href="${href}"><img src="${href}" alt="${label}"></a>${fallback}</figure>`;
  if (/\.(mp4|mov|m4v)$/i.test(path)) return `<video controls src="${href}"></video>`;
  if (/\.(m4a|mp3|wav|caf|aac)$/i.test(path)) return `<audio controls src="${href}"></audio>`;
  return `<a class="file" href="${href}">${label}</a>${fallback}`;
}

function htmlParagraphContent(
  p: NoteParagraph,
  note: Note,
  paths: AttachmentPaths,
  prefix: string,
): string {
  return p.runs
    .map((r) =>
      r.attachmentId
        ? htmlAttachment(
            note.attachments.find((a) => a.id === r.attachmentId),
            r.attachmentId,
            paths,
            prefix,
          )
        : htmlRun(r),
    )
    .join('');
}

const LIST_TAG: Partial<Record<NoteParagraph['style'], string>> = {
  bulleted: 'ul class="bulleted"',
  dashed: 'ul class="dashed"',
  numbered: 'ol',
  checklist: 'ul class="checklist"',
};

export function noteBodyHtml(note: Note, paths: AttachmentPaths, prefix: string): string {
  const paragraphs = note.paragraphs ?? [];
  const out: string[] = [];
  let i = 0;
  while (i < paragraphs.length) {
    const p = paragraphs[i]!;
    const listTag = LIST_TAG[p.style];
    if (listTag) {
      const tag = listTag.split(' ')[0]!;
      out.push(`<${listTag}>`);
      while (i < paragraphs.length && paragraphs[i]!.style === p.style) {
        const item = paragraphs[i]!;
        const indent = item.indent ? ` style="margin-left:${item.indent * 1.5}em"` : '';
        const content = htmlParagraphContent(item, note, paths, prefix);
        if (item.style === 'checklist') {
          out.push(
            `<li class="${item.done ? 'done' : 'todo'}" data-done="${item.done ? 'true' : 'false'}"${indent}><input type="checkbox" disabled${item.done ? ' checked' : ''}> ${content}</li>`,
          );
        } else out.push(`<li${indent}>${content}</li>`);
        i++;
      }
      out.push(`</${tag}>`);
      continue;
    }
    if (p.style === 'monospaced') {
      const lines: string[] = [];
      while (i < paragraphs.length && paragraphs[i]!.style === 'monospaced')
        lines.push(htmlParagraphContent(paragraphs[i++]!, note, paths, prefix));
      out.push(`<pre><code>${lines.join('\n')}</code></pre>`);
      continue;
    }
    const content = htmlParagraphContent(p, note, paths, prefix) || '<br>';
    const tag =
      p.style === 'title'
        ? 'h1'
        : p.style === 'heading'
          ? 'h2'
          : p.style === 'subheading'
            ? 'h3'
            : 'p';
    const block = `<${tag}>${content}</${tag}>`;
    out.push(p.blockQuote ? `<blockquote>${block}</blockquote>` : block);
    i++;
  }
  return out.join('\n');
}

const STYLE = `body{font-family:-apple-system,system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}
.meta{color:#666;font-size:.9em}.badge{display:inline-block;padding:0 .5em;border-radius:.6em;font-size:.8em;background:#eee;margin-right:.3em}
.badge.locked{background:#ffe4b3}.badge.recovered{background:#d8ecff}.badge.deleted{background:#ffd6d6}
ul.checklist{list-style:none;padding-left:.5em}li.done{color:#777}ul.dashed{list-style-type:"– "}
img{max-width:100%}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
.missing{color:#a00}pre{background:#f5f5f5;padding:.5em}`;

export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escapeHtml(title)}</title>\n<style>\n${STYLE}\n</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
}

export function noteBadgesHtml(note: Note): string {
  const badges: string[] = [];
  if (note.locked)
    badges.push(
      `<span class="badge locked">${note.lockState === 'decrypted' ? 'Locked (decrypted)' : 'Locked'}</span>`,
    );
  if (note.inRecentlyDeleted) badges.push('<span class="badge deleted">Recently Deleted</span>');
  if (note.recovered)
    badges.push(
      `<span class="badge recovered" title="${escapeHtml(recoveredLabel(note))}">Recovered</span>`,
    );
  if (note.pinned) badges.push('<span class="badge">Pinned</span>');
  return badges.join('');
}

/** `<time datetime="2024-03-08T12:02:00.000-05:00">2024-03-08 12:02:00</time>` in the clock's zone. */
export function timeHtml(date: Date, clock: Clock, seconds = true): string {
  return `<time datetime="${clock.iso(date)}">${clock.text(date, seconds)}</time>`;
}

export function noteHtml(note: Note, paths: AttachmentPaths, clock: Clock = UTC_CLOCK): string {
  const meta = [
    note.folder ? `Folder: ${escapeHtml(note.folder)}` : '',
    note.account ? `Account: ${escapeHtml(note.account)}` : '',
    note.created ? `Created: ${timeHtml(note.created, clock)}` : '',
    note.modified ? `Modified: ${timeHtml(note.modified, clock)}` : '',
    !clock.utc && (note.created || note.modified) ? escapeHtml(clock.label) : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const badges = noteBadgesHtml(note);
  const parts = [
    `<p class="meta"><a href="index.html">All notes</a> · ${meta}</p>`,
    ...(badges ? [`<p>${badges}</p>`] : []),
  ];
  if (note.recovered) parts.push(`<p class="meta">${escapeHtml(recoveredLabel(note))}</p>`);
  const titleShown = note.paragraphs?.[0]?.style === 'title';
  if (!titleShown) parts.push(`<h1>${escapeHtml(note.title)}</h1>`);
  if (note.paragraphs) parts.push(`<article>\n${noteBodyHtml(note, paths, '../')}\n</article>`);
  if (note.locked && note.lockState !== 'decrypted')
    parts.push(`<p class="locked-message">🔒 ${escapeHtml(lockMessage(note))}</p>`);
  for (const issue of note.issues.filter((i) => !i.startsWith('locked note')))
    parts.push(`<p class="missing">${escapeHtml(issue)}</p>`);
  return htmlPage(note.title, parts.join('\n'));
}

// ---------------------------------------------------------------- Markdown

export function escapeMarkdown(text: string): string {
  // Intraword underscores (IMG_0001) never make emphasis in CommonMark: left as they are.
  return text
    .replace(/([\\`*[\]<>~|])/g, '\\$1')
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_');
}

function mdRun(run: NoteRun): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(run.text)!;
  const [, lead, core, trail] = match;
  if (!core) return run.text;
  let s = escapeMarkdown(core!);
  if (run.superscript) s = run.superscript > 0 ? `<sup>${s}</sup>` : `<sub>${s}</sub>`;
  if (run.underline) s = `<u>${s}</u>`;
  if (run.strikethrough) s = `~~${s}~~`;
  if (run.italic) s = `*${s}*`;
  if (run.bold) s = `**${s}**`;
  const href = safeUrl(run.link);
  if (href) s = `[${s}](<${href.replace(/[<>]/g, encodeURIComponent)}>)`;
  return lead + s + trail;
}

function mdAttachment(
  att: NoteAttachment | undefined,
  id: string,
  paths: AttachmentPaths,
  prefix: string,
): string {
  if (!att) return `[attachment ${escapeMarkdown(id)} not found]`;
  if (att.kind === 'hashtag' || att.kind === 'mention' || att.kind === 'link')
    return escapeMarkdown(att.altText ?? '');
  if (att.kind === 'table') {
    if (!att.table) return `[table not decoded${att.note ? `: ${escapeMarkdown(att.note)}` : ''}]`;
    const cell = (paragraphs: NoteParagraph[]): string =>
      paragraphs.map((p) => p.runs.map(mdRun).join('')).join('<br>');
    const width = Math.max(1, ...att.table.map((r) => r.length));
    const lines = att.table.map(
      (row) => `| ${Array.from({ length: width }, (_, i) => cell(row[i] ?? [])).join(' | ')} |`,
    );
    lines.splice(1, 0, `| ${Array.from({ length: width }, () => '---').join(' | ')} |`);
    return `\n\n${lines.join('\n')}\n\n`;
  }
  if (att.kind === 'url') {
    const href = safeUrl(att.url);
    return href
      ? `[${escapeMarkdown(att.title ?? att.url ?? 'link')}](<${href}>)`
      : escapeMarkdown(att.url ?? '');
  }
  if (att.pages && att.pages.length > 0)
    return att.pages.map((p) => mdAttachment(p, p.id, paths, prefix)).join(' ');
  const path = paths.get(att.id);
  const label = escapeMarkdown(att.title ?? att.files[0]?.name ?? att.kind);
  if (!path) return `[${att.kind} attachment${att.note ? `: ${escapeMarkdown(att.note)}` : ''}]`;
  const target = `<${prefix}${path}>`;
  return /\.(jpe?g|png|gif|heic|webp|tiff?)$/i.test(path)
    ? `![${label}](${target})`
    : `[${label}](${target})`;
}

function mdContent(p: NoteParagraph, note: Note, paths: AttachmentPaths, prefix: string): string {
  return p.runs
    .map((r) =>
      r.attachmentId
        ? mdAttachment(
            note.attachments.find((a) => a.id === r.attachmentId),
            r.attachmentId,
            paths,
            prefix,
          )
        : mdRun(r),
    )
    .join('');
}

const yaml = (v: string): string => JSON.stringify(v);

export function noteMarkdown(note: Note, paths: AttachmentPaths, clock: Clock = UTC_CLOCK): string {
  const front = ['---', `title: ${yaml(note.title)}`];
  if (note.folder) front.push(`folder: ${yaml(note.folder)}`);
  if (note.account) front.push(`account: ${yaml(note.account)}`);
  if (note.created) front.push(`created: ${clock.iso(note.created)}`);
  if (note.modified) front.push(`modified: ${clock.iso(note.modified)}`);
  if (note.locked) front.push(`locked: true`, `decrypted: ${note.lockState === 'decrypted'}`);
  if (note.inRecentlyDeleted) front.push('recently_deleted: true');
  if (note.recovered) front.push(`recovered: ${yaml(note.recovered.source)}`);
  front.push('---', '');
  const lines: string[] = [];
  const paragraphs = note.paragraphs ?? [];
  if (paragraphs[0]?.style !== 'title') lines.push(`# ${escapeMarkdown(note.title)}`, '');
  if (note.recovered) lines.push(`> ${escapeMarkdown(recoveredLabel(note))}`, '');
  let numbered = 0;
  let inCode = false;
  paragraphs.forEach((p, i) => {
    const prev = paragraphs[i - 1];
    if (p.style !== 'monospaced' && inCode) {
      lines.push('```', '');
      inCode = false;
    }
    numbered = p.style === 'numbered' ? (prev?.style === 'numbered' ? numbered + 1 : 1) : 0;
    const pad = '  '.repeat(p.indent);
    const quote = p.blockQuote ? '> ' : '';
    switch (p.style) {
      case 'title':
        lines.push(`# ${mdContent(p, note, paths, prefixOf())}`, '');
        break;
      case 'heading':
        lines.push(`## ${mdContent(p, note, paths, prefixOf())}`, '');
        break;
      case 'subheading':
        lines.push(`### ${mdContent(p, note, paths, prefixOf())}`, '');
        break;
      case 'monospaced':
        if (!inCode) lines.push('```');
        inCode = true;
        lines.push(p.runs.map((r) => r.text).join(''));
        break;
      case 'bulleted':
        lines.push(`${quote}${pad}- ${mdContent(p, note, paths, prefixOf())}`);
        break;
      case 'dashed':
        lines.push(`${quote}${pad}- ${mdContent(p, note, paths, prefixOf())}`);
        break;
      case 'numbered':
        lines.push(`${quote}${pad}${numbered}. ${mdContent(p, note, paths, prefixOf())}`);
        break;
      case 'checklist':
        lines.push(
          `${quote}${pad}- [${p.done ? 'x' : ' '}] ${mdContent(p, note, paths, prefixOf())}`,
        );
        break;
      default: {
        const text = mdContent(p, note, paths, prefixOf()).replace(
          /^(\s*)([#+-]|\d+\.)(?=\s)/,
          '$1\\$2',
        );
        lines.push(text ? `${quote}${text}` : '', '');
      }
    }
    const next = paragraphs[i + 1];
    if (
      ['bulleted', 'dashed', 'numbered', 'checklist'].includes(p.style) &&
      next?.style !== p.style
    )
      lines.push('');
  });
  if (inCode) lines.push('```', '');
  if (note.locked && note.lockState !== 'decrypted')
    lines.push(`> 🔒 ${escapeMarkdown(lockMessage(note))}`, '');
  for (const issue of note.issues.filter((x) => !x.startsWith('locked note')))
    lines.push(`> ${escapeMarkdown(issue)}`, '');
  return `${front.join('\n')}${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function prefixOf(): string {
  return '../';
}
