import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildPhotosSqlite } from '../../demo/src/photo-library.js';
import { repoRoot, tempDir } from '../support/fixtures.js';
import { runCli, sha256, writeBackup } from '../support/backups.js';

// A real HEIC (HEVC-coded, 64x48) made by this project with libheif's heif-enc from a JPEG of our own encoder.
const HEIC = readFileSync(join(repoRoot, 'test', 'fixtures', 'reclaim-made-64x48.heic'));

/** Width and height from a JPEG's start-of-frame segment. */
function jpegSize(jpeg: Buffer): { width: number; height: number } {
  for (let at = 2; at + 9 < jpeg.length;) {
    const marker = jpeg.readUInt16BE(at);
    const length = jpeg.readUInt16BE(at + 2);
    if (marker >= 0xffc0 && marker <= 0xffc2)
      return { height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
    at += 2 + length;
  }
  throw new Error('no start-of-frame segment');
}

describe('photos: --heic-to-jpeg on a real HEIC', () => {
  const temp = tempDir();
  after(temp.cleanup);

  it('keeps the HEIC byte for byte, dated, and writes a decodable JPEG of the same size beside it', async () => {
    const backup = join(temp.path, 'backup');
    const takenAt = '2024-05-18T12:22:05Z';
    await writeBackup(backup, [
      { domain: 'CameraRollDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0001.HEIC', data: HEIC },
      {
        domain: 'CameraRollDomain',
        relativePath: 'Media/PhotoData/Photos.sqlite',
        data: buildPhotosSqlite(
          'ios17',
          [
            {
              pk: 1,
              filename: 'IMG_0001.HEIC',
              kind: 'photo',
              takenAt,
              width: 64,
              height: 48,
              original: HEIC,
            },
          ],
          [],
        ),
      },
    ]);
    const out = join(temp.path, 'out');
    const run = runCli([
      'export',
      backup,
      out,
      '--only',
      'photos',
      '--heic-to-jpeg',
      '--layout',
      'flat',
    ]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const heic = join(out, 'photos', 'IMG_0001.HEIC');
    assert.equal(sha256(readFileSync(heic)), sha256(HEIC));
    assert.equal(statSync(heic).mtime.toISOString(), new Date(takenAt).toISOString());
    const jpeg = readFileSync(join(out, 'photos', 'IMG_0001.jpg'));
    assert.equal(jpeg.readUInt16BE(0), 0xffd8);
    assert.deepEqual(jpegSize(jpeg), { width: 64, height: 48 });
    assert.match(run.stdout, /converted to JPEG/);
  });
});
