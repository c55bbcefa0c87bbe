import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { ArtifactData } from '../../src/artifacts/artifact.js';
import type { Conversation } from '../../src/artifacts/conversation.js';
import { BackupSource, LooseFilesSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import {
  mediaCandidates,
  WHATSAPP_DOMAIN,
  whatsAppArtifact,
} from '../../src/artifacts/whatsapp/index.js';
import { Backup } from '../../src/backup/backup.js';
import {
  appleSeconds,
  buildDemoContent,
  demoData,
  type WhatsAppData,
} from '../../demo/src/index.js';
import { writeBackup } from '../support/backups.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';

const tmp = tempDir('reclaim-whatsapp-test-');
after(() => tmp.cleanup());

describe('WhatsApp: real iOS 15 ChatStorage.sqlite (fixture)', needsFixtures(), () => {
  let data: ArtifactData<Conversation>;
  const workspace = PrivateWorkspace.create();
  after(() => workspace.dispose());
  before(async () => {
    data = await whatsAppArtifact.read(
      new LooseFilesSource(
        [
          {
            domain: WHATSAPP_DOMAIN,
            relativePath: 'ChatStorage.sqlite',
            path: fixture('databases', 'ios15-whatsapp-ChatStorage.sqlite'),
          },
        ],
        workspace,
      ),
      {},
    );
  });

  test('32 messages in 5 chats, with group names, push names and the owner left out of members', () => {
    const live = data.items.filter((c) => !c.recovered);
    assert.equal(live.length, 5);
    assert.equal(
      live.reduce((n, c) => n + c.messages.filter((m) => !m.recovered).length, 0),
      32,
    );
    assert.deepEqual(
      live.map((c) => c.title),
      ['Our Test Group', 'Med Report Review', 'Med Report 2', 'Working Group', 'This Is DFIR Two'],
    );
    assert.deepEqual(
      live.map((c) => c.isGroup),
      [true, true, true, true, false],
    );
    const direct = live[4]!;
    assert.deepEqual(direct.participants, [
      { handle: '19198887386@s.whatsapp.net', name: 'DFIR Two' },
    ]);
    for (const c of live)
      assert.ok(
        !c.participants.some((p) => p.handle === '19195794674@s.whatsapp.net'),
        'owner is not a participant',
      );
    assert.equal(direct.messages.length, 22);
  });

  test('texts, senders, dates, images (listed, not in this database-only fixture), locations and system events', () => {
    const direct = data.items.find((c) => c.id === '5')!;
    const m13 = direct.messages.find((m) => m.id === '13')!;
    assert.equal(m13.text, 'Awesome. You had some chat history, eh?');
    assert.equal(m13.fromMe, false);
    assert.equal(m13.sender, '19198887386@s.whatsapp.net');
    assert.equal(m13.date?.toISOString(), new Date((704735850 + 978307200) * 1000).toISOString());
    const image = direct.messages.find((m) => m.id === '21')!;
    assert.equal(image.fromMe, true);
    assert.deepEqual(image.attachments, [
      {
        domain: WHATSAPP_DOMAIN,
        relativePath:
          'Message/Media/19198887386@s.whatsapp.net/d/0/d041d159-fd7d-4abb-9192-0e97c10ddb00.jpg',
        fileName: 'd041d159-fd7d-4abb-9192-0e97c10ddb00.jpg',
        mimeType: 'image/jpeg',
        size: 42073,
        present: false,
      },
    ]);
    assert.equal(
      direct.messages.find((m) => m.id === '30')!.text,
      'Location: 35.638504, -78.876053',
    );
    const notice = direct.messages.find((m) => m.id === '11')!;
    assert.ok(notice.event);
    assert.equal(notice.sender, null);
    for (const group of data.items.filter((c) => c.isGroup))
      assert.ok(
        group.messages.every((m) => m.event),
        'group chats hold only events',
      );
    assert.match(
      data.problems.map((p) => p.message).join('\n'),
      /2 attachment file\(s\) are not in the backup/,
    );
  });
});

describe('WhatsApp: generated ChatStorage.sqlite (real schema) in a generated backup', () => {
  const wa: WhatsAppData = demoData().whatsapp;
  wa.deletedPks = [5]; // "Loved it, happy to reread" in the group
  let data: ArtifactData<Conversation>;

  before(async () => {
    const dir = join(tmp.path, 'backup');
    await writeBackup(
      dir,
      buildDemoContent({ only: ['whatsapp'], data: { ...demoData(), whatsapp: wa } }),
    );
    const workspace = PrivateWorkspace.create();
    try {
      data = await whatsAppArtifact.read(new BackupSource(Backup.open(dir), workspace), {});
    } finally {
      workspace.dispose();
    }
  });

  test('every message exactly as put in; the deleted one back and marked', () => {
    // The demo has no ContactsV2.sqlite: one line says so, the chats are all read.
    assert.deepEqual(
      data.problems.map((p) => p.message),
      [
        `WhatsApp: ContactsV2.sqlite is not in this backup (${WHATSAPP_DOMAIN}/ContactsV2.sqlite); names come from WhatsApp's own chat and push names`,
      ],
    );
    assert.equal(data.items.length, wa.chats.length);
    for (const chat of wa.chats) {
      const c = data.items.find((x) => x.id === String(chat.pk))!;
      assert.equal(c.title, chat.name);
      assert.equal(c.isGroup, chat.group);
      const expected = wa.messages.filter((m) => m.chatPk === chat.pk);
      assert.equal(c.messages.length, expected.length);
      expected.forEach((m, i) => {
        const got = c.messages[i]!;
        assert.equal(got.text, m.text);
        assert.equal(got.fromMe, m.fromMe);
        assert.equal(got.date?.getTime(), (appleSeconds(m.date) + 978307200) * 1000);
        const sender = m.fromMe
          ? null
          : m.memberPk
            ? wa.members.find((x) => x.pk === m.memberPk)!.jid
            : chat.jid;
        assert.equal(got.sender, sender);
        assert.equal(
          Boolean(got.recovered),
          wa.deletedPks!.includes(m.pk),
          `message ${m.pk} recovered mark`,
        );
        if (!got.recovered) assert.equal(got.id, String(m.pk));
      });
    }
    const recovered = data.items.flatMap((c) => c.messages).filter((m) => m.recovered);
    assert.equal(recovered.length, 1);
    assert.match(recovered[0]!.recovered!.source, /freeblock|wal|freelist/);
  });

  test('group members carry their push names; the image is present', () => {
    const group = data.items.find((c) => c.isGroup)!;
    assert.deepEqual(group.participants, [
      { handle: wa.members[0]!.jid, name: 'Jamie C' },
      { handle: wa.members[1]!.jid, name: 'Priya' },
    ]);
    const image = group.messages.find((m) => m.attachments.length)!;
    const media = wa.media[0]!;
    assert.deepEqual(image.attachments, [
      {
        domain: WHATSAPP_DOMAIN,
        relativePath: media.relativePath,
        fileName: media.localPath.split('/').pop(),
        mimeType: 'image/jpeg',
        size: media.data.length,
        present: true,
      },
    ]);
  });
});

describe('WhatsApp: bad input gives problems, never a crash', () => {
  test('missing media file, missing tables, unknown columns, a file that is not a database', async () => {
    const workspace = PrivateWorkspace.create();
    try {
      const wa = demoData().whatsapp;
      wa.missingMediaPks = [1];
      const files = buildDemoContent({ only: ['whatsapp'], data: { ...demoData(), whatsapp: wa } });
      const loose = files.map((f, i) => {
        const path = join(tmp.path, `wa-${i}`);
        writeFileSync(path, f.data!);
        return { domain: f.domain, relativePath: f.relativePath, path };
      });
      const missing = await whatsAppArtifact.read(new LooseFilesSource(loose, workspace), {});
      assert.equal(missing.items.flatMap((c) => c.messages).length, wa.messages.length);
      const attachment = missing.items.flatMap((c) => c.messages).flatMap((m) => m.attachments)[0]!;
      assert.equal(attachment.present, false);
      assert.equal(attachment.relativePath, wa.media[0]!.relativePath);
      assert.match(
        missing.problems.map((p) => p.message).join('\n'),
        /1 attachment file\(s\) are not in the backup/,
      );

      // A stripped-down database: only ZWAMESSAGE, with columns of some other version.
      const odd = join(tmp.path, 'odd.sqlite');
      const db = new Database(odd);
      db.exec(
        'CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, ZCHATSESSION INTEGER, ZTEXT VARCHAR, ZMESSAGEDATE TIMESTAMP, ZNEWCOLUMN BLOB)',
      );
      db.prepare("INSERT INTO ZWAMESSAGE VALUES (1, 7, ?, ?, x'00')").run('hello', 700000000);
      db.close();
      const oddData = await whatsAppArtifact.read(
        new LooseFilesSource(
          [{ domain: WHATSAPP_DOMAIN, relativePath: 'ChatStorage.sqlite', path: odd }],
          workspace,
        ),
        {},
      );
      assert.equal(oddData.items.length, 1);
      assert.equal(oddData.items[0]!.messages[0]!.text, 'hello');
      assert.ok(oddData.problems.length >= 3, 'missing tables are listed');
      assert.ok(oddData.problems.every((p) => p.severity === 'warning'));

      const junk = join(tmp.path, 'junk.sqlite');
      writeFileSync(junk, Buffer.from('this is not a database at all'.repeat(100)));
      const bad = await whatsAppArtifact.read(
        new LooseFilesSource(
          [{ domain: WHATSAPP_DOMAIN, relativePath: 'ChatStorage.sqlite', path: junk }],
          workspace,
        ),
        {},
      );
      assert.equal(bad.items.length, 0);
      assert.equal(bad.problems[0]!.severity, 'error');

      const empty = new Database(join(tmp.path, 'empty.sqlite'));
      empty.exec('CREATE TABLE other (x)');
      empty.close();
      const noMessages = await whatsAppArtifact.read(
        new LooseFilesSource(
          [
            {
              domain: WHATSAPP_DOMAIN,
              relativePath: 'ChatStorage.sqlite',
              path: join(tmp.path, 'empty.sqlite'),
            },
          ],
          workspace,
        ),
        {},
      );
      assert.match(noMessages.problems[0]!.message, /no ZWAMESSAGE table/);
    } finally {
      workspace.dispose();
    }
  });

  test('media paths as different versions store them', () => {
    assert.deepEqual(mediaCandidates('Media/123@s.whatsapp.net/a/b/x.jpg'), [
      'Message/Media/123@s.whatsapp.net/a/b/x.jpg',
      'Media/123@s.whatsapp.net/a/b/x.jpg',
    ]);
    assert.deepEqual(
      mediaCandidates('/var/mobile/Containers/Shared/AppGroup/ABC/Message/Media/x.jpg'),
      ['Message/Media/x.jpg'],
    );
  });
});
