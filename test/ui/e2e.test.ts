import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACT_IDS } from '../../src/artifacts/artifact.js';
import { demoBackupPath, DEMO_PASSWORD } from '../../src/demo/location.js';
import { startUiServer, type UiServer } from '../../src/server/index.js';
import { webDistDir } from '../../src/server/root.js';
import { backupId } from '../../src/server/session.js';
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
  const apiJson = async (path: string) => {
    const res = await page.request.get(`${server.url}${path}`);
    assert.equal(res.status(), 200, path);
    return res.json();
  };

  before(async () => {
    ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    demoBefore = hashTree(demo);
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
    await shot('01-backups');
    await page.getByRole('link', { name: 'See your rescue plan' }).click();
    await page.locator('.rescue .options li').first().waitFor();
    assert.match(await page.locator('.rescue').innerText(), /cannot be recovered or bypassed/);
    await shot('01b-rescue-plan');
    await page.goBack();
    await page.locator('.backup-card', { hasText: '(demo)' }).click();
    await page.locator('#password').waitFor();
    await shot('02-unlock');
    await page.getByRole('link', { name: 'Try to recover it' }).click();
    await page.locator('#remember').waitFor();
    await shot('03-recover-password');
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
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() =>
      /2 \//.test(document.querySelector('.viewer-bar span')?.textContent ?? ''),
    );
    await page.keyboard.press('Escape');
    await page.locator('.viewer').waitFor({ state: 'detached' });
    // Filters: Recently Deleted holds exactly the trashed ones.
    const trashed = photos.items.filter((p: { trashed: boolean }) => p.trashed).length;
    await page.getByRole('tab', { name: /Recently Deleted/ }).click();
    assert.equal(await page.locator('.tile').count(), trashed);
    await shot('08-photos-recently-deleted');
    await page.getByRole('tab', { name: /^All/ }).click();
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
        await page.locator('table.items tbody tr').first().waitFor();
        assert.equal(
          await page.locator('table.items tbody tr').count(),
          Math.min(2000, data.items.length),
          artifact,
        );
        await page.locator('table.items tbody tr').first().click();
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

  it('downloads the selection as a zip', async () => {
    const ticket = await page.request.post(`${server.url}api/backups/${id}/zip`, {
      data: { selection: { messages: [0] } },
    });
    assert.equal(ticket.status(), 200);
    const zip = await page.request.get(
      `${server.url}${(await ticket.json()).url.replace(/^\//, '')}`,
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
