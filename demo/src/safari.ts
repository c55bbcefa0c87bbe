import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate } from './apple-time.js';
import { demoUUID } from './ids.js';
import { SAFARI_BROWSERSTATE_IOS14_3_SCHEMA } from './schemas/safari-browserstate-ios14-3.js';
import { SAFARI_BOOKMARKS_IOS7_SCHEMA } from './schemas/safari-bookmarks-ios7.js';
import { SAFARI_HISTORY_IOS11_2_SCHEMA } from './schemas/safari-history-ios11-2.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/**
 * Safari: History.db with the real iOS 11.2 schema (visit_time in seconds since 2001) and Bookmarks.db with the
 * real iOS 7 schema (the newest real one available). Bookmarks tree: Root (0) > BookmarksBar... as iOS lays it out:
 * special folders BookmarksBar (special_id 1) and Reading List (title com.apple.ReadingList); type 0 = bookmark, 1 = folder.
 */

export interface DemoHistoryItem {
  id: number;
  url: string;
  domainExpansion: string;
  visits: Array<{ id: number; time: string; title: string }>;
}
export interface DemoBookmark {
  id: number;
  parent: number;
  title: string;
  url: string;
  readingList: boolean;
}
/** Optional extras (the default demo data leaves them out, so its bytes stay the same). */
export interface DemoBookmarkFolder {
  id: number;
  parent: number;
  title: string;
}
export interface DemoTab {
  id: number;
  title: string;
  url: string;
  lastViewed: string;
  privateBrowsing?: boolean;
}
export interface SafariData {
  history: DemoHistoryItem[];
  bookmarks: DemoBookmark[];
  folders?: DemoBookmarkFolder[];
  tabs?: DemoTab[];
}

export function safariData(): SafariData {
  let visitId = 0;
  const item = (
    id: number,
    url: string,
    domainExpansion: string,
    title: string,
    ...times: string[]
  ): DemoHistoryItem => ({
    id,
    url,
    domainExpansion,
    visits: times.map((time) => ({ id: ++visitId, time, title })),
  });
  return {
    history: [
      item(
        1,
        'https://www.nps.gov/goga/planyourvisit/muir-woods.htm',
        'nps',
        'Muir Woods - Golden Gate National Recreation Area',
        '2025-01-15T20:41:00Z',
        '2025-01-17T06:58:00Z',
      ),
      item(
        2,
        'https://weather.example.com/forecast/mill-valley-ca',
        'weather.example',
        'Mill Valley, CA 10-Day Forecast',
        '2025-01-16T19:40:10Z',
      ),
      item(
        3,
        'https://en.wikipedia.org/wiki/Pad_thai',
        'en.wikipedia',
        'Pad thai - Wikipedia',
        '2024-03-03T19:20:00Z',
      ),
      item(
        4,
        'https://www.example.org/books/the-overstory',
        'example',
        'The Overstory by Richard Powers',
        '2024-05-02T17:55:00Z',
      ),
      item(
        5,
        'https://maps.example.com/?q=Oak+Street+Dental',
        'maps.example',
        'Oak Street Dental - Maps',
        '2024-04-02T16:20:00Z',
      ),
    ],
    bookmarks: [
      {
        id: 4,
        parent: 1,
        title: 'Trail conditions',
        url: 'https://www.nps.gov/goga/planyourvisit/conditions.htm',
        readingList: false,
      },
      {
        id: 5,
        parent: 1,
        title: 'Reclaim',
        url: 'https://github.com/reclaim-demo/reclaim',
        readingList: false,
      },
      {
        id: 6,
        parent: 3,
        title: 'How to choose hiking boots',
        url: 'https://www.example.com/guides/hiking-boots',
        readingList: true,
      },
    ],
  };
}

export function buildSafari(data: SafariData = safariData()): BackupFileInput[] {
  const history = buildSqliteFile(SAFARI_HISTORY_IOS11_2_SCHEMA, (db) => {
    for (const h of data.history) {
      insertRow(db, 'history_items', {
        id: h.id,
        url: h.url,
        domain_expansion: h.domainExpansion,
        visit_count: h.visits.length,
        daily_visit_counts: Buffer.alloc(4),
        should_recompute_derived_visit_counts: 0,
        visit_count_score: h.visits.length * 100,
      });
    }
    const visits = data.history
      .flatMap((h) => h.visits.map((v) => ({ ...v, item: h.id })))
      .sort((a, b) => a.id - b.id);
    for (const v of visits)
      insertRow(db, 'history_visits', {
        id: v.id,
        history_item: v.item,
        visit_time: appleSeconds(v.time),
        title: v.title,
        load_successful: 1,
        origin: 0,
        generation: 1,
      });
  });
  const bookmarks = buildSqliteFile(SAFARI_BOOKMARKS_IOS7_SCHEMA, (db) => {
    const folder = (
      id: number,
      parent: number | null,
      title: string,
      specialId: number,
      children: number,
      order: number,
    ) =>
      insertRow(db, 'bookmarks', {
        id,
        special_id: specialId,
        parent,
        type: 1,
        title,
        num_children: children,
        editable: specialId ? 0 : 1,
        deletable: specialId ? 0 : 1,
        order_index: order,
        external_uuid: demoUUID(`bookmark-${id}`),
      });
    const extra = data.folders ?? [];
    const inFolder = (folderId: number) =>
      data.bookmarks.filter((b) => b.parent === folderId).length +
      extra.filter((f) => f.parent === folderId).length;
    folder(0, null, 'Root', 0, 2 + extra.filter((f) => f.parent === 0).length, 0);
    folder(1, 0, 'BookmarksBar', 1, inFolder(1), 0);
    folder(3, 0, 'com.apple.ReadingList', 3, inFolder(3), 1);
    extra.forEach((f) => {
      const order =
        (f.parent === 0 ? 2 : 0) + extra.filter((o) => o.parent === f.parent && o.id < f.id).length;
      folder(f.id, f.parent, f.title, 0, inFolder(f.id), order);
    });
    data.bookmarks.forEach((b) => {
      const order = data.bookmarks.filter((o) => o.parent === b.parent && o.id < b.id).length;
      insertRow(db, 'bookmarks', {
        id: b.id,
        parent: b.parent,
        type: 0,
        title: b.title,
        url: b.url,
        order_index: order,
        external_uuid: demoUUID(`bookmark-${b.id}`),
        read: b.readingList ? 0 : null,
      });
    });
  });
  const tabs = data.tabs?.length
    ? [
        {
          domain: 'HomeDomain',
          relativePath: 'Library/Safari/BrowserState.db',
          modified: asDate('2025-01-17T07:00:00Z'),
          data: buildSqliteFile(SAFARI_BROWSERSTATE_IOS14_3_SCHEMA, (db) => {
            insertRow(db, 'browser_windows', { id: 1, uuid: demoUUID('safari-window-1') });
            data.tabs!.forEach((t, i) =>
              insertRow(db, 'tabs', {
                id: t.id,
                uuid: demoUUID(`safari-tab-${t.id}`),
                title: t.title,
                url: t.url,
                user_visible_url: t.url,
                order_index: i,
                last_viewed_time: appleSeconds(t.lastViewed),
                private_browsing: t.privateBrowsing ? 1 : 0,
                browser_window_uuid: demoUUID('safari-window-1'),
                browser_window_id: 1,
              }),
            );
          }),
        },
      ]
    : [];
  return [
    ...tabs,
    {
      domain: 'AppDomain-com.apple.mobilesafari',
      relativePath: 'Library/Safari/History.db',
      data: history,
      modified: asDate('2025-01-17T06:58:05Z'),
    },
    {
      domain: 'HomeDomain',
      relativePath: 'Library/Safari/Bookmarks.db',
      data: bookmarks,
      modified: asDate('2025-01-10T12:00:00Z'),
    },
  ];
}
