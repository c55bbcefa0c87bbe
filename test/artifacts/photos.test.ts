import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import exifr from 'exifr';
import type { ArtifactData } from '../../src/artifacts/artifact.js';
import { photosArtifact, type PhotoAsset } from '../../src/artifacts/photos/index.js';
import { BackupSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { Backup } from '../../src/backup/backup.js';
import type { BackupFileInput } from '../../src/backup/types.js';
import { exifLocalTime } from '../../demo/src/media/exif.js';
import { buildIsoMedia } from '../../demo/src/media/iso-media.js';
import { encodeJpeg, type Rgb } from '../../demo/src/media/jpeg.js';
import {
  buildPhotoLibrary,
  type LibraryAlbum,
  type LibraryAsset,
  type PhotoLibraryVersion,
} from '../../demo/src/photo-library.js';
import type { ExportOptions } from '../../src/export/exporter.js';
import { insertExif } from '../../src/export/media/heic.js';
import { exportArtifacts, type ArtifactExport } from '../../src/export/run.js';
import { runCli, sha256, writeBackup } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';

const RED: Rgb = [200, 30, 40];
const BLUE: Rgb = [30, 60, 200];

/** A real JPEG with EXIF DateTimeOriginal + OffsetTimeOriginal for a local time "2024-06-15T10:24:00-07:00". */
function jpeg(localTime: string, size = 16, colour: Rgb = RED): Buffer {
  const { dateTimeOriginal, offsetTimeOriginal } = exifLocalTime(localTime);
  return encodeJpeg({
    width: size,
    height: size,
    corners: { topLeft: colour, topRight: BLUE, bottomLeft: BLUE, bottomRight: colour },
    exif: {
      make: 'Apple',
      model: 'iPhone 12',
      software: '16.5',
      dateTimeOriginal,
      offsetTimeOriginal,
      width: size,
      height: size,
    },
  });
}
const mov = (iso: string, seconds: number) =>
  buildIsoMedia({
    kind: 'quicktime',
    createdUnix: Date.parse(iso) / 1000,
    durationSeconds: seconds,
  });

/** One of everything the issue names; `takenAt` in UTC, EXIF in local time at -07:00. */
function library(): { assets: LibraryAsset[]; albums: LibraryAlbum[]; orphan: BackupFileInput } {
  const base = (pk: number, takenAt: string, extra: Partial<LibraryAsset> = {}): LibraryAsset => ({
    pk,
    filename: `IMG_${String(pk).padStart(4, '0')}.JPG`,
    kind: 'photo',
    takenAt,
    timeZoneOffset: -7 * 3600,
    width: 16,
    height: 16,
    original: jpeg(
      new Date(Date.parse(takenAt) - 7 * 3600_000).toISOString().slice(0, 19) + '-07:00',
      16,
      [pk * 10, 30, 40],
    ),
    ...extra,
  });
  const assets: LibraryAsset[] = [
    base(1, '2024-06-15T17:24:00Z', {
      favorite: true,
      location: { latitude: 37.8199, longitude: -122.4783 },
    }),
    base(2, '2024-08-04T01:02:00Z', { hidden: true }),
    base(3, '2024-12-24T16:40:00Z', { subtype: 2, liveVideo: mov('2024-12-24T16:40:00Z', 2.9) }),
    base(4, '2025-01-18T17:12:00Z', { trashedAt: '2025-02-01T20:00:00Z' }),
    base(5, '2025-02-15T03:05:00Z', {
      original: null,
      thumbnail: jpeg('2025-02-14T20:05:00-07:00', 8),
    }),
    base(6, '2025-03-01T12:00:00Z', {
      render: { ext: 'jpg', data: jpeg('2025-03-01T05:00:00-07:00', 16, BLUE) },
    }),
    { ...base(7, '2025-03-02T12:00:00Z', { subtype: 10 }), filename: 'IMG_0007.PNG' },
    base(8, '2025-03-03T12:00:00Z', { burst: { uuid: 'BURST-1', pickType: 16 } }),
    base(9, '2025-03-03T12:00:01Z', { burst: { uuid: 'BURST-1', pickType: 2 } }),
    {
      ...base(10, '2025-03-04T12:00:00Z', {
        kind: 'video',
        duration: 12.5,
        original: mov('2025-03-04T12:00:00Z', 12.5),
      }),
      filename: 'IMG_0010.MOV',
    },
    base(11, '2025-03-05T12:00:00Z', { original: null, cloudGuid: 'CLOUD-11' }),
    base(12, '2025-03-06T12:00:00Z', { original: null }),
    base(13, '2025-03-07T12:00:00Z', { hidden: true, trashedAt: '2025-03-08T00:00:00Z' }),
  ];
  const albums: LibraryAlbum[] = [
    { pk: 1, title: 'Holidays', assetPks: [1, 4] },
    { pk: 2, title: 'Family', assetPks: [1, 3] },
    { pk: 3, title: 'Deleted album', assetPks: [6], trashed: true },
  ];
  const orphan: BackupFileInput = {
    domain: 'CameraRollDomain',
    relativePath: 'Media/DCIM/101APPLE/IMG_0099.JPG',
    data: jpeg('2023-05-01T09:00:00+02:00'),
    modified: new Date('2030-01-01T00:00:00Z'),
  };
  return { assets, albums, orphan };
}

interface Fixture {
  dir: string;
  data: ArtifactData<PhotoAsset>;
  exportTo(out: string, options?: ExportOptions): Promise<ArtifactExport>;
  close(): void;
}

async function backupWith(files: BackupFileInput[]): Promise<Fixture> {
  const dir = tempDir('reclaim-photos-');
  await writeBackup(join(dir.path, 'backup'), files);
  const backup = Backup.open(join(dir.path, 'backup'));
  const workspace = PrivateWorkspace.create();
  const source = new BackupSource(backup, workspace);
  const data = (await photosArtifact.read(source, {})) as ArtifactData<PhotoAsset>;
  return {
    dir: dir.path,
    data,
    exportTo: async (out, options = {}) =>
      (
        await exportArtifacts(source, join(dir.path, out), ['photos'], {
          export: { time: { utc: true }, ...options },
        })
      )[0]!,
    close: () => {
      workspace.dispose();
      dir.cleanup();
    },
  };
}

const byName = (data: ArtifactData<PhotoAsset>, name: string) =>
  data.items.find((a) => a.filename === name)!;

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory()
        ? listFiles(full, `${prefix}${name}/`)
        : [`${prefix}${name}`];
    })
    .sort();
}

for (const version of ['ios17', 'ios13'] as PhotoLibraryVersion[]) {
  describe(`photos: Photos.sqlite to the ${version === 'ios17' ? 'iOS 16/17 (ZASSET, Z_28ASSETS)' : 'iOS 13 (ZGENERICASSET, Z_26ASSETS)'} schema`, () => {
    const { assets, albums, orphan } = library();
    let fx: Fixture;
    before(async () => {
      fx = await backupWith([...buildPhotoLibrary(version, assets, albums), orphan]);
    });
    after(() => fx.close());

    test('reads every asset with its flags, albums and files', () => {
      const { data } = fx;
      assert.equal(data.items.length, assets.length + 1);
      assert.deepEqual(data.sources, ['CameraRollDomain/Media/PhotoData/Photos.sqlite']);
      const one = byName(data, 'IMG_0001.JPG');
      assert.equal(one.created?.toISOString(), '2024-06-15T17:24:00.000Z');
      assert.equal(one.dateSource, 'library');
      assert.equal(one.favorite, true);
      assert.equal(one.latitude, 37.8199);
      assert.equal(one.longitude, -122.4783);
      assert.deepEqual(one.albums, ['Family', 'Holidays']);
      assert.equal(byName(data, 'IMG_0002.JPG').hidden, true);
      const trashed = byName(data, 'IMG_0004.JPG');
      assert.equal(trashed.trashed, true);
      assert.equal(trashed.trashedAt?.toISOString(), '2025-02-01T20:00:00.000Z');
      assert.deepEqual(trashed.albums, ['Holidays']);
      assert.deepEqual(byName(data, 'IMG_0006.JPG').albums, [], 'a trashed album is not listed');
      const live = byName(data, 'IMG_0003.JPG');
      assert.equal(live.livePhoto, true);
      assert.deepEqual(
        live.files.map((f) => [f.role, f.relativePath]),
        [
          ['original', 'Media/DCIM/100APPLE/IMG_0003.JPG'],
          ['live-video', 'Media/DCIM/100APPLE/IMG_0003.MOV'],
        ],
      );
      assert.equal(byName(data, 'IMG_0005.JPG').availability, 'lower-resolution');
      assert.match(byName(data, 'IMG_0005.JPG').note!, /lower-resolution copy/);
      const edited = byName(data, 'IMG_0006.JPG');
      assert.equal(edited.edited, true);
      assert.deepEqual(
        edited.files.map((f) => f.role),
        ['original', 'edited'],
      );
      assert.equal(byName(data, 'IMG_0007.PNG').screenshot, true);
      assert.equal(byName(data, 'IMG_0008.JPG').burstId, 'BURST-1');
      assert.equal(byName(data, 'IMG_0008.JPG').burstPick, true);
      assert.equal(byName(data, 'IMG_0009.JPG').burstPick, false);
      const video = byName(data, 'IMG_0010.MOV');
      assert.equal(video.kind, 'video');
      assert.equal(video.duration, 12.5);
      assert.equal(byName(data, 'IMG_0011.JPG').availability, 'icloud-only');
      assert.equal(byName(data, 'IMG_0012.JPG').availability, 'missing');
      const loose = byName(data, 'IMG_0099.JPG');
      assert.equal(loose.pk, null);
      assert.equal(loose.dateSource, 'exif');
      assert.equal(loose.created?.toISOString(), '2023-05-01T07:00:00.000Z');
      assert.ok(
        data.problems.some((p) => /1 DCIM file\(s\) are not in Photos.sqlite/.test(p.message)),
      );
      assert.ok(
        data.notInBackup.some((l) =>
          /1 photo\(s\)\/video\(s\) of this library are in iCloud Photos only/.test(l),
        ),
      );
      assert.ok(data.notInBackup.some((l) => /Apple Music/.test(l)));
    });

    test('date layout: originals byte-identical with the date taken as file time; Hidden and Recently Deleted counted, not exported', async () => {
      const result = await fx.exportTo('out-date');
      const out = join(fx.dir, 'out-date', 'photos');
      const files = listFiles(out);
      assert.deepEqual(files, [
        '2023/2023-05/IMG_0099.JPG',
        '2024/2024-06/IMG_0001.JPG',
        '2024/2024-12/IMG_0003.JPG',
        '2024/2024-12/IMG_0003.MOV',
        '2025/2025-02/IMG_0005 (lower resolution).jpg',
        '2025/2025-03/IMG_0006 (edited).jpg',
        '2025/2025-03/IMG_0006.JPG',
        '2025/2025-03/IMG_0007.PNG',
        '2025/2025-03/IMG_0008.JPG',
        '2025/2025-03/IMG_0009.JPG',
        '2025/2025-03/IMG_0010.MOV',
        'photos.csv',
        'photos.json',
      ]);
      for (const a of assets.filter((x) => x.original && !x.hidden && !x.trashedAt)) {
        const path = files.find((f) => f.endsWith(`/${a.filename}`))!;
        assert.equal(
          sha256(readFileSync(join(out, path))),
          sha256(a.original!),
          `${a.filename} bytes`,
        );
        assert.equal(
          statSync(join(out, path)).mtime.toISOString(),
          new Date(a.takenAt).toISOString(),
          `${a.filename} mtime`,
        );
      }
      const live = assets.find((a) => a.pk === 3)!;
      assert.equal(
        sha256(readFileSync(join(out, '2024/2024-12/IMG_0003.MOV'))),
        sha256(live.liveVideo!),
      );
      assert.equal(
        statSync(join(out, '2024/2024-12/IMG_0003.MOV')).mtime.toISOString(),
        '2024-12-24T16:40:00.000Z',
      );
      assert.equal(
        sha256(readFileSync(join(out, '2025/2025-03/IMG_0006 (edited).jpg'))),
        sha256(assets[5]!.render!.data),
      );
      assert.equal(
        statSync(join(out, '2023/2023-05/IMG_0099.JPG')).mtime.toISOString(),
        '2023-05-01T07:00:00.000Z',
        'EXIF date, not the backup file time',
      );
      assert.equal(result.counts['photos'], 8);
      assert.equal(result.counts['videos'], 1);
      assert.equal(result.counts['live photos'], 1);
      assert.equal(result.counts['hidden (not exported: --include-hidden)'], 1);
      assert.equal(result.counts['recently deleted (not exported: --include-deleted)'], 2);
      assert.equal(result.counts['iCloud-only (listed)'], 1);
      assert.equal(result.counts['missing from the backup (listed)'], 1);
      assert.equal(result.counts['lower-resolution copies'], 1);
      const csv = readFileSync(join(out, 'photos.csv'), 'utf8').split('\r\n');
      assert.equal(csv.length - 2, assets.length + 1, 'one CSV row per asset, exported or not');
      const row = (name: string) => csv.find((l) => l.includes(`,${name},`))!;
      assert.match(row('IMG_0002.JPG'), /not exported: in the Hidden album/);
      assert.match(row('IMG_0004.JPG'), /,true,2025-02-01T20:00:00.000Z,/);
      assert.match(row('IMG_0004.JPG'), /not exported: in Recently Deleted/);
      assert.match(row('IMG_0005.JPG'), /lower-resolution copy/);
      assert.match(row('IMG_0011.JPG'), /in iCloud Photos only/);
      const json = JSON.parse(readFileSync(join(out, 'photos.json'), 'utf8')) as {
        assets: Array<{ filename: string; albums: string[]; status: string }>;
      };
      assert.deepEqual(json.assets.find((a) => a.filename === 'IMG_0001.JPG')!.albums, [
        'Family',
        'Holidays',
      ]);
      assert.equal(
        json.assets.find((a) => a.filename === 'IMG_0013.JPG')!.status,
        'skipped-deleted',
      );
    });

    test('album layout with --include-deleted --include-hidden: marked folders, albums right, Live Photo pair together', async () => {
      await fx.exportTo('out-album', {
        layout: 'album',
        includeDeleted: true,
        includeHidden: true,
      });
      const out = join(fx.dir, 'out-album', 'photos');
      const files = listFiles(out);
      for (const expected of [
        'Holidays/IMG_0001.JPG',
        'Family/IMG_0001.JPG',
        'Family/IMG_0003.JPG',
        'Family/IMG_0003.MOV',
        'Recently Deleted/Holidays/IMG_0004.JPG',
        'Hidden/Not in an album/IMG_0002.JPG',
        'Recently Deleted/Not in an album/IMG_0013.JPG',
        'Not in an album/IMG_0006.JPG',
        'Not in an album/IMG_0006 (edited).jpg',
      ])
        assert.ok(files.includes(expected), `${expected} in ${files.join(', ')}`);
      assert.equal(
        sha256(readFileSync(join(out, 'Family/IMG_0001.JPG'))),
        sha256(assets[0]!.original!),
      );
      assert.equal(
        statSync(join(out, 'Family/IMG_0001.JPG')).mtime.toISOString(),
        '2024-06-15T17:24:00.000Z',
      );
      assert.equal(
        statSync(join(out, 'Recently Deleted/Holidays/IMG_0004.JPG')).mtime.toISOString(),
        '2025-01-18T17:12:00.000Z',
      );
    });

    test('flat layout puts everything in one folder without clashes', async () => {
      await fx.exportTo('out-flat', { layout: 'flat' });
      const files = listFiles(join(fx.dir, 'out-flat', 'photos'));
      assert.ok(
        files.includes('IMG_0003.JPG') &&
          files.includes('IMG_0003.MOV') &&
          files.includes('IMG_0099.JPG'),
      );
      assert.ok(files.every((f) => !f.includes('/')));
    });
  });
}

describe('photos: without a usable Photos.sqlite', () => {
  const { assets, orphan } = library();
  const dcimOnly = () => buildPhotoLibrary('ios17', assets, [], { withDatabase: false });

  test('missing Photos.sqlite: every DCIM file exported with its EXIF date, the mismatch reported', async () => {
    const fx = await backupWith([...dcimOnly(), orphan]);
    try {
      const stored = assets.filter((a) => a.original).length;
      // The Live Photo's MOV pairs with its still by name.
      assert.equal(fx.data.items.length, stored + 1);
      const live = byName(fx.data, 'IMG_0003.JPG');
      assert.deepEqual(
        live.files.map((f) => f.role),
        ['original', 'live-video'],
      );
      assert.ok(
        fx.data.items.filter((a) => a.kind === 'photo').every((a) => a.dateSource === 'exif'),
      );
      assert.equal(
        byName(fx.data, 'IMG_0001.JPG').created?.toISOString(),
        '2024-06-15T17:24:00.000Z',
      );
      assert.ok(
        fx.data.problems.some(
          (p) =>
            p.severity === 'warning' &&
            /the backup has no Photos.sqlite: exported the 12 DCIM file/.test(p.message),
        ),
      );
      const result = await fx.exportTo('out');
      const out = join(fx.dir, 'out', 'photos');
      assert.ok(existsSync(join(out, '2024/2024-06/IMG_0001.JPG')));
      // Without the library, hidden and deleted photos cannot be told apart: they are exported too.
      assert.ok(existsSync(join(out, '2024/2024-08/IMG_0002.JPG')));
      // The video gets the date in its own movie header, not the backup's file time.
      assert.equal(
        statSync(join(out, '2025/2025-03/IMG_0010.MOV')).mtime.toISOString(),
        '2025-03-04T12:00:00.000Z',
      );
      assert.equal(result.counts['photos'], 10);
      assert.equal(result.counts['videos'], 1);
    } finally {
      fx.close();
    }
  });

  test('Photos.sqlite of an unknown schema or corrupt: an error entry, and the DCIM files still exported', async () => {
    const { buildSqliteFile } = await import('../../demo/src/sqlite-file.js');
    const unknown = buildSqliteFile(
      ['CREATE TABLE ZSOMETHINGELSE (Z_PK INTEGER PRIMARY KEY, ZNAME VARCHAR);'],
      () => {},
    );
    for (const [label, bytes, pattern] of [
      ['unknown schema', unknown, /schema this version does not know/],
      [
        'corrupt',
        Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(5000, 0xab)]),
        /could not be read/,
      ],
    ] as const) {
      const fx = await backupWith([
        ...dcimOnly(),
        { domain: 'CameraRollDomain', relativePath: 'Media/PhotoData/Photos.sqlite', data: bytes },
      ]);
      try {
        const problem = fx.data.problems.find((p) => p.severity === 'error');
        assert.ok(
          problem && pattern.test(problem.message),
          `${label}: ${JSON.stringify(fx.data.problems)}`,
        );
        assert.equal(fx.data.items.length, assets.filter((a) => a.original).length);
        const result = await fx.exportTo('out');
        assert.equal((result.counts['photos'] ?? 0) + (result.counts['videos'] ?? 0), 10);
      } finally {
        fx.close();
      }
    }
  });
});

describe('photos: HEIC to JPEG', () => {
  test('EXIF is carried into a JPEG as its APP1 segment (Orientation reset to 1)', async () => {
    const withExif = jpeg('2024-06-15T10:24:00-07:00');
    // The TIFF block of the demo JPEG's APP1, as heifExif would return it from a HEIC's Exif item.
    const app1 = withExif.indexOf(Buffer.from('Exif\0\0', 'latin1'));
    const length = withExif.readUInt16BE(app1 - 2);
    const tiff = withExif.subarray(app1 + 6, app1 - 2 + length);
    const bare = encodeJpeg({
      width: 8,
      height: 8,
      corners: { topLeft: RED, topRight: RED, bottomLeft: BLUE, bottomRight: BLUE },
    });
    assert.equal(await exifr.parse(bare, ['DateTimeOriginal']).catch(() => undefined), undefined);
    const out = insertExif(bare, tiff);
    const tags = (await exifr.parse(out, { reviveValues: false })) as Record<string, unknown>;
    assert.equal(tags['DateTimeOriginal'], '2024:06:15 10:24:00');
    assert.equal(tags['OffsetTimeOriginal'], '-07:00');
    assert.equal(tags['Make'], 'Apple');
  });

  test('a file named .HEIC that is not a HEIC: conversion fails with a warning, the original is still exported', async () => {
    const fake: LibraryAsset = {
      pk: 1,
      filename: 'IMG_0001.HEIC',
      kind: 'photo',
      takenAt: '2024-06-15T17:24:00Z',
      width: 16,
      height: 16,
      original: jpeg('2024-06-15T10:24:00-07:00'),
    };
    const fx = await backupWith(buildPhotoLibrary('ios17', [fake], []));
    try {
      const result = await fx.exportTo('out', { heicToJpeg: true });
      assert.ok(
        result.problems.some(
          (p) => p.severity === 'warning' && /IMG_0001.HEIC: HEIC to JPEG failed/.test(p.message),
        ),
      );
      assert.deepEqual(
        readFileSync(join(fx.dir, 'out/photos/2024/2024-06/IMG_0001.HEIC')),
        fake.original,
      );
    } finally {
      fx.close();
    }
  });
});

describe('photos: end to end through the CLI', () => {
  test('reclaim export BACKUP OUT --only photos,voice-memos,voicemail on an encrypted generated backup', async () => {
    const { assets, albums } = library();
    const dir = tempDir('reclaim-photos-cli-');
    try {
      await writeBackup(join(dir.path, 'backup'), buildPhotoLibrary('ios17', assets, albums), {
        password: 'pw',
      });
      const run = runCli(
        [
          'export',
          join(dir.path, 'backup'),
          join(dir.path, 'out'),
          '--only',
          'photos,voice-memos,voicemail',
          '--include-hidden',
        ],
        { RECLAIM_PASSWORD: 'pw' },
      );
      assert.equal(run.status, 0, run.stderr + run.stdout);
      assert.match(run.stdout, /Photos and videos\s+8 photos, 1 hidden \(exported, in Hidden\/\)/);
      assert.match(run.stdout, /1 videos/);
      assert.match(run.stdout, /recently deleted \(not exported: --include-deleted\)/);
      assert.equal(
        sha256(readFileSync(join(dir.path, 'out/photos/Hidden/2024/2024-08/IMG_0002.JPG'))),
        sha256(assets[1]!.original!),
      );
      const summary = JSON.parse(
        readFileSync(join(dir.path, 'out/export-summary.json'), 'utf8'),
      ) as Array<{ artifact: string; notInBackup: string[] }>;
      assert.ok(
        summary
          .find((s) => s.artifact === 'photos')!
          .notInBackup.some((l) => /Apple Music/.test(l)),
      );
    } finally {
      dir.cleanup();
    }
  });
});
