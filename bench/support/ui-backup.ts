// The large backup of `npm run bench -- ui`: 30,000 photos and videos at real sizes (their tails sparse, so the
// folder takes a few GB of disk, not 80), Photos.sqlite with albums, Hidden and Recently Deleted, embedded
// thumbnails for most, and an sms.db of 200,000 messages, one thread of them 100,000 long.
import { existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  BackupWriter,
  buildPhotosSqlite,
  buildSmsDb,
  fileIdOf,
  type LibraryAlbum,
  type LibraryAsset,
  type SmsMessageSpec,
} from './demo-builders.js';

export const PHOTOS = 30_000;
export const BIG_THREAD = 100_000;
export const MESSAGES = 200_000;
/** A word that is in one message of 97 of the big thread (what the search bench looks for). */
export const SEARCH_WORD = 'lighthouse';
const VERSION = 3;
const ROLL = 'CameraRollDomain';

/** A seeded random number source, so the backup is the same every time it is made. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A few distinct pictures (smooth colours with grain), as full images and as 5005-style thumbnails. */
async function pictures(count: number) {
  const out: { original: Buffer; thumb: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const hue = (i * 47) % 360;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="768"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},70%,55%)"/><stop offset="1" stop-color="hsl(${(hue + 120) % 360},60%,35%)"/></linearGradient></defs><rect width="1024" height="768" fill="url(#g)"/><circle cx="${200 + ((i * 97) % 600)}" cy="${150 + ((i * 61) % 400)}" r="${80 + (i % 5) * 30}" fill="hsl(${(hue + 200) % 360},80%,70%)"/></svg>`;
    const image = sharp(Buffer.from(svg));
    const original = await image.clone().jpeg({ quality: 80 }).toBuffer();
    const thumb = await image.clone().resize(384, 288).jpeg({ quality: 75 }).toBuffer();
    out.push({ original, thumb });
  }
  return out;
}

/** Writes a data file of the backup: `bytes`, then zeros (a hole on disk) up to `size`. */
function writeSparse(dir: string, domain: string, path: string, bytes: Buffer, size: number) {
  const id = fileIdOf(domain, path);
  mkdirSync(join(dir, id.slice(0, 2)), { recursive: true });
  const file = join(dir, id.slice(0, 2), id);
  writeFileSync(file, bytes);
  if (size > bytes.length) truncateSync(file, size);
}

function smsSpec() {
  const chats = 101;
  const handles = Array.from({ length: chats }, (_, i) => ({
    rowid: i + 1,
    id: `+1415555${String(1000 + i)}`,
  }));
  const messages: SmsMessageSpec[] = [];
  const start = Date.parse('2016-01-01T00:00:00Z');
  const words = [
    'see you',
    'on my way',
    'dinner at 8?',
    'ok',
    'love you',
    'call me',
    'photos from today',
  ];
  for (let i = 1; i <= MESSAGES; i++) {
    // Chat 1 gets every other message (100,000); the other 100 share the rest.
    const chat = i % 2 === 0 ? 1 : 2 + (i % 100);
    const text =
      chat === 1 && (i / 2) % 97 === 0
        ? `Meet at the ${SEARCH_WORD} at ${i % 12} (message ${i})`
        : `${words[i % words.length]} #${i}`;
    messages.push({
      rowid: i,
      chatRowid: chat,
      handleRowid: i % 3 === 0 ? 0 : chat,
      date: new Date(start + i * 4 * 60_000).toISOString(),
      text,
      textColumn: i % 2 === 0,
    });
  }
  return {
    handles,
    chats: handles.map((h, i) => ({ rowid: i + 1, identifier: h.id, handleRowids: [h.rowid] })),
    attachments: [],
    messages,
  };
}

/** The bench backup in `root` (made once, then reused: delete the folder to make it again). */
export async function uiBenchBackup(root: string, log: (line: string) => void): Promise<string> {
  const dir = join(root, 'ui-backup');
  const marker = join(root, 'ui-backup.json');
  if (existsSync(marker) && JSON.parse(readFileSync(marker, 'utf8')).version === VERSION)
    return dir;
  rmSync(dir, { recursive: true, force: true });
  const started = Date.now();
  log(`generating the UI bench backup in ${dir} (once; reused afterwards)…`);
  const heic = readFileSync(
    new URL('../../test/fixtures/reclaim-made-64x48.heic', import.meta.url),
  );
  const pics = await pictures(24);
  const rand = random(15);
  const writer = await BackupWriter.create(dir, {});
  const assets: LibraryAsset[] = [];
  const albums: LibraryAlbum[] = [
    { pk: 1, title: 'Holidays', assetPks: [] },
    { pk: 2, title: 'Family', assetPks: [] },
    { pk: 3, title: 'Receipts', assetPks: [] },
  ];
  const t0 = Date.parse('2015-06-01T00:00:00Z');
  const span = Date.parse('2025-06-01T00:00:00Z') - t0;
  for (let pk = 1; pk <= PHOTOS; pk++) {
    const folder = `DCIM/${100 + Math.floor((pk - 1) / 1000)}APPLE`;
    const r = rand();
    const video = r < 0.05;
    const isHeic = !video && r < 0.35;
    const filename = `IMG_${String(pk).padStart(5, '0')}.${video ? 'MOV' : isHeic ? 'HEIC' : 'JPG'}`;
    const pic = pics[pk % pics.length]!;
    const takenAt = new Date(
      t0 + Math.floor((pk / PHOTOS) * span + rand() * 3_600_000),
    ).toISOString();
    const size = video
      ? Math.floor(8e6 + rand() * 40e6)
      : isHeic
        ? Math.floor(1.4e6 + rand() * 0.8e6)
        : Math.floor(2.4e6 + rand() * 1.8e6);
    const duration = video ? Math.round(3 + rand() * 120) : undefined;
    assets.push({
      pk,
      filename,
      directory: folder,
      kind: video ? 'video' : 'photo',
      takenAt,
      timeZoneOffset: -7 * 3600,
      width: 4032,
      height: 3024,
      duration,
      favorite: rand() < 0.03,
      hidden: rand() < 0.01,
      trashedAt:
        rand() < 0.01 ? new Date(Date.parse(takenAt) + 86_400_000).toISOString() : undefined,
      location:
        rand() < 0.5
          ? { latitude: 37.7 + rand() / 10, longitude: -122.4 + rand() / 10 }
          : undefined,
      original: null,
    });
    if (rand() < 0.2) albums[pk % 3]!.assetPks.push(pk);
    const path = `Media/${folder}/${filename}`;
    writer.addMissing({ domain: ROLL, relativePath: path }, size);
    // Videos: an MP4 box header only (there is no video decoder here either way).
    const head = video
      ? Buffer.from('000000186674797071742020000000007174202000000000', 'hex')
      : isHeic
        ? heic
        : pic.original;
    writeSparse(dir, ROLL, path, head, size);
    // iOS keeps a thumbnail of nearly every asset; one in ten here has none, so some are made by the server.
    if (rand() < 0.9) {
      const thumbPath = `Media/PhotoData/Thumbnails/V2/${folder}/${filename}/5005.JPG`;
      writer.addMissing({ domain: ROLL, relativePath: thumbPath }, pic.thumb.length);
      writeSparse(dir, ROLL, thumbPath, pic.thumb, pic.thumb.length);
    }
  }
  writer.add({
    domain: ROLL,
    relativePath: 'Media/PhotoData/Photos.sqlite',
    data: buildPhotosSqlite('ios17', assets, albums),
  });
  log(`  photos written (${((Date.now() - started) / 1000).toFixed(0)} s); building sms.db…`);
  writer.add({
    domain: 'HomeDomain',
    relativePath: 'Library/SMS/sms.db',
    data: buildSmsDb('ios17', smsSpec()),
  });
  await writer.finish();
  writeFileSync(marker, JSON.stringify({ version: VERSION, photos: PHOTOS, messages: MESSAGES }));
  log(`  generated in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}
