// The web UI's recovery job with hashcat as the engine: the same progress events, then the unlock.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { delimiter, join } from 'node:path';
import { startUiServer, type UiServer } from '../../src/server/index.js';
import { backupId } from '../../src/server/session.js';
import { writeBackup } from '../support/backups.js';
import { repoRoot, tempDir } from '../support/fixtures.js';
import { followJob, login, raw, type Auth } from '../ui/helpers.js';

const temp = tempDir('reclaim-ui-hashcat-');
const backup = join(temp.path, 'forgotten');
const saved = { ...process.env };
let server: UiServer;
let auth: Auth;

before(async () => {
  await writeBackup(
    backup,
    [{ domain: 'HomeDomain', relativePath: 'Library/Data/b.txt', data: Buffer.from('found') }],
    { password: 'tiger7' },
  );
  // The server runs in this process: its hashcat is the stand-in first on PATH.
  Object.assign(process.env, {
    PATH: `${join(repoRoot, 'test', 'password', 'bin')}${delimiter}${process.env['PATH']}`,
    RECLAIM_STANDIN_NODE: process.execPath,
    RECLAIM_STANDIN_HASHCAT: 'gpu',
    RECLAIM_STANDIN_HASHCAT_PASSWORD: 'tiger7',
    XDG_STATE_HOME: join(temp.path, 'state'),
  });
  server = await startUiServer({ roots: [temp.path], includeDemo: false });
  auth = await login(server.launchUrl);
});

after(async () => {
  await server?.close();
  process.env = saved;
  temp.cleanup();
});

test('engine hashcat: hashcat progress in the job events, then the backup unlocks', async () => {
  const id = backupId(backup);
  const started = await raw(`${server.url}api/backups/${id}/recover`, {
    method: 'POST',
    headers: { ...auth.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ mask: 'tiger?d', engine: 'hashcat' }),
  });
  assert.equal(started.status, 202, started.body.toString());
  const job = JSON.parse(started.body.toString()) as { job: string };
  const outcome = await followJob(server.url, auth, job.job);
  assert.equal(outcome.type, 'done', JSON.stringify(outcome.data));
  assert.deepEqual([outcome.data['found'], outcome.data['password']], [true, 'tiger7']);
  assert.ok(
    outcome.progress.some((p) => p['total'] === 1000 && p['rate'] === 861),
    JSON.stringify(outcome.progress),
  );
  const state = await raw(`${server.url}api/backups/${id}`, { headers: auth.headers });
  assert.equal(JSON.parse(state.body.toString()).locked, false);
});
