import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACT_IDS } from '../../src/artifacts/registry.js';
import { demoBackupPath, DEMO_PASSWORD } from '../../src/demo/location.js';
import { startUiServer, type UiServer } from '../../src/server/index.js';
import { webDistDir } from '../../src/server/root.js';
import { backupId } from '../../src/server/session.js';
import { localZone } from '../../src/time.js';
import { hashTree } from '../support/backups.js';
import { repoRoot, tempDir } from '../support/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(repoRoot, 'test-artifacts', 'ui');
const LONG = 180_000;
const TITLES: Record<string, string> = {
  contacts: 'Contacts',
  calls: 'Calls',
  notes: 'Notes',
  calendar: 'Calendar',
  reminders: 'Reminders',
  safari: 'Safari',
  voicemail: 'Voicemail',
  'voice-memos': 'Voice Memos',
};
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** The front end must be built before a browser can load it. */
function ensureWebBuilt(): void {
  if (existsSync(join(webDistDir(), 'index.html'))) return;
  const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(repoRoot, 'web', 'vite.config.ts')],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`building the web front end failed:\n${result.stderr}${result.stdout}`);
}

const skip = existsSync(CHROMIUM)
  ? false
  : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium): skipping the browser test`;

describe('reclaim ui in a real browser (Chromium) on the demo backup', { skip }, () => {
  const temp = tempDir('reclaim-ui-e2e-');
  const out = join(temp.path, 'Saved');
  const demo = demoBackupPath();
  const id = backupId(demo);
  let demoBefore: Map<string, string>;
  let server: UiServer;
  let context: BrowserContext;
  let page: Page;
  const shot = (name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
  /** The key the page keeps (only this origin can read it), sent as the page sends it. */
  const keyHeader = async () => ({
    'x-reclaim-key': await page.evaluate(() => localStorage.getItem('reclaim-key') ?? ''),
  });
  const apiJson = async (path: string) => {
    const res = await page.request.get(`${server.url}${path}`, { headers: await keyHeader() });
    assert.equal(res.status(), 200, path);
    return res.json();
  };

  before(async () => {
    ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    demoBefore = hashTree(demo);
    process.env['XDG_STATE_HOME'] = join(temp.path, 'state'); // the recovery session file
    server = await startUiServer({ roots: [], includeDemo: true });
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(join(temp.path, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1366, height: 800 },
      acceptDownloads: true,
      // Times are shown in the person's own zone: this browser's.
      timezoneId: 'America/New_York',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(LONG);
  });

  after(async () => {
    await context?.close();
    await server?.close();
    temp.cleanup();
  });

  it('opens with the token, lists the demo backup, and shows the password recovery page', async () => {
    await page.goto(server.launchUrl);
    assert.equal(new URL(page.url()).search, '', 'the token is dropped from the address');
    await page.locator('.backup-card', { hasText: '(demo)' }).waitFor();
    assert.doesNotMatch(page.url(), /key=/, 'the key leaves the address at once');
    await shot('01-backups');
    await page.getByRole('link', { name: 'See your rescue plan' }).click();
    await page.locator('.rescue .options li').first().waitFor();
    assert.match(await page.locator('.rescue').innerText(), /cannot be recovered or bypassed/);
    // The demo backup is encrypted: its entry offers the lost-password guidance.
    await page.locator('.rescue details.password-guidance summary').first().click();
    assert.match(
      await page.locator('.rescue details.password-guidance').first().innerText(),
      /Reset All Settings[\s\S]*stay locked/,
    );
    await shot('01b-rescue-plan');
    await page.goBack();
    await page.locator('.backup-card', { hasText: '(demo)' }).click();
    await page.locator('#password').waitFor();
    await shot('02-unlock');
    await page.getByRole('link', { name: 'Try to recover it' }).click();
    await page.locator('#remember').waitFor();
    // A large search can be allowed, and the hash line for hashcat is there to copy.
    await page.getByText('Allow a large search').waitFor();
    await page.getByText('Too big for this computer?').click();
    await page.locator('#hash-line').waitFor();
    assert.match(await page.locator('#hash-line').innerText(), /^\$itunes_backup\$\*10\*/);
    assert.match(await page.locator('#hashcat-command').innerText(), /^hashcat -m 14800 /);
    await shot('03-recover-password');
    // One candidate that is not the password: the page then says what can still be done.
    await page.fill('#mask', 'not-the-demo-password');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.locator('.recover .guidance').waitFor({ timeout: LONG });
    const guidance = await page.locator('.recover .guidance').innerText();
    assert.match(guidance, /Keep trying, with better candidates/);
    assert.match(guidance, /Hand the hash to hashcat on a GPU/);
    assert.match(guidance, /Transfer or Reset iPhone \(or iPad\) › Reset › Reset All Settings/);
    assert.match(guidance, /Backups made with the forgotten password stay locked/);
    assert.match(
      await page.locator('.recover .state.empty').innerText(),
      /Not found among 1 guesses/,
    );
    await shot('03b-recover-password-not-found');
    await page.goBack();
    await page.locator('#password').waitFor();
  });

  it('says when the password is wrong, then unlocks with the right one', async () => {
    await page.fill('#password', 'not-the-password');
    await page.press('#password', 'Enter');
    await page.locator('#unlock-error').waitFor({ timeout: LONG });
    assert.match(await page.locator('#unlock-error').innerText(), /Wrong password/);
    await shot('04-unlock-wrong-password');
    await page.fill('#password', DEMO_PASSWORD);
    await page.press('#password', 'Enter');
    await page.locator('.cards .card').first().waitFor({ timeout: LONG });
    await shot('05-overview');
    const cards = await page.locator('.cards .card').count();
    assert.equal(cards, ARTIFACT_IDS.length + 1, 'one card per category, and Files');
    assert.match(await page.locator('.facts').innerText(), /iPhone/);
  });

  it('shows the photos and opens one in the full view', async () => {
    const photos = await apiJson(`api/backups/${id}/artifacts/photos`);
    assert.ok(photos.items.length > 0, 'the demo has photos');
    await page.goto(`${server.url}#/b/${id}/a/photos`);
    await page.locator('.tile').first().waitFor();
    assert.equal(await page.locator('.tile').count(), photos.items.length);
    const first = photos.items.findIndex(
      (p: { kind: string; files: { role: string }[] }) =>
        p.kind === 'photo' && p.files.some((f) => f.role === 'original'),
    );
    assert.ok(first >= 0);
    const tileImage = page.locator(`.tile-open[data-index="${first}"] img`);
    await tileImage.waitFor();
    await page.waitForFunction(
      (el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0,
      await tileImage.elementHandle(),
      { timeout: LONG },
    );
    await shot('06-photos');
    await page.locator(`.tile-open[data-index="${first}"]`).click();
    const full = page.locator('.viewer img.full');
    await full.waitFor();
    await page.waitForFunction(
      () => {
        const img = document.querySelector('.viewer img.full') as HTMLImageElement | null;
        return img !== null && img.complete && img.naturalWidth > 0;
      },
      undefined,
      { timeout: LONG },
    );
    const width = await full.evaluate((img) => (img as HTMLImageElement).naturalWidth);
    assert.equal(
      width,
      photos.items[first].width ?? width,
      "the image shown has the photo's own width",
    );
    await shot('07-photo-full-view');
    // ← → move through the grid's order (newest first).
    const [place, total] = /(\d+) \/ (\d+)/
      .exec(await page.locator('.viewer-bar span').first().innerText())!
      .slice(1)
      .map(Number);
    const next = place! < total! ? place! + 1 : place! - 1;
    await page.keyboard.press(place! < total! ? 'ArrowRight' : 'ArrowLeft');
    await page.waitForFunction(
      (n) =>
        new RegExp(`· ${n} /`).test(document.querySelector('.viewer-bar span')?.textContent ?? ''),
      next,
    );
    await page.keyboard.press('Escape');
    await page.locator('.viewer').waitFor({ state: 'detached' });
    // Filters: Recently Deleted holds exactly the trashed ones.
    const trashed = photos.items.filter((p: { trashed: boolean }) => p.trashed).length;
    await page.getByRole('tab', { name: /Recently Deleted/ }).click();
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('.tile').length === n &&
        !document.querySelector('.state.loading'),
      trashed,
    );
    assert.equal(await page.locator('.tile').count(), trashed);
    await shot('08-photos-recently-deleted');
    await page.getByRole('tab', { name: /^All/ }).click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('.tile').length === n,
      photos.items.length,
    );
    // Select two photos with originals.
    const originals = photos.items
      .map((p: { files: { role: string }[] }, i: number) =>
        p.files.some((f) => f.role === 'original') ? i : -1,
      )
      .filter((i: number) => i >= 0)
      .slice(0, 2);
    for (const i of originals)
      await page.locator(`.tile:has(.tile-open[data-index="${i}"]) input.select`).check();
    await page.locator('.selection-bar').waitFor();
    assert.match(await page.locator('.selection-bar').innerText(), /2 selected/);
    (globalThis as { picked?: number[] }).picked = originals;
  });

  it('refuses the link from a second browser, and a request that carries only the cookie', async () => {
    const { chromium } = await import('playwright-core');
    const other = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const second = await (await other.newContext()).newPage();
      const res = await second.goto(server.launchUrl);
      assert.equal(res?.status(), 401);
      assert.match(await second.locator('body').innerText(), /already been used/);
    } finally {
      await other.close();
    }
    // This browser's cookie alone (what a page of another local program could make it send) opens nothing.
    const onlyCookie = await page.request.get(`${server.url}api/backups`);
    assert.equal(onlyCookie.status(), 401);
    assert.equal((await onlyCookie.json()).code, 'unauthorised');
    assert.equal(
      (await page.request.get(`${server.url}api/backups`, { headers: await keyHeader() })).status(),
      200,
    );
    // A page of another local origin cannot show this server's pictures (Cross-Origin-Resource-Policy),
    // even with a valid signed address.
    const thumb = await page.evaluate(
      () => document.querySelector<HTMLImageElement>('.tile img')?.src ?? '',
    );
    const stranger = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<img id="x" src="${thumb}">`);
    });
    await new Promise<void>((r) => stranger.listen(0, '127.0.0.1', r));
    try {
      const port = (stranger.address() as AddressInfo).port;
      const probe = await context.newPage();
      await probe.goto(`http://127.0.0.1:${port}/`);
      await probe.waitForFunction(
        () => (document.getElementById('x') as HTMLImageElement).complete,
      );
      assert.equal(
        await probe.evaluate(() => (document.getElementById('x') as HTMLImageElement).naturalWidth),
        0,
      );
      await probe.close();
    } finally {
      stranger.close();
    }
  });

  it('the photo grid: days newest first, albums, a month jump, the open photo in the address, readable details', async () => {
    await page.goto(`${server.url}#/b/${id}/a/photos`);
    await page.locator('.tile img').first().waitFor();
    const days = await page.locator('h2.day').allInnerTexts();
    assert.ok(days.length >= 2, 'a header for each day');
    const dates = days.map((d) => Date.parse(d.replace(/\s+\d+$/, '')));
    assert.ok(
      dates.every((d, i) => i === 0 || d <= dates[i - 1]!),
      `newest first: ${days.join(' | ')}`,
    );
    assert.ok((await page.locator('select[aria-label="jump to a month"] option').count()) >= 2);
    await page.selectOption('select[aria-label="album"]', 'Trail days');
    await page.waitForFunction(() => document.querySelectorAll('.tile').length === 2);
    await page.selectOption('select[aria-label="album"]', '');
    await page.waitForFunction(() => document.querySelectorAll('.tile').length === 5);
    // The thumbnail-only photo: a lower-resolution copy, never "Download original".
    const timeline = await apiJson(`api/backups/${id}/photos/timeline`);
    const lowRes = timeline.index[timeline.flags.findIndex((f: number) => f & 32)];
    await page.locator(`.tile-open[data-index="${lowRes}"]`).click();
    await page.waitForURL(new RegExp(`/a/photos/${lowRes}$`));
    await page.locator('.viewer-info').waitFor();
    assert.match(await page.locator('.viewer').innerText(), /Lower-resolution copy/);
    assert.doesNotMatch(await page.locator('.viewer-bar').innerText(), /Download original/);
    // A link reopens it; Back closes it.
    await page.reload();
    await page.locator('.viewer-info').waitFor();
    await page.goBack();
    await page.locator('.viewer').waitFor({ state: 'detached' });
    // Details: the zone as +hh:mm, a map link, no internal ids unless asked for.
    const located = (await apiJson(`api/backups/${id}/artifacts/photos`)).items.findIndex(
      (p: { latitude: number | null; timeZoneOffset: number | null }) =>
        p.latitude !== null && p.timeZoneOffset !== null,
    );
    await page.locator(`.tile-open[data-index="${located}"]`).click();
    await page.locator('.viewer-info a', { hasText: 'map' }).waitFor();
    const details = await page.locator('.viewer-info').innerText();
    assert.match(details, /UTC[+-]\d\d:\d\d/);
    assert.doesNotMatch(details, /Z_PK|Library id/);
    await page.locator('.viewer-info .advanced-toggle input').check();
    assert.match(await page.locator('.viewer-info').innerText(), /Row \(Z_PK\)/);
    await page.locator('.viewer-info .advanced-toggle input').uncheck();
    await shot('07b-photo-details');
    await page.keyboard.press('Escape');
    await page.locator('.viewer').waitFor({ state: 'detached' });
  });

  it('opens a conversation with its messages, and selects it', async () => {
    const messages = await apiJson(`api/backups/${id}/artifacts/messages`);
    assert.ok(messages.items.length > 0, 'the demo has conversations');
    await page.goto(`${server.url}#/b/${id}/a/messages`);
    await page.locator('.conv-open').first().waitFor();
    assert.equal(await page.locator('.conv-open').count(), messages.items.length);
    await page.locator('.conv-open[data-index="0"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('.chat .bubble').first().waitFor();
    const conversation = messages.items[0];
    const typed = conversation.messages.filter((m: { event?: string }) => !m.event);
    assert.equal(await page.locator('.chat .bubble').count(), typed.length);
    const firstText = typed.find((m: { text: string | null }) => m.text)?.text;
    assert.equal(await page.locator('.chat .bubble .text').first().innerText(), firstText);
    await shot('09-messages-conversation');
    // A picture sent in a conversation is shown in the chat, when the demo has one.
    const withPicture = messages.items.findIndex(
      (c: {
        messages: {
          attachments: { present: boolean; mimeType: string | null; fileName: string }[];
        }[];
      }) =>
        c.messages.some((m) =>
          m.attachments.some(
            (a) =>
              a.present &&
              (/^image\/(jpeg|png|gif)/.test(a.mimeType ?? '') ||
                /\.(jpe?g|png|gif)$/i.test(a.fileName)),
          ),
        ),
    );
    if (withPicture >= 0) {
      await page.locator(`.conv-open[data-index="${withPicture}"]`).click();
      await page.locator('.chat .attachment img').first().waitFor();
      await page.waitForFunction(
        () => {
          const img = document.querySelector('.chat .attachment img') as HTMLImageElement | null;
          return img !== null && img.complete && img.naturalWidth > 0;
        },
        undefined,
        { timeout: LONG },
      );
      await shot('09b-messages-attachment');
    }
    await page.locator('.conv:has(.conv-open[data-index="0"]) input.select').check();
    assert.match(await page.locator('.selection-bar').innerText(), /3 selected/);
    await page.goto(`${server.url}#/b/${id}/a/whatsapp`);
    await page.locator('.conversations, .state').first().waitFor();
    if (await page.locator('.conv-open').count()) {
      await page.locator('.conv-open').first().click();
      await page.locator('.chat .messages').waitFor();
    }
    await shot('10-whatsapp');
  });

  it('a thread: local times, a search that highlights and steps through matches, a date jump', async () => {
    const messages = await apiJson(`api/backups/${id}/artifacts/messages`);
    const conversation = messages.items[0];
    await page.goto(`${server.url}#/b/${id}/a/messages/0`);
    await page.locator('.chat .bubble').first().waitFor();
    // The first message's time, in the zone of the computer running Reclaim (the browser is set to
    // America/New_York: the server's clock wins, as in the exports), named once in the page's header.
    const first = conversation.messages.find((m: { event?: string }) => !m.event);
    const local = new Date(first.date)
      .toLocaleString('sv-SE', { timeZone: localZone() })
      .slice(0, 16);
    assert.equal(await page.locator('.chat .bubble .time').first().innerText(), local);
    assert.match(await page.getByTestId('zone').innerText(), new RegExp(`Times in ${localZone()}`));
    const word = (first.text as string).split(/\s+/).find((w) => /^\p{L}{4,}$/u.test(w))!;
    const expected = conversation.messages.filter((m: { text: string | null }) =>
      (m.text ?? '').toLowerCase().includes(word.toLowerCase()),
    ).length;
    await page.locator('.chat-search').fill(word.toUpperCase());
    await page.locator('.chat mark').first().waitFor();
    assert.match(
      await page.locator('.search-nav').innerText(),
      new RegExp(`${expected} of ${expected}`),
    );
    assert.equal(
      (await page.locator('.chat mark').first().innerText()).toLowerCase(),
      word.toLowerCase(),
    );
    await page.getByRole('button', { name: 'earlier match' }).click();
    if (expected > 1)
      assert.match(
        await page.locator('.search-nav').innerText(),
        new RegExp(`${expected - 1} of ${expected}`),
      );
    await page.locator('.bubble.current-hit').waitFor();
    await shot('09c-thread-search');
    await page.locator('.chat-search').fill('');
    await page.locator('input[aria-label="go to date"]').fill(first.date.slice(0, 10));
    await page.locator('.day-sep').first().waitFor();
  });

  it('shows every other page', async () => {
    const pages = [
      'contacts',
      'calls',
      'notes',
      'calendar',
      'reminders',
      'safari',
      'voicemail',
      'voice-memos',
    ];
    for (const [n, artifact] of pages.entries()) {
      await page.goto(`${server.url}#/b/${id}/a/${artifact}`);
      const data = await apiJson(`api/backups/${id}/artifacts/${artifact}`);
      await page.locator('.page-head h1', { hasText: TITLES[artifact]! }).waitFor();
      if (data.items.length > 0) {
        await page.locator('table.items tbody tr[data-index]').first().waitFor();
        assert.equal(
          await page.locator('table.items tbody tr[data-index]').count(),
          data.items.length,
          artifact,
        );
        await page.locator('table.items tbody tr[data-index]').first().click();
        await page.locator('.detail').waitFor();
      } else {
        await page.locator('.state.empty').first().waitFor();
      }
      await shot(`${String(11 + n).padStart(2, '0')}-${artifact}`);
    }
    await page.goto(`${server.url}#/b/${id}/files`);
    await page.locator('.domain-list button').first().waitFor();
    await page.locator('.domain-list button', { hasText: 'CameraRollDomain' }).click();
    await page.locator('.folder-link').first().waitFor();
    await shot('19-files');
  });

  it('lists: sortable columns, date ranges, search by what is shown (names, numbers in any format)', async () => {
    await page.goto(`${server.url}#/b/${id}/a/calls`);
    const rows = page.locator('table.items tbody tr[data-index]');
    await rows.first().waitFor();
    const all = await rows.count();
    const calls = (await apiJson(`api/backups/${id}/artifacts/calls`)).items as {
      address: string | null;
      date: string;
    }[];
    const withNumber = calls.find((c) => c.address && /\d{10}/.test(c.address.replace(/\D/g, '')))!;
    const digits = withNumber.address!.replace(/\D/g, '').slice(-10);
    const formatted = `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
    const search = page.locator('input[aria-label="search Calls"]');
    for (const q of [digits, formatted]) {
      await search.fill(q);
      await page.waitForFunction(
        (n) => document.querySelectorAll('table.items tbody tr[data-index]').length < n,
        all,
      );
      const texts = await rows.allInnerTexts();
      assert.ok(texts.length > 0 && texts.every((t) => t.replace(/\D/g, '').includes(digits)), q);
    }
    await search.fill('');
    await page.waitForFunction(
      (n) => document.querySelectorAll('table.items tbody tr[data-index]').length === n,
      all,
    );
    // Sorting by a column, both ways.
    const header = page.locator('th button.sort', { hasText: /^Date/ });
    await header.click();
    assert.equal(await page.locator('th[aria-sort="ascending"]').count(), 1);
    const up = await page
      .locator('table.items tbody tr[data-index]')
      .first()
      .getAttribute('data-index');
    await header.click();
    assert.equal(await page.locator('th[aria-sort="descending"]').count(), 1);
    const down = await page
      .locator('table.items tbody tr[data-index]')
      .first()
      .getAttribute('data-index');
    assert.notEqual(up, down);
    // A date range.
    const days = calls.map((c) => c.date.slice(0, 10)).sort();
    await page.locator('input[aria-label="from date"]').fill(days.at(-1)!);
    await page.waitForFunction(
      (n) => document.querySelectorAll('table.items tbody tr[data-index]').length < n,
      all,
    );
    await page.locator('input[aria-label="from date"]').fill('');
    // Internal fields stay hidden unless Advanced is on.
    await rows.first().click();
    assert.doesNotMatch(await page.locator('.detail dl').innerText(), /^Rowid$/m);
    // Notes as notes; calendar times in their own zone; an AMR voicemail says it cannot play.
    await page.goto(`${server.url}#/b/${id}/a/notes`);
    await page.locator('table.items tbody tr[data-index]').first().click();
    await page.locator('.detail .note-body').waitFor();
    assert.ok((await page.locator('.detail .note-body li, .detail .note-body h3').count()) > 0);
    await page.goto(`${server.url}#/b/${id}/a/calendar`);
    await page.locator('table.items tbody tr[data-index]').first().waitFor();
    const calendar = await page.locator('table.items').innerText();
    assert.match(calendar, /\(all day\)/);
    assert.match(calendar, /\([A-Z][a-z]+\/[A-Za-z_]+\)/, 'a timed event names its zone');
    await page.goto(`${server.url}#/b/${id}/a/voicemail`);
    await page.locator('table.items tbody tr[data-index]').first().click();
    await page.locator('.detail .cannot-play').waitFor();
    assert.match(await page.locator('.detail .cannot-play').innerText(), /cannot play AMR/);
    await shot('16b-voicemail-cannot-play');
  });

  it('keeps the selection across a reload; overview counts agree with the pages; errors say what to do', async () => {
    await page.reload();
    await page.locator('.selection-bar').waitFor();
    assert.match(await page.locator('.selection-bar').innerText(), /3 selected/);
    await page.goto(`${server.url}#/b/${id}`);
    const filesCard = page.locator('.card', { hasText: 'the raw backup' });
    await filesCard.waitFor();
    const cardCount = Number((await filesCard.locator('.big').innerText()).replace(/\D/g, ''));
    await filesCard.click();
    await page.locator('.files .page-head .meta').waitFor();
    const pageCount = Number(
      /([\d,]+) files/
        .exec(await page.locator('.files .page-head .meta').innerText())![1]!
        .replace(/\D/g, ''),
    );
    assert.equal(cardCount, pageCount);
    await page.goto(`${server.url}#/b/000000000000`);
    await page.locator('.state.error').waitFor();
    const error = await page.locator('.state.error').innerText();
    assert.doesNotMatch(error, /Something went wrong/);
    assert.match(error, /Could not open this backup: No such backup/);
    await page.goto(`${server.url}#/b/${id}`);
    await page.locator('.selection-bar').waitFor();
  });

  it('saves the selection to a folder, and the files on disk are the originals', async () => {
    await page.locator('.selection-bar a', { hasText: 'Save' }).click();
    await page.fill('#out', out);
    await shot('20-save');
    await page.locator('form button[type=submit]').click();
    await page.locator('.state.success').waitFor({ timeout: LONG });
    await shot('21-saved');
    const summary = JSON.parse(readFileSync(join(out, 'export-summary.json'), 'utf8')) as {
      artifact: string;
      items: number;
    }[];
    assert.deepEqual(
      summary.map((s) => [s.artifact, s.items]),
      [
        ['photos', 2],
        ['messages', 1],
      ],
    );

    // Each selected photo's original is on disk, byte for byte as the backup holds it.
    const photos = await apiJson(`api/backups/${id}/artifacts/photos`);
    const saved = new Set(filesUnder(join(out, 'photos')).map((f) => sha(readFileSync(f))));
    for (const i of (globalThis as { picked?: number[] }).picked!) {
      const original = photos.items[i].files.find((f: { role: string }) => f.role === 'original');
      const res = await page.request.get(
        `${server.url}api/backups/${id}/file?${new URLSearchParams({ domain: original.domain, path: original.relativePath })}`,
        { headers: await keyHeader() },
      );
      assert.ok(
        saved.has(sha(Buffer.from(await res.body()))),
        `${photos.items[i].filename} saved as it is in the backup`,
      );
    }
    // The conversation is saved with its text.
    const messages = await apiJson(`api/backups/${id}/artifacts/messages`);
    const text = messages.items[0].messages.find((m: { text: string | null }) => m.text)
      .text as string;
    const written = filesUnder(join(out, 'messages'));
    assert.ok(written.length > 0);
    assert.ok(
      written.some(
        (f) =>
          readFileSync(f, 'utf8').includes(text.replace(/'/g, '')) ||
          readFileSync(f, 'utf8').includes(text),
      ),
      'the first message is in the saved conversation',
    );
    assert.ok(!existsSync(join(out, 'whatsapp')), 'only what was selected');
  });

  it('downloads the selection as a zip from the page, with progress', async () => {
    await page.goto(`${server.url}#/b/${id}/save`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download a zip' }).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^reclaim-\d{4}-\d\d-\d\d\.zip$/);
    const saved = await file.path();
    assert.equal(readFileSync(saved).subarray(0, 4).toString('hex'), '504b0304');
    await page.locator('.state.success', { hasText: 'The zip is downloaded' }).waitFor();
  });

  it('downloads the selection as a zip', async () => {
    const ticket = await page.request.post(`${server.url}api/backups/${id}/zip`, {
      data: { selection: { messages: [0] } },
      headers: await keyHeader(),
    });
    assert.equal(ticket.status(), 200);
    const zip = await page.request.get(
      `${server.url}${(await ticket.json()).url.replace(/^\//, '')}`,
      { headers: await keyHeader() },
    );
    assert.equal(zip.status(), 200);
    const bytes = Buffer.from(await zip.body());
    assert.equal(bytes.subarray(0, 4).toString('hex'), '504b0304', 'a zip file');
    assert.ok(bytes.includes(Buffer.from('export-summary.json')));
    assert.ok(bytes.includes(Buffer.from('messages/')));
  });

  it('left the demo backup exactly as it was', () => {
    assert.deepEqual(hashTree(demo), demoBefore);
  });
});
