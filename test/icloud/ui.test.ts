import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { encodeJpeg } from '../../demo/src/media/jpeg.js';
import type { BackupsResponse, PhotoTimeline } from '../../src/server/api-types.js';
import { startUiServer, type UiServer } from '../../src/server/index.js';
import { PHOTO_FLAG } from '../../src/server/photos.js';
import { backupId } from '../../src/server/session.js';
import { tempDir } from '../support/fixtures.js';
import {
  photoDetails,
  SAMPLE,
  writeSampleExport,
  writeZip,
  type SampleFiles,
} from '../support/icloud-export.js';
import { followJob, login, raw, type Auth } from '../ui/helpers.js';

describe('reclaim ui on an iCloud data export', () => {
  const tmp = tempDir('reclaim-icloud-ui-');
  const input = join(tmp.path, 'export');
  let files: SampleFiles;
  let server: UiServer;
  let auth: Auth;
  const api = (path: string, body?: unknown) =>
    raw(`${server.url}${path.replace(/^\//, '')}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        ...auth.headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = (r: { body: Buffer }) => JSON.parse(r.body.toString('utf8'));
  const id = () => backupId(input);

  before(async () => {
    files = await writeSampleExport(input);
    server = await startUiServer({ path: input, roots: [], includeDemo: false });
    auth = await login(server.launchUrl);
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
    const done = await followJob(server.url, auth, json(started).job);
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

describe('reclaim ui: the photo grid of an iCloud data export', () => {
  const tmp = tempDir('reclaim-icloud-grid-');
  const input = join(tmp.path, 'export');
  let server: UiServer;
  let auth: Auth;
  const get = (path: string) => raw(`${server.url}${path.slice(1)}`, { headers: auth.headers });

  before(async () => {
    const root = 'iCloud Photos Part 1 of 1';
    const corners = {
      topLeft: [200, 30, 30] as [number, number, number],
      topRight: [30, 200, 30] as [number, number, number],
      bottomLeft: [30, 30, 200] as [number, number, number],
      bottomRight: [220, 220, 220] as [number, number, number],
    };
    await writeZip(join(input, `${root}.zip`), [
      {
        path: `${root}/Photos/IMG_0001.JPG`,
        data: encodeJpeg({ width: 1200, height: 800, corners }),
        compress: false,
      },
      {
        path: `${root}/Photos/IMG_0002.JPG`,
        data: encodeJpeg({ width: 96, height: 64, corners }),
        compress: false,
      },
      {
        path: `${root}/Photos/Photo Details.csv`,
        data: photoDetails([
          { name: 'IMG_0001.JPG', created: 'Saturday May 1,2021 7:59 AM GMT' },
          { name: 'IMG_0002.JPG', created: 'Sunday May 2,2021 9:00 AM GMT' },
        ]),
      },
    ]);
    server = await startUiServer({ path: input, roots: [], includeDemo: false });
    auth = await login(server.launchUrl);
  });
  after(async () => {
    await server?.close();
    tmp.cleanup();
  });

  it('lists the photos, and shrinks them on this computer from inside the zip', async () => {
    const id = backupId(input);
    const timeline = JSON.parse(
      (await get(`/api/backups/${id}/photos/timeline`)).body.toString(),
    ) as PhotoTimeline;
    assert.equal(timeline.total, 2);
    assert.equal(timeline.index.length, 2);
    assert.ok(timeline.flags.every((f) => (f & PHOTO_FLAG.thumb) !== 0));
    const photos = JSON.parse(
      (await get(`/api/backups/${id}/artifacts/photos`)).body.toString(),
    ) as { items: { filename: string }[] };
    const big = photos.items.findIndex((p) => p.filename === 'IMG_0001.JPG');
    const thumb = await get(`/api/backups/${id}/photos/${big}/thumb`);
    assert.equal(thumb.status, 200, thumb.body.toString());
    assert.equal(thumb.headers['content-type'], 'image/jpeg');
    const meta = await sharp(thumb.body).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 320, 213]);
  });
});
