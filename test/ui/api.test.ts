import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactById } from '../../src/artifacts/registry.js';
import { exporterFor } from '../../src/export/registry.js';
import type { ArtifactsResponse } from '../../src/server/api-types.js';
import { startUiServer, type UiServer } from '../../src/server/index.js';
import { backupId } from '../../src/server/session.js';
import { writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';
import { followJob, login, raw, type Auth } from './helpers.js';
import { ARTIFACT_IDS } from '../../src/artifacts/registry.js';

const SECRET = Buffer.from('the bytes of a file inside the backup\n');
const AUDIO = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 251));

describe('reclaim ui: the API', () => {
  const temp = tempDir('reclaim-ui-api-');
  const plain = join(temp.path, 'plain');
  const locked = join(temp.path, 'locked');
  const forgotten = join(temp.path, 'forgotten');
  let server: UiServer;
  let auth: Auth;
  let cookie: string;
  let key: string;
  const api = (
    path: string,
    init: { method?: string; body?: unknown; cookie?: string; host?: string } = {},
  ) =>
    raw(`${server.url}${path.replace(/^\//, '')}`, {
      method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
      headers: {
        ...((init.cookie ?? cookie) ? { cookie: init.cookie ?? cookie } : {}),
        ...(init.cookie === undefined ? { 'x-reclaim-key': key } : {}),
        ...(init.host ? { host: init.host } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  const json = (r: { body: Buffer }) => JSON.parse(r.body.toString('utf8'));

  before(async () => {
    await writeBackup(plain, [
      { domain: 'HomeDomain', relativePath: 'Library/Data/secret.txt', data: SECRET },
      {
        domain: 'HomeDomain',
        relativePath: 'Library/Data/photo.jpg',
        data: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
      },
    ]);
    await writeBackup(
      locked,
      [
        {
          domain: 'HomeDomain',
          relativePath: 'Library/Data/a.txt',
          data: Buffer.from('locked data'),
        },
        { domain: 'MediaDomain', relativePath: 'Media/Recordings/memo.m4a', data: AUDIO },
      ],
      { password: 'right horse' },
    );
    await writeBackup(
      forgotten,
      [
        {
          domain: 'HomeDomain',
          relativePath: 'Library/Data/b.txt',
          data: Buffer.from('found again'),
        },
      ],
      { password: 'tiger7' },
    );
    process.env['XDG_STATE_HOME'] = join(temp.path, 'state');
    server = await startUiServer({ roots: [temp.path], includeDemo: false });
    auth = await login(server.launchUrl);
    ({ cookie, key } = auth);
  });
  after(async () => {
    await server?.close();
    temp.cleanup();
  });

  it('answers 401 without the token, and with a wrong one', async () => {
    const noCookie = await raw(`${server.url}api/backups`);
    assert.equal(noCookie.status, 401);
    assert.equal(json(noCookie).code, 'unauthorised');
    assert.equal((await raw(server.url)).status, 401);
    assert.equal((await raw(`${server.url}?token=not-the-token`)).status, 401);
    assert.equal((await api('/api/backups', { cookie: 'reclaim_session=guessed' })).status, 401);
    const withCookie = await api('/api/backups');
    assert.equal(withCookie.status, 200);
  });

  it('sets the cookie HttpOnly and SameSite=Strict, and strips the token from the address', async () => {
    assert.match(auth.location, /^\/#key=[\w-]{20,}$/, 'the key travels in the fragment only');
    const setCookie = auth.setCookie;
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the cookie', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
      `192.168.1.5:${server.port}`,
    ]) {
      const res = await api('/api/backups', { host });
      assert.equal(res.status, 403, host);
      assert.match(res.body.toString(), /Refused/);
    }
    assert.equal((await api('/api/backups', { host: `localhost:${server.port}` })).status, 200);
    const foreignOrigin = await raw(`${server.url}api/backups/open`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(foreignOrigin.status, 403);
  });

  it('lists the backups it found, locked or not', async () => {
    const { backups } = json(await api('/api/backups'));
    const byPath = new Map(backups.map((b: { path: string }) => [b.path, b]));
    assert.equal((byPath.get(plain) as { locked: boolean }).locked, false);
    assert.equal((byPath.get(locked) as { locked: boolean }).locked, true);
    assert.equal((byPath.get(locked) as { encrypted: boolean }).encrypted, true);
  });

  it('lists the data types in display order, with their formats and whether they need names', async () => {
    assert.equal((await api('/api/artifacts', { cookie: 'reclaim_session=guessed' })).status, 401);
    const res = await api('/api/artifacts');
    assert.equal(res.status, 200);
    const { artifacts } = json(res) as ArtifactsResponse;
    assert.deepEqual(
      artifacts.map((a) => a.id),
      [...ARTIFACT_IDS],
    );
    for (const a of artifacts) {
      assert.equal(a.title, artifactById(a.id).title);
      assert.deepEqual(a.formats, [...exporterFor(a.id).formats], a.id);
      assert.deepEqual(a.defaultFormats, [...exporterFor(a.id).defaultFormats], a.id);
      assert.ok(
        a.defaultFormats.every((f) => a.formats.includes(f)),
        a.id,
      );
    }
    const contacts = artifacts.find((a) => a.id === 'contacts')!;
    assert.deepEqual(contacts, {
      id: 'contacts',
      title: 'Contacts',
      formats: ['vcf', 'csv', 'json'],
      defaultFormats: ['vcf', 'csv'],
      needsNames: false,
    });
    assert.deepEqual(
      artifacts.filter((a) => a.needsNames).map((a) => a.id),
      ['voicemail', 'messages', 'whatsapp', 'calls'],
    );
  });

  it('opening a folder that holds no backup says so', async () => {
    const res = await api('/api/backups/open', { body: { path: join(temp.path, 'nothing-here') } });
    assert.equal(res.status, 404);
    assert.match(json(res).error, /No backup found/);
  });

  it('downloads a file of the backup, byte for byte', async () => {
    const id = backupId(plain);
    const res = await api(
      `/api/backups/${id}/file?domain=HomeDomain&path=${encodeURIComponent('Library/Data/secret.txt')}`,
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, SECRET);
    assert.match(String(res.headers['content-disposition']), /attachment/);
    const tree = json(await api(`/api/backups/${id}/files?domain=HomeDomain`));
    assert.deepEqual(
      tree.files.map((f: { path: string }) => f.path),
      ['Library/Data/photo.jpg', 'Library/Data/secret.txt'],
    );
  });

  it('cannot read a path outside the backup', async () => {
    const id = backupId(plain);
    const attempts = [
      { domain: 'HomeDomain', path: '../../../../../../etc/passwd' },
      { domain: 'HomeDomain', path: '/etc/passwd' },
      { domain: '..', path: 'etc/passwd' },
      { domain: 'HomeDomain', path: 'Library/Data/../Data/secret.txt' },
      { domain: 'HomeDomain', path: join(plain, 'Manifest.db') },
      { domain: '', path: 'Manifest.plist' },
    ];
    for (const a of attempts) {
      for (const kind of ['file', 'media']) {
        const res = await api(`/api/backups/${id}/${kind}?${new URLSearchParams(a)}`);
        assert.equal(res.status, 404, `${kind} ${a.domain} ${a.path}`);
        assert.match(json(res).error, /not a file of this backup/);
        assert.ok(!res.body.toString().includes('root:'), 'no system file leaked');
      }
    }
    // Static files: only the built front end.
    for (const path of ['..%2f..%2fpackage.json', '%2e%2e/%2e%2e/package.json']) {
      const res = await api(`/${path}`);
      assert.ok(!res.body.toString().includes('"name": "reclaim"'), path);
    }
  });

  it('refuses to read a locked backup', async () => {
    const res = await api(`/api/backups/${backupId(locked)}/artifacts/photos`);
    assert.equal(res.status, 400);
    assert.match(json(res).error, /unlock it first/);
  });

  it('a wrong password says so; the right one unlocks', async () => {
    const id = backupId(locked);
    const wrong = await api(`/api/backups/${id}/unlock`, { body: { password: 'wrong horse' } });
    assert.equal(wrong.status, 202);
    const outcome = await followJob(server.url, auth, json(wrong).job);
    assert.equal(outcome.type, 'error');
    assert.equal(outcome.data['code'], 'wrong-password');
    assert.match(String(outcome.data['error']), /Wrong password/);
    assert.equal(json(await api(`/api/backups/${id}`)).locked, true);

    const right = await followJob(
      server.url,
      auth,
      json(await api(`/api/backups/${id}/unlock`, { body: { password: 'right horse' } })).job,
    );
    assert.equal(right.type, 'done');
    assert.equal(right.data['files'], 2);
    assert.equal(json(await api(`/api/backups/${id}`)).locked, false);
    const file = await api(
      `/api/backups/${id}/file?domain=HomeDomain&path=${encodeURIComponent('Library/Data/a.txt')}`,
    );
    assert.equal(file.body.toString(), 'locked data');

    // Audio and video are served in byte ranges (the browser seeks), decrypted.
    const media = `/api/backups/${id}/media?domain=MediaDomain&path=${encodeURIComponent('Media/Recordings/memo.m4a')}`;
    const whole = await api(media);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers['content-type'], 'audio/mp4');
    assert.deepEqual(whole.body, AUDIO);
    const part = await raw(`${server.url}${media.slice(1)}`, {
      headers: { ...auth.headers, range: 'bytes=65530-65549' },
    });
    assert.equal(part.status, 206);
    assert.equal(part.headers['content-range'], `bytes 65530-65549/${AUDIO.length}`);
    assert.deepEqual(part.body, AUDIO.subarray(65530, 65550));
    const tail = await raw(`${server.url}${media.slice(1)}`, {
      headers: { ...auth.headers, range: 'bytes=-10' },
    });
    assert.deepEqual(tail.body, AUDIO.subarray(AUDIO.length - 10));
    const beyond = await raw(`${server.url}${media.slice(1)}`, {
      headers: { ...auth.headers, range: `bytes=${AUDIO.length}-` },
    });
    assert.equal(beyond.status, 416);
  });

  it('a search that ends without the password, or would take too long, comes with the guidance', async () => {
    const id = backupId(forgotten);
    const missed = await followJob(
      server.url,
      auth,
      json(await api(`/api/backups/${id}/recover`, { body: { mask: 'lion?d' } })).job,
    );
    assert.equal(missed.type, 'done', JSON.stringify(missed.data));
    assert.deepEqual([missed.data['found'], missed.data['tried']], [false, 10]);
    const guidance = missed.data['guidance'];
    assert.equal(guidance.situation, 'not-found');
    assert.deepEqual(
      guidance.ways.map((w: { id: string }) => w.id),
      ['better-candidates', 'gpu', 'reset-settings'],
    );
    assert.ok(guidance.ways[1].steps[0].includes(forgotten));
    assert.match(guidance.ways[2].steps.join(' '), /Reset All Settings.*reclaim backup --encrypt/);
    assert.match(guidance.oldBackups, /stay locked/);

    const huge = await followJob(
      server.url,
      auth,
      json(await api(`/api/backups/${id}/recover`, { body: { mask: '?a?a?a?a?a?a?a?a?a?a' } })).job,
    );
    assert.equal(huge.type, 'done', JSON.stringify(huge.data));
    assert.equal(huge.data['found'], false);
    assert.match(huge.data['refused'], /^This search has [\d,]+ candidates: about .* years/);
    assert.equal(huge.data['guidance'].situation, 'too-long');
    assert.equal(json(await api(`/api/backups/${id}`)).locked, true);
  });

  it('the rescue plan gives each encrypted backup the guidance, in the same words', async () => {
    const plan = json(await api('/api/rescue-plan?probe=0')) as {
      devices: { backups: { path: string; passwordGuidance: any }[] }[];
    };
    const byPath = new Map(plan.devices.flatMap((d) => d.backups).map((b) => [b.path, b]));
    assert.equal(byPath.get(plain)!.passwordGuidance, null);
    for (const path of [locked, forgotten]) {
      const guidance = byPath.get(path)!.passwordGuidance;
      assert.equal(guidance.situation, 'not-given');
      assert.ok(guidance.ways[0].steps[0].includes(path));
    }
  });

  it('recovers a forgotten password with live progress, and unlocks the backup with it', async () => {
    const id = backupId(forgotten);
    const started = await api(`/api/backups/${id}/recover`, { body: { mask: 'tiger?d' } });
    assert.equal(started.status, 202);
    const outcome = await followJob(server.url, auth, json(started).job);
    assert.equal(outcome.type, 'done', JSON.stringify(outcome.data));
    assert.equal(outcome.data['found'], true);
    assert.equal(outcome.data['password'], 'tiger7');
    assert.ok(
      outcome.progress.some((p) => p['total'] === 10),
      'progress says how many candidates',
    );
    assert.equal(json(await api(`/api/backups/${id}`)).locked, false);
    const file = await api(
      `/api/backups/${id}/file?domain=HomeDomain&path=${encodeURIComponent('Library/Data/b.txt')}`,
    );
    assert.equal(file.body.toString(), 'found again');
    const again = await api(`/api/backups/${id}/recover`, { body: { mask: 'tiger?d' } });
    assert.equal(again.status, 400);
    assert.match(json(again).error, /already unlocked/);
  });

  it('refuses to save inside the backup folder, and asks for a full path', async () => {
    const id = backupId(plain);
    const inside = await api(`/api/backups/${id}/save`, {
      body: { folder: join(plain, 'out'), selection: { photos: 'all' } },
    });
    assert.equal(inside.status, 400);
    assert.match(json(inside).error, /Refusing to write inside a backup folder/);
    assert.ok(!existsSync(join(plain, 'out')));
    const relative = await api(`/api/backups/${id}/save`, {
      body: { folder: 'out', selection: { photos: 'all' } },
    });
    assert.equal(relative.status, 400);
    const nothing = await api(`/api/backups/${id}/save`, {
      body: { folder: join(temp.path, 'out'), selection: {} },
    });
    assert.equal(nothing.status, 400);
    assert.match(json(nothing).error, /Nothing selected/);
    assert.deepEqual(
      readdirSync(plain).filter((n) => n === 'out'),
      [],
    );
  });

  it('scans the backup and counts every category, with progress events', async () => {
    const id = backupId(plain);
    const started = await api(`/api/backups/${id}/scan`, { body: {} });
    const outcome = await followJob(server.url, auth, json(started).job);
    assert.equal(outcome.type, 'done');
    const counts = outcome.data['counts'] as { id: string; items: number }[];
    assert.deepEqual(
      counts.map((c) => c.id),
      [...ARTIFACT_IDS],
    );
    assert.ok(
      counts.every((c) => c.items === 0),
      'nothing of the categories in this backup',
    );
    assert.ok(outcome.progress.length >= 1);
    assert.ok(readFileSync(join(plain, 'Manifest.db')).length > 0);
  });
});
