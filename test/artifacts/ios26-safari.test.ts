import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  safariArtifact,
  safariDeclaration,
  type OpenTab,
  type SafariItem,
} from '../../src/artifacts/safari/index.js';
import { buildSafari, safariData, type SafariData } from '../../demo/src/safari.js';
import { assertGracefulDrops, dropEachColumn } from '../support/column-drop.js';
import { exportFiles, readFiles } from '../support/loose-files.js';

const { history, bookmarks, tabsApp, safariTabs } = safariDeclaration.locations;

function ios26Data(): SafariData {
  const data = safariData();
  data.tabs = [
    {
      id: 1,
      title: 'Trail map',
      url: 'https://parks.example.org/trails',
      lastViewed: '2025-09-20T07:15:00Z',
    },
    {
      id: 2,
      title: 'Weather',
      url: 'https://weather.example.com/',
      lastViewed: '2025-09-21T06:00:00Z',
    },
    {
      id: 3,
      title: 'Gift ideas',
      url: 'https://shop.example.com/gifts',
      lastViewed: '2025-09-19T22:40:00Z',
      privateBrowsing: true,
      onlyInSafariTabs: true,
    },
  ];
  return data;
}

describe('Safari built to the iOS 26 layout (BrowserState.db in Unix seconds, SafariTabs.db)', () => {
  const data = ios26Data();
  const files = buildSafari(data, { ios: 'ios26' });
  const key = (item: SafariItem, i: number) => `${item.kind}:${'id' in item ? item.id : i}`;

  test('open tabs: Unix-second times read right, private tabs from SafariTabs.db, none twice', async () => {
    const read = await readFiles<SafariItem>(files, 'safari');
    assert.deepEqual(read.problems, []);
    const tabs = read.items.filter((i): i is OpenTab => i.kind === 'tab');
    assert.equal(tabs.length, 3);
    for (const t of data.tabs!) {
      const tab = tabs.find((x) => x.url === t.url)!;
      assert.equal(tab.lastViewed?.toISOString(), new Date(t.lastViewed).toISOString(), t.url);
      assert.equal(tab.privateBrowsing, t.privateBrowsing === true);
    }
    assert.equal(tabs.find((t) => t.privateBrowsing)!.group, 'private');
  });

  test('tabs.csv and the history export carry them', async () => {
    const { results, written } = await exportFiles(files, ['safari']);
    assert.deepEqual(results[0]!.problems, []);
    const csv = written.get('safari/tabs.csv')!.toString('utf8');
    assert.match(csv, /Trail map,https:\/\/parks\.example\.org\/trails,2025-09-20T07:15:00/);
    assert.match(csv, /Gift ideas,.*,true,private,/);
    const historyCsv = written.get('safari/history.csv')!.toString('utf8');
    for (const h of data.history) assert.ok(historyCsv.includes(h.url), h.url);
  });

  for (const [name, location] of [
    ['History.db', history],
    ['Bookmarks.db', bookmarks],
    ['BrowserState.db', tabsApp],
    ['SafariTabs.db', safariTabs],
  ] as const)
    test(`${name}: each optional column dropped in turn, everything else still comes out`, async () => {
      const result = await dropEachColumn<SafariItem>({
        files,
        database: location,
        read: (source) => safariArtifact.read(source, { recoverDeleted: false }),
        key,
      });
      assertGracefulDrops(result, {
        fields: {
          // Folder titles and the special folders they stand for make the paths; a tab's folders say it is private.
          'bookmarks.special_id': ['title', 'path', 'folder'],
          'bookmarks.title': ['title', 'path', 'folder', 'group', 'privateBrowsing'],
          'bookmarks.parent': ['window', 'group', 'privateBrowsing'],
        },
        maxChangedFields: 2,
      });
    });
});
