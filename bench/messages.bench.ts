// Messages: reading a large generated iOS 17 sms.db (with deleted-record carving) and exporting it in all four
// formats; then one 100,000-message thread as HTML pages: the largest page, and how long Chromium takes to open
// the first page, against the whole thread as one page (the export before pages) measured in the same run.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { messagesArtifact } from '../src/artifacts/messages/index.js';
import { LooseFilesSource } from '../src/artifacts/source.js';
import { PrivateWorkspace } from '../src/artifacts/workspace.js';
import { buildSmsDb, type SmsMessageSpec, type SmsSpec } from '../demo/src/sms-db.js';
import type { Conversation } from '../src/artifacts/conversation.js';
import type { ArtifactData } from '../src/artifacts/artifact.js';
import type { ArtifactSource } from '../src/artifacts/source.js';
import { writeConversations } from '../src/export/conversations/index.js';
import { messagesExporter } from '../src/export/messages.js';

const MESSAGES = 40_000;
const CHATS = 40;

function spec(): SmsSpec {
  const handles = Array.from({ length: CHATS }, (_, i) => ({
    rowid: i + 1,
    id: `+1415555${String(1000 + i)}`,
  }));
  const chats = handles.map((h, i) => ({
    rowid: i + 1,
    identifier: h.id,
    handleRowids: [h.rowid],
  }));
  const messages: SmsMessageSpec[] = [];
  const start = Date.parse('2022-01-01T00:00:00Z');
  for (let i = 1; i <= MESSAGES; i++) {
    const chat = (i % CHATS) + 1;
    const date = new Date(start + i * 60_000).toISOString();
    if (i % 10 === 0)
      messages.push({
        rowid: i,
        chatRowid: chat,
        handleRowid: chat,
        date,
        text: null,
        tapback: { type: 2000 + (i % 6), targetRowid: i - CHATS },
      });
    else
      messages.push({
        rowid: i,
        chatRowid: chat,
        handleRowid: i % 3 === 0 ? 0 : chat,
        date,
        text: `Message ${i}: ${'lorem ipsum dolor sit amet '.repeat(1 + (i % 4))}`,
        textColumn: i % 2 === 0,
      });
  }
  return { handles, chats, attachments: [], messages };
}

const THREAD = 100_000;
const CHROMIUM = '/usr/bin/chromium';

function threadSpec(): SmsSpec {
  const messages: SmsMessageSpec[] = [];
  const start = Date.parse('2023-11-20T00:00:00Z');
  for (let i = 1; i <= THREAD; i++)
    messages.push({
      rowid: i,
      chatRowid: 1,
      handleRowid: i % 3 === 0 ? 0 : 1,
      date: new Date(start + i * 4 * 60_000).toISOString(),
      text: `Message ${i}: ${'lorem ipsum dolor sit amet '.repeat(1 + (i % 4))}`,
      textColumn: i % 2 === 0,
    });
  return {
    handles: [{ rowid: 1, id: '+14155550100' }],
    chats: [{ rowid: 1, identifier: '+14155550100', handleRowids: [1] }],
    attachments: [],
    messages,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

/**
 * Milliseconds from navigation to the first frame after load in one headless Chromium (warmed up on a
 * blank page first): the median of `runs` opens of each file.
 */
async function openTimes(files: Array<{ path: string; runs: number }>): Promise<number[] | null> {
  if (!existsSync(CHROMIUM)) return null;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const open = async (url: string) => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
    const t = performance.now();
    await page.goto(url, { waitUntil: 'load', timeout: 300_000 });
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
    const ms = performance.now() - t;
    await page.close();
    return ms;
  };
  try {
    await open('about:blank');
    const medians: number[] = [];
    for (const file of files) {
      const times: number[] = [];
      for (let i = 0; i < file.runs; i++) times.push(await open(pathToFileURL(file.path).href));
      medians.push(times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!);
    }
    return medians;
  } finally {
    await browser.close();
  }
}

async function thread(dir: string, workspace: PrivateWorkspace): Promise<void> {
  const path = join(dir, 'thread.db');
  writeFileSync(path, buildSmsDb('ios17', threadSpec()));
  const source: ArtifactSource = new LooseFilesSource(
    [{ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', path }],
    workspace,
  );
  const data = (await messagesArtifact.read(source, {
    recoverDeleted: false,
  })) as ArtifactData<Conversation>;
  const context = (outDir: string) => ({
    outDir,
    source,
    names: { nameFor: () => undefined },
    options: { time: { zone: 'America/New_York' } },
    formats: ['html'],
  });
  let t = performance.now();
  await writeConversations('messages', 'Messages', data, context(join(dir, 'paged')));
  const pagedMs = performance.now() - t;
  t = performance.now();
  await writeConversations('messages', 'Messages', data, context(join(dir, 'single')), {
    messages: Infinity,
    bytes: Infinity,
  });
  const singleMs = performance.now() - t;
  const folder = readdirSync(join(dir, 'paged')).find((f) => f !== 'index.html')!;
  const pages = [
    join(dir, 'paged', folder, `${folder}.html`),
    ...readdirSync(join(dir, 'paged', folder, 'pages')).map((f) =>
      join(dir, 'paged', folder, 'pages', f),
    ),
  ];
  const sizes = pages.map((p) => statSync(p).size);
  const largest = Math.max(...sizes);
  const single = join(dir, 'single', folder, `${folder}.html`);
  console.log(
    `${THREAD}-message thread as HTML pages: ${pages.length} pages, largest ${mb(largest)}, first page ${mb(sizes[0]!)}, written in ${seconds(pagedMs)}`,
  );
  console.log(
    `  reference, the whole thread as one page (before pages): ${mb(statSync(single).size)}, written in ${seconds(singleMs)}`,
  );
  const largestPage = pages[sizes.indexOf(largest)]!;
  const times = await openTimes([
    { path: pages[0]!, runs: 3 },
    { path: largestPage, runs: 3 },
    { path: single, runs: 1 },
  ]);
  if (!times) {
    console.log(`  Chromium not at ${CHROMIUM}: open times not measured`);
    return;
  }
  console.log(`  Chromium opens the first page in ${seconds(times[0]!)} (median of 3)`);
  console.log(`  Chromium opens the largest page in ${seconds(times[1]!)} (median of 3)`);
  console.log(`  reference: Chromium opens the single page in ${seconds(times[2]!)}`);
}

export default async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'reclaim-bench-messages-'));
  const workspace = PrivateWorkspace.create();
  try {
    let t = performance.now();
    const path = join(dir, 'sms.db');
    writeFileSync(path, buildSmsDb('ios17', spec()));
    console.log(
      `built sms.db: ${MESSAGES} rows, ${(statSync(path).size / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const source = new LooseFilesSource(
      [{ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', path }],
      workspace,
    );
    for (const recoverDeleted of [false, true]) {
      t = performance.now();
      const data = await messagesArtifact.read(source, { recoverDeleted });
      const ms = performance.now() - t;
      const count = data.items.reduce((n, c) => n + c.messages.length, 0);
      console.log(
        `read (recoverDeleted=${recoverDeleted}): ${count} messages in ${data.items.length} conversations, ${(ms / 1000).toFixed(2)} s (${Math.round(count / (ms / 1000))} messages/s)`,
      );
      if (recoverDeleted) {
        t = performance.now();
        const summary = await messagesExporter.write(data, {
          outDir: join(dir, 'out'),
          source,
          names: { nameFor: () => undefined },
          options: {},
          formats: ['html', 'txt', 'csv', 'json'],
        });
        const ems = performance.now() - t;
        console.log(
          `export html+txt+csv+json: ${summary.files} files, ${(ems / 1000).toFixed(2)} s (${Math.round(count / (ems / 1000))} messages/s)`,
        );
      }
    }
    await thread(dir, workspace);
  } finally {
    workspace.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
