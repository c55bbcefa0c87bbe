import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  photosArtifact,
  photosDeclaration,
  type PhotoAsset,
} from '../../src/artifacts/photos/index.js';
import { buildIsoMedia } from '../../demo/src/media/iso-media.js';
import { encodeJpeg, type Rgb } from '../../demo/src/media/jpeg.js';
import {
  buildPhotoLibrary,
  type LibraryAlbum,
  type LibraryAsset,
} from '../../demo/src/photo-library.js';
import { assertGracefulDrops, dropEachColumn } from '../support/column-drop.js';
import { exportFiles, readFiles } from '../support/loose-files.js';

const { library } = photosDeclaration.locations;

const image = (colour: Rgb): Buffer =>
  encodeJpeg({
    width: 16,
    height: 16,
    corners: { topLeft: colour, topRight: colour, bottomLeft: [0, 0, 0], bottomRight: colour },
  });
const movie = (iso: string, seconds: number): Buffer =>
  buildIsoMedia({
    kind: 'quicktime',
    createdUnix: Date.parse(iso) / 1000,
    durationSeconds: seconds,
  });
const AAE = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>adjustmentFormatIdentifier</key><string>com.apple.photo</string></dict></plist>\n',
);

function assets(): { assets: LibraryAsset[]; albums: LibraryAlbum[] } {
  const base = (pk: number, extra: Partial<LibraryAsset> = {}): LibraryAsset => ({
    pk,
    filename: `IMG_${String(pk).padStart(4, '0')}.JPG`,
    kind: 'photo',
    takenAt: `2025-09-0${pk}T10:00:00Z`,
    width: 16,
    height: 16,
    original: image([40 * pk, 90, 160]),
    ...extra,
  });
  return {
    assets: [
      base(1, { favorite: true }),
      // An edited Live Photo: edited still and edited video, with the edit's .AAE sidecars.
      base(2, {
        subtype: 2,
        liveVideo: movie('2025-09-02T10:00:00Z', 2),
        render: { ext: 'jpg', data: image([250, 200, 10]) },
        renderVideo: movie('2025-09-02T10:00:00Z', 2.5),
        aae: AAE,
      }),
      base(3, { sharedLibrary: { by: { email: 'sam@example.com' } } }),
      base(4, { sharedLibrary: {} }),
      base(5, { hidden: true, trashedAt: '2025-09-10T00:00:00Z' }),
    ],
    albums: [{ pk: 1, title: 'Trip', assetPks: [1, 2] }],
  };
}

for (const version of ['ios18', 'ios26'] as const) {
  describe(`Photos.sqlite built to the ${version} layout (reconstructed from iLEAPP's queries)`, () => {
    const { assets: all, albums } = assets();
    const files = buildPhotoLibrary(version, all, albums);

    test('edits from ZADJUSTMENTSSTATE, albums through the renamed join table, Shared Library marked', async () => {
      const read = await readFiles<PhotoAsset>(files, 'photos');
      assert.deepEqual(read.problems, []);
      assert.equal(read.items.length, all.length);
      const by = (pk: number) => read.items.find((a) => a.pk === pk)!;
      assert.equal(by(2).edited, true);
      assert.equal(by(1).edited, false);
      assert.deepEqual(by(1).albums, ['Trip']);
      assert.equal(by(2).livePhoto, true);
      assert.equal(by(3).sharedLibrary, true);
      assert.equal(by(3).contributor, 'sam@example.com');
      assert.equal(by(4).sharedLibrary, true);
      assert.equal(by(4).contributor, null);
      assert.equal(by(1).sharedLibrary, undefined);
      assert.equal(by(5).hidden && by(5).trashed, true);
    });

    test('the export: edited still with the edited video, no .AAE exported as a photo, Shared Library in photos.csv', async () => {
      const { results, written } = await exportFiles(files, ['photos']);
      assert.deepEqual(results[0]!.problems, []);
      const names = [...written.keys()];
      assert.equal(names.filter((n) => /\.aae$/i.test(n)).length, 0, names.join(', '));
      const edited = names.filter((n) => /IMG_0002 \(edited\)/.test(n)).sort();
      assert.deepEqual(
        edited.map((n) => n.replace(/^.*\//, '')),
        ['IMG_0002 (edited).jpg', 'IMG_0002 (edited).mov'],
      );
      const [still, video] = edited.map((n) => written.get(n)!);
      assert.ok(still!.equals(all[1]!.render!.data));
      assert.ok(video!.equals(all[1]!.renderVideo!));
      assert.ok(
        names.some((n) => /IMG_0002\.MOV$/i.test(n)),
        'the original Live Photo video too',
      );
      const csv = written.get('photos/photos.csv')!.toString('utf8');
      assert.match(csv, /IMG_0003\.JPG,.*,true,sam@example\.com\r\n/);
      assert.equal(results[0]!.items, all.length, 'no .AAE counted as an asset');
    });

    test('each optional column dropped in turn: every photo still comes out, one problem line', async () => {
      const result = await dropEachColumn<PhotoAsset>({
        files,
        database: library,
        read: (source) => photosArtifact.read(source, { recoverDeleted: false }),
        key: (a) => String(a.pk),
      });
      assertGracefulDrops(result, {
        fields: {
          'ZASSET.ZUUID': ['id'],
          'ZASSET.ZDATECREATED': ['created', 'dateSource'],
          'ZASSET.ZLATITUDE': ['latitude', 'longitude'],
          'ZASSET.ZLONGITUDE': ['latitude', 'longitude'],
          'ZASSET.ZKIND': ['kind', 'livePhoto', 'duration'],
          'ZASSET.ZTRASHEDSTATE': ['trashed', 'trashedAt'],
          'ZASSET.ZADDITIONALATTRIBUTES': ['originalFilename', 'title', 'timeZoneOffset'],
        },
      });
    });
  });
}
