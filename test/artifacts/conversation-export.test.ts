import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Backup } from '../../src/backup/backup.js';
import type { ArtifactData } from '../../src/artifacts/artifact.js';
import type { Conversation } from '../../src/artifacts/conversation.js';
import { messagesArtifact } from '../../src/artifacts/messages/index.js';
import type { NameIndex } from '../../src/artifacts/names.js';
import { BackupSource, LooseFilesSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { JAMIE, JPEG, PDF, SAM, smsSpec } from '../../demo/src/sms-db-sample.js';
import { smsBackupFiles, smsMessageGuid } from '../../demo/src/sms-db.js';
import type { ExportContext, ExportSummary } from '../../src/export/exporter.js';
import { textHtml } from '../../src/export/conversations/html.js';
import { messagesExporter } from '../../src/export/messages.js';
import { whatsAppExporter } from '../../src/export/whatsapp.js';
import { runCli, writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';

const NAMES: NameIndex = {
  nameFor: (h) =>
    (({ [JAMIE]: 'Jamie Chen', [SAM]: 'Sam Rivera' }) as Record<string, string>)[h ?? ''],
};
const HOSTILE_TEXT = '<script>alert("x")</script> & "quotes" <img src=x onerror=alert(1)>';
const HOSTILE_TITLE = '<b onmouseover=alert(2)>Party</b>';

/** RFC 4180 parser for checking our CSV (BOM stripped). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

describe('conversation export of a generated iOS 17 sms.db (HTML, TXT, CSV, JSON)', () => {
  const tmp = tempDir();
  const out = join(tmp.path, 'out');
  let workspace: PrivateWorkspace;
  let data: ArtifactData<Conversation>;
  let summary: ExportSummary;
  const spec = smsSpec('ios17');
  spec.chats.push({
    rowid: 4,
    identifier: 'chat999',
    group: true,
    displayName: HOSTILE_TITLE,
    handleRowids: [1, 3],
  });
  spec.messages.push({
    rowid: 30,
    chatRowid: 4,
    handleRowid: 3,
    date: '2024-06-01T10:00:00Z',
    text: HOSTILE_TEXT,
  });
  const progress: Array<[number, number]> = [];

  before(async () => {
    const backupDir = join(tmp.path, 'backup');
    await writeBackup(backupDir, smsBackupFiles('ios17', spec));
    workspace = PrivateWorkspace.create();
    const source = new BackupSource(Backup.open(backupDir), workspace);
    data = await messagesArtifact.read(source, {});
    const context: ExportContext = {
      outDir: out,
      source,
      names: NAMES,
      options: { time: { utc: true } },
      formats: ['html', 'txt', 'csv', 'json'],
      onProgress: (d, t) => progress.push([d, t]),
    };
    summary = await messagesExporter.write(data, context);
  });
  after(() => {
    workspace?.dispose();
    tmp.cleanup();
  });

  const file = (...parts: string[]) => readFileSync(join(out, ...parts), 'utf8');

  test('one folder per conversation, named after the chat or the contact, plus index.html', () => {
    const folders = readdirSync(out).sort();
    assert.deepEqual(
      folders,
      [
        '+14155550145',
        '_b onmouseover=alert(2)_Party_b_',
        'Book Club',
        'Jamie Chen',
        'index.html',
      ].sort(),
    );
    for (const f of folders.filter((x) => x !== 'index.html')) {
      for (const ext of ['html', 'txt', 'csv', 'json'])
        assert.ok(existsSync(join(out, f, `${f}.${ext}`)), `${f}.${ext}`);
    }
    assert.deepEqual(summary.counts, {
      conversations: 4,
      messages: 16,
      recovered: 1,
      reactions: 3,
      attachments: 2,
      missingAttachments: 1,
    });
    assert.equal(summary.files, 4 * 4 + 2 + 1);
    assert.deepEqual(progress.at(-1), [4, 4]);
  });

  test('attachments are copied byte for byte; the missing one is a warning, not a crash', () => {
    assert.deepEqual(readFileSync(join(out, 'Jamie Chen', 'attachments', 'IMG_0001.jpeg')), JPEG);
    assert.deepEqual(readFileSync(join(out, 'Book Club', 'attachments', 'Reading list.pdf')), PDF);
    assert.deepEqual(readdirSync(join(out, 'Book Club', 'attachments')), ['Reading list.pdf']);
    const missing = summary.problems.filter((p) => /IMG_0002\.HEIC/.test(p.message));
    assert.equal(missing.length, 1);
    assert.equal(missing[0]!.severity, 'warning');
    assert.match(
      missing[0]!.message,
      /not in the backup \(MediaDomain\/Library\/SMS\/Attachments\/.+\/IMG_0002\.HEIC\)/,
    );
  });

  test('HTML: bubbles with names, the image inline, the PDF linked, reactions, edits, unsent, recovered badge', () => {
    const jamie = file('Jamie Chen', 'Jamie Chen.html');
    assert.match(
      jamie,
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/,
    );
    assert.match(jamie, /<h1>Jamie Chen<\/h1>/);
    assert.match(jamie, /<img src="attachments\/IMG_0001\.jpeg" alt="IMG_0001\.jpeg"/);
    assert.match(
      jamie,
      /<div class="sender">Jamie Chen<\/div><div class="bubble"><div class="text">Are we still on for dinner Friday\?<\/div>/,
    );
    assert.match(
      jamie,
      /<div class="msg out" id="m-1">\n<div class="bubble"><div class="text">Yes! 7pm at the Thai place\?<\/div><\/div><div class="reactions"><span class="reaction" title="love by Jamie Chen[^"]*">\u2764\ufe0f Jamie Chen<\/span>/,
    );
    assert.match(jamie, /<s>Running late, see you at 7:30<\/s>/);
    assert.match(jamie, /<s>Running late, see you at 7:20<\/s>/);
    assert.match(jamie, /<div class="text">Running late, see you at 7:15<\/div>/);
    assert.match(jamie, /You unsent a message/);
    assert.doesNotMatch(jamie, /oops wrong chat/);
    const priya = file('+14155550145', '+14155550145.html');
    assert.match(
      priya,
      /class="msg in recovered"[\s\S]*This one went to Recently Deleted[\s\S]*<span class="badge"[^>]*>Recovered \(deleted\) \u2014 Recently Deleted/,
    );
    const club = file('Book Club', 'Book Club.html');
    assert.match(
      club,
      /<a class="file" href="attachments\/Reading%20list\.pdf">\ud83d\udcce Reading list\.pdf<\/a>/,
    );
    assert.match(club, /IMG_0002\.HEIC \(not in the backup\)/);
    assert.match(
      club,
      /<div class="bubble"><a class="file" href="attachments\/Reading%20list\.pdf">[^<]*<\/a><div class="text">Here is the list for spring<\/div><\/div>/,
      'attachment and text in their stored order',
    );
    assert.match(club, /You named the conversation \u201cBook Club\u201d/);
    assert.match(club, /You added Sam Rivera to the conversation/);
    const target =
      /<div class="msg in" id="(m-\d+)">\n<div class="sender">Sam Rivera<\/div><div class="bubble"><a class="file" href="attachments\/Reading/.exec(
        club,
      )?.[1];
    assert.ok(target);
    assert.match(
      club,
      new RegExp(
        `<a class="reply" href="#${target}">\u21a9 Reply to \u201cHere is the list for spring\u201d</a><div class="text">Love it`,
      ),
    );
    assert.match(
      club,
      /\ud83d\ude02 Sam Rivera<\/span><span class="reaction"[^>]*>\u203c\ufe0f Jamie Chen/,
    );
    const index = file('index.html');
    for (const href of [...index.matchAll(/href="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!)))
      assert.ok(existsSync(join(out, href)), href);
    assert.equal([...index.matchAll(/<tr><td><a /g)].length, 4);
  });

  test('hostile message text and chat names are escaped: no markup or script gets in', () => {
    const folder = '_b onmouseover=alert(2)_Party_b_';
    const html = file(folder, `${folder}.html`);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img src=x/i);
    assert.doesNotMatch(html, /<b onmouseover/i);
    assert.ok(
      html.includes(
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot; &lt;img src=x onerror=alert(1)&gt;',
      ),
    );
    assert.ok(html.includes('<h1>&lt;b onmouseover=alert(2)&gt;Party&lt;/b&gt;</h1>'));
    for (const f of readdirSync(out)) {
      const page = f.endsWith('.html') ? file(f) : file(f, `${f}.html`);
      assert.doesNotMatch(page, /<script|<b onmouseover|<img src=x/i, f);
    }
    const json = JSON.parse(file(folder, `${folder}.json`));
    assert.equal(json.title, HOSTILE_TITLE);
    assert.equal(json.messages[0].text, HOSTILE_TEXT);
  });

  test('JSON holds exactly what was put in', () => {
    const json = JSON.parse(file('Book Club', 'Book Club.json'));
    assert.equal(json.isGroup, true);
    assert.deepEqual(json.participants, [
      { handle: JAMIE, name: 'Jamie Chen' },
      { handle: SAM, name: 'Sam Rivera' },
    ]);
    json.messages.splice(1, 1).forEach((added: { event: string; eventTarget: string }) => {
      assert.equal(
        added.event,
        'added Sam Rivera to the conversation',
        'the handle in a system line gets its name',
      );
      assert.equal(added.eventTarget, SAM);
    });
    assert.deepEqual(
      json.messages.map((m: { text: string | null }) => m.text),
      [
        null,
        'Here is the list for spring',
        'And a photo of the shelf',
        'Love it \u2014 \u00e7a marche',
      ],
    );
    assert.deepEqual(
      json.messages.map((m: { date: string }) => m.date),
      [
        '2024-04-02T08:55:00.000Z',
        '2024-04-02T09:00:00.000Z',
        '2024-04-02T09:05:00.000Z',
        '2024-04-02T09:06:00.000Z',
      ],
    );
    assert.deepEqual(
      json.messages.map((m: { senderName: string }) => m.senderName),
      ['Me', 'Sam Rivera', 'Jamie Chen', 'Me'],
    );
    assert.equal(json.messages[0].event, 'named the conversation \u201cBook Club\u201d');
    assert.deepEqual(json.messages[1].attachments, [
      {
        fileName: 'Reading list.pdf',
        mimeType: 'application/pdf',
        size: PDF.length,
        backupPath: json.messages[1].attachments[0].backupPath,
        exportedPath: 'attachments/Reading list.pdf',
        present: true,
      },
    ]);
    assert.match(
      json.messages[1].attachments[0].backupPath,
      /^MediaDomain\/Library\/SMS\/Attachments\//,
    );
    assert.deepEqual(
      json.messages[2].attachments.map((a: { present: boolean; exportedPath: string | null }) => [
        a.present,
        a.exportedPath,
      ]),
      [[false, null]],
    );
    assert.deepEqual(
      json.messages[3].reactions.map(
        (r: { kind: string; from: string; by: string; date: string }) => [
          r.kind,
          r.from,
          r.by,
          r.date,
        ],
      ),
      [
        ['laugh', SAM, 'Sam Rivera', '2024-04-02T09:07:00.000Z'],
        ['emphasize', JAMIE, 'Jamie Chen', '2024-04-02T09:07:30.000Z'],
      ],
    );
    const jamie = JSON.parse(file('Jamie Chen', 'Jamie Chen.json'));
    const edited = jamie.messages.find((m: { id: string }) => m.id === smsMessageGuid(16));
    assert.deepEqual(
      edited.edits.map((e: { text: string }) => e.text),
      ['Running late, see you at 7:30', 'Running late, see you at 7:20'],
    );
    assert.equal(edited.editedAt, '2024-05-01T18:46:05.000Z');
    assert.equal(
      jamie.messages.find((m: { id: string }) => m.id === smsMessageGuid(17)).unsent,
      true,
    );
    const priya = JSON.parse(file('+14155550145', '+14155550145.json'));
    assert.match(priya.messages.at(-1).recovered.source, /^Recently Deleted/);
  });

  test('CSV: one row per message with the recovered column', () => {
    const rows = parseCsv(file('+14155550145', '+14155550145.csv'));
    const header = rows[0]!;
    assert.ok(header.includes('recovered') && header.includes('recovered_from'));
    const col = (name: string) => header.indexOf(name);
    const body = rows.slice(1);
    assert.equal(body.length, 3);
    assert.deepEqual(
      body.map((r) => r[col('text')]),
      ['Package left at your door', 'Thank you!', 'This one went to Recently Deleted'],
    );
    assert.deepEqual(
      body.map((r) => r[col('date')]),
      ['2024-03-09T08:00:00.000Z', '2024-03-09T08:03:00.000Z', '2024-05-02T10:00:00.000Z'],
    );
    assert.deepEqual(
      body.map((r) => r[col('from_me')]),
      ['false', 'true', 'false'],
    );
    assert.deepEqual(
      body.map((r) => r[col('recovered')]),
      ['false', 'false', 'true'],
    );
    assert.deepEqual(
      body.map((r) => r[col('effect')]),
      ['', 'Slam', ''],
    );
    assert.deepEqual(
      body.map((r) => r[col('subject')]),
      ['', 'Delivery', ''],
    );
    const hostile = parseCsv(
      file('_b onmouseover=alert(2)_Party_b_', '_b onmouseover=alert(2)_Party_b_.csv'),
    );
    assert.equal(hostile[1]![col('text')], HOSTILE_TEXT);
    const jamie = parseCsv(file('Jamie Chen', 'Jamie Chen.csv'));
    assert.equal(
      jamie.find((r) => r[col('text')] === 'Yes! 7pm at the Thai place?')![col('reactions')],
      'love by Jamie Chen',
    );
    assert.equal(
      jamie.find((r) => r[col('attachments')] !== '' && r !== jamie[0])![col('attachments')],
      'attachments/IMG_0001.jpeg',
    );
  });

  test('TXT: readable blocks with sender, text, attachments, reactions and edits', () => {
    const txt = file('Jamie Chen', 'Jamie Chen.txt');
    assert.ok(
      txt.includes(
        '2024-03-08 17:05:30 UTC\nMe\nYes! 7pm at the Thai place?\nReactions: \u2764\ufe0f love by Jamie Chen\n',
      ),
    );
    assert.ok(
      txt.includes('2024-03-08 17:20:00 UTC\nMe\n[Attachment: attachments/IMG_0001.jpeg]\n'),
    );
    assert.ok(txt.includes('  - 2024-05-01 18:45:00 UTC: Running late, see you at 7:30\n'));
    assert.ok(
      file('+14155550145', '+14155550145.txt').includes(
        '[RECOVERED] recovered from Recently Deleted',
      ),
    );
    assert.ok(
      file('Book Club', 'Book Club.txt').includes('[Attachment not in the backup: IMG_0002.HEIC]'),
    );
  });

  test('only the formats asked for are written', async () => {
    const only = join(tmp.path, 'only-csv');
    const s = await messagesExporter.write(data, {
      outDir: only,
      source: new LooseFilesSource([], workspace),
      names: NAMES,
      options: {},
      formats: ['csv'],
    });
    assert.ok(!existsSync(join(only, 'index.html')));
    assert.ok(existsSync(join(only, 'Book Club', 'Book Club.csv')));
    assert.ok(!existsSync(join(only, 'Book Club', 'Book Club.html')));
    assert.equal(
      s.counts.missingAttachments,
      3,
      'a source without the files: every attachment missing, still no crash',
    );
  });
});

test('WhatsApp uses the same conversation exporter (media copied from its app group domain)', async () => {
  const tmp = tempDir();
  const workspace = PrivateWorkspace.create();
  try {
    const media = join(tmp.path, 'photo.jpg');
    writeFileSync(media, JPEG);
    const domain = 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared';
    const source = new LooseFilesSource(
      [{ domain, relativePath: 'Message/Media/x/photo.jpg', path: media }],
      workspace,
    );
    const conv: Conversation = {
      id: '7',
      title: null,
      isGroup: false,
      participants: [{ handle: '14155550123@s.whatsapp.net', name: 'Jamie (push name)' }],
      service: 'WhatsApp',
      messages: [
        {
          id: 'w1',
          date: new Date('2024-02-01T10:00:00Z'),
          fromMe: false,
          sender: '14155550123@s.whatsapp.net',
          text: 'look',
          service: 'WhatsApp',
          reactions: [{ from: null, kind: '\ud83d\udd25', date: null }],
          attachments: [
            {
              domain,
              relativePath: 'Message/Media/x/photo.jpg',
              fileName: 'photo.jpg',
              mimeType: 'image/jpeg',
              size: JPEG.length,
              present: true,
              caption: 'the view',
            },
          ],
        },
      ],
    };
    const out = join(tmp.path, 'out');
    const summary = await whatsAppExporter.write(
      { artifact: 'whatsapp', items: [conv], problems: [], notInBackup: [], sources: [] },
      {
        outDir: out,
        source,
        names: { nameFor: () => undefined },
        options: {},
        formats: [...whatsAppExporter.defaultFormats],
      },
    );
    assert.equal(summary.artifact, 'whatsapp');
    assert.deepEqual(
      readFileSync(join(out, 'Jamie (push name)', 'attachments', 'photo.jpg')),
      JPEG,
    );
    const html = readFileSync(join(out, 'Jamie (push name)', 'Jamie (push name).html'), 'utf8');
    assert.match(html, /<img src="attachments\/photo\.jpg"/);
    assert.match(html, /\ud83d\udd25 Me/);
    assert.equal(
      JSON.parse(readFileSync(join(out, 'Jamie (push name)', 'Jamie (push name).json'), 'utf8'))
        .messages[0].attachments[0].caption,
      'the view',
    );
  } finally {
    workspace.dispose();
    tmp.cleanup();
  }
});

test('--heic-to-jpeg: a HEIC that cannot be converted is still copied and linked, with a warning', async () => {
  const tmp = tempDir();
  const workspace = PrivateWorkspace.create();
  try {
    const fake = join(tmp.path, 'IMG_0009.HEIC');
    writeFileSync(fake, Buffer.from('not really a heic'));
    const source = new LooseFilesSource(
      [
        {
          domain: 'MediaDomain',
          relativePath: 'Library/SMS/Attachments/aa/bb/G/IMG_0009.HEIC',
          path: fake,
        },
      ],
      workspace,
    );
    const conv: Conversation = {
      id: '1',
      title: 'Photos',
      isGroup: false,
      participants: [{ handle: JAMIE }],
      service: 'iMessage',
      messages: [
        {
          id: 'h1',
          date: new Date('2024-02-01T10:00:00Z'),
          fromMe: true,
          sender: null,
          text: null,
          service: 'iMessage',
          reactions: [],
          attachments: [
            {
              domain: 'MediaDomain',
              relativePath: 'Library/SMS/Attachments/aa/bb/G/IMG_0009.HEIC',
              fileName: 'IMG_0009.HEIC',
              mimeType: 'image/heic',
              size: 17,
              present: true,
            },
          ],
        },
      ],
    };
    const out = join(tmp.path, 'out');
    const summary = await messagesExporter.write(
      { artifact: 'messages', items: [conv], problems: [], notInBackup: [], sources: [] },
      {
        outDir: out,
        source,
        names: NAMES,
        options: { heicToJpeg: true },
        formats: ['html', 'json'],
      },
    );
    assert.deepEqual(
      readFileSync(join(out, 'Photos', 'attachments', 'IMG_0009.HEIC'), 'utf8'),
      'not really a heic',
    );
    assert.ok(
      summary.problems.some(
        (p) =>
          p.severity === 'warning' && /no JPEG could be made of IMG_0009\.HEIC/.test(p.message),
      ),
    );
    assert.match(
      readFileSync(join(out, 'Photos', 'Photos.html'), 'utf8'),
      /<a class="file" href="attachments\/IMG_0009\.HEIC">/,
    );
    assert.equal(
      JSON.parse(readFileSync(join(out, 'Photos', 'Photos.json'), 'utf8')).messages[0]
        .attachments[0].previewPath,
      undefined,
    );
  } finally {
    workspace.dispose();
    tmp.cleanup();
  }
});

test('reclaim export BACKUP OUT --only messages --format html,json, end to end', async () => {
  const tmp = tempDir();
  try {
    const backup = join(tmp.path, 'backup');
    await writeBackup(backup, smsBackupFiles('ios15', smsSpec('ios15')), {
      password: 'pw-messages',
    });
    const out = join(tmp.path, 'out');
    const r = runCli(['export', backup, out, '--only', 'messages', '--format', 'html,json'], {
      RECLAIM_PASSWORD: 'pw-messages',
    });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.doesNotMatch(r.stdout + r.stderr, /pw-messages/, 'the password is never printed');
    assert.ok(existsSync(join(out, 'messages', 'index.html')));
    const club = JSON.parse(
      readFileSync(join(out, 'messages', 'Book Club', 'Book Club.json'), 'utf8'),
    );
    assert.equal(club.messages.length, 5);
    assert.ok(!existsSync(join(out, 'messages', 'Book Club', 'Book Club.csv')));
    const jamieFolder = readdirSync(join(out, 'messages')).find((f) =>
      existsSync(join(out, 'messages', f, 'attachments', 'IMG_0001.jpeg')),
    );
    assert.ok(jamieFolder, 'the photo was copied');
    assert.deepEqual(
      readFileSync(join(out, 'messages', jamieFolder, 'attachments', 'IMG_0001.jpeg')),
      JPEG,
    );
    const summary = JSON.parse(readFileSync(join(out, 'export-summary.json'), 'utf8'));
    const messages = summary.find((s: { artifact: string }) => s.artifact === 'messages');
    assert.equal(messages.counts.conversations, 3);
    assert.equal(messages.counts.missingAttachments, 1);
    assert.ok(messages.problems.some((p: { message: string }) => /IMG_0002\.HEIC/.test(p.message)));
  } finally {
    tmp.cleanup();
  }
});

test('links in message text are clickable for http(s) only, and stay escaped', () => {
  assert.equal(
    textHtml('see https://example.org/a?b=1&c=2.'),
    'see <a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">https://example.org/a?b=1&amp;c=2</a>.',
  );
  assert.equal(textHtml('javascript:alert(1) <b>'), 'javascript:alert(1) &lt;b&gt;');
  assert.equal(
    textHtml('https://x.example/"><script>alert(1)</script>'),
    '<a href="https://x.example/" rel="noopener noreferrer nofollow">https://x.example/</a>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;',
  );
});
