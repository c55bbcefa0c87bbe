import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Backup } from '../../src/backup/backup.js';
import type { BackupFileInput } from '../../src/backup/types.js';
import { safariArtifact, type HistoryVisit } from '../../src/artifacts/safari/index.js';
import { BackupSource, LooseFilesSource } from '../../src/artifacts/source.js';
import { withWorkspace } from '../../src/artifacts/workspace.js';
import { exportArtifacts } from '../../src/export/run.js';
import { buildSafari, safariData, type SafariData } from '../../demo/src/safari.js';
import { writeBackup } from '../support/backups.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';

const HOSTILE = 'Cheap "deals", 50% off; <script>alert(1)</script> & more\nline two';

function richData(): SafariData {
  const data = safariData();
  data.history.push({
    id: 6,
    url: 'https://evil.example/?q=<x>&y="1"',
    domainExpansion: 'evil',
    visits: [{ id: 100, time: '2025-01-17T09:00:00Z', title: HOSTILE }],
  });
  data.folders = [
    { id: 7, parent: 1, title: 'Travel <& "plans">' },
    { id: 8, parent: 7, title: 'Norway, 2025' },
    { id: 9, parent: 0, title: 'Recipes' },
  ];
  data.bookmarks.push(
    {
      id: 10,
      parent: 8,
      title: HOSTILE,
      url: 'https://example.no/fjords?a=1&b="2"',
      readingList: false,
    },
    {
      id: 11,
      parent: 9,
      title: 'Pad thai',
      url: 'https://en.wikipedia.org/wiki/Pad_thai',
      readingList: false,
    },
  );
  data.tabs = [
    { id: 1, title: HOSTILE, url: 'https://tab.example/a,b', lastViewed: '2025-01-17T07:30:00Z' },
    {
      id: 2,
      title: 'Private',
      url: 'https://p.example/',
      lastViewed: '2025-01-17T07:31:00Z',
      privateBrowsing: true,
    },
  ];
  return data;
}

/** A minimal reader of the Netscape bookmark format: [folder path, title, url] of every link. */
function parseNetscape(html: string): Array<[string, string, string]> {
  const unescape = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  const out: Array<[string, string, string]> = [];
  const stack: string[] = [];
  let pending: string | null = null;
  const token =
    /<DT><H3[^>]*>([^<]*)<\/H3>|<DL><p>|<\/DL><p>|<DT><A HREF="([^"]*)"[^>]*>([^<]*)<\/A>/g;
  let depth = 0;
  for (let m = token.exec(html); m; m = token.exec(html)) {
    if (m[1] !== undefined) pending = unescape(m[1]);
    else if (m[0] === '<DL><p>') {
      if (depth++ > 0) stack.push(pending ?? '');
      pending = null;
    } else if (m[0] === '</DL><p>') {
      depth--;
      stack.pop();
    } else out.push([stack.join(' / '), unescape(m[3]!), unescape(m[2]!)]);
  }
  return out;
}

/** The built History.db with one item and one other visit deleted (freed space keeps their bytes). */
function withDeletions(files: BackupFileInput[], dir: string): BackupFileInput[] {
  return files.map((f) => {
    if (!f.relativePath.endsWith('History.db')) return f;
    const path = join(dir, 'History.db');
    writeFileSync(path, f.data as Buffer);
    const db = new Database(path);
    db.pragma('secure_delete = OFF');
    db.exec(
      'DELETE FROM history_visits WHERE history_item = 4; DELETE FROM history_items WHERE id = 4; DELETE FROM history_visits WHERE id = 100;',
    );
    db.close();
    return { ...f, data: readFileSync(path) };
  });
}

test('generated Safari databases export their history, bookmarks, Reading List and tabs, hostile text escaped', async () => {
  const tmp = tempDir();
  try {
    const data = richData();
    await writeBackup(join(tmp.path, 'backup'), withDeletions(buildSafari(data), tmp.path));
    const [result] = await withWorkspace(async (ws) =>
      exportArtifacts(
        new BackupSource(Backup.open(join(tmp.path, 'backup')), ws),
        join(tmp.path, 'out'),
        ['safari'],
        { export: { time: { utc: true } } },
      ),
    );
    const dir = join(tmp.path, 'out', 'safari');
    assert.deepEqual(
      result!.problems.filter((p) => p.severity === 'error'),
      [],
    );

    // History: every live visit, and the deleted ones back, marked.
    const json = JSON.parse(readFileSync(join(dir, 'safari.json'), 'utf8')) as {
      history: Array<HistoryVisit & { visitTime: string }>;
      tabs: Array<{ title: string; url: string; privateBrowsing: boolean }>;
    };
    const live = json.history.filter((h) => !h.recovered);
    const expectedLive = data.history
      .filter((h) => h.id !== 4)
      .flatMap((h) =>
        h.visits
          .filter((v) => v.id !== 100)
          .map((v) => [h.url, v.title, new Date(v.time).toISOString()]),
      );
    assert.deepEqual(live.map((h) => [h.url, h.title, h.visitTime]).sort(), expectedLive.sort());
    const recovered = json.history.filter((h) => h.recovered);
    const hostileVisit = recovered.find((h) => h.visitId === 100);
    assert.ok(hostileVisit, 'deleted visit 100 recovered');
    assert.equal(hostileVisit.title, HOSTILE);
    assert.equal(hostileVisit.url, 'https://evil.example/?q=<x>&y="1"');
    assert.equal(hostileVisit.visitTime, '2025-01-17T09:00:00.000Z');
    const book = recovered.find((h) => h.url === 'https://www.example.org/books/the-overstory');
    assert.ok(book, 'deleted item 4 recovered: ' + JSON.stringify(recovered));
    const csv = readFileSync(join(dir, 'history.csv'), 'utf8');
    assert.ok(csv.includes(`"${HOSTILE.replace(/"/g, '""')}"`));
    const header = csv.slice(1).split('\r\n')[0]!.split(',');
    assert.deepEqual(header.slice(-2), ['recovered', 'recovered_from']);
    assert.equal(csv.split(',yes,').length - 1, recovered.length);
    assert.equal(recovered.length, 3); // visit 100, the visit of item 4, and item 4 itself (its id overwritten, so unlinked)

    // bookmarks.html parses back to the same folders, titles and URLs.
    const html = readFileSync(join(dir, 'bookmarks.html'), 'utf8');
    assert.ok(html.startsWith('<!DOCTYPE NETSCAPE-Bookmark-file-1>'));
    assert.ok(!html.includes('<script>'));
    const links = parseNetscape(html);
    const folderPath = (parent: number): string => {
      if (parent === 1) return 'Favorites';
      if (parent === 0) return '';
      const f = data.folders!.find((x) => x.id === parent)!;
      const up = folderPath(f.parent);
      return up ? `${up} / ${f.title}` : f.title;
    };
    const expected = data.bookmarks.map((b) => [
      b.readingList ? 'Reading List' : folderPath(b.parent),
      b.title.replace(/\n/g, ' '),
      b.url,
    ]);
    assert.deepEqual(links.sort(), expected.sort());
    const bcsv = readFileSync(join(dir, 'bookmarks.csv'), 'utf8');
    assert.ok(bcsv.includes(`"${HOSTILE.replace(/"/g, '""')}"`));
    assert.ok(bcsv.includes('"Favorites / Travel <& ""plans""> / Norway, 2025",'));
    const rl = readFileSync(join(dir, 'reading-list.csv'), 'utf8');
    assert.ok(
      rl.includes('How to choose hiking boots,https://www.example.com/guides/hiking-boots'),
    );

    // Tabs.
    assert.deepEqual(
      json.tabs.map((t) => [t.title, t.url, t.privateBrowsing]),
      data.tabs!.map((t) => [t.title, t.url, t.privateBrowsing === true]),
    );
    assert.ok(readFileSync(join(dir, 'tabs.csv'), 'utf8').includes('"https://tab.example/a,b"'));
  } finally {
    tmp.cleanup();
  }
});

test('with recovery off, no deleted history comes back', async () => {
  const tmp = tempDir();
  try {
    await writeBackup(join(tmp.path, 'backup'), withDeletions(buildSafari(richData()), tmp.path));
    const data = await withWorkspace((ws) =>
      safariArtifact.read(new BackupSource(Backup.open(join(tmp.path, 'backup')), ws), {
        recoverDeleted: false,
      }),
    );
    assert.equal(data.items.filter((i) => 'recovered' in i && i.recovered).length, 0);
    assert.equal(data.items.filter((i) => i.kind === 'history').length, 5);
  } finally {
    tmp.cleanup();
  }
});

test('mvt iOS 14.3 backup: the open tab of BrowserState.db', needsFixtures(), async () => {
  const data = await withWorkspace((ws) =>
    safariArtifact.read(
      new BackupSource(Backup.open(fixture('backups', 'mvt-ios14-plain')), ws),
      {},
    ),
  );
  const tabs = data.items.filter((i) => i.kind === 'tab');
  assert.deepEqual(
    tabs.map((t) => [t.title, t.url]),
    [['NSO is bad', 'https://en.wikipedia.org/wiki/NSO_Group']],
  );
});

test('Safari databases with missing tables or columns give problems, not crashes', async () => {
  const tmp = tempDir();
  try {
    const history = join(tmp.path, 'History.db');
    const h = new Database(history);
    h.exec('CREATE TABLE history_items (id INTEGER PRIMARY KEY, url TEXT)');
    h.close();
    const bookmarks = join(tmp.path, 'Bookmarks.db');
    const b = new Database(bookmarks);
    b.exec('CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, title TEXT)');
    b.close();
    const data = await withWorkspace((ws) =>
      safariArtifact.read(
        new LooseFilesSource(
          [
            {
              domain: 'AppDomain-com.apple.mobilesafari',
              relativePath: 'Library/Safari/History.db',
              path: history,
            },
            { domain: 'HomeDomain', relativePath: 'Library/Safari/Bookmarks.db', path: bookmarks },
          ],
          ws,
        ),
        {},
      ),
    );
    assert.equal(data.items.length, 0);
    assert.ok(data.problems.some((p) => /history_visits is missing/.test(p.message)));
    assert.ok(
      data.problems.some((p) => /bookmarks lacks column\(s\) parent, type, url/.test(p.message)),
    );
  } finally {
    tmp.cleanup();
  }
});
