import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildDemoContent } from '../../demo/src/index.js';
import type { MissingSummary } from '../../src/artifacts/missing.js';
import { BackupWriter } from '../../src/backup/writer.js';
import { startUiServer } from '../../src/server/index.js';
import { backupId } from '../../src/server/session.js';
import { FAST_KDF } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';
import { followJob, login, raw } from './helpers.js';

test('the UI API says what is missing: per data type and in the scan counts', async () => {
  const temp = tempDir();
  const dir = join(temp.path, 'partial');
  const writer = await BackupWriter.create(dir, { keyDerivation: FAST_KDF });
  for (const file of buildDemoContent({ only: ['contacts', 'calls'] })) {
    if (file.relativePath.endsWith('AddressBook.sqlitedb'))
      writer.addMissing(file, file.data!.length);
    else writer.addAll([file]);
  }
  await writer.finish();
  process.env['XDG_STATE_HOME'] = join(temp.path, 'state');
  const server = await startUiServer({ roots: [temp.path], includeDemo: false });
  try {
    const auth = await login(server.launchUrl);
    const get = async (path: string, body?: unknown) =>
      JSON.parse(
        (
          await raw(`${server.url}${path}`, {
            method: body === undefined ? 'GET' : 'POST',
            headers: {
              ...auth.headers,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          })
        ).body.toString('utf8'),
      );
    const id = backupId(dir);
    const contacts = (await get(`api/backups/${id}/artifacts/contacts`)) as {
      missing: MissingSummary;
      notInBackup: string[];
    };
    assert.deepEqual(
      contacts.missing.reasons.map((r) => [r.reason, r.databases]),
      [['not-in-folder', ['HomeDomain/Library/AddressBook/AddressBook.sqlitedb']]],
    );
    assert.deepEqual(contacts.notInBackup, []);
    const calls = (await get(`api/backups/${id}/artifacts/calls`)) as { missing: MissingSummary };
    assert.deepEqual(calls.missing.reasons, []);
    const scan = await followJob(server.url, auth, (await get(`api/backups/${id}/scan`, {})).job);
    const counts = scan.data['counts'] as { id: string; missing: MissingSummary }[];
    assert.equal(counts.find((c) => c.id === 'contacts')!.missing.reasons[0]!.items, 1);
  } finally {
    await server.close();
    temp.cleanup();
  }
});
