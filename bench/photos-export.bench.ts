// Issue 4 figure: `reclaim export --only photos` of a 20,000-photo camera roll against a plain copy of the same
// bytes, measured in the same run. RECLAIM_BENCH_PHOTOS (default 20000) and RECLAIM_BENCH_PHOTO_KB (default 64)
// change the size; everything generated lives in one temp folder that is removed at the end.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupSource } from '../src/artifacts/source.js';
import { PrivateWorkspace } from '../src/artifacts/workspace.js';
import { Backup } from '../src/backup/backup.js';
import { BackupWriter } from '../src/backup/writer.js';
import { encodeJpeg } from '../demo/src/media/jpeg.js';
import { buildPhotosSqlite, type LibraryAsset } from '../demo/src/photo-library.js';
import { exportArtifacts } from '../src/export/run.js';

const COUNT = Number(process.env['RECLAIM_BENCH_PHOTOS'] ?? 20_000);
const SIZE = Number(process.env['RECLAIM_BENCH_PHOTO_KB'] ?? 64) * 1024;

export default async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'reclaim-bench-photos-'));
  try {
    console.log(
      `generating a backup of ${COUNT.toLocaleString('en')} photos of ${SIZE >> 10} KB with Photos.sqlite (iOS 17 layout)...`,
    );
    const started = Date.now();
    const head = encodeJpeg({
      width: 16,
      height: 16,
      corners: {
        topLeft: [200, 30, 40],
        topRight: [30, 60, 200],
        bottomLeft: [30, 60, 200],
        bottomRight: [200, 30, 40],
      },
    });
    const photo = Buffer.alloc(SIZE);
    for (let i = head.length; i < SIZE; i++) photo[i] = (i * 2654435761) >>> 24;
    head.copy(photo, 0, 0, head.length - 2); // the JPEG without its EOI, then filler bytes
    const assets: LibraryAsset[] = [];
    const writer = await BackupWriter.create(join(root, 'backup'), {});
    const t0 = Date.parse('2020-01-01T00:00:00Z');
    for (let i = 1; i <= COUNT; i++) {
      const folder = `DCIM/${100 + Math.floor((i - 1) / 1000)}APPLE`;
      const filename = `IMG_${String(i % 10000).padStart(4, '0')}.JPG`;
      const takenAt = new Date(t0 + i * 3_600_000).toISOString();
      assets.push({
        pk: i,
        filename,
        directory: folder,
        kind: 'photo',
        takenAt,
        width: 16,
        height: 16,
        original: null,
      });
      photo.writeUInt32BE(i, SIZE - 4);
      writer.add({
        domain: 'CameraRollDomain',
        relativePath: `Media/${folder}/${filename}`,
        data: photo,
      });
    }
    writer.add({
      domain: 'CameraRollDomain',
      relativePath: 'Media/PhotoData/Photos.sqlite',
      data: buildPhotosSqlite('ios17', assets, []),
    });
    await writer.finish();
    console.log(`  generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const backup = Backup.open(join(root, 'backup'));
    const photos = backup
      .entries()
      .filter((e) => e.kind === 'file' && e.relativePath.startsWith('Media/DCIM/'));
    const bytes = photos.reduce((n, e) => n + e.size, 0);
    const mb = bytes / 1e6;

    // Baseline: copy the same stored files, one by one, to a fresh folder. Dirty pages are flushed (sync) before
    // each timed phase, and the copy runs before and after the export, so neither pays for the other's writeback.
    const plainCopy = (): number => {
      const copyDir = join(root, 'plain-copy');
      execFileSync('sync');
      const t0 = performance.now();
      for (const [i, e] of photos.entries()) {
        const dir = join(copyDir, String(i >> 10));
        if ((i & 1023) === 0) mkdirSync(dir, { recursive: true });
        copyFileSync(backup.dataPath(e)!, join(dir, `${i}.JPG`));
      }
      execFileSync('sync');
      const seconds = (performance.now() - t0) / 1000;
      rmSync(copyDir, { recursive: true, force: true });
      return seconds;
    };
    const copyBefore = plainCopy();
    let t: number;
    const workspace = PrivateWorkspace.create();
    try {
      execFileSync('sync');
      t = performance.now();
      const [result] = await exportArtifacts(
        new BackupSource(backup, workspace),
        join(root, 'out'),
        ['photos'],
        {},
      );
      execFileSync('sync');
      const exportSeconds = (performance.now() - t) / 1000;
      const copyAfter = plainCopy();
      const copySeconds = (copyBefore + copyAfter) / 2;
      if (result!.counts['photos'] !== COUNT)
        throw new Error(
          `exported ${result!.counts['photos']} of ${COUNT}: ${JSON.stringify(result!.problems.slice(0, 3))}`,
        );
      console.log(
        `plain copy:     ${photos.length.toLocaleString('en')} files, ${mb.toFixed(0)} MB in ${copyBefore.toFixed(2)} s before / ${copyAfter.toFixed(2)} s after the export = ${(mb / copySeconds).toFixed(0)} MB/s (mean, synced to disk)`,
      );
      console.log(
        `photos export:  ${COUNT.toLocaleString('en')} photos, ${mb.toFixed(0)} MB in ${exportSeconds.toFixed(2)} s = ${(mb / exportSeconds).toFixed(0)} MB/s ` +
          `(${((copySeconds / exportSeconds) * 100).toFixed(0)}% of plain-copy speed; synced to disk; includes reading Photos.sqlite, date folders, mtimes, photos.csv/json)`,
      );
    } finally {
      workspace.dispose();
    }
  } finally {
    if (!process.env.KEEP_BENCH) rmSync(root, { recursive: true, force: true });
    else console.log(root);
  }
}
