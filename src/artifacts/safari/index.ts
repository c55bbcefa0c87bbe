import { declaredIdentity } from '../identity.js';
import { readBinaryPlist } from '../../backup/bplist-reader.js';
import { emptyData, defineReader, type ArtifactData, type RecoveredMark } from '../artifact.js';
import { fromAppleTime } from '../apple-time.js';
import { num, str } from '../sql-values.js';
import {
  fileAt,
  readDatabase,
  type DatabaseLocation,
  type DatabaseProblems,
} from '../read-database.js';
import { attachEarlierVersions, attachOtherVersions, type EarlierVersion } from '../history.js';
import { defineArtifact } from '../declaration.js';
import { readHistoryPlist } from './history-plist.js';
import type { ArtifactDatabase, Row } from '../database.js';
import {
  BOOKMARKS_SCHEMA,
  BROWSER_STATE_SCHEMA,
  HISTORY_SCHEMA,
  SAFARI_TABS_SCHEMA,
} from './schema.js';

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
      schema: HISTORY_SCHEMA,
    },
    historyHome: {
      domain: 'HomeDomain',
      path: 'Library/Safari/History.db',
      kind: 'database',
      naturalKey: HISTORY_KEYS,
      catalog: 'Safari history',
      schema: HISTORY_SCHEMA,
    },
    profileHistory: {
      domain: SAFARI_APP,
      path: 'Library/Safari/Profiles/*/History.db',
      kind: 'database',
      ios: { from: 17 },
      naturalKey: HISTORY_KEYS,
      catalog: 'Safari history',
      schema: HISTORY_SCHEMA,
    },
    /** Before iOS 8 Safari kept its history in a property list (WebKit's History.plist). */
    historyPlist: {
      domain: 'HomeDomain',
      path: 'Library/Safari/History.plist',
      kind: 'document',
      ios: { through: 7 },
      catalog: 'Safari history',
    },
    bookmarks: {
      domain: 'HomeDomain',
      path: 'Library/Safari/Bookmarks.db',
      kind: 'database',
      naturalKey: BOOKMARK_KEYS,
      catalog: 'Safari bookmarks',
      schema: BOOKMARKS_SCHEMA,
    },
    bookmarksApp: {
      domain: SAFARI_APP,
      path: 'Library/Safari/Bookmarks.db',
      kind: 'database',
      naturalKey: BOOKMARK_KEYS,
      catalog: 'Safari bookmarks',
      schema: BOOKMARKS_SCHEMA,
    },
    tabs: {
      domain: 'HomeDomain',
      path: 'Library/Safari/BrowserState.db',
      kind: 'database',
      naturalKey: TAB_KEYS,
      catalog: 'Safari tabs',
      schema: BROWSER_STATE_SCHEMA,
    },
    tabsApp: {
      domain: SAFARI_APP,
      path: 'Library/Safari/BrowserState.db',
      kind: 'database',
      naturalKey: TAB_KEYS,
      catalog: 'Safari tabs',
      schema: BROWSER_STATE_SCHEMA,
    },
    /** Open tabs (normal, private, tab groups) as rows of its bookmarks table (iOS 15+). */
    safariTabs: {
      domain: SAFARI_APP,
      path: 'Library/Safari/SafariTabs.db',
      kind: 'database',
      naturalKey: [{ table: 'bookmarks', columns: ['external_uuid'] }],
      catalog: 'Safari tabs',
      schema: SAFARI_TABS_SCHEMA,
    },
    safariTabsHome: {
      domain: 'HomeDomain',
      path: 'Library/Safari/SafariTabs.db',
      kind: 'database',
      naturalKey: [{ table: 'bookmarks', columns: ['external_uuid'] }],
      catalog: 'Safari tabs',
      schema: SAFARI_TABS_SCHEMA,
    },
  },
  identity: {
    describe: 'the URL (a history visit: its URL and time; a bookmark folder: its path)',
    keys: [
      {
        kind: 'history',
        fields: ['url', 'visitTime'],
        from: { table: 'history_visits', columns: ['history_item', 'visit_time'] },
      },
      { kind: 'bookmark', fields: ['url'], from: { table: 'bookmarks', columns: ['url'] } },
      { kind: 'reading-list', fields: ['url'], from: { table: 'bookmarks', columns: ['url'] } },
      { kind: 'folder', fields: ['path'] },
      { kind: 'tab', fields: ['url'], from: { table: 'tabs', columns: ['url'] } },
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
  /** Earlier versions of this bookmark (old copies of its row, with another title or address). */
  earlierVersions?: EarlierVersion[];
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
  earlierVersions?: EarlierVersion[];
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
  /** SafariTabs.db: the tab group (or profile) it sits in. */
  group?: string | null;
}

export type SafariItem = HistoryVisit | Bookmark | BookmarkFolder | ReadingListItem | OpenTab;

/** Each kind of Safari record by its URL (a visit with its time; a folder by its path). */
export const safariIdentity = declaredIdentity<SafariItem>()(safariDeclaration, {
  volatile: [
    'id',
    'visitId',
    'itemId',
    'visitCount',
    'redirectSource',
    'redirectDestination',
    'source',
    'position',
    'parent',
    'window',
  ],
});

export const READING_LIST_TITLE = 'com.apple.ReadingList';
const SPECIAL_TITLES: Record<string, string> = {
  BookmarksBar: 'Favorites',
  BookmarksMenu: 'Bookmarks Menu',
};

const {
  history,
  historyHome,
  historyPlist,
  profileHistory,
  bookmarks,
  bookmarksApp,
  tabs,
  tabsApp,
  safariTabs,
  safariTabsHome,
} = safariDeclaration.locations;
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

/**
 * Safari times are Cocoa seconds; some are Unix seconds (BrowserState.db's last_viewed_time from iOS 26,
 * iLEAPP #1699): a value past 1.5 times the epochs' difference (a Cocoa date after 2047) is Unix.
 */
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
      if (!str(r.values.url)) continue;
      // a deleted URL whose id a newer item took cannot be joined to visits either
      if (id === null || items.has(id)) unlinkedItems.push(r);
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
  for (const v of db.all(
    `SELECT * FROM history_visits ORDER BY visit_time${visitColumns.has('id') ? ', id' : ''}`,
  )) {
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
  const rows = db.all(
    `SELECT * FROM bookmarks ORDER BY parent, ${db.hasColumn('bookmarks', 'order_index') ? 'order_index, ' : ''}id`,
  );
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
  const live = new Map<number, Bookmark | ReadingListItem>();
  for (const r of rows) {
    if (hasDeleted && num(r.deleted) === 1) continue;
    const item = toItem(r);
    if (item) data.items.push(item);
    if (item?.kind === 'bookmark' || item?.kind === 'reading-list') live.set(item.id, item);
  }
  if (!recover) return;
  // old copies of live bookmarks (renamed, moved, synced) are their history, not deleted bookmarks
  attachEarlierVersions(db, 'bookmarks', live, (values, mark) => toItem(values, mark), {
    ignore: ['id', 'kind'],
  });
  for (const r of db.recovered('bookmarks')) {
    if (!str(r.values.url)) continue;
    const id = num(r.values.id) ?? r.rowid;
    const item = toItem({ ...r.values, id }, r.recovered);
    if (item?.kind === 'bookmark' || item?.kind === 'reading-list')
      attachOtherVersions(item, r, (values, mark) => toItem({ ...values, id }, mark), {
        ignore: ['id', 'kind'],
      });
    if (item) data.items.push(item);
  }
}

function readTabs(
  db: ArtifactDatabase,
  problems: DatabaseProblems,
  data: ArtifactData<SafariItem>,
  seen: Set<string>,
): void {
  if (missing(db, problems, 'tabs', ['id', 'url'])) return;
  const has = (c: string) => db.hasColumn('tabs', c);
  for (const r of db.all(
    `SELECT * FROM tabs ORDER BY ${has('browser_window_id') ? 'browser_window_id, ' : ''}${has('order_index') ? 'order_index, ' : ''}id`,
  )) {
    const privateBrowsing = num(r.private_browsing) === 1;
    const uuid = str(r.uuid);
    if (uuid) seen.add(`uuid:${uuid}`);
    seen.add(`url:${privateBrowsing}:${str(r.url) ?? str(r.user_visible_url)}`);
    data.items.push({
      kind: 'tab',
      id: num(r.id)!,
      title: str(r.title),
      url: str(r.url) ?? str(r.user_visible_url),
      lastViewed: visitTime(r.last_viewed_time),
      privateBrowsing,
      position: num(r.order_index),
      window: num(r.browser_window_id),
    });
  }
}

/** A binary plist blob's top-level dictionary, or {} (tab attributes). */
function plistDict(blob: unknown): Record<string, unknown> {
  if (
    !Buffer.isBuffer(blob) ||
    blob.length < 8 ||
    blob.subarray(0, 6).toString('latin1') !== 'bplist'
  )
    return {};
  try {
    const root = readBinaryPlist(blob);
    return root && typeof root === 'object' && !Array.isArray(root)
      ? (root as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

const PRIVATE_GROUPS = new Set(['private', 'privatepinned']);

/**
 * SafariTabs.db: a tab is a row of `bookmarks` with a URL; it is private when a folder above it is titled
 * private/PrivatePinned (Public and LocalProfile hold normal tabs). Its times are in the attribute plists
 * (extra_attributes DateLastViewed, local_attributes LastVisitTime; iLEAPP safariTabs.py). Tabs that
 * BrowserState.db already gave (same UUID, or same URL and mode) are not listed twice.
 */
function readSafariTabs(
  db: ArtifactDatabase,
  problems: DatabaseProblems,
  data: ArtifactData<SafariItem>,
  seen: Set<string>,
): void {
  if (missing(db, problems, 'bookmarks', ['id', 'url'])) return;
  const rows = db.all('SELECT * FROM bookmarks');
  const byId = new Map(rows.map((r) => [num(r.id), r]));
  const groupsAbove = (row: Row): string[] => {
    const titles: string[] = [];
    let parent = num(row.parent);
    for (let depth = 0; parent !== null && depth < 32; depth++) {
      const up = byId.get(parent);
      if (!up) break;
      const title = str(up.title);
      if (title) titles.push(title);
      parent = num(up.parent);
    }
    return titles;
  };
  const tabsRead = rows
    .filter((r) => str(r.url) && num(r.deleted) !== 1)
    .sort((a, b) => (num(a.order_index) ?? 0) - (num(b.order_index) ?? 0));
  for (const r of tabsRead) {
    const groups = groupsAbove(r);
    const privateBrowsing = groups.some((g) => PRIVATE_GROUPS.has(g.toLowerCase()));
    const url = str(r.url);
    const uuid = str(r.external_uuid);
    if ((uuid && seen.has(`uuid:${uuid}`)) || seen.has(`url:${privateBrowsing}:${url}`)) continue;
    const extra = plistDict(r.extra_attributes);
    const local = plistDict(r.local_attributes);
    const when = [extra.DateLastViewed, local.LastVisitTime].find((v) => v instanceof Date) as
      Date | undefined;
    const index = num(local.TabIndex);
    data.items.push({
      kind: 'tab',
      id: num(r.id)!,
      title: str(r.title),
      url,
      lastViewed: when ?? null,
      privateBrowsing,
      position: index ?? num(r.order_index),
      window: num(r.parent),
      group: groups[0] ?? null,
    });
  }
}

export const safariArtifact = defineReader(safariDeclaration, async (source, options) => {
  const data = emptyData<SafariItem>('safari');
  const recover = options.recoverDeleted !== false;
  const places = [
    ...HISTORY_PLACES,
    ...source.listAt(profileHistory).map((e) => fileAt(profileHistory, e.relativePath)),
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
  await readHistoryPlist(source, historyPlist, data, safariDeclaration.title);
  await run(BOOKMARK_PLACES, (db, problems) => readBookmarks(db, problems, data, recover));
  const seen = new Set<string>();
  await run(TAB_PLACES, (db, problems) => readTabs(db, problems, data, seen));
  await run([safariTabs, safariTabsHome], (db, problems) =>
    readSafariTabs(db, problems, data, seen),
  );
  if (data.sources.length === 0 && data.problems.length === 0)
    data.notInBackup.push(
      'This backup holds no Safari History.db (History.plist before iOS 8), Bookmarks.db, BrowserState.db or SafariTabs.db.',
    );
  return data;
});
