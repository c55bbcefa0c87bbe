// The UI's history pages through its API: one search over every backup of the session, and two backups of a
// device compared (lost, added, changed; the lost records saved), on three backups of one phone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type {
  CompareResult,
  CompareSaveResult,
  DevicesResponse,
  SearchResult,
} from '../../src/server/api-types.js';
import { startUiServer, type UiServer } from '../../src/server/index.js';
import { webDistDir } from '../../src/server/root.js';
import { backupId } from '../../src/server/session.js';
import {
  ADDED_IN_C,
  buildDeviceHistory,
  C_PASSWORD,
  UDID,
  type DeviceHistory,
} from '../support/device-history.js';
import { repoRoot, tempDir } from '../support/fixtures.js';
import { followJob, login, raw, type Auth } from '../ui/helpers.js';

describe('reclaim ui: search and compare backups', () => {
  const temp = tempDir('reclaim-ui-history-');
  let h: DeviceHistory;
  let server: UiServer;
  let auth: Auth;
  const api = (path: string, body?: unknown) =>
    raw(`${server.url}${path.replace(/^\//, '')}`, {
      method: body !== undefined ? 'POST' : 'GET',
      headers: {
        ...auth.headers,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  const json = (r: { body: Buffer }) => JSON.parse(r.body.toString('utf8'));
  /** Starts a job and returns its `done` data (or fails with its error). */
  const job = async <T>(path: string, body: unknown): Promise<T> => {
    const started = await api(path, body);
    assert.equal(started.status, 202, started.body.toString());
    const end = await followJob(server.url, auth, json(started).job);
    assert.equal(end.type, 'done', JSON.stringify(end.data));
    return end.data as T;
  };

  before(async () => {
    h = await buildDeviceHistory(join(temp.path, 'Backup'));
    process.env['XDG_STATE_HOME'] = join(temp.path, 'state');
    process.env['RECLAIM_CACHE_DIR'] = join(temp.path, 'cache');
    server = await startUiServer({ roots: [h.root], includeDemo: false });
    auth = await login(server.launchUrl);
  });
  after(async () => {
    await server?.close();
    delete process.env['RECLAIM_CACHE_DIR'];
    temp.cleanup();
  });

  it('answers only the page that holds the session: the cookie alone is refused', async () => {
    const url = `${server.url}api/history/devices`;
    assert.equal((await raw(url)).status, 401);
    const cookieOnly = await raw(url, { headers: { cookie: auth.cookie } });
    assert.equal(cookieOnly.status, 401);
    const search = await raw(`${server.url}api/history/search`, {
      method: 'POST',
      headers: { cookie: auth.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'snacks' }),
    });
    assert.equal(search.status, 401);
    const wrongKey = await raw(url, { headers: { cookie: auth.cookie, 'x-reclaim-key': 'nope' } });
    assert.equal(wrongKey.status, 401);
  });

  it('lists the backups by device, newest first, the encrypted one locked', async () => {
    const { devices } = json(await api('/api/history/devices')) as DevicesResponse;
    const alex = devices.find((d) => d.device === `udid:${UDID}`)!;
    assert.equal(alex.deviceName, 'Alex’s iPhone');
    assert.deepEqual(
      alex.backups.map((b) => [b.id, b.archived, b.locked]),
      [
        [backupId(h.c), false, true],
        [backupId(h.b), true, false],
        [backupId(h.a), true, false],
      ],
    );
    assert.equal(devices.length, 2);
  });

  it('compares two backups: counts, lost items (those still in deleted space marked), added and changed', async () => {
    const r = await job<CompareResult>('/api/history/compare', {
      old: backupId(h.a),
      new: backupId(h.b),
    });
    const messages = r.types.find((t) => t.id === 'messages')!;
    assert.deepEqual(
      [messages.lost, messages.added, messages.changed, messages.stillInDeletedSpace],
      [3, 1, 1, 2],
    );
    const contacts = r.types.find((t) => t.id === 'contacts')!;
    assert.deepEqual([contacts.lost, contacts.changed], [2, 1]);
    const snacks = r.entries.find((e) => e.change === 'lost' && /snacks/.test(e.text))!;
    assert.equal(snacks.type, 'messages');
    assert.equal(snacks.stillInDeletedSpace, true);
    assert.match(snacks.text, /^Weekend Hike — /);
    assert.ok(
      r.entries.some((e) => e.change === 'changed' && /7:15/.test(e.text)),
      'the edited message, as it is now',
    );
    assert.equal(r.truncated, false);
    assert.match(r.old.label, /2025-01-17/);

    const locked = await api('/api/history/compare', { old: backupId(h.b), new: backupId(h.c) });
    assert.equal(locked.status, 400);
    assert.match(json(locked).error, /unlock it first/);
    const same = await api('/api/history/compare', { old: backupId(h.a), new: backupId(h.a) });
    assert.equal(same.status, 400);
  });

  it('saves the lost items into a folder, never inside a backup', async () => {
    const out = join(temp.path, 'lost');
    const r = await job<CompareSaveResult>('/api/history/compare/save', {
      old: backupId(h.a),
      new: backupId(h.b),
      only: ['messages', 'contacts', 'calls'],
      folder: out,
    });
    assert.equal(r.folder, out);
    assert.deepEqual(
      r.saved.map((s) => [s.id, s.lost]),
      [
        ['messages', 3],
        ['contacts', 2],
        ['calls', 1],
      ],
    );
    const vcf = readFileSync(join(out, 'contacts', 'contacts.vcf'), 'utf8');
    assert.equal((vcf.match(/BEGIN:VCARD/g) ?? []).length, 2);
    assert.ok(existsSync(join(out, 'messages', 'Weekend Hike', 'Weekend Hike.json')));

    const inside = await api('/api/history/compare/save', {
      old: backupId(h.a),
      new: backupId(h.b),
      folder: join(h.b, 'lost'),
    });
    const refused =
      inside.status === 202 ? await followJob(server.url, auth, json(inside).job) : null;
    if (refused) assert.equal(refused.type, 'error');
    else assert.equal(inside.status, 400);
    assert.ok(!existsSync(join(h.b, 'lost')), 'nothing written inside the backup');
  });

  it('searches every readable backup at once; an encrypted one once unlocked', async () => {
    const first = await job<SearchResult>('/api/history/search', { query: 'snacks' });
    assert.equal(first.searched, 3);
    assert.deepEqual(
      first.skipped.map((s) => s.backup),
      [backupId(h.c)],
    );
    const messages = first.hits.filter((x) => x.type === 'messages');
    assert.deepEqual(
      messages.map((x) => [x.backup, x.recovered]),
      [
        [backupId(h.a), false],
        [backupId(h.b), true],
      ],
    );
    assert.match(messages[0]!.link, new RegExp(`^#/b/${backupId(h.a)}/a/messages/`));
    assert.match(messages[0]!.snippet, /«snacks»/i);

    const unlocked = await job<{ unlocked: boolean }>(`/api/backups/${backupId(h.c)}/unlock`, {
      password: C_PASSWORD,
    });
    assert.equal(unlocked.unlocked, true);
    const newer = await job<SearchResult>('/api/history/search', {
      query: 'booked',
      only: ['messages'],
      from: '2025-02-01',
      to: '2025-02-28',
    });
    assert.deepEqual(newer.skipped, []);
    assert.deepEqual(
      newer.hits.map((x) => [x.backup, x.title.length > 0]),
      [[backupId(h.c), true]],
    );
    assert.ok(ADDED_IN_C.includes('booked'));

    const number = await job<SearchResult>('/api/history/search', {
      query: '(415) 555-0123',
      only: ['contacts'],
    });
    assert.equal(number.hits.filter((x) => x.title === 'Jamie Chen').length, 4);
    const bad = await api('/api/history/search', { query: 'x', from: 'March' });
    assert.equal(bad.status, 400);
  });
});

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? false
  : `Chromium is not installed at ${CHROMIUM}: skipping the browser test of search and compare`;

describe('reclaim ui in a browser: the header search box and the compare page', { skip }, () => {
  const temp = tempDir('reclaim-ui-history-e2e-');
  let h: DeviceHistory;
  let server: UiServer;
  let close: () => Promise<void> = async () => {};
  let page: import('playwright-core').Page;

  before(async () => {
    if (!existsSync(join(webDistDir(), 'index.html'))) {
      const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
      const built = spawnSync(
        process.execPath,
        [vite, 'build', '--config', join(repoRoot, 'web', 'vite.config.ts')],
        { cwd: repoRoot, encoding: 'utf8' },
      );
      assert.equal(built.status, 0, built.stderr);
    }
    h = await buildDeviceHistory(join(temp.path, 'Backup'));
    process.env['XDG_STATE_HOME'] = join(temp.path, 'state');
    process.env['RECLAIM_CACHE_DIR'] = join(temp.path, 'cache');
    server = await startUiServer({ roots: [h.root], includeDemo: false });
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    close = () => browser.close();
    page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
    page.setDefaultTimeout(120_000);
  });
  after(async () => {
    await close();
    await server?.close();
    delete process.env['RECLAIM_CACHE_DIR'];
    temp.cleanup();
  });

  it('compares two backups of the phone and saves what was lost', async () => {
    await page.goto(server.launchUrl);
    await page.getByRole('link', { name: 'Compare backups' }).click();
    await page.getByRole('heading', { name: 'Compare backups' }).waitFor();
    // The newest backup is encrypted and still locked: the page says so.
    await page.getByText(/is encrypted: unlock it first/).waitFor();
    await page.getByLabel('Older').selectOption(backupId(h.a));
    await page.getByLabel('Newer').selectOption(backupId(h.b));
    await page.getByRole('button', { name: 'Compare' }).click();
    const row = page.locator('.compare tbody tr', { hasText: 'Messages' });
    await row.waitFor();
    assert.deepEqual(
      (await row.locator('td').allInnerTexts()).map((t) => t.trim()),
      ['Messages', '3', '1', '1', '2'],
    );
    const snacks = page.locator('.compare-entries li', { hasText: 'snacks' });
    assert.match(await snacks.innerText(), /still in the newer backup’s deleted space/);
    await page.getByRole('tab', { name: /Added/ }).click();
    await page.locator('.compare-entries li', { hasText: 'Dinner again next Thursday' }).waitFor();
    const out = join(temp.path, 'Lost items');
    await page.getByLabel(/Save the \d+ lost items/).fill(out);
    await page.getByRole('button', { name: 'Save lost items' }).click();
    await page.getByText(`Saved into ${out}`).waitFor();
    assert.ok(existsSync(join(out, 'contacts', 'contacts.vcf')));
  });

  it('searches every backup from the header box', async () => {
    await page.getByLabel('Search every backup').first().fill('snacks');
    await page.getByLabel('Search every backup').first().press('Enter');
    await page.getByText(/results? in 3 backups/).waitFor();
    const rows = page.locator('.search tbody tr');
    assert.equal(
      await rows.count(),
      4,
      'the message and the note, in each unlocked backup of the phone',
    );
    assert.match(await page.locator('.search').innerText(), /Not searched: .*unlock it first/);
    await rows.filter({ hasText: 'Recovered' }).first().waitFor();
    const link = rows.filter({ hasText: 'Messages' }).first().getByRole('link');
    assert.match((await link.getAttribute('href')) ?? '', /^#\/b\/[0-9a-f]{12}\/a\/messages\//);
  });
});
