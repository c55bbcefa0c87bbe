import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { Backup } from '../../src/backup/backup.js';
import type { ArtifactData } from '../../src/artifacts/artifact.js';
import type { Conversation, ConversationMessage } from '../../src/artifacts/conversation.js';
import { messagesArtifact, messagesDeclaration } from '../../src/artifacts/messages/index.js';
import {
  attachmentLocation,
  messageParts,
  tapbackTarget,
} from '../../src/artifacts/messages/sms-db.js';
import {
  attributedBodyText,
  decodeAttributedString,
  readTypedstream,
  TypedstreamError,
} from '../../src/artifacts/messages/typedstream.js';
import { BackupSource, LooseFilesSource, type ArtifactSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { JAMIE, JPEG, PDF, PRIYA, SAM, smsSpec } from '../../demo/src/sms-db-sample.js';
import {
  buildSmsDb,
  smsAttachmentPaths,
  smsBackupFiles,
  smsMessageGuid,
  type SmsSchemaVersion,
} from '../../demo/src/sms-db.js';
import { attributedBodyFor } from '../../demo/src/typedstream.js';
import { writeBackup } from '../support/backups.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';

const ATTACHMENTS = messagesDeclaration.locations.attachments.domain;

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
const all = (data: ArtifactData<Conversation>) => data.items.flatMap((c) => c.messages);
const byGuid = (data: ArtifactData<Conversation>, rowid: number): ConversationMessage => {
  const found = all(data).find((m) => m.id === smsMessageGuid(rowid));
  assert.ok(found, `message ${rowid} was read`);
  return found;
};

describe('typedstream decoder', () => {
  test('gives back the text our encoder wrote: ASCII, accents, emoji, long texts (int16 and int32 lengths)', () => {
    for (const text of [
      'hi',
      'Grüße, ça va? \u{1F44B}\u{1F3FD}',
      'x'.repeat(200),
      'line one\nline two',
      'é'.repeat(40_000),
      '',
    ]) {
      const decoded = decodeAttributedString(attributedBodyFor(text));
      assert.equal(decoded?.text, text);
      assert.equal(decoded?.runs[0]?.length, text.length, 'run length counts UTF-16 units');
      assert.deepEqual(decoded?.runs[0]?.attributes, { __kIMMessagePartAttributeName: 0 });
    }
  });

  test('malformed or truncated data throws TypedstreamError (or gives null text), never anything else', () => {
    const good = attributedBodyFor('hello world');
    for (let cut = 0; cut < good.length - 1; cut++) {
      try {
        readTypedstream(good.subarray(0, cut));
      } catch (e) {
        assert.ok(e instanceof TypedstreamError, `cut at ${cut}: ${(e as Error).message}`);
      }
      const text = attributedBodyText(good.subarray(0, cut));
      assert.ok(text === null || typeof text === 'string');
    }
    assert.equal(attributedBodyText(Buffer.from('bplist00')), null);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(good.length), (noise, at) => {
        const mixed = Buffer.concat([good.subarray(0, at), Buffer.from(noise)]);
        try {
          readTypedstream(mixed);
        } catch (e) {
          if (!(e instanceof TypedstreamError)) throw e;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  test(
    'real iOS 12 attributedBody blobs decode to the text column, all 105',
    needsFixtures(),
    () => {
      const tmp = tempDir();
      try {
        const copy = join(tmp.path, 'sms.db');
        copyFileSync(fixture('databases', 'ios12-magnet-ctf-sms.db'), copy);
        const db = new Database(copy, { readonly: true });
        const rows = db.prepare('SELECT text, attributedBody FROM message').all() as Array<{
          text: string;
          attributedBody: Buffer;
        }>;
        db.close();
        assert.equal(rows.length, 105);
        for (const r of rows) assert.equal(decodeAttributedString(r.attributedBody)?.text, r.text);
        const withCode = rows.find((r) => r.text.startsWith('Your WhatsApp code'))!;
        const runs = decodeAttributedString(withCode.attributedBody)!.runs;
        assert.deepEqual(
          runs.find((r) => r.attributes.__kIMOneTimeCodeAttributeName)?.attributes
            .__kIMOneTimeCodeAttributeName,
          { displayCode: '398-029', code: '398029' },
        );
      } finally {
        tmp.cleanup();
      }
    },
  );
});

test('small helpers: tapback targets and attachment paths', () => {
  assert.equal(tapbackTarget('p:0/ABC-1'), 'ABC-1');
  assert.equal(tapbackTarget('p:12/ABC-1'), 'ABC-1');
  assert.equal(tapbackTarget('bp:ABC-2'), 'ABC-2');
  assert.deepEqual(attachmentLocation('~/Library/SMS/Attachments/ab/cd/X/a.jpg', ATTACHMENTS), {
    domain: 'MediaDomain',
    relativePath: 'Library/SMS/Attachments/ab/cd/X/a.jpg',
  });
  assert.deepEqual(
    attachmentLocation('/var/mobile/Library/SMS/Attachments/ab/a.jpg', ATTACHMENTS),
    {
      domain: 'MediaDomain',
      relativePath: 'Library/SMS/Attachments/ab/a.jpg',
    },
  );
  assert.equal(attachmentLocation(null, ATTACHMENTS), null);
  const two = [{ guid: 'A' }, { guid: 'B' }];
  assert.deepEqual(messageParts('before\ufffcbetween\ufffc', two, null), [
    { text: 'before' },
    { attachment: 0 },
    { text: 'between' },
    { attachment: 1 },
  ]);
  assert.equal(
    messageParts('text then\ufffc\ufffc', two, null),
    null,
    'text first, then attachments: no parts needed',
  );
  assert.deepEqual(
    messageParts('\ufffcafter', [{ guid: 'A' }, { guid: 'B' }], null),
    [{ attachment: 0 }, { text: 'after' }, { attachment: 1 }],
    'an attachment without a placeholder still comes out',
  );
});

/** Reads a generated sms.db out of a generated backup, the way the CLI does. */
async function readGenerated(
  version: SmsSchemaVersion,
  dir: string,
): Promise<{
  data: ArtifactData<Conversation>;
  source: ArtifactSource;
  workspace: PrivateWorkspace;
}> {
  await writeBackup(dir, smsBackupFiles(version, smsSpec(version)));
  const workspace = PrivateWorkspace.create();
  const source = new BackupSource(Backup.open(dir), workspace);
  return { data: await messagesArtifact.read(source, {}), source, workspace };
}

for (const version of ['ios15', 'ios17', 'ios26'] as const) {
  describe(`generated sms.db, ${version} schema, inside a generated backup`, () => {
    const tmp = tempDir();
    let data: ArtifactData<Conversation>;
    let workspace: PrivateWorkspace;
    before(async () => {
      ({ data, workspace } = await readGenerated(version, join(tmp.path, 'backup')));
    });
    after(() => {
      workspace?.dispose();
      tmp.cleanup();
    });

    test('three conversations: the one-to-one chats and the named group with its members', () => {
      assert.deepEqual(data.items.map((c) => c.id).sort(), ['1', '2', '3']);
      const group = data.items.find((c) => c.id === '2')!;
      assert.equal(group.title, 'Book Club');
      assert.equal(group.isGroup, true);
      assert.deepEqual(
        group.participants.map((p) => p.handle),
        [JAMIE, SAM],
      );
      const jamie = data.items.find((c) => c.id === '1')!;
      assert.equal(jamie.isGroup, false);
      assert.equal(jamie.title, null);
      assert.deepEqual(jamie.participants, [{ handle: JAMIE }]);
      assert.equal(data.items.find((c) => c.id === '3')!.service, 'SMS');
      assert.equal(jamie.service, 'iMessage/SMS', 'the SMS chat with the same person is merged in');
      assert.equal(byGuid(data, 41).text, 'Sent as a text message');
      assert.ok(jamie.messages.includes(byGuid(data, 41)));
      assert.equal(byGuid(data, 41).service, 'SMS');
      assert.deepEqual(data.sources, ['HomeDomain/Library/SMS/sms.db']);
    });

    test('every message with exactly its text, date, sender and direction; tapbacks are not messages', () => {
      const spec = smsSpec(version);
      const expected = spec.messages.filter((m) => !m.tapback);
      assert.equal(all(data).length, expected.length);
      for (const m of expected) {
        const got = byGuid(data, m.rowid);
        assert.equal(iso(got.date), new Date(m.date).toISOString(), `date of ${m.rowid}`);
        assert.equal(got.fromMe, m.handleRowid === 0);
        assert.equal(
          got.sender,
          m.handleRowid === 0 ? null : spec.handles.find((h) => h.rowid === m.handleRowid)!.id,
        );
        if (m.unsentAt) {
          assert.equal(got.unsent, true);
          assert.equal(got.text, null);
        } else if (!m.itemType) {
          assert.equal(got.text, m.text, `text of ${m.rowid}`);
        }
      }
      for (const conv of data.items) {
        const times = conv.messages.map((m) => m.date!.getTime());
        assert.deepEqual(
          times,
          [...times].sort((a, b) => a - b),
          'oldest first',
        );
      }
    });

    test('attributedBody-only texts are decoded (text column NULL)', () => {
      assert.equal(byGuid(data, 3).text, "Perfect, I'll book a table \u{1F37D}\uFE0F");
      assert.equal(byGuid(data, 8).text, 'Package left at your door');
      assert.equal(
        iso(byGuid(data, 8).date),
        '2024-03-09T08:00:00.000Z',
        'a date in seconds since 2001',
      );
      assert.equal(byGuid(data, 13).text, 'Love it \u2014 \u00e7a marche');
    });

    test('send effects and subjects', () => {
      assert.equal(byGuid(data, 9).effect, 'Slam');
      assert.equal(
        byGuid(data, 13).replyTo,
        smsMessageGuid(11),
        'an inline reply points at its message',
      );
      assert.equal(byGuid(data, 9).subject, 'Delivery');
      assert.equal(byGuid(data, 8).effect, undefined);
    });

    test('tapbacks become reactions on their target ("p:0/" and "bp:" forms); a removed one is gone', () => {
      assert.deepEqual(byGuid(data, 2).reactions, [
        { from: JAMIE, kind: 'love', date: new Date('2024-03-08T17:06:40Z') },
      ]);
      assert.deepEqual(byGuid(data, 1).reactions, []);
      assert.deepEqual(
        byGuid(data, 13).reactions.map((r) => [r.from, r.kind]),
        [
          [SAM, 'laugh'],
          [JAMIE, 'emphasize'],
        ],
      );
    });

    test('group rename is a system line, attachments present or missing with their backup paths', () => {
      const rename = byGuid(data, 10);
      assert.equal(rename.event, 'named the conversation \u201cBook Club\u201d');
      assert.equal(byGuid(data, 40).event, `added ${SAM} to the conversation`);
      assert.equal(byGuid(data, 40).eventTarget, SAM);
      const photo = byGuid(data, 7).attachments;
      assert.equal(photo.length, 1);
      assert.equal(photo[0]!.fileName, 'IMG_0001.jpeg');
      assert.equal(photo[0]!.mimeType, 'image/jpeg');
      assert.equal(photo[0]!.size, JPEG.length);
      assert.equal(photo[0]!.present, true);
      assert.equal(photo[0]!.domain, 'MediaDomain');
      assert.equal(
        photo[0]!.relativePath,
        smsAttachmentPaths(smsSpec(version).attachments[0]!).relativePath,
      );
      assert.equal(byGuid(data, 7).text, null, 'the U+FFFC placeholder is not text');
      const pdf = byGuid(data, 11).attachments[0]!;
      assert.equal(pdf.fileName, 'Reading list.pdf');
      assert.equal(pdf.size, PDF.length);
      assert.equal(pdf.present, true);
      assert.equal(byGuid(data, 11).text, 'Here is the list for spring');
      assert.deepEqual(
        byGuid(data, 11).parts,
        [{ attachment: 0 }, { text: 'Here is the list for spring' }],
        'the PDF comes before the text, as stored',
      );
      assert.deepEqual(byGuid(data, 12).parts, [
        { attachment: 0 },
        { text: 'And a photo of the shelf' },
      ]);
      assert.equal(byGuid(data, 7).parts, undefined);
      const heic = byGuid(data, 12).attachments[0]!;
      assert.equal(heic.present, false);
      assert.ok(
        data.problems.some(
          (p) => p.severity === 'warning' && /1 attachment is not in the backup/.test(p.message),
        ),
        JSON.stringify(data.problems),
      );
    });

    if (version !== 'ios15') {
      test('edited messages keep their earlier versions; unsent messages are marked', () => {
        const edited = byGuid(data, 16);
        assert.equal(edited.text, 'Running late, see you at 7:15');
        assert.deepEqual(
          edited.edits?.map((e) => e.text),
          ['Running late, see you at 7:30', 'Running late, see you at 7:20'],
        );
        assert.equal(iso(edited.edits![1]!.date), '2024-05-01T18:45:40.250Z');
        assert.equal(iso(edited.editedAt), '2024-05-01T18:46:05.000Z');
        const unsent = byGuid(data, 17);
        assert.equal(unsent.unsent, true);
        assert.equal(unsent.text, null);
      });

      test('a message in Recently Deleted is in its chat, marked recovered', () => {
        const m = byGuid(data, 18);
        assert.equal(m.text, 'This one went to Recently Deleted');
        assert.match(
          m.recovered?.source ?? '',
          /^Recently Deleted \(deleted 2024-05-03T10:00:00\.000Z\)$/,
        );
        assert.ok(data.items.find((c) => c.id === '3')!.messages.includes(m));
      });
    } else {
      test('no message is marked edited, unsent or recovered', () => {
        assert.ok(all(data).every((m) => !m.edits && !m.unsent && !m.recovered && !m.editedAt));
      });
    }
  });
}

describe('deleted messages (carved from free space)', () => {
  test('a deleted message comes back marked, in its chat when the join is found, else in "chat unknown"', async () => {
    const tmp = tempDir();
    const workspace = PrivateWorkspace.create();
    try {
      const spec = smsSpec('ios15');
      spec.messages.push(
        {
          rowid: 20,
          chatRowid: 3,
          handleRowid: 2,
          date: '2024-03-10T09:00:00Z',
          text: 'Deleted secret: the gate code is 4711, please keep it to yourself',
        },
        {
          rowid: 21,
          chatRowid: 1,
          handleRowid: 1,
          date: '2024-03-10T09:30:00Z',
          text: 'Another deleted line that was never meant to be kept around',
        },
      );
      const path = join(tmp.path, 'sms.db');
      writeFileSync(path, buildSmsDb('ios15', spec));
      const db = new Database(path);
      db.function('delete_attachment_path', { varargs: true }, () => null);
      db.function('before_delete_attachment_path', { varargs: true }, () => null);
      db.pragma('secure_delete = OFF');
      db.prepare('DELETE FROM chat_message_join WHERE message_id IN (20, 21)').run(); // the trigger deletes the messages too
      db.close();
      const check = new Database(path, { readonly: true });
      assert.deepEqual(
        check.prepare('SELECT count(*) AS n FROM message WHERE ROWID IN (20, 21)').get(),
        { n: 0 },
      );
      check.close();
      const source = new LooseFilesSource(
        [{ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', path }],
        workspace,
      );
      const data = await messagesArtifact.read(source, {});
      const recovered = all(data).filter((m) => m.recovered);
      const secret = recovered.find(
        (m) => m.text === 'Deleted secret: the gate code is 4711, please keep it to yourself',
      );
      assert.ok(secret, `recovered: ${JSON.stringify(recovered.map((m) => m.text))}`);
      assert.equal(iso(secret.date), '2024-03-10T09:00:00.000Z');
      assert.equal(secret.sender, PRIYA);
      const home = data.items.find((c) => c.messages.includes(secret))!;
      assert.ok(home.id === '3' || home.title === 'Recovered messages (chat unknown)', home.id);
      if (home.id !== '3') assert.ok(home.recovered, 'the chat-unknown conversation is marked');
      assert.equal(
        all(data).filter((m) => !m.recovered).length,
        spec.messages.filter((m) => !m.tapback).length - 2,
        'live messages unchanged',
      );

      const line = data.notInBackup.find((n) =>
        n.startsWith('sms.db lists 2 deleted messages by id only'),
      );
      assert.ok(line, JSON.stringify(data.notInBackup));
      assert.match(
        line,
        new RegExp(`; ${recovered.length} messages? (was|were) recovered from deleted space\\.$`),
      );
      const off = await messagesArtifact.read(source, { recoverDeleted: false });
      assert.equal(all(off).filter((m) => m.recovered).length, 0);
    } finally {
      workspace.dispose();
      tmp.cleanup();
    }
  });
});

describe('bad input gives a partial read with the gaps listed, never a crash', () => {
  const read = async (build: (db: Database.Database) => void) => {
    const tmp = tempDir();
    const workspace = PrivateWorkspace.create();
    try {
      const path = join(tmp.path, 'sms.db');
      const db = new Database(path);
      build(db);
      db.close();
      return await messagesArtifact.read(
        new LooseFilesSource(
          [{ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', path }],
          workspace,
        ),
        {},
      );
    } finally {
      workspace.dispose();
      tmp.cleanup();
    }
  };

  test('only the message and handle tables (as in the mvt test backup): messages grouped by sender', async () => {
    const data = await read((db) => {
      db.exec(
        'CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, country TEXT, service TEXT NOT NULL, uncanonicalized_id TEXT, person_centric_id TEXT, UNIQUE (id, service) )',
      );
      db.exec(
        'CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT, handle_id INTEGER DEFAULT 0, attributedBody BLOB, date INTEGER, is_from_me INTEGER DEFAULT 0)',
      );
      db.prepare("INSERT INTO handle VALUES (1, '+15550001', 'us', 'SMS', NULL, NULL)").run();
      db.prepare('INSERT INTO message VALUES (1, ?, NULL, 1, ?, 700000000000000000, 0)').run(
        'G1',
        attributedBodyFor('only in the body'),
      );
      db.prepare(
        "INSERT INTO message VALUES (2, 'G2', 'reply', 1, NULL, 700000060000000000, 1)",
      ).run();
    });
    assert.equal(data.items.length, 1);
    assert.deepEqual(
      data.items[0]!.messages.map((m) => [m.text, m.fromMe]),
      [
        ['only in the body', false],
        ['reply', true],
      ],
    );
    assert.deepEqual(data.items[0]!.participants, [{ handle: '+15550001' }]);
    const gap = data.problems.find((p) =>
      /lacks the tables chat, chat_handle_join, chat_message_join, attachment, message_attachment_join/.test(
        p.message,
      ),
    );
    assert.ok(gap, JSON.stringify(data.problems));
  });

  test('an unknown schema without a message table, and an iOS 5 layout', async () => {
    const none = await read((db) => db.exec('CREATE TABLE something_else (x)'));
    assert.equal(none.items.length, 0);
    assert.match(none.problems[0]!.message, /no message table \(unknown schema\)/);
    const ios5 = await read((db) => {
      db.exec(
        'CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT, date INTEGER, text TEXT, flags INTEGER, group_id INTEGER, is_madrid INTEGER)',
      );
      db.prepare(
        "INSERT INTO message VALUES (1, '+15550002', 1300000000, 'from 2011', 2, 1, 0)",
      ).run();
      db.prepare(
        "INSERT INTO message VALUES (2, '+15550002', 1300000100, 'answer', 3, 1, 0)",
      ).run();
    });
    assert.deepEqual(
      ios5.items.flatMap((c) => c.messages).map((m) => [m.text, iso(m.date), m.fromMe]),
      [
        ['from 2011', '2011-03-13T07:06:40.000Z', false],
        ['answer', '2011-03-13T07:08:20.000Z', true],
      ],
    );
    assert.ok(ios5.problems.some((p) => p.severity === 'error' && /older layout/.test(p.message)));
  });

  test('damaged copies of a real-schema sms.db (bytes overwritten at random) never make read() throw', async () => {
    const good = buildSmsDb('ios17', smsSpec('ios17'));
    const tmp = tempDir();
    const workspace = PrivateWorkspace.create();
    try {
      let seed = 12345;
      const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
      for (let round = 0; round < 12; round++) {
        const bad = Buffer.from(good);
        for (let i = 0; i < 40; i++) bad[100 + rand(bad.length - 100)] = rand(256);
        const path = join(tmp.path, `sms-${round}.db`);
        writeFileSync(path, bad);
        const data = await messagesArtifact.read(
          new LooseFilesSource(
            [{ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', path }],
            workspace,
          ),
          {},
        );
        assert.ok(Array.isArray(data.items));
        for (const p of data.problems) assert.match(p.message, /^Messages: /);
      }
    } finally {
      workspace.dispose();
      tmp.cleanup();
    }
  });

  test('a corrupt sms.db is one error, and a backup without sms.db says so', async () => {
    const tmp = tempDir();
    const workspace = PrivateWorkspace.create();
    try {
      const path = join(tmp.path, 'sms.db');
      writeFileSync(
        path,
        Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(3000, 0x41)]),
      );
      const data = await messagesArtifact.read(
        new LooseFilesSource(
          [{ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', path }],
          workspace,
        ),
        {},
      );
      assert.equal(data.items.length, 0);
      assert.equal(data.problems.filter((p) => p.severity === 'error').length, 1);
      assert.match(data.problems[0]!.message, /^Messages: /);
      const empty = await messagesArtifact.read(new LooseFilesSource([], workspace), {});
      assert.equal(empty.items.length, 0);
      assert.ok(empty.notInBackup.some((n) => /no Messages database/.test(n)));
    } finally {
      workspace.dispose();
      tmp.cleanup();
    }
  });
});

describe('real databases', needsFixtures(), () => {
  test("the mvt iOS 14.3 backup's sms.db gives its one message", async () => {
    const workspace = PrivateWorkspace.create();
    try {
      const data = await messagesArtifact.read(
        new BackupSource(Backup.open(fixture('backups', 'mvt-ios14-plain')), workspace),
        {},
      );
      const messages = all(data).filter((m) => !m.recovered);
      assert.equal(messages.length, 1);
      assert.equal(messages[0]!.text, 'Please click here https://badbadbad.example.org/');
      assert.equal(messages[0]!.sender, 'apple');
      assert.equal(iso(messages[0]!.date), '2019-08-29T23:13:30.539Z');
    } finally {
      workspace.dispose();
    }
  });

  test('the iOS 12.4 Magnet CTF sms.db gives its 105 messages in 7 chats', async () => {
    const workspace = PrivateWorkspace.create();
    try {
      const source = new LooseFilesSource(
        [
          {
            domain: 'HomeDomain',
            relativePath: 'Library/SMS/sms.db',
            path: fixture('databases', 'ios12-magnet-ctf-sms.db'),
          },
        ],
        workspace,
      );
      const data = await messagesArtifact.read(source, {});
      const live = all(data).filter((m) => !m.recovered);
      assert.equal(live.length, 105);
      assert.equal(data.items.filter((c) => !c.recovered).length, 7);
      assert.ok(live.some((m) => m.text === 'G-680228 is your Google verification code.'));
      assert.equal(live.flatMap((m) => m.attachments).length, 7);
      assert.ok(
        live.flatMap((m) => m.attachments).every((a) => !a.present && a.domain === 'MediaDomain'),
      );
      assert.ok(readFileSync(fixture('databases', 'ios12-magnet-ctf-sms.db')).length > 0);
    } finally {
      workspace.dispose();
    }
  });
});
