import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ArtifactData } from '../../src/artifacts/artifact.js';
import type { Conversation, ConversationMessage } from '../../src/artifacts/conversation.js';
import { LooseFilesSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { JPEG } from '../../demo/src/sms-db-sample.js';
import type { ExportSummary } from '../../src/export/exporter.js';
import type {
  PreparedConversation,
  PreparedMessage,
} from '../../src/export/conversations/model.js';
import { conversationPages, planPages } from '../../src/export/conversations/pages.js';
import { messagesExporter } from '../../src/export/messages.js';
import { clock } from '../../src/time.js';
import { tempDir } from '../support/fixtures.js';

const COUNT = 100_000;
const START = Date.parse('2023-11-20T00:00:00Z');
const STEP = 4 * 60_000; // 100,000 messages every 4 minutes: Nov 2023 to Aug 2024, ~11,000 a month
const DOMAIN = 'MediaDomain';
const PHOTO = 'Library/SMS/Attachments/aa/00/photo.jpeg';
const WITH_PHOTO = new Set([3, 50_000, 99_990]);
const RECOVERED = 60_001;
const EDITED = 70_002;
const REPLY = 90_000; // replies to message 5, on the first page

function message(i: number): ConversationMessage {
  const m: ConversationMessage = {
    id: `msg-${i}`,
    date: new Date(START + i * STEP),
    fromMe: i % 3 === 0,
    sender: i % 3 === 0 ? null : '+14155550100',
    text: `Message number ${i} ${'lorem ipsum dolor sit amet '.repeat(1 + (i % 4))}`,
    service: 'iMessage',
    attachments: WITH_PHOTO.has(i)
      ? [
          {
            domain: DOMAIN,
            relativePath: PHOTO,
            fileName: `photo-${i}.jpeg`,
            mimeType: 'image/jpeg',
            size: JPEG.length,
            present: true,
          },
        ]
      : [],
    reactions: i % 10 === 0 ? [{ from: '+14155550100', kind: 'love', date: null }] : [],
  };
  if (i === RECOVERED) m.recovered = { source: 'freelist', confidence: 0.9 };
  if (i === EDITED) {
    m.edits = [{ text: 'an earlier text', date: new Date(START + i * STEP - 1000) }];
    m.editedAt = new Date(START + i * STEP);
  }
  if (i === REPLY) m.replyTo = 'msg-5';
  return m;
}

describe('a 100,000-message thread exports to HTML pages', () => {
  const tmp = tempDir();
  const out = join(tmp.path, 'out');
  const folder = join(out, 'Jamie Chen');
  let workspace: PrivateWorkspace;
  let summary: ExportSummary;
  let pages: Map<string, string>;

  before(async () => {
    workspace = PrivateWorkspace.create();
    const photo = join(tmp.path, 'photo.jpeg');
    writeFileSync(photo, JPEG);
    const source = new LooseFilesSource(
      [{ domain: DOMAIN, relativePath: PHOTO, path: photo }],
      workspace,
    );
    const conversation: Conversation = {
      id: '1',
      title: 'Jamie Chen',
      isGroup: false,
      participants: [{ handle: '+14155550100' }],
      service: 'iMessage',
      messages: Array.from({ length: COUNT }, (_, i) => message(i)),
    };
    const data: ArtifactData<Conversation> = {
      artifact: 'messages',
      items: [conversation],
      notInBackup: [],
      sources: [],
      problems: [],
    };
    summary = await messagesExporter.write(data, {
      outDir: out,
      source,
      names: { nameFor: () => undefined },
      options: { time: { zone: 'UTC' } },
      formats: ['html'],
    });
    pages = new Map();
    pages.set('Jamie Chen.html', readFileSync(join(folder, 'Jamie Chen.html'), 'utf8'));
    for (const name of readdirSync(join(folder, 'pages')))
      pages.set(`pages/${name}`, readFileSync(join(folder, 'pages', name), 'utf8'));
  });
  after(() => {
    workspace?.dispose();
    tmp.cleanup();
  });

  test('no page is larger than 3 MB, and no page holds more than 5,000 messages', () => {
    assert.ok(pages.size >= COUNT / 5000, `${pages.size} pages`);
    for (const [name, html] of pages) {
      const size = statSync(join(folder, name)).size;
      assert.ok(size <= 3_000_000, `${name}: ${size} bytes`);
      assert.ok((html.match(/ id="m-\d+"/g) ?? []).length <= 5000, name);
    }
    assert.equal(summary.files, pages.size + 3 + 1, 'pages, three photos, index.html');
  });

  test('the pages together hold every message exactly once, in order', () => {
    const seen = new Uint8Array(COUNT);
    let last = -1;
    const ordered = [...pages.keys()].sort((a, b) => firstIndex(a) - firstIndex(b));
    for (const name of ordered) {
      for (const m of pages
        .get(name)!
        .matchAll(/ id="m-(\d+)">[\s\S]*?<div class="text">Message number (\d+) /g)) {
        const i = Number(m[1]);
        assert.equal(Number(m[2]), i);
        assert.ok(i > last, `${name}: m-${i} after m-${last}`);
        last = i;
        seen[i]!++;
      }
    }
    assert.equal(
      seen.every((n) => n === 1),
      true,
    );
    function firstIndex(name: string): number {
      return Number(/ id="m-(\d+)"/.exec(pages.get(name)!)![1]);
    }
  });

  test('one page per month, split in parts of at most 5,000; the first page lists the months with counts', () => {
    const first = pages.get('Jamie Chen.html')!;
    const months = [
      ...first.matchAll(
        /<li><a href="([^"]+)">(\w+ \d{4})<\/a> <span class="count">([\d,]+) messages?<\/span>/g,
      ),
    ];
    assert.deepEqual(
      months.map((m) => m[2]),
      [
        'November 2023',
        'December 2023',
        'January 2024',
        'February 2024',
        'March 2024',
        'April 2024',
        'May 2024',
        'June 2024',
        'July 2024',
        'August 2024',
      ],
    );
    assert.equal(
      months.reduce((n, m) => n + Number(m[3]!.replace(/,/g, '')), 0),
      COUNT,
    );
    assert.equal(Number(months[1]![3]!.replace(/,/g, '')), 31 * 24 * 15, 'December: 15 an hour');
    assert.match(
      first,
      /December 2023<\/a> <span class="count">11,160 messages<\/span> in 3 pages: <a href="pages\/2023-12\.html">1<\/a> <a href="pages\/2023-12-part-2\.html">2<\/a> <a href="pages\/2023-12-part-3\.html">3<\/a>/,
    );
    assert.ok(pages.has('pages/2024-08.html'));
    assert.match(
      pages.get('pages/2024-01-part-2.html')!,
      /<title>Jamie Chen \u2014 January 2024, part 2 of 3<\/title>/,
    );
  });

  test('every link between pages, back to the index and to attachments resolves', () => {
    for (const [name, html] of pages) {
      const links = [...html.matchAll(/(?:href|src)="([^"#]+)(?:#[^"]*)?"/g)]
        .map((m) => decodeURIComponent(m[1]!))
        .filter((href) => !/^https?:/.test(href));
      for (const href of links)
        assert.ok(existsSync(join(folder, dirname(name), href)), `${name}: ${href}`);
      if (name !== 'Jamie Chen.html') {
        assert.match(html, /<a rel="prev" href="[^"]+">\u2190 /, name);
        assert.match(html, /<a href="..\/Jamie%20Chen\.html#months">All months<\/a>/, name);
        assert.match(html, /<a href="..\/..\/index.html">\u2190 All conversations<\/a>/, name);
      }
    }
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    assert.match(index, /<a href="Jamie%20Chen\/Jamie%20Chen\.html">Jamie Chen<\/a>/);
    assert.match(index, /100000 <span class="count">in \d+ pages<\/span>/);
  });

  test('attachments, recovered and edited marks and replies work on later pages', () => {
    const on = (i: number) => [...pages].find(([, html]) => html.includes(` id="m-${i}"`))!;
    const [photoPage, photoHtml] = on(50_000);
    assert.notEqual(photoPage, 'Jamie Chen.html');
    assert.match(
      photoHtml,
      /<img src="..\/attachments\/photo-50000\.jpeg" alt="photo-50000\.jpeg"/,
    );
    assert.deepEqual(readFileSync(join(folder, 'attachments', 'photo-50000.jpeg')), JPEG);
    assert.match(on(3)[1], /<img src="attachments\/photo-3\.jpeg"/);
    assert.match(
      on(RECOVERED)[1],
      new RegExp(
        `class="msg in recovered" id="m-${RECOVERED}"[\\s\\S]*?Recovered \\(deleted\\) \u2014 freelist`,
      ),
    );
    assert.match(
      on(EDITED)[1],
      /<details class="edits"><summary>Edited [^<]+<\/summary><ol><li><s>an earlier text<\/s>/,
    );
    assert.match(
      on(REPLY)[1],
      /<a class="reply" href="..\/Jamie%20Chen\.html#m-5">\u21a9 Reply to \u201cMessage number 5 /,
    );
  });
});

test('pages: undated messages stay with the page before, a month met twice gets its own parts, and a short chat stays whole', () => {
  const at = (iso: string | null, i: number): PreparedMessage => ({
    message: { ...message(i), date: iso ? new Date(iso) : null, reactions: [] },
    senderName: 'Jamie',
    eventText: null,
    attachments: [],
    reactions: [],
  });
  const dates = [
    null,
    '2024-01-05T12:00:00Z',
    '2024-01-06T12:00:00Z',
    '2024-01-07T12:00:00Z',
    null,
    '2024-02-01T12:00:00Z',
    '2024-01-31T12:00:00Z',
  ];
  const c: PreparedConversation = {
    conversation: {
      id: '1',
      title: 'T',
      isGroup: false,
      participants: [],
      service: null,
      messages: [],
    },
    title: 'T',
    folder: 'T',
    participants: [],
    messages: dates.map(at),
    clock: clock({ zone: 'America/New_York' }),
  };
  const plan = planPages(
    c,
    'T.html',
    dates.map(() => 100),
    { messages: 2, bytes: 1e9 },
  );
  assert.deepEqual(
    plan.map((p) => [p.path, p.start, p.end, p.part, p.parts]),
    [
      ['T.html', 0, 1, 1, 1],
      ['pages/2024-01.html', 1, 3, 1, 3],
      ['pages/2024-01-part-2.html', 3, 5, 2, 3],
      ['pages/2024-02.html', 5, 6, 1, 1],
      ['pages/2024-01-part-3.html', 6, 7, 3, 3],
    ],
  );
  assert.deepEqual(
    planPages(
      c,
      'T.html',
      dates.map(() => 100),
      { messages: 5, bytes: 150 },
    ).map((p) => p.end),
    [1, 2, 3, 4, 5, 6, 7],
    'a byte budget splits too',
  );
  const whole = conversationPages(c, 'T.html', null, { messages: 7, bytes: 1e6 });
  assert.deepEqual(
    whole.map((p) => p.path),
    ['T.html'],
  );
  assert.doesNotMatch(whole[0]!.html, /<nav/);
  const empty = conversationPages({ ...c, messages: [] }, 'T.html', null);
  assert.deepEqual(
    empty.map((p) => p.path),
    ['T.html'],
  );
});
