import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import heicConvert from 'heic-convert';
import sharp from 'sharp';
import type { BackupFileInput } from '../../src/backup/types.js';
import { encodeJpeg } from '../../demo/src/media/jpeg.js';
import { buildPhotosSqlite, type LibraryAsset } from '../../demo/src/photo-library.js';
import { buildSmsDb, type SmsMessageSpec } from '../../demo/src/sms-db.js';
import type {
  ConversationList,
  MessagePage,
  MessageSearch,
  PhotoTimeline,
} from '../../src/server/api-types.js';
import { startUiServer, type UiServer } from '../../src/server/index.js';
import { backupId } from '../../src/server/session.js';
import { writeBackup } from '../support/backups.js';
import { repoRoot, tempDir } from '../support/fixtures.js';
import { followJob, login, raw, type Auth } from './helpers.js';

const ROLL = 'CameraRollDomain';
const THREAD = 1_000;
const HEIC = readFileSync(join(repoRoot, 'test', 'fixtures', 'reclaim-made-64x48.heic'));
const jpeg = (width: number, height: number) =>
  encodeJpeg({
    width,
    height,
    corners: {
      topLeft: [200, 30, 40],
      topRight: [30, 60, 200],
      bottomLeft: [30, 160, 90],
      bottomRight: [220, 200, 40],
    },
  });
const BIG = jpeg(640, 480);
const THUMB = jpeg(32, 24);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

/** Six assets: a JPEG with an embedded thumbnail, one without, a HEIC, a video, a hidden one, a deleted one. */
function library(): { assets: LibraryAsset[]; files: BackupFileInput[] } {
  const at = (day: number) => new Date(Date.UTC(2024, 0, day, 12)).toISOString();
  const assets: LibraryAsset[] = [
    {
      pk: 1,
      filename: 'IMG_0001.JPG',
      kind: 'photo',
      takenAt: at(1),
      width: 640,
      height: 480,
      original: BIG,
      thumbnail: THUMB,
    },
    {
      pk: 2,
      filename: 'IMG_0002.JPG',
      kind: 'photo',
      takenAt: at(5),
      width: 640,
      height: 480,
      original: BIG,
    },
    {
      pk: 3,
      filename: 'IMG_0003.HEIC',
      kind: 'photo',
      takenAt: at(3),
      width: 64,
      height: 48,
      original: HEIC,
    },
    {
      pk: 4,
      filename: 'IMG_0004.MOV',
      kind: 'video',
      takenAt: at(4),
      width: 1920,
      height: 1080,
      duration: 42,
      original: Buffer.alloc(4096, 1),
    },
    {
      pk: 5,
      filename: 'IMG_0005.JPG',
      kind: 'photo',
      takenAt: at(2),
      width: 640,
      height: 480,
      hidden: true,
      original: BIG,
    },
    {
      pk: 6,
      filename: 'IMG_0006.JPG',
      kind: 'photo',
      takenAt: at(6),
      width: 640,
      height: 480,
      trashedAt: at(7),
      original: BIG,
    },
  ];
  const files: BackupFileInput[] = [];
  for (const a of assets) {
    files.push({
      domain: ROLL,
      relativePath: `Media/DCIM/100APPLE/${a.filename}`,
      data: a.original!,
    });
    if (a.thumbnail)
      files.push({
        domain: ROLL,
        relativePath: `Media/PhotoData/Thumbnails/V2/DCIM/100APPLE/${a.filename}/5005.JPG`,
        data: a.thumbnail,
      });
  }
  files.push({
    domain: ROLL,
    relativePath: 'Media/PhotoData/Photos.sqlite',
    data: buildPhotosSqlite('ios17', assets, [{ pk: 1, title: 'Trip', assetPks: [2, 3] }]),
  });
  return { assets, files };
}

/** One thread of THREAD messages with "needle" in every 50th, and a short one. */
function messagesDb(): Buffer {
  const messages: SmsMessageSpec[] = [];
  const start = Date.UTC(2023, 0, 1);
  for (let i = 1; i <= THREAD; i++)
    messages.push({
      rowid: i,
      chatRowid: 1,
      handleRowid: i % 2 ? 1 : 0,
      date: new Date(start + i * 3_600_000).toISOString(),
      text: i % 50 === 0 ? `find the Needle here ${i}` : `message ${i}`,
    });
  messages.push({
    rowid: THREAD + 1,
    chatRowid: 2,
    handleRowid: 2,
    date: new Date(start).toISOString(),
    text: 'hello',
  });
  return buildSmsDb('ios17', {
    handles: [
      { rowid: 1, id: '+14155550123' },
      { rowid: 2, id: 'friend@example.com' },
    ],
    chats: [
      { rowid: 1, identifier: '+14155550123', handleRowids: [1] },
      { rowid: 2, identifier: 'friend@example.com', handleRowids: [2] },
    ],
    attachments: [],
    messages,
  });
}

describe('reclaim ui at scale: thumbnails, paging, search, the zip, and the session', () => {
  const temp = tempDir('reclaim-ui-scale-');
  const dir = join(temp.path, 'backup');
  const id = backupId(dir);
  let server: UiServer;
  let auth: Auth;
  const { assets, files } = library();
  const get = (path: string, headers: Record<string, string> = auth.headers) =>
    raw(`${server.url}${path.replace(/^\//, '')}`, { headers });
  const json = <T>(r: { body: Buffer }) => JSON.parse(r.body.toString('utf8')) as T;
  /** The page's recipe for a signed address (web/src/api.ts). */
  const signed = (path: string, exp = Math.floor(Date.now() / 1000) + 600, key = auth.key) => {
    const text = `${path}${path.includes('?') ? '&' : '?'}exp=${exp}`;
    const sig = createHmac('sha256', key).update(text).digest('base64url').slice(0, 22);
    return `${text}&sig=${sig}`;
  };

  before(async () => {
    await writeBackup(dir, [
      ...files,
      { domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', data: messagesDb() },
      { domain: 'HomeDomain', relativePath: 'Library/SMS/Attachments/ab/evil.svg', data: SVG },
    ]);
    server = await startUiServer({ roots: [temp.path], includeDemo: false });
    auth = await login(server.launchUrl);
  });
  after(async () => {
    await server?.close();
    temp.cleanup();
  });

  it('exchanges the link once: a second client with the same link is refused', async () => {
    const again = await raw(server.launchUrl);
    assert.equal(again.status, 401);
    assert.match(again.body.toString(), /already been used/);
    assert.equal(again.headers['set-cookie'], undefined);
    // The browser that holds the session may open the link again.
    const same = await raw(server.launchUrl, { headers: { cookie: auth.cookie } });
    assert.equal(same.status, 302);
    assert.equal(same.headers['location'], '/');
    assert.notEqual(auth.cookie.split('=')[1], new URL(server.launchUrl).searchParams.get('token'));
  });

  it('refuses a request that carries only the cookie (what another local page could make a browser send)', async () => {
    const paths = [
      '/api/backups',
      `/api/backups/${id}/photos/timeline`,
      `/api/backups/${id}/file?domain=HomeDomain&path=Library%2FSMS%2Fsms.db`,
    ];
    for (const path of paths) {
      const onlyCookie = await get(path, { cookie: auth.cookie });
      assert.equal(onlyCookie.status, 401, path);
      assert.equal(json<{ code: string }>(onlyCookie).code, 'unauthorised');
      const wrongKey = await get(path, { cookie: auth.cookie, 'x-reclaim-key': 'guessed' });
      assert.equal(wrongKey.status, 401, path);
      const keyWithoutCookie = await get(path, { 'x-reclaim-key': auth.key });
      assert.equal(keyWithoutCookie.status, 401, path);
      assert.equal((await get(path)).status, 200, path);
    }
  });

  it('loads media by short-lived signed address: no header needed, but expired or altered ones are refused', async () => {
    const path = `/api/backups/${id}/photos/0/thumb`;
    const cookie = { cookie: auth.cookie };
    assert.equal((await get(signed(path), cookie)).status, 200);
    assert.equal((await get(signed(path), {})).status, 401, 'the cookie is needed too');
    const expired = await get(signed(path, Math.floor(Date.now() / 1000) - 5), cookie);
    assert.equal(expired.status, 401);
    assert.match(json<{ error: string }>(expired).error, /expired/);
    const tooLong = await get(signed(path, Math.floor(Date.now() / 1000) + 7200), cookie);
    assert.equal(tooLong.status, 401, 'no address lives longer than half an hour');
    const other = signed(path).replace('/photos/0/', '/photos/1/');
    assert.equal((await get(other, cookie)).status, 401, 'a signature is for one address');
    assert.equal((await get(signed(path, undefined, 'not-the-key'), cookie)).status, 401);
    const post = await raw(`${server.url}${signed(`/api/backups/${id}/zip`).slice(1)}`, {
      method: 'POST',
      headers: { ...cookie, 'content-type': 'application/json' },
      body: '{"selection":{"photos":"all"}}',
    });
    assert.equal(post.status, 401, 'a signature opens GETs only');
  });

  it('marks media same-origin and sandboxed; an .svg attachment is a download, never a page', async () => {
    const thumb = await get(`/api/backups/${id}/photos/0/thumb`);
    assert.equal(thumb.headers['cross-origin-resource-policy'], 'same-origin');
    assert.match(String(thumb.headers['content-security-policy']), /^sandbox/);
    const svg = await get(
      `/api/backups/${id}/media?domain=HomeDomain&path=${encodeURIComponent('Library/SMS/Attachments/ab/evil.svg')}`,
    );
    assert.equal(svg.status, 200);
    assert.equal(svg.headers['content-type'], 'application/octet-stream');
    assert.match(String(svg.headers['content-disposition']), /^attachment/);
    assert.match(String(svg.headers['content-security-policy']), /sandbox/);
    assert.deepEqual(svg.body, SVG);
  });

  it('caps request bodies, and never echoes a long input back', async () => {
    // Refused from its announced size, before any of it is read.
    const huge = await raw(`${server.url}api/backups/open`, {
      method: 'POST',
      headers: {
        ...auth.headers,
        'content-type': 'application/json',
        'content-length': String(5 * 1024 * 1024),
        connection: 'close',
      },
      body: '{"path":"x"}',
    });
    assert.equal(huge.status, 413);
    assert.ok(huge.body.length < 1000);
    const long = await raw(`${server.url}api/backups/open`, {
      method: 'POST',
      headers: { ...auth.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ path: `/nowhere/${'y'.repeat(200_000)}` }),
    });
    assert.equal(long.status, 404);
    assert.ok(long.body.length < 1000, `${long.body.length} bytes answered`);
  });

  it('lists the photos newest first with their filters, albums and flags, in a compact index', async () => {
    const all = json<PhotoTimeline>(await get(`/api/backups/${id}/photos/timeline`));
    assert.equal(all.total, 6);
    assert.deepEqual(all.counts, { all: 6, deleted: 1, hidden: 1, recovered: 0 });
    assert.deepEqual(all.albums, [{ name: 'Trip', count: 2 }]);
    const pks = all.index.map((n) => assets.findIndex((a) => a.pk === n + 1) + 1);
    assert.deepEqual(pks, [6, 2, 4, 3, 5, 1], 'newest first');
    assert.ok(all.time.every((t, k) => k === 0 || t! <= all.time[k - 1]!));
    const flagsOf = (pk: number) => all.flags[all.index.indexOf(pk - 1)]!;
    assert.ok(flagsOf(6) & 1, 'trashed');
    assert.ok(flagsOf(5) & 2, 'hidden');
    assert.ok(flagsOf(4) & 16, 'video');
    assert.equal(flagsOf(4) & 256, 0, 'a video without a thumbnail has no picture to show');
    assert.equal(all.duration[all.index.indexOf(3)], 42);
    for (const pk of [1, 2, 3, 5, 6]) assert.ok(flagsOf(pk) & 256, `photo ${pk} has a thumbnail`);
    const deleted = json<PhotoTimeline>(
      await get(`/api/backups/${id}/photos/timeline?filter=deleted`),
    );
    assert.deepEqual(deleted.index, [5]);
    const hidden = json<PhotoTimeline>(
      await get(`/api/backups/${id}/photos/timeline?filter=hidden`),
    );
    assert.deepEqual(hidden.index, [4]);
    const trip = json<PhotoTimeline>(await get(`/api/backups/${id}/photos/timeline?album=Trip`));
    assert.deepEqual(trip.index, [1, 2]);
    assert.equal((await get(`/api/backups/${id}/photos/timeline?filter=nope`)).status, 400);
  });

  it('serves thumbnails: the embedded one as it is, JPEG and HEIC shrunk on this computer, kept for next time', async () => {
    const thumb = (n: number) => get(`/api/backups/${id}/photos/${n}/thumb`);
    const embedded = await thumb(0);
    assert.equal(embedded.status, 200);
    assert.deepEqual(embedded.body, THUMB, 'the 5005.JPG of the backup');
    const made = await thumb(1);
    assert.equal(made.headers['content-type'], 'image/jpeg');
    const size = await sharp(made.body).metadata();
    assert.deepEqual([size.width, size.height], [320, 240]);
    assert.ok(made.body.length < BIG.length);
    assert.deepEqual((await thumb(1)).body, made.body, 'the same bytes from the cache');
    const heic = await thumb(2);
    assert.equal(heic.status, 200);
    const heicSize = await sharp(heic.body).metadata();
    assert.deepEqual([heicSize.format, heicSize.width, heicSize.height], ['jpeg', 64, 48]);
    // Shown full size in the viewer: the HEIC's own pixels as JPEG (colours as libheif decodes them).
    const shown = await get(
      `/api/backups/${id}/media?domain=${ROLL}&path=${encodeURIComponent('Media/DCIM/100APPLE/IMG_0003.HEIC')}&display=1`,
    );
    assert.equal(shown.headers['content-type'], 'image/jpeg');
    const pixels = await sharp(shown.body).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([pixels.info.width, pixels.info.height], [64, 48]);
    const png = Buffer.from(new Uint8Array(await heicConvert({ buffer: HEIC, format: 'PNG' })));
    const decoded = await sharp(png).removeAlpha().raw().toBuffer();
    let diff = 0;
    for (let i = 0; i < decoded.length; i++) diff += Math.abs(pixels.data[i]! - decoded[i]!);
    assert.ok(
      diff / decoded.length < 6,
      `the picture the HEIC holds (mean difference ${diff / decoded.length})`,
    );
    const video = await thumb(3);
    assert.equal(video.status, 404);
    assert.match(json<{ error: string }>(video).error, /no picture/);
    assert.equal((await thumb(99)).status, 404);
    const item = json<{ item: { filename: string } }>(
      await get(`/api/backups/${id}/artifacts/photos/items/2`),
    );
    assert.equal(item.item.filename, 'IMG_0003.HEIC');
  });

  it('lists conversations, finding a number typed in any format', async () => {
    const list = json<ConversationList>(await get(`/api/backups/${id}/conversations/messages`));
    assert.equal(list.total, 2);
    assert.deepEqual(
      list.conversations.map((c) => c.messages),
      [THREAD, 1],
    );
    for (const q of ['(415) 555-0123', '4155550123', '555 0123', 'Needle']) {
      const found = json<ConversationList>(
        await get(`/api/backups/${id}/conversations/messages?${new URLSearchParams({ q })}`),
      );
      assert.deepEqual(
        found.conversations.map((c) => c.handles[0]),
        ['+14155550123'],
        q,
      );
    }
    const none = json<ConversationList>(
      await get(`/api/backups/${id}/conversations/messages?q=zzz-not-there`),
    );
    assert.equal(none.conversations.length, 0);
  });

  it('pages a long thread: newest first, older before a message, newer after it, around a date', async () => {
    const n = json<ConversationList>(await get(`/api/backups/${id}/conversations/messages`))
      .conversations[0]!.index;
    const base = `/api/backups/${id}/conversations/messages/${n}/messages`;
    const newest = json<MessagePage>(await get(`${base}?count=100`));
    assert.equal(newest.total, THREAD);
    assert.equal(newest.start, THREAD - 100);
    assert.deepEqual(
      newest.messages.map((m) => m.index),
      Array.from({ length: 100 }, (_, k) => THREAD - 100 + k),
    );
    assert.equal(newest.messages.at(-1)!.text, 'find the Needle here 1000');
    const older = json<MessagePage>(await get(`${base}?before=${newest.start}&count=100`));
    assert.deepEqual([older.start, older.messages.length], [THREAD - 200, 100]);
    assert.equal(older.messages.at(-1)!.index, newest.start - 1);
    const newer = json<MessagePage>(
      await get(`${base}?after=${older.messages.at(-1)!.index}&count=50`),
    );
    assert.equal(newer.start, newest.start);
    const first = json<MessagePage>(await get(`${base}?before=10&count=100`));
    assert.deepEqual([first.start, first.messages.length], [0, 10]);
    const date = new Date(Date.UTC(2023, 0, 1) + 300.5 * 3_600_000).toISOString();
    const around = json<MessagePage>(
      await get(`${base}?${new URLSearchParams({ date, count: '20' })}`),
    );
    assert.ok(around.messages.some((m) => m.text === 'message 301'));
    assert.equal(around.start, 300 - 10);
    assert.equal((await get(`${base}?count=x`)).status, 400);
    assert.equal((await get(`/api/backups/${id}/conversations/messages/99/messages`)).status, 404);
    assert.equal((await get(`/api/backups/${id}/conversations/contacts`)).status, 404);
  });

  it('searches a thread on the server: every matching message, any case, in order', async () => {
    const n = json<ConversationList>(await get(`/api/backups/${id}/conversations/messages`))
      .conversations[0]!.index;
    const search = json<MessageSearch>(
      await get(`/api/backups/${id}/conversations/messages/${n}/search?q=NEEDLE`),
    );
    assert.equal(search.total, THREAD / 50);
    assert.deepEqual(
      search.hits,
      Array.from({ length: THREAD / 50 }, (_, k) => (k + 1) * 50 - 1),
    );
    const none = json<MessageSearch>(
      await get(`/api/backups/${id}/conversations/messages/${n}/search?q=nothing-like-it`),
    );
    assert.deepEqual([none.total, none.hits], [0, []]);
  });

  it('streams the zip while it is built, with progress, and it holds what was saved', async () => {
    const started = await raw(`${server.url}api/backups/${id}/zip`, {
      method: 'POST',
      headers: { ...auth.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ selection: { photos: [0, 1, 2], messages: [0] } }),
    });
    const { url, job } = json<{ url: string; job: string }>(started);
    const zip = await get(url);
    assert.equal(zip.status, 200);
    assert.equal(zip.body.subarray(0, 4).toString('hex'), '504b0304');
    assert.ok(zip.body.includes(Buffer.from('export-summary.json')));
    assert.ok(zip.body.includes(Buffer.from('IMG_0001.JPG')));
    assert.ok(zip.body.includes(BIG), 'a photo stored as it is');
    const outcome = await followJob(server.url, auth, job);
    assert.equal(outcome.type, 'done');
    assert.equal(outcome.data['bytes'], zip.body.length);
    assert.ok(Number(outcome.data['files']) >= 5);
    assert.equal((await get(url)).status, 404, 'a zip link works once');
  });
});
