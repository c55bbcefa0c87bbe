import type { NoteParagraph, NoteParagraphStyle, NoteRun } from './model.js';

/**
 * The HTML body of a legacy note (notes.sqlite ZNOTEBODY.ZCONTENT, iOS 4-8) turned into paragraphs.
 * Nothing of the HTML is passed through: tags become formatting, everything else is text.
 */

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X'
          ? parseInt(name.slice(2), 16)
          : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const BLOCK = new Set([
  'div',
  'p',
  'br',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'tr',
  'blockquote',
  'pre',
  'hr',
]);

export function htmlToParagraphs(html: string): NoteParagraph[] {
  const paragraphs: NoteParagraph[] = [];
  let runs: NoteRun[] = [];
  let style: NoteParagraphStyle = 'body';
  const open = { b: 0, i: 0, u: 0, s: 0 };
  const links: Array<string | null> = [];
  const lists: Array<'ul' | 'ol'> = [];
  let skip = 0;

  const flush = (force = false): void => {
    if (runs.length > 0 || force)
      paragraphs.push({ style, indent: Math.max(0, lists.length - 1), runs });
    runs = [];
    style = lists.length ? (lists.at(-1) === 'ol' ? 'numbered' : 'bulleted') : 'body';
  };
  const addText = (raw: string): void => {
    if (skip > 0) return;
    const text = decodeEntities(raw.replace(/[\r\n\t]+/g, ' ')).replace(/\u00a0/g, ' ');
    if (!text) return;
    if (runs.length === 0 && !text.trim()) return;
    const run: NoteRun = { text };
    if (open.b) run.bold = true;
    if (open.i) run.italic = true;
    if (open.u) run.underline = true;
    if (open.s) run.strikethrough = true;
    const link = links.filter((l) => l).at(-1);
    if (link) run.link = link;
    const prev = runs.at(-1);
    if (
      prev &&
      prev.bold === run.bold &&
      prev.italic === run.italic &&
      prev.underline === run.underline &&
      prev.strikethrough === run.strikethrough &&
      prev.link === run.link
    )
      prev.text += text;
    else runs.push(run);
  };

  const tokens = html.split(/(<[^>]*>)/);
  for (const token of tokens) {
    const tag = /^<\s*(\/?)\s*([a-zA-Z0-9]+)([^>]*)>$/.exec(token);
    if (!tag) {
      if (!token.startsWith('<')) addText(token);
      continue;
    }
    const closing = tag[1] === '/';
    const name = tag[2]!.toLowerCase();
    if (name === 'script' || name === 'style' || name === 'head' || name === 'title') {
      skip += closing ? -1 : 1;
      skip = Math.max(0, skip);
      continue;
    }
    const counter = (
      { b: 'b', strong: 'b', i: 'i', em: 'i', u: 'u', s: 's', strike: 's', del: 's' } as const
    )[name as 'b'];
    if (counter) {
      open[counter] = Math.max(0, open[counter] + (closing ? -1 : 1));
      continue;
    }
    if (name === 'a') {
      if (closing) links.pop();
      else {
        const href = /href\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag[3] ?? '');
        links.push(href ? decodeEntities(href[2] ?? href[3] ?? href[4] ?? '') : null);
      }
      continue;
    }
    if (!BLOCK.has(name)) continue;
    if (name === 'br') {
      flush(runs.length === 0);
      continue;
    }
    if (name === 'ul' || name === 'ol') {
      flush();
      if (closing) lists.pop();
      else lists.push(name);
      style = lists.length ? (lists.at(-1) === 'ol' ? 'numbered' : 'bulleted') : 'body';
      continue;
    }
    flush();
    if (!closing && /^h[1-6]$/.test(name))
      style = name === 'h1' ? 'title' : name === 'h2' ? 'heading' : 'subheading';
    if (!closing && name === 'pre') style = 'monospaced';
  }
  flush();
  for (const p of paragraphs) {
    const last = p.runs.at(-1);
    if (last) last.text = last.text.replace(/\s+$/, '');
    if (last && !last.text) p.runs.pop();
  }
  return paragraphs;
}
