import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ArtifactData } from '../../src/artifacts/artifact.js';
import type { Conversation } from '../../src/artifacts/conversation.js';
import {
  ATTACHMENT_COLUMNS,
  CHAT_COLUMNS,
  HANDLE_COLUMNS,
  MESSAGE_COLUMNS,
} from '../../src/artifacts/messages/columns.js';
import { messagesArtifact } from '../../src/artifacts/messages/index.js';
import { LooseFilesSource, type LooseFile } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { messagesExporter } from '../../src/export/messages.js';
import { smsIos26Spec } from '../../demo/src/sms-db-ios26-sample.js';
import { buildSmsDb, smsAttachmentPaths } from '../../demo/src/sms-db.js';
import { withoutColumn } from '../support/drop-column.js';
import { tempDir } from '../support/fixtures.js';

/** Columns whose absence changes a message's text (its only source, or what decides what the text is). */
const TEXT_SOURCES = new Set([
  'text',
  'attributedBody',
  'balloon_bundle_id',
  'payload_data',
  'message_summary_info',
  'associated_message_type',
  'associated_message_guid',
  'item_type',
  'date_edited',
  'date_retracted',
]);

/**
 * Reading by detected columns: each optional column of the iOS 26 sms.db is dropped in turn; every
 * message still comes out (with its text unless the column is where the text comes from), the export
 * writes every format, and one problem line names the missing column.
 */
describe('Messages: each optional column of the iOS 26 schema dropped in turn', () => {
  const tmp = tempDir();
  const spec = smsIos26Spec();
  const full = buildSmsDb('ios26', spec);
  let workspace: PrivateWorkspace;
  let attachments: LooseFile[];
  let baseline: ArtifactData<Conversation>;

  const read = async (db: Buffer, name: string) => {
    const path = join(tmp.path, `${name}.db`);
    writeFileSync(path, db);
    const source = new LooseFilesSource(
      [{ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', path }, ...attachments],
      workspace,
    );
    return { data: await messagesArtifact.read(source, { recoverDeleted: false }), source };
  };

  before(async () => {
    workspace = PrivateWorkspace.create();
    attachments = spec.attachments
      .filter((a) => a.inBackup !== false)
      .map((a) => {
        const path = join(tmp.path, `attachment-${a.rowid}`);
        writeFileSync(path, a.data);
        return { domain: 'MediaDomain', relativePath: smsAttachmentPaths(a).relativePath, path };
      });
    baseline = (await read(full, 'full')).data;
  });
  after(() => {
    workspace?.dispose();
    tmp.cleanup();
  });

  test('the full schema reads without a column warning', () => {
    assert.ok(
      !baseline.problems.some((p) => /lacks the column/.test(p.message)),
      JSON.stringify(baseline.problems),
    );
  });

  const cases = [
    ...Object.keys(MESSAGE_COLUMNS).map((c) => ['message', c] as const),
    ...Object.keys(ATTACHMENT_COLUMNS).map((c) => ['attachment', c] as const),
    ...Object.keys(CHAT_COLUMNS).map((c) => ['chat', c] as const),
    ...Object.keys(HANDLE_COLUMNS).map((c) => ['handle', c] as const),
  ];
  for (const [table, column] of cases) {
    test(`${table}.${column}`, async () => {
      const { data, source } = await read(withoutColumn(full, table, column), `${table}-${column}`);
      const lines = data.problems.filter((p) => p.message.includes(`lacks the column ${column}`));
      assert.equal(
        lines.length,
        1,
        `one problem line names ${column}: ${JSON.stringify(data.problems)}`,
      );
      assert.equal(lines[0]!.severity, 'warning');
      const before = baseline.items.flatMap((c) => c.messages);
      const now = data.items.flatMap((c) => c.messages);
      assert.ok(now.length >= before.length, `${now.length} messages, ${before.length} before`);
      if (column !== 'guid') {
        for (const m of before) {
          const same = now.find((x) => x.id === m.id);
          assert.ok(same, `message ${m.id} still comes out`);
          if (!TEXT_SOURCES.has(column)) assert.equal(same.text, m.text, `text of ${m.id}`);
          if (column !== 'date') assert.equal(same.date?.getTime(), m.date?.getTime());
        }
      }
      const out = join(tmp.path, `out-${table}-${column}`);
      const summary = await messagesExporter.write(data, {
        outDir: out,
        source,
        names: { nameFor: () => undefined },
        options: { time: { utc: true } },
        formats: ['html', 'txt', 'csv', 'json'],
      });
      assert.equal(summary.counts.messages, now.length);
      const folders = readdirSync(out).filter((f) => f !== 'index.html');
      assert.equal(folders.length, summary.counts.conversations);
      for (const f of folders)
        for (const ext of ['html', 'txt', 'csv', 'json'])
          assert.ok(existsSync(join(out, f, `${f}.${ext}`)), `${f}.${ext}`);
      const allText = data.items
        .flatMap((c) => c.messages)
        .map((m) => m.text)
        .filter((t): t is string => !!t);
      const exported = readAllTxt(out);
      for (const t of allText) assert.ok(exported.includes(t), `"${t}" is in the TXT export`);
    });
  }
});

function readAllTxt(dir: string): string {
  let all = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) all += readAllTxt(path);
    else if (name.endsWith('.txt')) all += readFileSync(path, 'utf8');
  }
  return all;
}
