import { join } from 'node:path';
import type { ArtifactData } from '../artifacts/artifact.js';
import {
  safariDeclaration,
  type Bookmark,
  type BookmarkFolder,
  type HistoryVisit,
  type OpenTab,
  type ReadingListItem,
  type SafariItem,
} from '../artifacts/safari/index.js';
import { toCsv } from './csv.js';
import { defineExporter } from './exporter.js';
import { writeFileAtomic } from './files.js';
import { toJson } from './json.js';
import { clock } from '../time.js';

/** history.csv, bookmarks.html (Netscape bookmark file, as browsers import it), bookmarks.csv, reading-list.csv, tabs.csv, safari.json. */

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only URLs a browser will take are linked as they are; others are kept in the text. */
function href(url: string | null): string {
  return escapeHtml((url ?? '').replace(/[\r\n\t]+/g, ''));
}

const seconds = (d: Date | null) => (d ? String(Math.floor(d.getTime() / 1000)) : null);

interface Node {
  title: string;
  folders: Map<string, Node>;
  links: Array<{ title: string; url: string | null; added: Date | null }>;
}
const newNode = (title: string): Node => ({ title, folders: new Map(), links: [] });

function nodeAt(root: Node, path: string[]): Node {
  let node = root;
  for (const title of path) {
    let next = node.folders.get(title);
    if (!next) node.folders.set(title, (next = newNode(title)));
    node = next;
  }
  return node;
}

/** The Netscape bookmark file format (NETSCAPE-Bookmark-file-1) that Chrome, Firefox, Edge and Safari import. */
export function netscapeBookmarks(
  folders: BookmarkFolder[],
  bookmarks: Bookmark[],
  readingList: ReadingListItem[],
): string {
  const root = newNode('Bookmarks');
  for (const f of [...folders].sort(
    (a, b) => a.path.length - b.path.length || a.position - b.position,
  ))
    nodeAt(root, f.path);
  for (const b of bookmarks.filter((b) => !b.recovered))
    nodeAt(root, b.folder).links.push({
      title: b.title ?? b.url ?? '',
      url: b.url,
      added: b.added ?? null,
    });
  const live = readingList.filter((r) => !r.recovered);
  if (live.length)
    nodeAt(root, ['Reading List']).links.push(
      ...live.map((r) => ({ title: r.title ?? r.url ?? '', url: r.url, added: r.dateAdded })),
    );
  const deleted = [
    ...bookmarks.filter((b) => b.recovered),
    ...readingList.filter((r) => r.recovered),
  ];
  if (deleted.length) {
    nodeAt(root, ['Recovered deleted bookmarks (Reclaim)']).links.push(
      ...deleted.map((b) => ({ title: b.title ?? b.url ?? '', url: b.url, added: null })),
    );
  }
  const out: string[] = [
    '<!DOCTYPE NETSCAPE-Bookmark-file-1>',
    '<!-- This is an automatically generated file.',
    '     It will be read and overwritten.',
    '     DO NOT EDIT! -->',
    '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
    '<TITLE>Bookmarks</TITLE>',
    '<H1>Bookmarks</H1>',
  ];
  const list = (node: Node, indent: string) => {
    out.push(`${indent}<DL><p>`);
    for (const folder of node.folders.values()) {
      out.push(`${indent}    <DT><H3>${escapeHtml(folder.title)}</H3>`);
      list(folder, `${indent}    `);
    }
    for (const link of node.links) {
      const added = seconds(link.added);
      out.push(
        `${indent}    <DT><A HREF="${href(link.url)}"${added ? ` ADD_DATE="${added}"` : ''}>${escapeHtml(link.title.replace(/[\r\n]+/g, ' '))}</A>`,
      );
    }
    out.push(`${indent}</DL><p>`);
  };
  list(root, '');
  return out.join('\n') + '\n';
}

export const safariExporter = defineExporter(
  safariDeclaration,
  async (data: ArtifactData<SafariItem>, context) => {
    const of = <K extends SafariItem['kind']>(kind: K) =>
      data.items.filter((i): i is Extract<SafariItem, { kind: K }> => i.kind === kind);
    const history = of('history') as HistoryVisit[];
    const bookmarks = of('bookmark') as Bookmark[];
    const folders = of('folder') as BookmarkFolder[];
    const readingList = of('reading-list') as ReadingListItem[];
    const tabs = of('tab') as OpenTab[];
    const counts: Record<string, number> = {
      history: history.length,
      bookmarks: bookmarks.length,
      folders: folders.length,
      readingList: readingList.length,
      tabs: tabs.length,
      recovered: data.items.filter((i) => 'recovered' in i && i.recovered).length,
    };
    let files = 0;
    const times = clock(context.options.time);
    const write = (name: string, text: string) => {
      writeFileAtomic(join(context.outDir, name), text);
      files++;
    };
    const rec = (i: { recovered?: { source: string } }) => [
      i.recovered ? 'yes' : '',
      i.recovered?.source,
    ];
    if (context.formats.includes('csv')) {
      if (history.length) {
        write(
          'history.csv',
          toCsv(
            [
              times.column('visit_time'),
              'title',
              'url',
              'visit_count',
              'origin',
              'load_successful',
              'visit_id',
              'item_id',
              'source',
              'recovered',
              'recovered_from',
            ],
            history.map((h) => [
              h.visitTime,
              h.title,
              h.url,
              h.visitCount,
              h.origin === 1 ? 'icloud' : h.origin === 0 ? 'this device' : h.origin,
              h.loadSuccessful,
              h.visitId,
              h.itemId,
              h.source,
              ...rec(h),
            ]),
            times,
          ),
        );
      }
      if (bookmarks.length) {
        write(
          'bookmarks.csv',
          toCsv(
            ['folder', 'title', 'url', 'position', 'hidden', 'id', 'recovered', 'recovered_from'],
            bookmarks.map((b) => [
              b.folder.join(' / '),
              b.title,
              b.url,
              b.position,
              b.hidden,
              b.id,
              ...rec(b),
            ]),
            times,
          ),
        );
      }
      if (readingList.length) {
        write(
          'reading-list.csv',
          toCsv(
            [
              'title',
              'url',
              times.column('date_added'),
              times.column('date_last_viewed'),
              'read',
              'preview_text',
              'id',
              'recovered',
              'recovered_from',
            ],
            readingList.map((r) => [
              r.title,
              r.url,
              r.dateAdded,
              r.dateLastViewed,
              r.read,
              r.previewText,
              r.id,
              ...rec(r),
            ]),
            times,
          ),
        );
      }
      if (tabs.length) {
        write(
          'tabs.csv',
          toCsv(
            [
              'title',
              'url',
              times.column('last_viewed'),
              'private_browsing',
              'window',
              'position',
              'id',
            ],
            tabs.map((t) => [
              t.title,
              t.url,
              t.lastViewed,
              t.privateBrowsing,
              t.window,
              t.position,
              t.id,
            ]),
            times,
          ),
        );
      }
    }
    if (
      context.formats.includes('html') &&
      (bookmarks.length || readingList.length || folders.length)
    ) {
      write('bookmarks.html', netscapeBookmarks(folders, bookmarks, readingList));
    }
    if (context.formats.includes('json')) {
      write('safari.json', toJson({ history, bookmarks, folders, readingList, tabs }, times));
    }
    context.onProgress?.(data.items.length, data.items.length);
    return { artifact: 'safari', counts, files, problems: [] };
  },
);
