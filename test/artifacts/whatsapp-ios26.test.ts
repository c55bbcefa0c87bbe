import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Backup } from '../../src/backup/backup.js';
import type { ArtifactData } from '../../src/artifacts/artifact.js';
import type { Conversation, ConversationMessage } from '../../src/artifacts/conversation.js';
import { BackupSource } from '../../src/artifacts/source.js';
import { whatsAppArtifact } from '../../src/artifacts/whatsapp/index.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import type { ExportSummary } from '../../src/export/exporter.js';
import { whatsAppExporter } from '../../src/export/whatsapp.js';
import {
  CUSTOMER_WA,
  JAMIE_WA,
  PRIYA_WA,
  whatsAppBusinessSpec,
  whatsAppIos26Spec,
} from '../../demo/src/whatsapp-ios26-sample.js';
import {
  buildWhatsAppIos26,
  WA_PHOTO,
  WHATSAPP_BUSINESS_SHARED,
} from '../../demo/src/whatsapp-ios26.js';
import { writeBackup } from '../support/backups.js';
import { parseCsv } from '../support/csv.js';
import { tempDir } from '../support/fixtures.js';

/**
 * WhatsApp and WhatsApp Business databases built to the current schema (demo/src/schemas/
 * whatsapp-chatstorage-ios26.ts) in a generated backup: each message kind checked in the records and
 * in the HTML, TXT, CSV and JSON exports.
 */
describe('WhatsApp on the current schema: every kind, in every export format', () => {
  const tmp = tempDir();
  const out = join(tmp.path, 'out');
  let workspace: PrivateWorkspace;
  let data: ArtifactData<Conversation>;
  let summary: ExportSummary;

  before(async () => {
    const backupDir = join(tmp.path, 'backup');
    await writeBackup(backupDir, [
      ...buildWhatsAppIos26(whatsAppIos26Spec()),
      ...buildWhatsAppIos26(whatsAppBusinessSpec(), WHATSAPP_BUSINESS_SHARED),
    ]);
    workspace = PrivateWorkspace.create();
    const source = new BackupSource(Backup.open(backupDir), workspace);
    data = await whatsAppArtifact.read(source, {});
    summary = await whatsAppExporter.write(data, {
      outDir: out,
      source,
      names: { nameFor: () => undefined },
      options: { time: { utc: true } },
      formats: ['html', 'txt', 'csv', 'json'],
    });
  });
  after(() => {
    workspace?.dispose();
    tmp.cleanup();
  });

  const conv = (id: string) => {
    const c = data.items.find((x) => x.id === id);
    assert.ok(c, `conversation ${id}`);
    return c;
  };
  const msg = (chat: string, pk: number): ConversationMessage => {
    const m = conv(chat).messages.find((x) => x.id === String(pk));
    assert.ok(m, `message ${pk} of ${chat}`);
    return m;
  };
  const files = (folder: string) => {
    const read = (ext: string) => readFileSync(join(out, folder, `${folder}.${ext}`), 'utf8');
    const csv = parseCsv(read('csv'));
    const header = csv[0]!;
    const json = JSON.parse(read('json')) as {
      kind?: string;
      account?: string;
      messages: Array<Record<string, unknown> & { id: string }>;
    };
    return {
      html: read('html'),
      txt: read('txt'),
      json,
      row: (pk: number) => {
        const r = csv.find((x) => x[1] === String(pk));
        assert.ok(r, `CSV row ${pk}`);
        return (column: string) =>
          r[header.findIndex((h) => h === column || h.startsWith(`${column} `))]!;
      },
      record: (pk: number) => {
        const r = json.messages.find((m) => m.id === String(pk));
        assert.ok(r, `JSON message ${pk}`);
        return r;
      },
    };
  };

  test('chats, a channel, Status updates kept apart, and WhatsApp Business as its own account', () => {
    assert.deepEqual(
      data.items.map((c) => [c.id, c.title, c.kind ?? null, c.service]),
      [
        ['1', 'Priya', null, 'WhatsApp'],
        ['2', 'Climbing', null, 'WhatsApp'],
        ['4', 'Crag News', 'channel', 'WhatsApp'],
        ['3', 'Status updates', 'status', 'WhatsApp'],
        ['WhatsApp Business:1', 'Customer Lee', null, 'WhatsApp Business'],
      ],
    );
    assert.equal(conv('WhatsApp Business:1').account, 'WhatsApp Business');
    assert.equal(msg('WhatsApp Business:1', 2).text, 'Yes, 9 to 5');
    const business = files('Customer Lee');
    assert.equal(business.json.account, 'WhatsApp Business');
    assert.match(business.txt, /^Account: WhatsApp Business$/m);
    const status = files('Status updates');
    assert.equal(status.json.kind, 'status');
    assert.match(status.txt, /^Status updates \(not a chat\)$/m);
    assert.equal(msg('3', 15).sender, JAMIE_WA);
    assert.equal(msg('3', 15).attachments[0]!.caption, 'Summit!');
    assert.equal(
      readFileSync(join(out, 'Status updates', 'attachments', 'summit.jpg')).compare(WA_PHOTO),
      0,
    );
    assert.ok(!conv('1').messages.some((m) => m.id === '15'), 'a Status post is not in the chat');
  });

  test('names from ContactsV2.sqlite; a missing contacts database is one problem line', () => {
    assert.deepEqual(conv('1').participants, [{ handle: PRIYA_WA, name: 'Priya Patel' }]);
    const lines = data.problems.filter((p) => /ContactsV2/.test(p.message));
    assert.deepEqual(
      lines.map((p) => [p.severity, p.message]),
      [
        [
          'warning',
          `WhatsApp: WhatsApp Business: ContactsV2.sqlite is not in this backup (${WHATSAPP_BUSINESS_SHARED}/ContactsV2.sqlite); names come from WhatsApp's own chat and push names`,
        ],
      ],
    );
    assert.equal(conv('WhatsApp Business:1').messages.length, 2, 'the chats are still read');
  });

  test('reactions: from the other person (7.1, with a JID) and from the owner (7.2)', () => {
    assert.deepEqual(msg('1', 1).reactions, [
      { from: null, kind: '\u{1F44D}', date: new Date('2025-10-02T08:02:00Z') },
    ]);
    assert.deepEqual(msg('1', 2).reactions, [
      { from: PRIYA_WA, kind: '\u2764\ufe0f', date: new Date('2025-10-02T08:04:00Z') },
    ]);
    const priya = files('Priya');
    assert.ok(priya.txt.includes('Reactions: \u2764\ufe0f \u2764\ufe0f by Priya Patel'));
    assert.ok(priya.txt.includes('Reactions: \u{1F44D} \u{1F44D} by Me'));
    assert.equal(priya.row(2)('reactions'), '\u2764\ufe0f by Priya Patel');
    assert.ok(priya.html.includes('\u2764\ufe0f Priya Patel'));
  });

  test('quoted replies: a long quoted id resolves; a quote of a deleted message keeps its copy', () => {
    assert.equal(msg('1', 3).replyTo, '2');
    assert.deepEqual(msg('1', 4).quote, {
      text: 'Meet at the gym at 9',
      sender: PRIYA_WA,
      fromMe: false,
    });
    const priya = files('Priya');
    assert.ok(priya.txt.includes('(reply to \u201cYes! Climbing?\u201d)\nPerfect, see you there'));
    assert.ok(
      priya.txt.includes(
        '(reply to \u201cMeet at the gym at 9\u201d (the original is no longer in this backup))\nStill on for the old plan?',
      ),
    );
    assert.ok(
      priya.html.includes(
        '\u21a9 Reply to \u201cMeet at the gym at 9\u201d (the original is no longer in this backup)',
      ),
    );
    assert.deepEqual(priya.record(4).quote, msg('1', 4).quote);
    assert.equal(priya.row(3)('reply'), 'reply to \u201cYes! Climbing?\u201d');
  });

  test('calls (message type 59) are calls, with their length; a call of length 0 is missed', () => {
    assert.deepEqual(msg('1', 5).card, { kind: 'call', label: 'Voice call', duration: 125 });
    assert.deepEqual(msg('1', 6).card, { kind: 'call', label: 'Missed voice call' });
    const priya = files('Priya');
    assert.ok(priya.txt.includes('[Voice call]\nDuration: 2 min 5 s'));
    assert.ok(priya.txt.includes('[Missed voice call]'));
    assert.equal(priya.row(5)('card'), '[Voice call] | Duration: 2 min 5 s');
    assert.ok(priya.html.includes('<div class="card-label">Missed voice call</div>'));
  });

  test('several vCards in one message, each with its phone numbers', () => {
    assert.deepEqual(msg('1', 7).card, {
      kind: 'contacts',
      label: '2 contact cards',
      title: '2 contacts',
      contacts: [
        { name: 'Ana Lima', phones: ['+1 415 555 0101'] },
        { name: 'Bo Chen', phones: ['+1 415 555 0102'] },
      ],
    });
    const priya = files('Priya');
    assert.ok(
      priya.txt.includes(
        '[2 contact cards] 2 contacts\n  \u2022 Ana Lima (+1 415 555 0101)\n  \u2022 Bo Chen (+1 415 555 0102)',
      ),
    );
    assert.ok(priya.html.includes('<li>Bo Chen <span class="votes">+1 415 555 0102</span></li>'));
  });

  test('sent messages carry their state (the times are not decoded, and the export says so)', () => {
    assert.equal(msg('1', 2).status, 'read');
    assert.equal(msg('1', 8).status, 'delivered');
    assert.equal(msg('1', 1).status, undefined, 'received messages have no sent state');
    const priya = files('Priya');
    assert.ok(priya.txt.includes('On my way\n(delivered)'));
    assert.equal(priya.row(8)('marks'), 'delivered');
    assert.equal(priya.record(2).status, 'read');
    assert.ok(
      data.notInBackup.some((n) => /delivered and read in a form no public parser decodes/.test(n)),
    );
  });

  test('a poll with its question and options; view-once media marked; group and system lines in words', () => {
    const poll = msg('2', 10).card!;
    assert.equal(poll.kind, 'poll');
    assert.equal(poll.title, 'Which crag?');
    assert.deepEqual(
      poll.options?.map((o) => o.text),
      ['North wall', 'River boulders'],
    );
    const climbing = files('Climbing');
    assert.ok(
      climbing.txt.includes('[Poll] Which crag?\n  \u2022 North wall\n  \u2022 River boulders'),
    );
    const viewOnce = msg('2', 11);
    assert.equal(viewOnce.viewOnce, true);
    assert.equal(viewOnce.attachments[0]!.present, false);
    assert.ok(climbing.txt.includes('(view once)'));
    assert.equal(climbing.record(11).viewOnce, true);
    assert.equal(msg('2', 12).event, 'created the group');
    assert.ok(climbing.txt.includes('Sam created the group'));
    assert.ok(climbing.txt.includes('Messages and calls are end-to-end encrypted'));
    assert.equal(msg('2', 9 + 5).text, 'Sent from a newer WhatsApp');
    assert.ok(
      data.problems.some((p) => /types this version does not know: 99 \(1\)/.test(p.message)),
    );
  });

  test('a deleted message says it was deleted, never an empty bubble', () => {
    assert.equal(msg('1', 9).unsent, true);
    assert.ok(files('Priya').txt.includes('(Priya Patel unsent a message)'));
    for (const folder of readdirSync(out).filter((f) => f !== 'index.html')) {
      const html = readFileSync(join(out, folder, `${folder}.html`), 'utf8');
      assert.ok(!html.includes('(no text)'), folder);
    }
    assert.equal(summary.counts.conversations, 5);
    assert.ok(conv('1').participants.every((p) => p.handle !== CUSTOMER_WA));
  });
});
