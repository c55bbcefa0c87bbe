import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { Backup } from '../../src/backup/backup.js';
import type { ArtifactData, ReadOptions } from '../../src/artifacts/artifact.js';
import {
  decodeNoteDocument,
  decodeTable,
  notesArtifact,
  type Note,
} from '../../src/artifacts/notes/index.js';
import { BackupSource, LooseFilesSource, type ArtifactSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { NO_NAMES } from '../../src/artifacts/names.js';
import { notesExporter } from '../../src/export/notes.js';
import { encodeJpeg } from '../../demo/src/media/jpeg.js';
import { ATTACHMENT_CHAR, encodeNoteDocument } from '../../demo/src/note-document.js';
import { encodeTable } from '../../demo/src/note-table.js';
import { buildNotes, demoNote, notesData, type NotesData } from '../../demo/src/notes.js';
import { buildLegacyNotes, legacyNotesData } from '../../demo/src/notes-legacy.js';
import { demoUUID } from '../../demo/src/ids.js';
import { writeBackup, sha256 } from '../support/backups.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';

const DOMAIN = 'AppDomainGroup-group.com.apple.notes';
const PASSWORD = 'correct horse battery staple';

async function readLoose(
  files: Array<{ relativePath: string; path: string; domain?: string }>,
  options: ReadOptions = {},
): Promise<ArtifactData<Note>> {
  const workspace = PrivateWorkspace.create();
  try {
    const source = new LooseFilesSource(
      files.map((f) => ({ domain: f.domain ?? DOMAIN, ...f })),
      workspace,
    );
    return await notesArtifact.read(source, options);
  } finally {
    workspace.dispose();
  }
}

async function withBackup<T>(
  files: Parameters<typeof writeBackup>[1],
  work: (source: ArtifactSource, dir: string) => Promise<T>,
): Promise<T> {
  const dir = tempDir();
  const workspace = PrivateWorkspace.create();
  try {
    await writeBackup(join(dir.path, 'backup'), files);
    const backup = Backup.open(join(dir.path, 'backup'));
    return await work(new BackupSource(backup, workspace), dir.path);
  } finally {
    workspace.dispose();
    dir.cleanup();
  }
}

const byTitle = (data: ArtifactData<Note>, title: string): Note => {
  const note = data.items.find((n) => n.title === title);
  assert.ok(note, `note "${title}" missing; have ${data.items.map((n) => n.title).join(', ')}`);
  return note;
};

describe('real NoteStore.sqlite fixtures', () => {
  test(
    'ios17-NoteStore.sqlite (with its WAL): 14 notes, titles, folders, locked ones marked',
    needsFixtures(),
    async () => {
      const data = await readLoose([
        { relativePath: 'NoteStore.sqlite', path: fixture('databases', 'ios17-NoteStore.sqlite') },
        {
          relativePath: 'NoteStore.sqlite-wal',
          path: fixture('databases', 'ios17-NoteStore.sqlite-wal'),
        },
      ]);
      const live = data.items.filter((n) => !n.recovered);
      assert.equal(live.length, 14);
      for (const title of [
        'My First Note',
        'iOS 14 Note',
        'iOS 15 Note',
        'iOS 16 Note',
        'My iOS 17 Note',
        'Shared iOS 17 Note',
        'iOS 17 Locked Note',
        'My Secret Note',
        'My Super Secret Note',
      ])
        byTitle(data, title);
      const first = byTitle(data, 'My First Note');
      assert.equal(first.text, 'My First Note\n\nThis is my first note.  Nothing special. ');
      assert.equal(first.paragraphs?.[0]?.style, 'title');
      assert.equal(first.folder, 'Notes');
      assert.equal(first.account, 'iCloud');
      assert.equal(first.created?.toISOString(), '2020-03-28T00:36:48.768Z');
      const locked = live
        .filter((n) => n.locked)
        .map((n) => n.title)
        .sort();
      assert.deepEqual(
        locked,
        [
          'My Secret Note',
          'My Super Secret Note',
          'Secure iOS 15 Note',
          'iOS 14 Locked Note',
          'iOS 16 Secure Note',
          'iOS 17 Locked Note',
        ].sort(),
      );
      for (const n of live.filter((x) => x.locked)) assert.equal(n.paragraphs, null);
      assert.equal(byTitle(data, 'My Super Secret Note').folder, 'My New Folder');
      const deleted = live.filter((n) => n.inRecentlyDeleted);
      assert.deepEqual(
        deleted.map((n) => n.folder),
        ['Recently Deleted', 'Recently Deleted'],
      );
      assert.ok(data.problems.some((p) => /6 locked note/.test(p.message)));
    },
  );

  test(
    'plaso-NoteStore.sqlite: 8 notes; a wrong password leaves the locked ones locked',
    needsFixtures(),
    async () => {
      const path = fixture('databases', 'plaso-NoteStore.sqlite');
      const plain = await readLoose([{ relativePath: 'NoteStore.sqlite', path }]);
      assert.equal(plain.items.filter((n) => !n.recovered).length, 8);
      assert.equal(plain.items.filter((n) => n.locked).length, 4);
      assert.ok(plain.items.filter((n) => n.locked).every((n) => n.lockState === 'no-password'));
      assert.equal(
        byTitle(plain, 'iOS 15 Note').text,
        'iOS 15 Note\n\nHere is the test iOS 15 note. ',
      );
      const wrong = await readLoose([{ relativePath: 'NoteStore.sqlite', path }], {
        notesPassword: 'not the password',
      });
      assert.ok(
        wrong.items
          .filter((n) => n.locked)
          .every((n) => n.lockState === 'wrong-password' && n.paragraphs === null),
      );
      assert.ok(!JSON.stringify(wrong).includes('not the password'));
    },
  );
});

/** A NoteStore with every kind of formatting, attachments, a table, a locked note and the Recently Deleted folder. */
function richData(): { data: NotesData; photo: Buffer; drawing: Buffer } {
  const base = notesData();
  const photo = encodeJpeg({
    width: 16,
    height: 16,
    corners: {
      topLeft: [255, 0, 0],
      topRight: [0, 255, 0],
      bottomLeft: [0, 0, 255],
      bottomRight: [255, 255, 255],
    },
  });
  const drawing = encodeJpeg({
    width: 8,
    height: 8,
    corners: {
      topLeft: [0, 0, 0],
      topRight: [9, 9, 9],
      bottomLeft: [90, 90, 90],
      bottomRight: [200, 200, 200],
    },
  });
  const imageId = demoUUID('att-image');
  const tableId = demoUUID('att-table');
  const drawingId = demoUUID('att-drawing');
  const formatted = demoNote(
    20,
    2,
    'Formatting <test> & co',
    '2024-06-01T10:00:00Z',
    '2024-06-02T11:00:00Z',
    [
      { style: 'heading', spans: [{ text: 'Plan' }] },
      { style: 'subheading', spans: [{ text: 'Details' }] },
      {
        style: 'body',
        spans: [
          { text: 'Bold', bold: true },
          { text: ' and ' },
          { text: 'italic', italic: true },
          { text: ' and ' },
          { text: 'under', underline: true },
          { text: ' and ' },
          { text: 'struck', strikethrough: true },
        ],
      },
      {
        style: 'body',
        spans: [
          { text: 'Visit ' },
          { text: 'the site', link: 'https://example.org/a?b=1&c=2' },
          { text: ' or <script>alert(1)</script>' },
        ],
      },
      { style: 'bulleted', spans: [{ text: 'first bullet' }] },
      { style: 'bulleted', spans: [{ text: 'nested bullet' }], indent: 1 },
      { style: 'dashed', spans: [{ text: 'a dash' }] },
      { style: 'numbered', spans: [{ text: 'step one' }] },
      { style: 'numbered', spans: [{ text: 'step two' }] },
      { style: 'checklist', spans: [{ text: 'bought milk' }], done: true },
      { style: 'checklist', spans: [{ text: 'call mum' }], done: false },
      { style: 'monospaced', spans: [{ text: 'let x = 1;' }] },
      {
        style: 'body',
        spans: [{ text: ATTACHMENT_CHAR, attachment: { id: imageId, uti: 'public.jpeg' } }],
      },
      {
        style: 'body',
        spans: [
          { text: ATTACHMENT_CHAR, attachment: { id: tableId, uti: 'com.apple.notes.table' } },
        ],
      },
      {
        style: 'body',
        spans: [
          { text: ATTACHMENT_CHAR, attachment: { id: drawingId, uti: 'com.apple.drawing.2' } },
        ],
      },
    ],
  );
  formatted.attachments = [
    {
      pk: 30,
      identifier: imageId,
      uti: 'public.jpeg',
      media: {
        pk: 31,
        identifier: demoUUID('media-image'),
        fileName: 'IMG_0001.jpeg',
        generation: '1_ABC',
        data: photo,
      },
    },
    {
      pk: 32,
      identifier: tableId,
      uti: 'com.apple.notes.table',
      table: [
        ['Item', 'Qty'],
        ['Apples', '3'],
        ['Pears & <figs>', ''],
      ],
    },
    { pk: 33, identifier: drawingId, uti: 'com.apple.drawing.2', fallbackJpeg: drawing },
  ];
  const secret = demoNote(21, 2, 'Bank codes', '2024-07-01T10:00:00Z', '2024-07-01T10:05:00Z', [
    { style: 'body', spans: [{ text: 'PIN hint: ' }, { text: 'birthday', bold: true }] },
  ]);
  secret.password = PASSWORD;
  const binned = demoNote(22, 40, 'Thrown away', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', [
    { style: 'body', spans: [{ text: 'bye' }] },
  ]);
  return {
    photo,
    drawing,
    data: {
      ...base,
      folders: [
        ...base.folders,
        { pk: 40, title: 'Recently Deleted', identifier: 'TrashFolder-CloudKit', trash: true },
      ],
      notes: [...base.notes, formatted, secret, binned],
    },
  };
}

describe('generated NoteStore (real iOS 17 schema) in a generated backup', () => {
  test('formatting, lists, checklists, links, table, attachments and folders read back exactly', async () => {
    const { data: input, photo, drawing } = richData();
    await withBackup(buildNotes(input), async (source) => {
      const data = await notesArtifact.read(source, { notesPassword: PASSWORD });
      assert.equal(data.items.length, input.notes.length);
      for (const n of input.notes) {
        const got = byTitle(data, n.title);
        assert.equal(got.id, n.identifier);
        assert.equal(got.text, n.text.replace(new RegExp(ATTACHMENT_CHAR, 'g'), ''));
        assert.equal(got.modified?.toISOString(), new Date(n.modified).toISOString());
      }
      const f = byTitle(data, 'Formatting <test> & co');
      assert.deepEqual(
        f.paragraphs!.map((p) => p.style),
        [
          'title',
          'heading',
          'subheading',
          'body',
          'body',
          'bulleted',
          'bulleted',
          'dashed',
          'numbered',
          'numbered',
          'checklist',
          'checklist',
          'monospaced',
          'body',
          'body',
          'body',
        ],
      );
      assert.deepEqual(
        f.paragraphs![3]!.runs.map((r) => [
          r.text,
          !!r.bold,
          !!r.italic,
          !!r.underline,
          !!r.strikethrough,
        ]),
        [
          ['Bold', true, false, false, false],
          [' and ', false, false, false, false],
          ['italic', false, true, false, false],
          [' and ', false, false, false, false],
          ['under', false, false, true, false],
          [' and ', false, false, false, false],
          ['struck', false, false, false, true],
        ],
      );
      assert.equal(f.paragraphs![4]!.runs[1]!.link, 'https://example.org/a?b=1&c=2');
      assert.equal(f.paragraphs![6]!.indent, 1);
      assert.deepEqual(
        f.paragraphs!.filter((p) => p.style === 'checklist').map((p) => p.done),
        [true, false],
      );
      const [image, table, draw] = f.attachments;
      assert.equal(image!.kind, 'image');
      assert.equal(image!.files[0]!.role, 'media');
      assert.equal(table!.kind, 'table');
      assert.deepEqual(
        table!.table!.map((row) =>
          row.map((cell) => cell.map((p) => p.runs.map((r) => r.text).join('')).join('\n')),
        ),
        [
          ['Item', 'Qty'],
          ['Apples', '3'],
          ['Pears & <figs>', ''],
        ],
      );
      assert.equal(draw!.kind, 'drawing');
      assert.equal(draw!.files[0]!.role, 'fallback');
      const secret = byTitle(data, 'Bank codes');
      assert.equal(secret.locked, true);
      assert.equal(secret.lockState, 'decrypted');
      assert.equal(secret.text, 'Bank codes\nPIN hint: birthday');
      assert.equal(secret.paragraphs![1]!.runs[1]!.bold, true);
      assert.equal(byTitle(data, 'Thrown away').inRecentlyDeleted, true);
      assert.equal(byTitle(data, 'Pad thai for four').folder, 'Recipes');
      assert.ok(!JSON.stringify(data).includes(PASSWORD));

      // Export: HTML and Markdown, attachments copied beside.
      const out = tempDir();
      try {
        const summary = await notesExporter.write(data, {
          outDir: out.path,
          source,
          names: NO_NAMES,
          options: {},
          formats: ['html', 'md'],
        });
        assert.equal(summary.counts['notes'], input.notes.length);
        assert.equal(summary.counts['decrypted'], 1);
        assert.equal(summary.counts['attachments'], 2);
        const html = readFileSync(join(out.path, 'html', 'Formatting _test_ & co.html'), 'utf8');
        assert.match(html, /<h1>Formatting &lt;test&gt; &amp; co<\/h1>/);
        assert.match(html, /<h2>Plan<\/h2>/);
        assert.match(html, /<h3>Details<\/h3>/);
        assert.match(
          html,
          /<strong>Bold<\/strong> and <em>italic<\/em> and <u>under<\/u> and <s>struck<\/s>/,
        );
        assert.match(
          html,
          /<a href="https:\/\/example.org\/a\?b=1&amp;c=2">the site<\/a> or &lt;script&gt;alert\(1\)&lt;\/script&gt;/,
        );
        assert.ok(!html.includes('<script>'));
        assert.match(
          html,
          /<li class="done" data-done="true"><input type="checkbox" disabled checked> bought milk<\/li>/,
        );
        assert.match(
          html,
          /<li class="todo" data-done="false"><input type="checkbox" disabled> call mum<\/li>/,
        );
        assert.match(html, /<ol>\n<li>step one<\/li>\n<li>step two<\/li>\n<\/ol>/);
        assert.match(html, /<pre><code>let x = 1;<\/code><\/pre>/);
        assert.match(html, /<tr><td>Pears &amp; &lt;figs&gt;<\/td><td><\/td><\/tr>/);
        assert.match(
          html,
          /<img src="\.\.\/attachments\/Formatting%20_test_%20%26%20co\/IMG_0001\.jpeg"/,
        );
        assert.equal(
          sha256(
            readFileSync(join(out.path, 'attachments', 'Formatting _test_ & co', 'IMG_0001.jpeg')),
          ),
          sha256(photo),
        );
        assert.equal(
          sha256(
            readFileSync(
              join(
                out.path,
                'attachments',
                'Formatting _test_ & co',
                `${demoUUID('att-drawing')}-fallback.jpg`,
              ),
            ),
          ),
          sha256(drawing),
        );

        const md = readFileSync(join(out.path, 'md', 'Formatting _test_ & co.md'), 'utf8');
        assert.match(md, /^# Formatting \\<test\\> & co$/m);
        assert.match(md, /^## Plan$/m);
        assert.match(md, /^\*\*Bold\*\* and \*italic\*/m);
        assert.match(md, /~~struck~~/);
        assert.match(md, /\[the site\]\(<https:\/\/example.org\/a\?b=1&c=2>\)/);
        assert.match(md, /^- first bullet\n {2}- nested bullet$/m);
        assert.match(md, /^1\. step one\n2\. step two$/m);
        assert.match(md, /^- \[x\] bought milk\n- \[ \] call mum$/m);
        assert.match(md, /^```\nlet x = 1;\n```$/m);
        assert.match(md, /^\| Pears & \\<figs\\> \| {2}\|$/m);
        assert.match(
          md,
          /!\[IMG_0001\.jpeg\]\(<\.\.\/attachments\/Formatting _test_ & co\/IMG_0001\.jpeg>\)/,
        );

        const secretMd = readFileSync(join(out.path, 'md', 'Bank codes.md'), 'utf8');
        assert.match(secretMd, /^locked: true\ndecrypted: true$/m);
        assert.match(secretMd, /PIN hint: \*\*birthday\*\*/);
        const index = readFileSync(join(out.path, 'html', 'index.html'), 'utf8');
        assert.match(index, /<h2>Recently Deleted/);
        assert.match(index, /Thrown away<\/a><\/td><td><time[^]*?Recently Deleted<\/span>/);
        assert.match(index, /Bank codes<\/a>.*Locked \(decrypted\)/);
        assert.match(index, /Formatting &lt;test&gt; &amp; co<\/a>/);
      } finally {
        out.cleanup();
      }
    });
  });

  test('a locked note stays locked, listed by title, without a password or with a wrong one', async () => {
    const { data: input } = richData();
    await withBackup(buildNotes(input), async (source) => {
      for (const [options, state] of [
        [{}, 'no-password'],
        [{ notesPassword: 'wrong' }, 'wrong-password'],
      ] as const) {
        const data = await notesArtifact.read(source, options);
        const secret = byTitle(data, 'Bank codes');
        assert.equal(secret.locked, true);
        assert.equal(secret.lockState, state);
        assert.equal(secret.paragraphs, null);
        assert.equal(secret.text, null);
        assert.ok(data.problems.some((p) => /1 locked note/.test(p.message)));
        const out = tempDir();
        try {
          await notesExporter.write(data, {
            outDir: out.path,
            source,
            names: NO_NAMES,
            options: {},
            formats: ['html', 'md'],
          });
          const html = readFileSync(join(out.path, 'html', 'Bank codes.html'), 'utf8');
          assert.match(html, /<span class="badge locked">Locked<\/span>/);
          assert.ok(!html.includes('birthday'));
          assert.match(
            readFileSync(join(out.path, 'md', 'Bank codes.md'), 'utf8'),
            /This note is locked/,
          );
        } finally {
          out.cleanup();
        }
      }
    });
  });

  test('deleted note rows come back marked as recovered', async () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'NoteStore.sqlite');
      writeFileSync(path, buildNotes()[0]!.data as Buffer);
      const db = new Database(path);
      db.pragma('secure_delete = OFF');
      db.exec(
        'DELETE FROM ZICCLOUDSYNCINGOBJECT WHERE Z_PK = 5; DELETE FROM ZICNOTEDATA WHERE Z_PK = 2;',
      );
      db.close();
      const data = await readLoose([{ relativePath: 'NoteStore.sqlite', path }]);
      const live = data.items.filter((n) => !n.recovered);
      assert.deepEqual(live.map((n) => n.title).sort(), [
        'Pad thai for four',
        'Weekend hike packing',
      ]);
      const recovered = data.items.filter((n) => n.recovered);
      assert.equal(recovered.length, 1);
      assert.equal(recovered[0]!.title, 'Books to read');
      assert.equal(recovered[0]!.text, notesData().notes[1]!.text);
      assert.ok(recovered[0]!.recovered!.source.length > 0);
      const none = await readLoose([{ relativePath: 'NoteStore.sqlite', path }], {
        recoverDeleted: false,
      });
      assert.equal(none.items.filter((n) => n.recovered).length, 0);
    } finally {
      dir.cleanup();
    }
  });
});

describe('legacy notes.sqlite and bad input', () => {
  test('HTML bodies become formatted paragraphs; deleted flag kept; nothing of the HTML passes through', async () => {
    await withBackup(buildLegacyNotes(), async (source) => {
      const data = await notesArtifact.read(source, {});
      const input = legacyNotesData();
      assert.equal(data.items.length, input.notes.length);
      const groceries = byTitle(data, 'Groceries');
      assert.equal(groceries.store, 'legacy');
      assert.equal(groceries.folder, 'Notes');
      assert.equal(groceries.text, 'Groceries\nMilk & eggs\n\nCall the shop');
      assert.equal(groceries.paragraphs![1]!.runs[1]!.bold, true);
      assert.equal(groceries.paragraphs![3]!.runs[1]!.link, 'https://example.com/shop');
      const old = byTitle(data, 'Old idea');
      assert.equal(old.inRecentlyDeleted, true);
      assert.equal(old.text, 'Old idea\nWrite a <short> story');
      const out = tempDir();
      try {
        await notesExporter.write(data, {
          outDir: out.path,
          source,
          names: NO_NAMES,
          options: {},
          formats: ['md'],
        });
        assert.match(
          readFileSync(join(out.path, 'md', 'Old idea.md'), 'utf8'),
          /^\*Write\* a \\<short\\> story$/m,
        );
      } finally {
        out.cleanup();
      }
    });
  });

  test('a corrupt NoteStore gives a problem, not a crash; no notes database is reported as not in backup', async () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'NoteStore.sqlite');
      writeFileSync(
        path,
        Buffer.from('SQLite format 3\0 but then nothing useful'.padEnd(600, 'x')),
      );
      const data = await readLoose([{ relativePath: 'NoteStore.sqlite', path }]);
      assert.equal(data.items.length, 0);
      assert.ok(
        data.problems.some((p) => p.severity === 'error' && /NoteStore\.sqlite/.test(p.message)),
      );
      const empty = await readLoose([]);
      assert.equal(empty.notInBackup.length, 1);
    } finally {
      dir.cleanup();
    }
  });

  test('decoders: table round trip; garbage is refused cleanly', () => {
    const table = decodeTable(
      encodeTable(
        [
          ['a', 'b', 'c'],
          ['1', '', '3'],
        ],
        'k',
      ),
    );
    assert.deepEqual(
      table.map((r) => r.map((c) => c.map((p) => p.runs.map((x) => x.text).join('')).join(''))),
      [
        ['a', 'b', 'c'],
        ['1', '', '3'],
      ],
    );
    assert.throws(() => decodeNoteDocument(Buffer.from([0x0a, 0xff, 0xff, 0xff])));
    assert.throws(() => decodeTable(Buffer.from('not a table')));
    const doc = decodeNoteDocument(
      encodeNoteDocument(
        [
          { style: 'title', spans: [{ text: 'Héllo 👋🏽' }] },
          { style: 'body', spans: [{ text: 'x', bold: true, italic: true }] },
        ],
        { key: 'u', unixTime: 1 },
      ),
    );
    assert.equal(doc.paragraphs[0]!.runs[0]!.text, 'Héllo 👋🏽');
    assert.deepEqual(
      [doc.paragraphs[1]!.runs[0]!.bold, doc.paragraphs[1]!.runs[0]!.italic],
      [true, true],
    );
  });
});
