import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ArtifactData } from '../../src/artifacts/artifact.js';
import type { Conversation } from '../../src/artifacts/conversation.js';
import { LooseFilesSource, type LooseFile } from '../../src/artifacts/source.js';
import {
  WA_CHAT_COLUMNS,
  WA_INFO_COLUMNS,
  WA_MEDIA_COLUMNS,
  WA_MEMBER_COLUMNS,
  WA_MESSAGE_COLUMNS,
} from '../../src/artifacts/whatsapp/columns.js';
import { whatsAppArtifact } from '../../src/artifacts/whatsapp/index.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { whatsAppExporter } from '../../src/export/whatsapp.js';
import { whatsAppIos26Spec } from '../../demo/src/whatsapp-ios26-sample.js';
import { buildWhatsAppIos26 } from '../../demo/src/whatsapp-ios26.js';
import { withoutColumn } from '../support/drop-column.js';
import { tempDir } from '../support/fixtures.js';

/** Columns a message's text comes from, or that decide what the text is. */
const TEXT_SOURCES = new Set(['ZTEXT', 'ZMESSAGETYPE', 'ZGROUPEVENTTYPE']);

/**
 * Reading by detected columns: each column of the current ChatStorage.sqlite the reader uses (but the
 * Z_PK keys) is dropped in turn; every message still comes out, with its text unless the column is where
 * the text comes from, every export format is written, and one problem line names the column.
 */
describe('WhatsApp: each optional column of the current ChatStorage.sqlite dropped in turn', () => {
  const tmp = tempDir();
  const built = buildWhatsAppIos26(whatsAppIos26Spec());
  const chatStorage = built.find((f) => f.relativePath === 'ChatStorage.sqlite')!.data!;
  let workspace: PrivateWorkspace;
  let others: LooseFile[];
  let baseline: ArtifactData<Conversation>;

  const read = async (db: Buffer, name: string) => {
    const path = join(tmp.path, `${name}.sqlite`);
    writeFileSync(path, db);
    const source = new LooseFilesSource(
      [{ domain: built[0]!.domain, relativePath: 'ChatStorage.sqlite', path }, ...others],
      workspace,
    );
    return { data: await whatsAppArtifact.read(source, { recoverDeleted: false }), source };
  };

  before(async () => {
    workspace = PrivateWorkspace.create();
    others = built
      .filter((f) => f.relativePath !== 'ChatStorage.sqlite')
      .map((f, i) => {
        const path = join(tmp.path, `file-${i}`);
        writeFileSync(path, f.data!);
        return { domain: f.domain, relativePath: f.relativePath, path };
      });
    baseline = (await read(chatStorage, 'full')).data;
  });
  after(() => {
    workspace?.dispose();
    tmp.cleanup();
  });

  test('the full schema reads without a column warning', () => {
    assert.ok(!baseline.problems.some((p) => /lacks the column/.test(p.message)));
    assert.equal(baseline.items.flatMap((c) => c.messages).length, 16);
  });

  const cases = (
    [
      ['ZWAMESSAGE', WA_MESSAGE_COLUMNS],
      ['ZWACHATSESSION', WA_CHAT_COLUMNS],
      ['ZWAGROUPMEMBER', WA_MEMBER_COLUMNS],
      ['ZWAMEDIAITEM', WA_MEDIA_COLUMNS],
      ['ZWAMESSAGEINFO', WA_INFO_COLUMNS],
    ] as const
  ).flatMap(([table, known]) =>
    Object.keys(known)
      .filter((c) => c !== 'Z_PK')
      .map((c) => [table, c] as const),
  );
  for (const [table, column] of cases) {
    test(`${table}.${column}`, async () => {
      const { data, source } = await read(
        withoutColumn(chatStorage, table, column),
        `${table}-${column}`,
      );
      const lines = data.problems.filter((p) => p.message.includes(`lacks the column ${column}`));
      assert.equal(lines.length, 1, JSON.stringify(data.problems));
      assert.equal(lines[0]!.severity, 'warning');
      const now = data.items.flatMap((c) => c.messages);
      for (const m of baseline.items.flatMap((c) => c.messages)) {
        const same = now.find((x) => x.id === m.id);
        assert.ok(same, `message ${m.id} still comes out`);
        if (!TEXT_SOURCES.has(column)) assert.equal(same.text, m.text, `text of ${m.id}`);
        if (column !== 'ZMESSAGEDATE') assert.equal(same.date?.getTime(), m.date?.getTime());
      }
      const out = join(tmp.path, `out-${table}-${column}`);
      const summary = await whatsAppExporter.write(data, {
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
      const txt = allTxt(out);
      for (const t of now.map((m) => m.text).filter((t): t is string => !!t))
        assert.ok(txt.includes(t), `"${t}" is in the TXT export`);
    });
  }
});

function allTxt(dir: string): string {
  let all = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) all += allTxt(path);
    else if (name.endsWith('.txt')) all += readFileSync(path, 'utf8');
  }
  return all;
}
