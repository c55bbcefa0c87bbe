// Every backup a person has, as one history: three backups of one phone made with the backup writer (records
// deleted, added and edited between them, deletions left in the newer sms.db's deleted space), and what diff,
// merged and incremental exports, search and the conversation PDF make of them.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Conversation } from '../../src/artifacts/conversation.js';
import { openSource } from '../../src/sources/open.js';
import { diffArtifact } from '../../src/history/diff.js';
import { demoUUID } from '../../demo/src/ids.js';
import { hashTree, runCli } from '../support/backups.js';
import {
  ADDED_IN_B,
  ADDED_IN_C,
  buildDeviceHistory,
  C_PASSWORD,
  MESSAGE,
  OTHER_UDID,
  UDID,
  type DeviceHistory,
} from '../support/device-history.js';
import { tempDir } from '../support/fixtures.js';
import { pdfImageCounts, pdfPages } from '../support/pdf-text.js';

const tmp = tempDir('reclaim-history-');
let h: DeviceHistory;
let passwordFile: string;
const cache = () => ({ RECLAIM_CACHE_DIR: join(tmp.path, 'cache') });
before(async () => {
  h = await buildDeviceHistory(join(tmp.path, 'Backup'));
  passwordFile = join(tmp.path, 'c-password.txt');
  writeFileSync(passwordFile, `${C_PASSWORD}\n`);
});
after(() => tmp.cleanup());

const guid = (rowid: number) => demoUUID(`sms-message-${rowid}`);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    statSync(join(dir, f)).isFile(),
  );
}

describe('reclaim list', () => {
  test('groups the backups by device, newest first, archived copies included and marked', () => {
    const run = runCli(['list', h.root, '--json']);
    assert.equal(run.status, 0, run.stderr);
    const rows = JSON.parse(run.stdout) as Array<{
      path: string;
      device: string;
      archived: boolean;
      lastBackupDate: string;
    }>;
    assert.deepEqual(
      rows.map((r) => [r.path.split('/').pop(), r.device, r.archived]),
      [
        [UDID, `udid:${UDID}`, false],
        [`${UDID}-20250210-080000`, `udid:${UDID}`, true],
        [`${UDID}-20250117-090000`, `udid:${UDID}`, true],
        [OTHER_UDID, `udid:${OTHER_UDID}`, false],
      ],
    );
    const text = runCli(['list', h.root, '--utc']).stdout.split('\n');
    assert.match(text[1]!, /Alex’s iPhone .*2025-03-01 10:00.* newest +\S+$/);
    assert.match(text[2]!, /Alex’s iPhone .*2025-02-10 08:00.* archived/);
    assert.match(text[4]!, /Work iPad .* newest/);
  });
});

describe('diff', () => {
  test('lost, added and changed by identity; lost records NEW still holds carved say so', async () => {
    const a = await openSource(h.a, async () => ({ password: '' }));
    const b = await openSource(h.b, async () => ({ password: '' }));
    try {
      const messages = await diffArtifact('messages', a, b);
      const ids = (entries: typeof messages.lost) =>
        entries.map((e) => (e.unit.item as { guid: string }).guid);
      assert.deepEqual(ids(messages.lost), [guid(8), guid(12), guid(MESSAGE.deletedGone)]);
      assert.deepEqual(
        messages.lost.map((e) => e.stillInDeletedSpace === true),
        [true, true, false],
      );
      assert.deepEqual(ids(messages.added), [guid(MESSAGE.addedInB)]);
      assert.deepEqual(ids(messages.changed), [guid(MESSAGE.edited)]);
      const changed = messages.changed[0]!;
      assert.equal(
        (changed.previous!.item as { text: string }).text,
        'Running late, see you at 7:30',
      );
      assert.equal((changed.unit.item as { text: string }).text, 'Running late, see you at 7:15');

      const contacts = await diffArtifact('contacts', a, b);
      const name = (e: (typeof contacts.lost)[number]) =>
        (e.unit.item as { displayName: string }).displayName;
      assert.deepEqual(contacts.lost.map(name).sort(), ['Jordan Blake', 'Oak Street Dental']);
      assert.deepEqual(contacts.lost.filter((e) => e.stillInDeletedSpace).map(name), [
        'Jordan Blake',
      ]);
      assert.deepEqual(contacts.changed.map(name), ['Linda Morgan']);
      const calls = await diffArtifact('calls', a, b);
      assert.deepEqual([calls.lost.length, calls.added.length, calls.changed.length], [1, 1, 0]);
      assert.equal(calls.lost[0]!.stillInDeletedSpace, true);
      const notes = await diffArtifact('notes', a, b);
      assert.deepEqual(
        [
          notes.lost.map((e) => (e.unit.item as { title: string }).title),
          notes.lost[0]!.stillInDeletedSpace,
        ],
        [['Pad thai for four'], true],
      );
      assert.deepEqual(
        notes.changed.map((e) => (e.unit.item as { title: string }).title),
        ['Books to read'],
      );
      // A backup compared with itself: nothing lost, added or changed.
      const same = await diffArtifact('messages', b, b);
      assert.deepEqual([same.lost.length, same.added.length, same.changed.length], [0, 0, 0]);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  test('--json: one array of { type, change, item, stillInDeletedSpace? } with the JSON export\u2019s fields; NEW encrypted with its own password file', () => {
    const run = runCli(['diff', h.b, h.c, '--json', '--new-password-file', passwordFile]);
    assert.equal(run.status, 0, run.stderr);
    const rows = JSON.parse(run.stdout) as Array<{
      type: string;
      change: string;
      item: Record<string, unknown>;
      stillInDeletedSpace?: boolean;
    }>;
    const pick = (type: string, change: string) =>
      rows.filter((r) => r.type === type && r.change === change);
    const added = pick('messages', 'added');
    assert.equal(added.length, 1);
    const message = added[0]!.item;
    for (const field of [
      'id',
      'guid',
      'date',
      'fromMe',
      'sender',
      'senderName',
      'text',
      'attachments',
      'reactions',
    ])
      assert.ok(field in message, `message item lacks ${field}`);
    assert.equal(message['text'], ADDED_IN_C);
    assert.equal((message['conversation'] as { title: string }).title, 'Jamie Chen');
    assert.deepEqual(
      pick('calls', 'added').map((r) => r.item['type']),
      ['Phone'],
    );
    assert.ok(
      'name' in pick('calls', 'added')[0]!.item,
      'calls carry the name calls.json gives them',
    );
    assert.deepEqual(
      pick('notes', 'added').map((r) => r.item['title']),
      ['Garden plan'],
    );
    // B held messages 8 and 12 only in deleted space: they were not alive there, so C lost nothing of them.
    assert.deepEqual(pick('messages', 'lost'), []);
    for (const r of rows) assert.ok(['lost', 'added', 'changed'].includes(r.change));
    for (const r of rows.filter((x) => x.change === 'lost'))
      assert.equal(typeof r.stillInDeletedSpace, 'boolean');

    const wrong = join(tmp.path, 'wrong.txt');
    writeFileSync(wrong, 'not it\n');
    const refused = runCli(['diff', h.b, h.c, '--json', '--new-password-file', wrong]);
    assert.equal(refused.status, 4, refused.stderr);
    // RECLAIM_PASSWORD serves an encrypted source that has no option of its own.
    const env = runCli(['diff', h.c, h.c, '--only', 'calls', '--json'], {
      RECLAIM_PASSWORD: C_PASSWORD,
    });
    assert.equal(env.status, 0, env.stderr);
    assert.deepEqual(JSON.parse(env.stdout), []);
  });

  test('--export OUT: the lost records in the normal formats, a conversation keeping the messages around its lost ones, marked', () => {
    const out = join(tmp.path, 'lost');
    const run = runCli(['diff', h.a, h.b, '--export', out, '--utc']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Messages +3 +1 +1 +2/);
    assert.match(run.stdout, /See you there\n/);
    assert.match(run.stdout, /Me! I'll bring snacks +\[still in NEW’s deleted space\]/);
    const group = readJson(join(out, 'messages', 'Weekend Hike', 'Weekend Hike.json')) as {
      messages: Array<{ guid: string; text: string; context?: string }>;
    };
    const byGuid = new Map(group.messages.map((m) => [m.guid, m]));
    assert.equal(byGuid.get(guid(12))!.context, undefined);
    assert.equal(byGuid.get(guid(MESSAGE.deletedGone))!.context, undefined);
    assert.match(byGuid.get(guid(13))!.context!, /still in the newer backup/);
    assert.ok(byGuid.get(guid(11))?.context, 'a message two before a lost one is context');
    const txt = readFileSync(join(out, 'messages', 'Weekend Hike', 'Weekend Hike.txt'), 'utf8');
    assert.match(txt, /\[CONTEXT\] not lost/);
    const html = readFileSync(join(out, 'messages', 'Weekend Hike', 'Weekend Hike.html'), 'utf8');
    assert.match(html, /class="badge context">Context/);
    const vcf = readFileSync(join(out, 'contacts', 'contacts.vcf'), 'utf8');
    assert.equal((vcf.match(/BEGIN:VCARD/g) ?? []).length, 2);
    assert.match(vcf, /FN:Jordan Blake/);
    assert.match(vcf, /FN:Oak Street Dental/);
    assert.ok(!existsSync(join(out, 'photos')), 'no folder for a type that lost nothing');
  });
});

describe('merged and incremental exports', () => {
  test('export A --add B --add C: each record once, the newest version with its history and the sources holding it; one conversation across backups', () => {
    const out = join(tmp.path, 'merged');
    const run = runCli([
      'export',
      h.a,
      out,
      '--only',
      'messages,contacts',
      '--format',
      'json,vcf',
      '--add',
      h.b,
      '--add',
      h.c,
      '--add-password-file',
      '',
      '--add-password-file',
      passwordFile,
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Merged 3 sources/);
    const jamie = readJson(join(out, 'messages', 'Jamie Chen', 'Jamie Chen.json')) as {
      foundIn: string[];
      messages: Array<{
        guid: string;
        text: string;
        foundIn: string[];
        history?: Array<{ foundIn: string[]; version: { text: string } }>;
      }>;
    };
    assert.deepEqual(jamie.foundIn, [
      'Alex’s iPhone 2025-03-01',
      'Alex’s iPhone 2025-02-10',
      'Alex’s iPhone 2025-01-17',
    ]);
    const guids = jamie.messages.map((m) => m.guid);
    assert.equal(new Set(guids).size, guids.length, 'each message once');
    assert.ok(guids.includes(guid(MESSAGE.addedInB)) && guids.includes(guid(MESSAGE.addedInC)));
    const edited = jamie.messages.find((m) => m.guid === guid(MESSAGE.edited))!;
    assert.equal(edited.text, 'Running late, see you at 7:15');
    assert.deepEqual(
      edited.history!.map((v) => [v.foundIn, v.version.text]),
      [[['Alex’s iPhone 2025-01-17'], 'Running late, see you at 7:30']],
    );
    assert.deepEqual(
      edited.foundIn,
      ['Alex’s iPhone 2025-03-01', 'Alex’s iPhone 2025-02-10', 'Alex’s iPhone 2025-01-17'],
      'every source holding the message, whichever version',
    );
    const group = readJson(join(out, 'messages', 'Weekend Hike', 'Weekend Hike.json')) as {
      messages: Array<{ guid: string; foundIn: string[]; recovered?: unknown }>;
    };
    const snacks = group.messages.find((m) => m.guid === guid(12))!;
    assert.deepEqual(
      snacks.foundIn,
      ['Alex’s iPhone 2025-01-17'],
      'the live copy, not the carved one',
    );
    assert.equal(snacks.recovered, undefined);
    assert.ok(group.messages.some((m) => m.guid === guid(MESSAGE.deletedGone)));
    const vcf = readFileSync(join(out, 'contacts', 'contacts.vcf'), 'utf8');
    const names = (vcf.match(/^FN:.*$/gm) ?? []).sort();
    assert.deepEqual(
      names,
      [
        'FN:Jamie Chen',
        'FN:Jordan Blake',
        'FN:Linda Morgan',
        'FN:Oak Street Dental',
        'FN:Priya Patel',
        'FN:Sam Rivera',
      ],
      'the demo\u2019s five people and Jordan, once each',
    );
    assert.match(vcf, /NOTE:Call on Sundays/);
  });

  test('export into an existing OUT adds only what is new (in its own folder), changes nothing already there, and says what it added', () => {
    const out = join(tmp.path, 'incremental');
    const first = runCli(['export', h.a, out, '--only', 'messages,contacts,calls,notes', '--utc']);
    assert.equal(first.status, 0, first.stderr);
    const before = hashTree(out);
    const manifest = readJson(join(out, 'reclaim-export.json'));
    assert.equal(manifest.runs.length, 1);
    assert.equal(Object.keys(manifest.items.messages).length, 14);

    const second = runCli([
      'export',
      h.c,
      out,
      '--only',
      'messages,contacts,calls,notes',
      '--password-file',
      passwordFile,
      '--utc',
    ]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(
      second.stdout,
      /Since the last export \(.*\): added 2 messages, 2 calls, 1 notes; changed since: 1 messages, 1 contacts, 1 notes\. Nothing already in the export was changed\./,
    );
    const after = hashTree(out);
    for (const [path, hash] of before)
      if (path !== 'reclaim-export.json')
        assert.equal(after.get(path), hash, `${path} was rewritten`);
    const runs = readJson(join(out, 'reclaim-export.json')).runs as Array<{ folder: string }>;
    assert.equal(runs.length, 2);
    const update = join(out, runs[1]!.folder);
    assert.match(runs[1]!.folder, /^updates\/\d{4}-\d\d-\d\d \d{6}$/);
    const jamie = readJson(join(update, 'messages', 'Jamie Chen', 'Jamie Chen.json')) as {
      messages: Array<{ text: string }>;
    };
    assert.deepEqual(
      jamie.messages.map((m) => m.text),
      ['Running late, see you at 7:15', ADDED_IN_B, ADDED_IN_C],
    );
    assert.ok(!existsSync(join(update, 'messages', 'Weekend Hike')), 'nothing new there');
    assert.deepEqual(files(join(update, 'notes')).filter((f) => f.endsWith('.md')).length, 2);

    const third = runCli([
      'export',
      h.c,
      out,
      '--only',
      'messages,contacts,calls,notes',
      '--password-file',
      passwordFile,
    ]);
    assert.equal(third.status, 0, third.stderr);
    assert.match(third.stdout, /Nothing new since the last export .*: nothing was written\./);
    assert.deepEqual(hashTree(out), after);
  });
});

describe('search', () => {
  test('over several backups: every data type, recovered records marked, phone numbers in any format, an index kept only for unencrypted sources', () => {
    const env = { ...cache(), RECLAIM_PASSWORD: C_PASSWORD };
    const run = runCli(['search', h.a, h.b, h.c, 'snacks', '--json'], env);
    assert.equal(run.status, 0, run.stderr);
    assert.equal((run.stderr.match(/indexed \d+ records/g) ?? []).length, 3);
    const hits = JSON.parse(run.stdout) as Array<{
      type: string;
      source: string;
      recovered: boolean;
      date: string;
      link: string;
      title: string;
    }>;
    const messages = hits.filter((x) => x.type === 'messages');
    assert.deepEqual(
      messages.map((x) => [x.source, x.recovered]),
      [
        ['Alex’s iPhone 2025-01-17', false],
        ['Alex’s iPhone 2025-02-10', true],
      ],
    );
    assert.equal(hits.filter((x) => x.type === 'notes').length, 3);
    assert.match(messages[0]!.link, /^#\/b\/[0-9a-f]{12}\/a\/messages\/guid%3DiMessage/);
    for (const x of hits) assert.ok(x.date && x.source && x.link && x.type);

    const cacheDir = join(tmp.path, 'cache', 'search');
    assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
    const kept = readdirSync(cacheDir);
    assert.equal(kept.length, 2, 'the encrypted backup\u2019s index is not kept');
    for (const f of kept) assert.equal(statSync(join(cacheDir, f)).mode & 0o777, 0o600);

    for (const number of ['+1 415-555-0123', '(415) 555-0123', '4155550123', '555-0123']) {
      const found = runCli(['search', h.a, number, '--only', 'contacts,calls', '--json'], cache());
      assert.equal(found.status, 0, found.stderr);
      assert.equal(
        found.stderr.includes('indexed'),
        false,
        'the second search uses the kept index',
      );
      const rows = JSON.parse(found.stdout) as Array<{ type: string; title: string }>;
      assert.ok(
        rows.some((r) => r.type === 'contacts' && r.title === 'Jamie Chen'),
        number,
      );
      assert.ok(
        rows.some((r) => r.type === 'calls'),
        number,
      );
    }
    const dated = runCli(
      [
        'search',
        h.a,
        'see',
        '--only',
        'messages',
        '--from',
        '2025-01-01',
        '--to',
        '2025-01-31',
        '--utc',
        '--json',
      ],
      cache(),
    );
    const rows = JSON.parse(dated.stdout) as Array<{ date: string }>;
    assert.ok(rows.length > 0);
    for (const r of rows)
      assert.ok(r.date >= '2025-01-01' && r.date <= '2025-01-31T23:59:59.999Z', r.date);
    const paths = runCli(['search', h.a, 'AddressBook', '--only', 'files', '--json'], cache());
    assert.ok(
      (JSON.parse(paths.stdout) as Array<{ title: string }>).some(
        (r) => r.title === 'AddressBook.sqlitedb',
      ),
    );
  });
});

describe('one conversation as a PDF', () => {
  test('participants, dates, every message, the image inline, edits and recovered messages marked, page numbers and a footer naming the backup', async () => {
    const out = join(tmp.path, 'pdf');
    const run = runCli([
      'export',
      h.c,
      out,
      '--only',
      'messages',
      '--conversation',
      'Jamie Chen',
      '--format',
      'pdf',
      '--password-file',
      passwordFile,
      '--utc',
    ]);
    assert.equal(run.status, 0, run.stderr);
    const path = join(out, 'Jamie Chen.pdf');
    const pages = await pdfPages(path);
    const text = pages.join('\n');
    assert.match(text, /Conversation: Jamie Chen/);
    assert.match(text, /Participants: Me \(the phone’s owner\), Jamie Chen \(\+14155550123\)/);
    assert.match(text, /Messages: 7, from 2024-03-08 17:02:00 UTC to 2025-02-20 09:30:00 UTC/);
    for (const body of [
      'Are we still on for dinner Friday?',
      'Running late, see you at 7:15',
      ADDED_IN_B,
      ADDED_IN_C,
    ])
      assert.ok(text.includes(body), body);
    assert.match(text, /EDITED 2024-03-08 18:46:05 UTC/);
    assert.match(
      text,
      /earlier version \(2024-03-08 18:45:00 UTC\): Running late, see you at 7:30/,
    );
    for (const [i, page] of pages.entries()) {
      assert.match(
        page.replace(/\s+/g, ' '),
        /Alex’s iPhone, backup of 2025-03-01 \(.*00008110-000A1B2C3D4E5F01\) · exported \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by Reclaim/,
      );
      assert.match(page, new RegExp(`Page ${i + 1}\\b`));
    }
    assert.deepEqual(await pdfImageCounts(path), [1]);

    const dated = runCli([
      'export',
      h.b,
      out,
      '--only',
      'messages',
      '--conversation',
      '+14155550145',
      '--format',
      'pdf',
      '--from',
      '2024-07-22',
      '--to',
      '2024-07-22',
      '--utc',
    ]);
    assert.equal(dated.status, 0, dated.stderr);
    const priya = (await pdfPages(join(out, 'Priya Patel.pdf'))).join('\n');
    assert.match(priya, /RECOVERED — recovered from/);
    assert.match(priya, /That would be amazing, thank you!/);
    assert.match(priya, /Date range asked for: 2024-07-22 00:00:00 UTC to 2024-07-22 23:59:59 UTC/);

    const unknown = runCli([
      'export',
      h.a,
      out,
      '--only',
      'messages',
      '--conversation',
      'Nobody',
      '--format',
      'pdf',
    ]);
    assert.equal(unknown.status, 5);
    assert.match(
      unknown.stderr,
      /No conversation matches "Nobody"\. Conversations: "Weekend Hike"/,
    );
  });
});
