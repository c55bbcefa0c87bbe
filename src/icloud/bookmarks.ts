import { emptyData, type ArtifactData } from '../artifacts/artifact.js';
import {
  type Bookmark,
  type BookmarkFolder,
  type ReadingListItem,
  type SafariItem,
} from '../artifacts/safari/index.js';
import type { Catalog } from './catalog.js';
import { LIMITS } from './limits.js';
import { decodeText } from './text.js';
import { readWhole } from './volume.js';

/**
 * Bookmarks of an export: the Netscape bookmark file (folders as nested <DL>, ADD_DATE in Unix seconds) or the
 * CSV form (Title, URL, modifiedOn), as the Safari records a backup's Bookmarks.db gives. A folder titled
 * "Reading List" (or com.apple.ReadingList) is the Reading List.
 */

const MAX_ITEMS = 1_000_000;
const MAX_DEPTH = 64;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (text: string) =>
  text
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
      if (code[0] !== '#') return ENTITIES[code.toLowerCase()] ?? whole;
      const n =
        code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : Number(code.slice(1));
      return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    })
    .trim();

const attribute = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? unescape(m[2] ?? m[3] ?? m[4] ?? '') : null;
};

const secondsDate = (value: string | null): Date | null => {
  const n = Number(value);
  if (!value || !Number.isFinite(n) || n <= 0) return null;
  const date = new Date(n > 1e11 ? n / 1000 : n * 1000); // some writers use milliseconds or microseconds
  return Number.isNaN(date.getTime()) ? null : date;
};

const isReadingList = (title: string) => /^(reading list|com\.apple\.readinglist)$/i.test(title);

class Builder {
  readonly items: SafariItem[] = [];
  private nextId = 1;

  folder(path: string[], position: number, parent: number | null): number {
    const id = this.nextId++;
    const f: BookmarkFolder = { kind: 'folder', id, parent, title: path.at(-1)!, path, position };
    this.items.push(f);
    return id;
  }

  link(
    folder: string[],
    title: string | null,
    url: string | null,
    added: Date | null,
    position: number,
  ) {
    if (this.items.length >= MAX_ITEMS) return;
    if (folder.length > 0 && isReadingList(folder[0]!)) {
      const r: ReadingListItem = {
        kind: 'reading-list',
        id: this.nextId++,
        title,
        url,
        dateAdded: added,
        dateLastViewed: null,
        previewText: null,
        read: null,
      };
      this.items.push(r);
      return;
    }
    const b: Bookmark = {
      kind: 'bookmark',
      id: this.nextId++,
      title,
      url,
      folder,
      position,
      hidden: false,
      added,
    };
    this.items.push(b);
  }
}

/** NETSCAPE-Bookmark-file-1: <DT><H3>folder</H3> opens the next <DL>; <DT><A HREF=… ADD_DATE=…>title</A>. */
function readNetscape(html: string, into: Builder): void {
  const stack: Array<{ path: string[]; id: number | null; count: number }> = [];
  let pending: { title: string } | null = null;
  let current = { path: [] as string[], id: null as number | null, count: 0 };
  const tokens = /<(\/?)(dl|h3|a)\b([^>]*)>([\s\S]*?)(?=<)/gi;
  let first = true;
  for (const m of html.matchAll(tokens)) {
    const [, closing, tagName, attrs, after] = m;
    const tag = tagName!.toLowerCase();
    if (tag === 'dl' && !closing) {
      if (first) {
        first = false;
        continue;
      }
      if (stack.length >= MAX_DEPTH) break;
      stack.push(current);
      const title = pending?.title ?? 'Untitled folder';
      const path = [...current.path, title];
      const id = isReadingList(path[0]!) ? null : into.folder(path, current.count++, current.id);
      current = { path, id, count: 0 };
      pending = null;
    } else if (tag === 'dl' && closing) {
      current = stack.pop() ?? current;
    } else if (tag === 'h3' && !closing) {
      pending = { title: unescape(after ?? '') || 'Untitled folder' };
    } else if (tag === 'a' && !closing) {
      into.link(
        current.path,
        unescape(after ?? '') || null,
        attribute(` ${attrs}`, 'href'),
        secondsDate(attribute(` ${attrs}`, 'add_date')),
        current.count++,
      );
    }
  }
}

export async function readIcloudBookmarks(catalog: Catalog): Promise<ArtifactData<SafariItem>> {
  const data = emptyData<SafariItem>('safari');
  const builder = new Builder();
  for (const { volume, path } of catalog.bookmarkPages) {
    try {
      readNetscape(decodeText(await readWhole(volume, path, LIMITS.textFile)).text, builder);
      data.sources.push(`${volume.id}/${path}`);
    } catch (error) {
      data.problems.push({
        severity: 'error',
        message: `Bookmarks: ${volume.id}: ${path}: could not be read (${(error as Error).message})`,
      });
    }
  }
  for (const csv of catalog.bookmarkCsvs) {
    for (const [i, row] of csv.rows.entries()) {
      const added = row['modifiedon'] ?? row['modified on'] ?? row['date added'] ?? '';
      const parsed =
        added && !Number.isNaN(Date.parse(added)) ? new Date(added) : secondsDate(added);
      const folder = (row['folder'] ?? '')
        .split('/')
        .map((s) => s.trim())
        .filter(Boolean);
      builder.link(folder, row['title'] || row['name'] || null, row['url'] || null, parsed, i);
    }
    data.sources.push(`${csv.volume.id}/${csv.path}`);
  }
  data.items.push(...builder.items);
  if (builder.items.length >= MAX_ITEMS)
    data.problems.push({
      severity: 'warning',
      message: `Bookmarks: more than ${MAX_ITEMS}; the rest not read`,
    });
  data.notInBackup.push(
    'Safari history and open tabs are not in Apple\u2019s data export (bookmarks and the Reading List are)',
  );
  return data;
}
