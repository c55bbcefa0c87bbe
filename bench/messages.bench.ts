// Messages: reading a large generated iOS 17 sms.db (with deleted-record carving) and exporting it in all four formats.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messagesArtifact } from '../src/artifacts/messages/index.js';
import { LooseFilesSource } from '../src/artifacts/source.js';
import { PrivateWorkspace } from '../src/artifacts/workspace.js';
import { buildSmsDb, type SmsMessageSpec, type SmsSpec } from '../demo/src/sms-db.js';
import { messagesExporter } from '../src/export/messages.js';

const MESSAGES = 40_000;
const CHATS = 40;

function spec(): SmsSpec {
  const handles = Array.from({ length: CHATS }, (_, i) => ({
    rowid: i + 1,
    id: `+1415555${String(1000 + i)}`,
  }));
  const chats = handles.map((h, i) => ({
    rowid: i + 1,
    identifier: h.id,
    handleRowids: [h.rowid],
  }));
  const messages: SmsMessageSpec[] = [];
  const start = Date.parse('2022-01-01T00:00:00Z');
  for (let i = 1; i <= MESSAGES; i++) {
    const chat = (i % CHATS) + 1;
    const date = new Date(start + i * 60_000).toISOString();
    if (i % 10 === 0)
      messages.push({
        rowid: i,
        chatRowid: chat,
        handleRowid: chat,
        date,
        text: null,
        tapback: { type: 2000 + (i % 6), targetRowid: i - CHATS },
      });
    else
      messages.push({
        rowid: i,
        chatRowid: chat,
        handleRowid: i % 3 === 0 ? 0 : chat,
        date,
        text: `Message ${i}: ${'lorem ipsum dolor sit amet '.repeat(1 + (i % 4))}`,
        textColumn: i % 2 === 0,
      });
  }
  return { handles, chats, attachments: [], messages };
}

export default async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'reclaim-bench-messages-'));
  const workspace = PrivateWorkspace.create();
  try {
    let t = performance.now();
    const path = join(dir, 'sms.db');
    writeFileSync(path, buildSmsDb('ios17', spec()));
    console.log(
      `built sms.db: ${MESSAGES} rows, ${(statSync(path).size / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const source = new LooseFilesSource(
      [{ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', path }],
      workspace,
    );
    for (const recoverDeleted of [false, true]) {
      t = performance.now();
      const data = await messagesArtifact.read(source, { recoverDeleted });
      const ms = performance.now() - t;
      const count = data.items.reduce((n, c) => n + c.messages.length, 0);
      console.log(
        `read (recoverDeleted=${recoverDeleted}): ${count} messages in ${data.items.length} conversations, ${(ms / 1000).toFixed(2)} s (${Math.round(count / (ms / 1000))} messages/s)`,
      );
      if (recoverDeleted) {
        t = performance.now();
        const summary = await messagesExporter.write(data, {
          outDir: join(dir, 'out'),
          source,
          names: { nameFor: () => undefined },
          options: {},
          formats: ['html', 'txt', 'csv', 'json'],
        });
        const ems = performance.now() - t;
        console.log(
          `export html+txt+csv+json: ${summary.files} files, ${(ems / 1000).toFixed(2)} s (${Math.round(count / (ems / 1000))} messages/s)`,
        );
      }
    }
  } finally {
    workspace.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
