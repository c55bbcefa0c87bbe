import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildDemoContent } from '../../demo/src/index.js';
import { BackupWriter } from '../../src/backup/writer.js';
import type { ConversationList } from '../../src/server/api-types.js';
import { startUiServer } from '../../src/server/index.js';
import { backupId } from '../../src/server/session.js';
import { FAST_KDF } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';
import { pdfPages } from '../support/pdf-text.js';
import { login, raw } from './helpers.js';

test('the UI saves a conversation as a PDF: its messages, read back from the file', async () => {
  const temp = tempDir();
  const dir = join(temp.path, 'phone');
  const writer = await BackupWriter.create(dir, { keyDerivation: FAST_KDF });
  writer.addAll(buildDemoContent({ only: ['messages', 'contacts'] }));
  await writer.finish();
  process.env['XDG_STATE_HOME'] = join(temp.path, 'state');
  const server = await startUiServer({ roots: [temp.path], includeDemo: false });
  try {
    const auth = await login(server.launchUrl);
    const id = backupId(dir);
    const get = (path: string, headers = auth.headers) =>
      raw(`${server.url}api/backups/${id}/${path}`, { headers });
    const list = JSON.parse((await get('conversations/messages')).body.toString('utf8'));
    const first = (list as ConversationList).conversations[0]!;
    const messages = JSON.parse(
      (await get(`conversations/messages/${first.index}/messages`)).body.toString('utf8'),
    ) as { messages: { text: string | null }[] };
    const res = await get(`conversations/messages/${first.index}/pdf`);
    assert.equal(res.status, 200, res.body.toString());
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(
      String(res.headers['content-disposition']),
      /^attachment; filename\*=UTF-8''.+\.pdf$/,
    );
    assert.equal(res.body.subarray(0, 5).toString('latin1'), '%PDF-');
    const file = join(temp.path, 'saved.pdf');
    writeFileSync(file, res.body);
    const text = (await pdfPages(file)).join('\n').replace(/\s+/g, ' ');
    const texts = messages.messages.map((m) => m.text).filter((t): t is string => Boolean(t));
    assert.ok(texts.length > 0);
    for (const t of texts.slice(-5)) assert.ok(text.includes(t.replace(/\s+/g, ' ')), t);
    // the cookie alone is refused, as for every API
    const cookieOnly = await get(`conversations/messages/${first.index}/pdf`, {
      cookie: auth.cookie,
    });
    assert.equal(cookieOnly.status, 401);
  } finally {
    await server.close();
    temp.cleanup();
  }
});
