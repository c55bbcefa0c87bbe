import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BackupsResponse } from '../../src/server/api-types.js';
import { startUiServer, type UiServer } from '../../src/server/index.js';
import { backupId } from '../../src/server/session.js';
import { tempDir } from '../support/fixtures.js';
import { SAMPLE, writeSampleExport, type SampleFiles } from '../support/icloud-export.js';
import { followJob, login, raw } from '../ui/helpers.js';

describe('reclaim ui on an iCloud data export', () => {
  const tmp = tempDir('reclaim-icloud-ui-');
  const input = join(tmp.path, 'export');
  let files: SampleFiles;
  let server: UiServer;
  let cookie: string;
  const api = (path: string, body?: unknown) =>
    raw(`${server.url}${path.replace(/^\//, '')}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = (r: { body: Buffer }) => JSON.parse(r.body.toString('utf8'));
  const id = () => backupId(input);

  before(async () => {
    files = await writeSampleExport(input);
    server = await startUiServer({ path: input, roots: [], includeDemo: false });
    cookie = await login(server.launchUrl);
  });
  after(async () => {
    await server?.close();
    tmp.cleanup();
  });

  it('lists the export with its kind and the missing part', async () => {
    const listed = json(await api('/api/backups')) as BackupsResponse;
    assert.deepEqual(listed.initial, [id()]);
    const info = listed.backups.find((b) => b.id === id())!;
    assert.equal(info.kind, 'icloud-export');
    assert.equal(info.locked, false);
    assert.equal(info.finished, false);
    assert.deepEqual(info.missingParts, [SAMPLE.missingPart]);
  });

  it('serves its photos and their bytes, read from inside the zips', async () => {
    const payload = json(await api(`/api/backups/${id()}/artifacts/photos`)) as {
      items: Array<{ filename: string; files: Array<{ domain: string; relativePath: string }> }>;
    };
    const shared = payload.items.find((p) => p.filename === SAMPLE.photos.shared.name)!;
    const file = shared.files[0]!;
    const q = new URLSearchParams({ domain: file.domain, path: file.relativePath });
    const res = await api(`/api/backups/${id()}/media?${q}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, files.shared);
    const outside = new URLSearchParams({ domain: file.domain, path: '../../etc/passwd' });
    const refused = await api(`/api/backups/${id()}/file?${outside}`);
    assert.equal(refused.status, 404);
    assert.match(json(refused).error, /not a file of this export/);
  });

  it('has no password to find', async () => {
    const res = await api(`/api/backups/${id()}/recover`, { builtin: true });
    assert.equal(res.status, 400);
    assert.match(json(res).error, /iCloud data export, not a backup/);
  });

  it('saves a selection through the same exporters', async () => {
    const out = join(tmp.path, 'saved');
    const started = await api(`/api/backups/${id()}/save`, {
      folder: out,
      selection: { contacts: 'all', drive: 'all' },
    });
    const done = await followJob(server.url, cookie, json(started).job);
    assert.equal(done.type, 'done', JSON.stringify(done.data));
    assert.deepEqual(
      readFileSync(join(out, 'drive', 'files', 'iCloud Drive', 'Documents', 'Taxes', '2023.pdf')),
      files.taxes,
    );
    assert.match(readFileSync(join(out, 'contacts', 'contacts.vcf'), 'utf8'), /Jane/);
    const inside = await api(`/api/backups/${id()}/save`, {
      folder: join(input, 'x'),
      selection: { contacts: 'all' },
    });
    assert.equal(inside.status, 400);
  });
});
