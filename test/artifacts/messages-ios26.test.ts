import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Backup } from '../../src/backup/backup.js';
import type { ArtifactData } from '../../src/artifacts/artifact.js';
import type { Conversation, ConversationMessage } from '../../src/artifacts/conversation.js';
import { messagesArtifact } from '../../src/artifacts/messages/index.js';
import type { NameIndex } from '../../src/artifacts/names.js';
import { BackupSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import type { ExportSummary } from '../../src/export/exporter.js';
import { messagesExporter } from '../../src/export/messages.js';
import {
  CAF,
  CHECK_IN_END,
  HIKER,
  JAMIE,
  PHOTO,
  PNG,
  PRIYA,
  SAM,
  smsIos26Spec,
} from '../../demo/src/sms-db-ios26-sample.js';
import { smsBackupFiles, smsMessageGuid } from '../../demo/src/sms-db.js';
import { writeBackup } from '../support/backups.js';
import { parseCsv } from '../support/csv.js';
import { tempDir } from '../support/fixtures.js';

const NAMES: NameIndex = {
  nameFor: (h) =>
    (({ [JAMIE]: 'Jamie Chen', [SAM]: 'Sam Rivera' }) as Record<string, string>)[h ?? ''],
};

/**
 * Every message kind of iOS 18 and 26 on an sms.db built to the iOS 26 schema (demo/src/schemas/
 * sms-ios26.ts), read from a generated backup and exported: each kind is checked in the records and
 * in the HTML, TXT, CSV and JSON files, as what the person saw.
 */
describe('Messages on the iOS 26 schema: every kind, in every export format', () => {
  const tmp = tempDir();
  const out = join(tmp.path, 'out');
  let workspace: PrivateWorkspace;
  let data: ArtifactData<Conversation>;
  let summary: ExportSummary;

  before(async () => {
    const backupDir = join(tmp.path, 'backup');
    await writeBackup(backupDir, smsBackupFiles('ios26', smsIos26Spec()));
    workspace = PrivateWorkspace.create();
    const source = new BackupSource(Backup.open(backupDir), workspace);
    data = await messagesArtifact.read(source, {});
    summary = await messagesExporter.write(data, {
      outDir: out,
      source,
      names: NAMES,
      options: { time: { utc: true } },
      formats: ['html', 'txt', 'csv', 'json'],
    });
  });
  after(() => {
    workspace?.dispose();
    tmp.cleanup();
  });

  const msg = (rowid: number): ConversationMessage => {
    const found = data.items.flatMap((c) => c.messages).find((m) => m.id === smsMessageGuid(rowid));
    assert.ok(found, `message ${rowid} was read`);
    return found;
  };
  const files = (folder: string) => {
    const read = (ext: string) => readFileSync(join(out, folder, `${folder}.${ext}`), 'utf8');
    const csv = parseCsv(read('csv'));
    const header = csv[0]!;
    const json = JSON.parse(read('json')) as {
      service: string;
      messages: Array<Record<string, unknown> & { id: string }>;
    };
    return {
      html: read('html'),
      txt: read('txt'),
      json,
      row: (rowid: number) => {
        const r = csv.find((x) => x[1] === smsMessageGuid(rowid));
        assert.ok(r, `CSV row of ${rowid}`);
        return (column: string) =>
          r[header.findIndex((h) => h === column || h.startsWith(`${column} `))]!;
      },
      record: (rowid: number) => {
        const r = json.messages.find((m) => m.id === smsMessageGuid(rowid));
        assert.ok(r, `JSON message ${rowid}`);
        return r;
      },
    };
  };
  let jamie: ReturnType<typeof files>;
  before(() => {
    jamie = files('Jamie Chen');
  });

  test('conversations: iMessage and RCS chats with the same person are one; OneChat, satellite, group', () => {
    assert.deepEqual(
      readdirSync(out).sort(),
      ['Jamie Chen', 'Sam Rivera', 'Trip', PRIYA, HIKER, 'index.html'].sort(),
    );
    assert.equal(jamie.json.service, 'iMessage/RCS');
    assert.match(jamie.txt, /^Service: iMessage\/RCS$/m);
    assert.equal(msg(9).service, 'RCS');
    assert.equal(jamie.row(9)('service'), 'RCS');
    assert.equal(
      files('Sam Rivera').json.service,
      'iMessage/RCS',
      'an "any" chat takes its messages\u2019 services',
    );
    assert.equal(summary.counts.conversations, 5);
  });

  test('iOS 18 formatting and text effects come out in every format', () => {
    const m = msg(1);
    assert.equal(m.text, "Happy birthday, Sam! Don't be late");
    assert.deepEqual(m.textStyles, [
      { start: 0, length: 14, effect: 'big' },
      { start: 16, length: 3, bold: true, italic: true },
      { start: 21, length: 5, underline: true },
      { start: 30, length: 4, strikethrough: true },
    ]);
    assert.ok(
      jamie.html.includes(
        '<span class="fx fx-big" title="big effect">Happy birthday</span>, <i><b>Sam</b></i>! <u>Don&#39;t</u> be <s>late</s>',
      ),
      jamie.html.slice(
        jamie.html.indexOf('Happy birthday') - 200,
        jamie.html.indexOf('Happy birthday') + 300,
      ),
    );
    const formatting =
      "big effect \u201cHappy birthday\u201d; bold, italic \u201cSam\u201d; underlined \u201cDon't\u201d; struck through \u201clate\u201d";
    assert.ok(jamie.txt.includes(`(formatting: ${formatting})`));
    assert.equal(jamie.row(1)('formatting'), formatting);
    assert.deepEqual(jamie.record(1).textStyles, m.textStyles);
  });

  test('tapbacks with any emoji, stickers placed on a bubble and Genmoji tapbacks, with their images', () => {
    const reactions = msg(2).reactions;
    assert.deepEqual(
      reactions.map((r) => [r.from, r.kind, r.attachment?.kind ?? null]),
      [
        [JAMIE, '\u{1F389}', null],
        [JAMIE, 'sticker', 'sticker'],
      ],
      'an emoji tapback and a sticker placed by the same person are both kept',
    );
    const genmoji = msg(1).reactions[0]!;
    assert.equal(genmoji.from, null);
    assert.equal(genmoji.attachment?.kind, 'genmoji');
    assert.equal(genmoji.attachment?.description, 'a cake with sparklers');
    assert.equal(
      readFileSync(join(out, 'Jamie Chen', 'attachments', 'sticker.png')).compare(PNG),
      0,
    );
    assert.ok(jamie.html.includes('\u{1F389} Jamie Chen'));
    assert.ok(
      jamie.html.includes('<img src="attachments/sticker.png" alt="Sticker" title="Sticker">'),
    );
    assert.ok(
      jamie.html.includes(
        '<img src="attachments/genmoji.png" alt="Genmoji \u201ca cake with sparklers\u201d"',
      ),
    );
    assert.ok(
      jamie.txt.includes(
        'Reactions: \u{1F389} \u{1F389} by Jamie Chen; Sticker (attachments/sticker.png) by Jamie Chen',
      ),
    );
    assert.ok(
      jamie.txt.includes(
        'Reactions: Genmoji \u201ca cake with sparklers\u201d (attachments/genmoji.png) by Me',
      ),
    );
    assert.equal(
      jamie.row(2)('reactions'),
      '\u{1F389} by Jamie Chen; Sticker (attachments/sticker.png) by Jamie Chen',
    );
    const json = jamie.record(1).reactions as Array<{
      attachment: { kind: string; exportedPath: string };
    }>;
    assert.equal(json[0]!.attachment.kind, 'genmoji');
    assert.equal(json[0]!.attachment.exportedPath, 'attachments/genmoji.png');
    assert.equal(summary.counts.reactions, 3);
  });

  test('a Genmoji inside a message shows as its image with its description', () => {
    const m = msg(6);
    assert.equal(m.text, 'Look at him ');
    assert.deepEqual(
      m.attachments.map((a) => [a.kind, a.description]),
      [['genmoji', 'a corgi surfing']],
    );
    assert.ok(
      jamie.html.includes(
        '<img class="genmoji" src="attachments/corgi.png" alt="Genmoji \u201ca corgi surfing\u201d"',
      ),
    );
    assert.ok(jamie.txt.includes('[Genmoji \u201ca corgi surfing\u201d: attachments/corgi.png]'));
    assert.equal(
      jamie.row(6)('attachments'),
      'attachments/corgi.png (Genmoji \u201ca corgi surfing\u201d)',
    );
  });

  test('bubble and screen effects are named', () => {
    assert.equal(msg(7).effect, 'Fireworks');
    assert.equal(msg(8).effect, 'Invisible Ink');
    assert.ok(jamie.txt.includes('Happy new year!\n(sent with Fireworks)'));
    assert.ok(jamie.html.includes('sent with Invisible Ink'));
    assert.equal(jamie.row(7)('effect'), 'Fireworks');
    assert.equal(jamie.record(8).effect, 'Invisible Ink');
  });

  test('SharePlay, chat background and location events are system lines, never "left the conversation"', () => {
    assert.equal(msg(10).event, 'used SharePlay (a FaceTime activity ended)');
    assert.equal(msg(31).event, 'changed the chat background');
    assert.equal(msg(32).event, 'removed the chat background');
    assert.equal(msg(33).event, 'started sharing location');
    assert.ok(jamie.txt.includes('Jamie Chen changed the chat background'));
    assert.ok(jamie.txt.includes('You removed the chat background'));
    assert.ok(!/left the conversation/.test(jamie.txt + jamie.html));
    assert.equal(jamie.row(31)('event'), 'changed the chat background');
    assert.equal(jamie.record(10).event, 'used SharePlay (a FaceTime activity ended)');
  });

  test('a link preview shows its title, summary, site and URL', () => {
    const m = msg(11);
    assert.equal(m.text, null, 'the URL typed is shown as the preview');
    assert.deepEqual(m.card, {
      kind: 'link',
      label: 'Link',
      title: 'An article worth reading',
      lines: ['What the page says about itself', 'Example News'],
      url: 'https://example.org/article',
    });
    assert.ok(jamie.html.includes('<div class="card-title">An article worth reading</div>'));
    assert.ok(jamie.html.includes('href="https://example.org/article"'));
    assert.ok(
      jamie.txt.includes(
        '[Link] An article worth reading\nWhat the page says about itself\nExample News\nhttps://example.org/article',
      ),
    );
    assert.equal(
      jamie.row(11)('card'),
      '[Link] An article worth reading | What the page says about itself | Example News | https://example.org/article',
    );
    assert.deepEqual(jamie.record(11).card, m.card);
  });

  test('a collaboration invitation names the document, the app and its link', () => {
    assert.deepEqual(msg(12).card, {
      kind: 'collaboration',
      label: 'Collaboration invitation',
      title: 'Trip plan',
      lines: ['Freeform'],
      url: 'https://www.icloud.com/freeform/0abc',
    });
    assert.ok(
      jamie.txt.includes(
        '[Collaboration invitation] Trip plan\nFreeform\nhttps://www.icloud.com/freeform/0abc',
      ),
    );
    assert.ok(jamie.html.includes('card-collaboration'));
  });

  test('Check In: its time is Unix seconds (not nanoseconds since 2001), shown in the export zone', () => {
    const card = msg(13).card!;
    assert.equal(card.kind, 'check-in');
    assert.equal(card.title, 'Check In: Timer Started');
    assert.equal(msg(13).text, null, 'the app placeholder U+FFFD is not text');
    assert.deepEqual(card.times, [{ label: 'Expected at', date: new Date(CHECK_IN_END * 1000) }]);
    assert.ok(
      jamie.txt.includes('[Check In] Check In: Timer Started\nExpected at 2024-05-29 16:26:40 UTC'),
    );
    assert.ok(jamie.html.includes('Expected at 2024-05-29 16:26:40 UTC'));
    assert.equal(
      (jamie.record(13).card as { times: Array<{ date: string }> }).times[0]!.date,
      '2024-05-29T16:26:40.500Z',
    );
  });

  test('Apple Pay, Business Chat and third-party app messages show what their bubble said', () => {
    assert.deepEqual(msg(14).card, {
      kind: 'apple-pay',
      label: 'Apple Pay',
      title: 'Sent $25 with Apple Pay.',
      lines: ['Apple Cash', '$25 Payment'],
    });
    assert.ok(jamie.txt.includes('[Apple Pay] Sent $25 with Apple Pay.\nApple Cash\n$25 Payment'));
    const priya = files(PRIYA);
    assert.ok(priya.txt.includes('[Business Chat] Choose a delivery slot\nTomorrow 9\u201311 am'));
    assert.equal(
      priya.row(15)('card'),
      '[Business Chat] Choose a delivery slot | Tomorrow 9\u201311 am',
    );
    assert.deepEqual(msg(16).card, {
      kind: 'app',
      label: 'GamePigeon',
      title: 'Dots & Boxes',
      lines: ['Your move.'],
    });
    assert.equal(msg(17).card?.note, 'the content of this app message could not be read');
    assert.equal(msg(17).card?.label, 'com.example.broken');
    assert.ok(
      data.problems.some((p) => /1 app message \(payload_data\) could not be read/.test(p.message)),
      JSON.stringify(data.problems),
    );
  });

  test('a handwritten message is drawn as SVG in HTML and said in TXT; Digital Touch by kind', () => {
    const card = msg(18).card!;
    assert.equal(card.label, 'Handwritten message');
    assert.match(
      card.svg!,
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>(<polyline points="[\d, ]+" stroke-width="\d+"\/>){2}<\/svg>$/,
    );
    assert.ok(jamie.html.includes(`<div class="handwriting">${card.svg}</div>`));
    assert.ok(jamie.txt.includes('[Handwritten message]\n(the drawing is in the HTML export)'));
    assert.deepEqual(msg(19).card, {
      kind: 'digital-touch',
      label: 'Digital Touch',
      title: 'Heartbeat',
      lines: ['72 BPM'],
    });
    assert.ok(jamie.txt.includes('[Digital Touch] Heartbeat\n72 BPM'));
  });

  test('audio messages: a kept CAF with its transcript, an expired one said to be expired, AMR', () => {
    const kept = msg(20).attachments[0]!;
    assert.equal(kept.kind, 'audio-message');
    assert.equal(kept.mimeType, 'audio/x-caf', 'CAF from its UTI when mime_type is NULL');
    assert.equal(kept.transcript, 'Call me when you land');
    assert.equal(
      readFileSync(join(out, 'Jamie Chen', 'attachments', 'Audio Message.caf')).compare(CAF),
      0,
    );
    assert.equal(msg(21).event, 'kept an audio message');
    const expired = msg(22).attachments[0]!;
    assert.equal(expired.expired, true);
    assert.equal(expired.mimeType, 'audio/amr');
    assert.ok(jamie.txt.includes('[Audio message expired (not kept): Audio Message.amr]'));
    assert.ok(jamie.html.includes('Audio message expired (not kept): Audio Message.amr'));
    assert.ok(!jamie.html.includes('Audio Message.amr (not in the backup)'));
    assert.equal(jamie.row(22)('missing_attachments'), 'Audio Message.amr (expired audio message)');
    assert.equal((jamie.record(22).attachments as Array<{ expired: boolean }>)[0]!.expired, true);
    assert.ok(
      jamie.txt.includes(
        '[Audio message: attachments/Audio Message.caf] \u2014 \u201cCall me when you land\u201d',
      ),
    );
    assert.ok(jamie.txt.includes('[Audio message: attachments/Voice.amr]'));
    assert.equal(summary.counts.expiredAudio, 1);
    assert.equal(
      summary.counts.missingAttachments,
      0,
      'an expired recording is not a missing file',
    );
    assert.ok(data.notInBackup.some((n) => /^1 audio message expired \(not kept\)/.test(n)));
    assert.ok(!summary.problems.some((p) => /Audio Message\.amr/.test(p.message)));
  });

  test('an attachment without an extension is named from its bytes (JPEG)', () => {
    const a = msg(24).attachments[0]!;
    assert.deepEqual(a.detectedType, { extension: '.jpg', mimeType: 'image/jpeg' });
    assert.equal(a.mimeType, 'image/jpeg');
    assert.equal(
      readFileSync(join(out, 'Jamie Chen', 'attachments', 'IMG_7012.jpg')).compare(PHOTO),
      0,
    );
    assert.ok(jamie.html.includes('<img src="attachments/IMG_7012.jpg" alt="IMG_7012"'));
    assert.equal(jamie.row(24)('attachments'), 'attachments/IMG_7012.jpg');
  });

  test('an edited first message of a reply thread: the reply quotes its current text; its edits are kept', () => {
    assert.equal(msg(25).text, 'Dinner at 7?');
    assert.deepEqual(
      msg(25).edits?.map((e) => e.text),
      ['Dinner at 6?'],
    );
    assert.equal(msg(26).replyTo, smsMessageGuid(25));
    assert.ok(jamie.txt.includes('Me\n(reply to \u201cDinner at 7?\u201d)\nWorks for me'));
    assert.ok(jamie.html.includes('\u21a9 Reply to \u201cDinner at 7?\u201d'));
    assert.equal(jamie.row(26)('reply'), 'reply to \u201cDinner at 7?\u201d');
  });

  test('a reply whose original is no longer in the database says so', () => {
    assert.equal(msg(27).replyTo, 'D0000000-0000-4000-8000-00000000DEAD');
    assert.ok(
      jamie.txt.includes(
        '(reply to a message that is no longer in this backup)\nAbout that old photo',
      ),
    );
    assert.ok(jamie.html.includes('\u21a9 Reply to a message that is no longer in this backup'));
    assert.equal(jamie.record(27).replyToMissing, true);
    assert.equal(jamie.row(27)('reply'), 'reply to a message that is no longer in this backup');
  });

  test('Shared with You, satellite (SatelliteSMS, iMessage via satellite) and translations are marked', () => {
    assert.equal(msg(28).sharedWithYou, true);
    assert.ok(jamie.txt.includes('Listen to this one\n(in Shared with You)'));
    assert.equal(jamie.row(28)('marks'), 'in Shared with You');
    const hiker = files(HIKER);
    assert.deepEqual([msg(29).service, msg(29).satellite], ['SMS (satellite)', true]);
    assert.deepEqual([msg(30).service, msg(30).satellite], ['iMessage (satellite)', true]);
    assert.ok(hiker.txt.includes('Out of coverage, all good\n(via satellite)'));
    assert.equal(hiker.row(30)('service'), 'iMessage (satellite)');
    assert.equal(hiker.record(29).satellite, true);
    assert.ok(hiker.html.includes('SMS (satellite) \u00b7 via satellite'));
    const priya = files(PRIYA);
    assert.deepEqual(msg(34).translation, { language: 'en', text: 'Shall we go tomorrow?' });
    assert.ok(
      priya.txt.includes('\u00bfVamos ma\u00f1ana?\n(translation, en: Shall we go tomorrow?)'),
    );
    assert.equal(priya.row(34)('translation'), 'Shall we go tomorrow?');
  });

  test('an iOS 26 poll: options (one added by an update) with who voted, a later vote replacing an earlier one', () => {
    const trip = files('Trip');
    const poll = msg(60).card!;
    assert.equal(poll.kind, 'poll');
    assert.equal(poll.title, 'Where to eat?');
    assert.deepEqual(poll.options, [
      { text: 'Thai', voters: [SAM, null] },
      { text: 'Pizza', voters: [] },
      { text: 'Sushi', voters: [JAMIE] },
    ]);
    assert.equal(msg(61).event, 'updated the poll');
    assert.ok(
      trip.txt.includes(
        '[Poll] Where to eat?\n  \u2022 Thai \u2014 2 votes: Sam Rivera, Me\n  \u2022 Pizza\n  \u2022 Sushi \u2014 1 vote: Jamie Chen',
      ),
    );
    assert.ok(
      trip.html.includes('<li>Thai <span class="votes">2 \u00b7 Sam Rivera, Me</span></li>'),
    );
    const options = (trip.record(60).card as { options: Array<{ voterNames: string[] }> }).options;
    assert.deepEqual(options[0]!.voterNames, ['Sam Rivera', 'Me']);
    assert.ok(trip.txt.includes('Jamie Chen updated the poll'));
    assert.ok(
      !data.items.flatMap((c) => c.messages).some((m) => m.id === smsMessageGuid(62)),
      'votes are not messages',
    );
  });

  test('no bubble comes out empty or "(no text)"', () => {
    for (const folder of readdirSync(out).filter((f) => f !== 'index.html')) {
      const html = readFileSync(join(out, folder, `${folder}.html`), 'utf8');
      assert.ok(!html.includes('(no text)'), folder);
      assert.ok(!/<div class="bubble[^"]*"><\/div>/.test(html), folder);
    }
  });
});
