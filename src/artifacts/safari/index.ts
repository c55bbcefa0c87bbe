import { readBinaryPlist } from '../../backup/bplist-reader.js';
import { emptyData, defineReader, type ArtifactData, type RecoveredMark } from '../artifact.js';
import { fromAppleTime } from '../apple-time.js';
import { num, str } from '../sql-values.js';
import { readDatabase, type DatabaseLocation, type DatabaseProblems } from '../read-database.js';
import { defineArtifact } from '../declaration.js';
import type { ArtifactDatabase, Row } from '../database.js';

const SAFARI_APP = 'AppDomain-com.apple.mobilesafari';
const HISTORY_KEYS = [
  { table: 'history_items', columns: ['url'] },
  { table: 'history_visits', columns: ['history_item', 'visit_time'] },
];
const BOOKMARK_KEYS = [{ table: 'bookmarks', columns: ['external_uuid'] }];
const TAB_KEYS = [{ table: 'tabs', columns: ['uuid'] }];

export const safariDeclaration = defineArtifact({
  id: 'safari',
  title: 'Safari',
  locations: {
    history: {
      domain: SAFARI_APP,
      path: 'Library/Safari/History.db',
      kind: 'database',
      naturalKey: HISTORY_KEYS,
      catalog: 'Safari history',
    },
    historyHome: {
      domain: 'HomeDomain',
      path: 'Library/Safari/History.db',
      kind: 'database',
      naturalKey: HISTORY_KEYS,
      catalog: 'Safari history',
    },
    profileHistory: {
      domain: SAFARI_APP,
      path: 'Library/Safari/Profiles/*/History.db',
      kind: 'database',
      ios: { from: 17 },
      naturalKey: HISTORY_KEYS,
      catalog: 'Safari history',
    },
    bookmarks: {
      domain: 'HomeDomain',
      path: 'Library/Safari/Bookmarks.db',
      kind: 'database',
      naturalKey: BOOKMARK_KEYS,
      catalog: 'Safari bookmarks',
    },
    bookmarksApp: {
      domain: SAFARI_APP,
      path: 'Library/Safari/Bookmarks.db',
      kind: 'database',
      naturalKey: BOOKMARK_KEYS,
      catalog: 'Safari bookmarks',
    },
    tabs: {
      domain: 'HomeDomain',
      path: 'Library/Safari/BrowserState.db',
      kind: 'database',
      naturalKey: TAB_KEYS,
      catalog: 'Safari tabs',
    },
    tabsApp: {
      domain: SAFARI_APP,
      path: 'Library/Safari/BrowserState.db',
      kind: 'database',
      naturalKey: TAB_KEYS,
      catalog: 'Safari tabs',
    },
  },
  identity: {
    describe: 'the URL (a history visit: its URL and time)',
    keys: [
      { table: 'history_items', columns: ['url'] },
      { table: 'history_visits', columns: ['history_item', 'visit_time'] },
      { table: 'bookmarks', columns: ['url'] },
      { table: 'tabs', columns: ['url'] },
    ],
  },
  needsNames: false,
  aliases: [],
  formats: ['csv', 'html', 'json'],
  defaultFormats: ['csv', 'html', 'json'],
});

/**
 * Safari: History.db (AppDomain-com.apple.mobilesafari, older HomeDomain, iOS 17 profiles), Bookmarks.db
 * (bookmarks tree; the Reading List is the folder titled com.apple.ReadingList) and the open tabs of
 * BrowserState.db. Deleted history visits and items are carved back and marked `recovered`.
 */

export interface HistoryVisit {
  kind: 'history';
  visitId: number | null;
  itemId: number | null;
  url: string | null;
  title: string | null;
  visitTime: Date | null;
  visitCount: number | null;
  /** 0 this device, 1 another device through iCloud. */
  origin: number | null;
  loadSuccessful: boolean | null;
  redirectSource: number | null;
  redirectDestination: number | null;
  /** "domain/path" of the History.db. */
  source: string;
  recovered?: RecoveredMark;
}

export interface Bookmark {
  kind: 'bookmark';
  id: number;
  title: string | null;
  url: string | null;
  /** Folder titles from the top ("Favorites", "Travel"). */
  folder: string[];
  position: number;
  hidden: boolean;
  /** When it was added, where the source says (an iCloud export's bookmarks file does). */
  added?: Date | null;
  recovered?: RecoveredMark;
}

export interface BookmarkFolder {
  kind: 'folder';
  id: number;
  parent: number | null;
  title: string;
  /** This folder's path, itself included. */
  path: string[];
  position: number;
}

export interface ReadingListItem {
  kind: 'reading-list';
  id: number;
  title: string | null;
  url: string | null;
  dateAdded: Date | null;
  dateLastViewed: Date | null;
  previewText: string | null;
  read: boolean | null;
  recovered?: RecoveredMark;
}

export interface OpenTab {
  kind: 'tab';
  id: number;
  title: string | null;
  url: string | null;
  lastViewed: Date | null;
  privateBrowsing: boolean;
  position: number | null;
  window: number | null;
}

export type SafariItem = HistoryVisit | Bookmark | BookmarkFolder | ReadingListItem | OpenTab;

export const READING_LIST_TITLE = 'com.apple.ReadingList';
const SPECIAL_TITLES: Record<string, string> = {
  BookmarksBar: 'Favorites',
  BookmarksMenu: 'Bookmarks Menu',
};

const { history, historyHome, profileHistory, bookmarks, bookmarksApp, tabs, tabsApp } =
  safariDeclaration.locations;
const HISTORY_PLACES = [history, historyHome];
const BOOKMARK_PLACES = [bookmarks, bookmarksApp];
const TAB_PLACES = [tabs, tabsApp];

function missing(
  db: ArtifactDatabase,
  problems: DatabaseProblems,
  table: string,
  columns: string[],
): boolean {
  if (!db.hasTable(table)) {
    problems.error(`${db.label}: table ${table} is missing`);
    return true;
  }
  const absent = columns.filter((c) => !db.hasColumn(table, c));
  if (absent.length) {
    problems.error(`${db.label}: table ${table} lacks column(s) ${absent.join(', ')}`);
    return true;
  }
  return false;
}

/** Safari visit times are Cocoa seconds; a few writers stored Unix seconds (iLEAPP's rule). */
function visitTime(value: unknown): Date | null {
  const n = num(value);
  if (n === null) return null;
  return n > 978_307_200 * 1.5 ? new Date(n * 1000) : fromAppleTime(n);
}

function readHistory(
  db: ArtifactDatabase,
  problems: DatabaseProblems,
  data: ArtifactData<SafariItem>,
  recover: boolean,
): void {
  if (
    missing(db, problems, 'history_items', ['id', 'url']) ||
    missing(db, problems, 'history_visits', ['history_item', 'visit_time'])
  )
    return;
  const label = db.label;
  const visitColumns = new Set(db.columns('history_visits').map((c) => c.toLowerCase()));
  const itemHasTitle = db.hasColumn('history_items', 'title');
  const items = new Map<number, Row>();
  for (const r of db.all('SELECT * FROM history_items')) items.set(num(r.id)!, r);
  const recoveredItems = new Map<number, { values: Row; recovered: RecoveredMark }>();
  // Deleted items whose id was overwritten cannot be joined to visits; they are listed on their own.
  const unlinkedItems: Array<{ values: Row; recovered: RecoveredMark }> = [];
  if (recover) {
    for (const r of db.recovered('history_items')) {
      const id = num(r.values.id) ?? r.rowid;
      if (!str(r.values.url) || (id !== null && items.has(id))) continue;
      if (id === null) unlinkedItems.push(r);
      else recoveredItems.set(id, r);
    }
  }
  const visitOf = (v: Row, mark?: RecoveredMark): HistoryVisit => {
    const itemId = num(v.history_item);
    const live = itemId !== null ? items.get(itemId) : undefined;
    const dead = itemId !== null ? recoveredItems.get(itemId) : undefined;
    const item = live ?? dead?.values;
    const itemMark = live ? undefined : dead?.recovered;
    const visit: HistoryVisit = {
      kind: 'history',
      visitId: num(v.id),
      itemId,
      url: str(item?.url),
      title: str(v.title) ?? (itemHasTitle ? str(item?.title) : null),
      visitTime: visitTime(v.visit_time),
      visitCount: num(item?.visit_count),
      origin: visitColumns.has('origin') ? num(v.origin) : null,
      loadSuccessful:
        visitColumns.has('load_successful') && v.load_successful !== null
          ? num(v.load_successful) === 1
          : null,
      redirectSource: num(v.redirect_source),
      redirectDestination: num(v.redirect_destination),
      source: label,
    };
    const recovered = mark ?? itemMark;
    return recovered ? { ...visit, recovered } : visit;
  };
  const visitedItems = new Set<number>();
  for (const v of db.all('SELECT * FROM history_visits ORDER BY visit_time, id')) {
    data.items.push(visitOf(v));
    if (num(v.history_item) !== null) visitedItems.add(num(v.history_item)!);
  }
  if (!recover) return;
  for (const r of db.recovered('history_visits')) {
    const visit = visitOf(r.values, r.recovered);
    if (visit.visitId === null) visit.visitId = r.rowid;
    if (visit.url === null && visit.title === null && visit.visitTime === null) continue;
    data.items.push(visit);
    if (visit.itemId !== null) visitedItems.add(visit.itemId);
  }
  // Deleted items whose visits are gone: the URL is still worth showing.
  const alone: Array<[number | null, { values: Row; recovered: RecoveredMark }]> = [
    ...recoveredItems,
    ...unlinkedItems.map((r) => [null, r] as [null, typeof r]),
  ];
  for (const [id, r] of alone) {
    if (id !== null && visitedItems.has(id)) continue;
    data.items.push({
      kind: 'history',
      visitId: null,
      itemId: id,
      url: str(r.values.url),
      title: itemHasTitle ? str(r.values.title) : null,
      visitTime: null,
      visitCount: num(r.values.visit_count),
      origin: null,
      loadSuccessful: null,
      redirectSource: null,
      redirectDestination: null,
      source: label,
      recovered: r.recovered,
    });
  }
}

function readingListExtras(blob: unknown): {
  dateAdded: Date | null;
  dateLastViewed: Date | null;
  previewText: string | null;
} {
  const out = {
    dateAdded: null as Date | null,
    dateLastViewed: null as Date | null,
    previewText: null as string | null,
  };
  if (
    !Buffer.isBuffer(blob) ||
    blob.length < 8 ||
    blob.subarray(0, 6).toString('latin1') !== 'bplist'
  )
    return out;
  try {
    const root = readBinaryPlist(blob) as Record<string, unknown>;
    const rl = (root?.['com.apple.ReadingList'] ?? {}) as Record<string, unknown>;
    if (rl.DateAdded instanceof Date) out.dateAdded = rl.DateAdded;
    if (rl.DateLastViewed instanceof Date) out.dateLastViewed = rl.DateLastViewed;
    if (typeof rl.PreviewText === 'string') out.previewText = rl.PreviewText;
  } catch {
    // An unreadable attribute blob leaves the extras empty.
  }
  return out;
}

function readBookmarks(
  db: ArtifactDatabase,
  problems: DatabaseProblems,
  data: ArtifactData<SafariItem>,
  recover: boolean,
): void {
  if (missing(db, problems, 'bookmarks', ['id', 'parent', 'type', 'title', 'url'])) return;
  const rows = db.all('SELECT * FROM bookmarks ORDER BY parent, order_index, id');
  const byId = new Map(rows.map((r) => [num(r.id)!, r]));
  const hasDeleted = db.hasColumn('bookmarks', 'deleted');
  const titleOf = (r: Row): string => {
    const t = str(r.title) ?? '';
    return num(r.special_id) ? (SPECIAL_TITLES[t] ?? t) : t;
  };
  // Path of folder titles from the top (the unnamed root left out); null when under the Reading List.
  const pathCache = new Map<number, string[] | null>();
  const pathOf = (id: number | null, depth = 0): string[] | null => {
    if (id === null) return [];
    if (pathCache.has(id)) return pathCache.get(id)!;
    const row = byId.get(id);
    if (!row || depth > 64) return [];
    if (str(row.title) === READING_LIST_TITLE) return null;
    const parent = num(row.parent);
    const up = parent === null ? [] : pathOf(parent, depth + 1);
    const path = up === null ? null : parent === null ? [] : [...up, titleOf(row)];
    pathCache.set(id, path);
    return path;
  };
  const inReadingList = (parent: number | null) => parent !== null && pathOf(parent) === null;
  const toItem = (r: Row, mark?: RecoveredMark): SafariItem | null => {
    const id = num(r.id) ?? 0;
    const parent = num(r.parent);
    const type = num(r.type);
    if (type === 1) {
      if (parent === null || str(r.title) === READING_LIST_TITLE || mark) return null;
      const path = pathOf(id);
      if (path === null) return null;
      return {
        kind: 'folder',
        id,
        parent,
        title: titleOf(r),
        path,
        position: num(r.order_index) ?? 0,
      };
    }
    if (type !== 0) return null;
    if (inReadingList(parent)) {
      return {
        kind: 'reading-list',
        id,
        title: str(r.title),
        url: str(r.url),
        read: r.read === null || r.read === undefined ? null : num(r.read) === 1,
        ...readingListExtras(r.extra_attributes),
        ...(mark ? { recovered: mark } : {}),
      };
    }
    return {
      kind: 'bookmark',
      id,
      title: str(r.title),
      url: str(r.url),
      folder: pathOf(parent) ?? [],
      position: num(r.order_index) ?? 0,
      hidden: num(r.hidden) === 1,
      ...(mark ? { recovered: mark } : {}),
    };
  };
  for (const r of rows) {
    if (hasDeleted && num(r.deleted) === 1) continue;
    const item = toItem(r);
    if (item) data.items.push(item);
  }
  if (!recover) return;
  for (const r of db.recovered('bookmarks')) {
    if (!str(r.values.url)) continue;
    const item = toItem({ ...r.values, id: num(r.values.id) ?? r.rowid }, r.recovered);
    if (item) data.items.push(item);
  }
}

function readTabs(
  db: ArtifactDatabase,
  problems: DatabaseProblems,
  data: ArtifactData<SafariItem>,
): void {
  if (missing(db, problems, 'tabs', ['id', 'url'])) return;
  const has = (c: string) => db.hasColumn('tabs', c);
  for (const r of db.all(
    `SELECT * FROM tabs ORDER BY ${has('browser_window_id') ? 'browser_window_id, ' : ''}${has('order_index') ? 'order_index, ' : ''}id`,
  )) {
    data.items.push({
      kind: 'tab',
      id: num(r.id)!,
      title: str(r.title),
      url: str(r.url) ?? str(r.user_visible_url),
      lastViewed: fromAppleTime(r.last_viewed_time),
      privateBrowsing: num(r.private_browsing) === 1,
      position: num(r.order_index),
      window: num(r.browser_window_id),
    });
  }
}

export const safariArtifact = defineReader(safariDeclaration, async (source, options) => {
  const data = emptyData<SafariItem>('safari');
  const recover = options.recoverDeleted !== false;
  const places = [
    ...HISTORY_PLACES,
    ...source.listAt(profileHistory).map((e) => ({ domain: e.domain, path: e.relativePath })),
  ];
  const run = async (
    list: DatabaseLocation[],
    read: (db: ArtifactDatabase, problems: DatabaseProblems) => void,
  ) => {
    for (const where of list)
      await readDatabase(
        source,
        where,
        data,
        { title: safariDeclaration.title, recoverDeleted: recover },
        read,
      );
  };
  await run(places, (db, problems) => readHistory(db, problems, data, recover));
  await run(BOOKMARK_PLACES, (db, problems) => readBookmarks(db, problems, data, recover));
  await run(TAB_PLACES, (db, problems) => readTabs(db, problems, data));
  if (data.sources.length === 0)
    data.notInBackup.push(
      'This backup holds no Safari History.db, Bookmarks.db or BrowserState.db.',
    );
  return data;
});
