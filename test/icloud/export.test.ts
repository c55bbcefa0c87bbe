import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import { ARTIFACT_IDS } from '../../src/artifacts/registry.js';
import type { Note } from '../../src/artifacts/notes/model.js';
import type { PhotoAsset } from '../../src/artifacts/photos/model.js';
import { exportArtifacts, type ArtifactExport } from '../../src/export/run.js';
import { IcloudExportSource } from '../../src/icloud/source.js';
import { hashTree, sha256 } from '../support/backups.js';
import { tempDir } from '../support/fixtures.js';
import {
  SAMPLE,
  writeFolder,
  writeSampleExport,
  writeZip,
  zipBuffer,
  type SampleFiles,
} from '../support/icloud-export.js';

const P = SAMPLE.photos;

/** The photos and their files, by what the sample calls them. */
function photo(items: PhotoAsset[], name: string, part = 'Teil 1'): PhotoAsset {
  const found = items.find((a) => a.filename === name && a.id.includes(part));
  assert.ok(found, `${name} in ${part}`);
  return found;
}

describe('iCloud data export: read in place, exported like a backup', () => {
  const tmp = tempDir('reclaim-icloud-');
  const input = join(tmp.path, 'downloads');
  const out = join(tmp.path, 'out');
  let files: SampleFiles;
  let source: IcloudExportSource;
  let results: ArtifactExport[];
  let hashesBefore: Map<string, string>;
  const exported = (...parts: string[]) => readFileSync(join(out, ...parts));

  before(async () => {
    files = await writeSampleExport(input);
    hashesBefore = hashTree(input);
    source = (await IcloudExportSource.open(input))!;
    results = await exportArtifacts(source, out, [...ARTIFACT_IDS], {
      export: { includeDeleted: true, includeHidden: true },
    });
  });
  after(() => {
    source?.dispose();
    tmp.cleanup();
  });

  test('the export folder is not touched, and every data type is in export-summary.json', () => {
    assert.deepEqual(hashTree(input), hashesBefore);
    const summary = JSON.parse(
      readFileSync(join(out, 'export-summary.json'), 'utf8'),
    ) as ArtifactExport[];
    assert.deepEqual(
      summary.map((r) => r.artifact),
      [...ARTIFACT_IDS],
    );
    const messages = summary.find((r) => r.artifact === 'messages')!;
    assert.equal(messages.items, 0);
    assert.match(messages.notInBackup.join(' '), /end-to-end encrypted/);
    assert.match(messages.notInBackup.join(' '), /Health/);
    assert.match(messages.notInBackup.join(' '), /device backups/);
  });

  test('describe(): archives by content, the translated part set, the missing part named', () => {
    const d = source.describe();
    assert.equal(d.kind, 'icloud-export');
    if (d.kind !== 'icloud-export') return;
    assert.deepEqual(d.missingParts, [SAMPLE.missingPart]);
    assert.equal(d.complete, false);
    const holds = Object.fromEntries(d.archives.map((a) => [a.id, a.holds]));
    assert.equal(holds['iCloud Fotos Teil 1 von 3.zip'], 'iCloud Photos');
    assert.equal(holds['iCloud Notizen.zip'], 'Notes');
    assert.equal(holds['iCloud Drive.zip'], 'files (iCloud Drive or other data)');
    assert.equal(d.archives.filter((a) => a.holds === 'shared albums').length, 2);
    assert.deepEqual(d.unfit, [
      'iCloud Fotos Teil 1 von 3.zip: iCloud Fotos Teil 1 von 3/Photos/iCloudUsageData.txt',
    ]);
  });

  test('the missing part is a problem line of the photos, and the rest still exports', () => {
    const photos = results.find((r) => r.artifact === 'photos')!;
    assert.ok(
      photos.problems.some(
        (p) => p.severity === 'error' && p.message.startsWith('Part 3 of 3 is not here'),
      ),
    );
    assert.equal(photos.counts['photos'], 12);
    assert.equal(photos.counts['videos'], 1);
    assert.match(photos.problems.map((p) => p.message).join('\n'), /iCloudUsageData\.txt/);
  });

  describe('photos', () => {
    let items: PhotoAsset[];
    before(async () => {
      items = (await source.readArtifact('photos')).items;
    });

    test('dated from EXIF first, byte for byte, with the file time set', () => {
      const a = photo(items, P.exif.name);
      assert.equal(a.created?.toISOString(), P.exif.created);
      assert.equal(a.dateSource, 'exif');
      assert.equal(a.favorite, true);
      const path = join(out, 'photos', '2021', '2021-05', P.exif.name);
      assert.equal(sha256(readFileSync(path)), sha256(files.exif!));
      assert.equal(statSync(path).mtime.toISOString(), P.exif.created);
    });

    test('a Live Photo pair stays together though the MOV has no row', () => {
      const a = photo(items, P.live.name);
      assert.equal(a.livePhoto, true);
      assert.deepEqual(
        a.files.map((f) => f.role),
        ['original', 'live-video'],
      );
      assert.ok(!items.some((i) => i.filename === P.live.video), 'no asset of its own');
      assert.deepEqual(exported('photos', '2021', '2021-05', P.live.video), files.liveVideo);
      assert.deepEqual(exported('photos', '2021', '2021-05', P.live.name), files.liveStill);
    });

    test('a JPEG named .PNG is exported as .jpg', () => {
      const a = photo(items, P.wrongType.name);
      assert.equal(a.files[0]!.extension, '.jpg');
      assert.deepEqual(
        exported('photos', '2021', '2021-05', P.wrongType.exportedAs),
        files.wrongType,
      );
      assert.ok(!existsSync(join(out, 'photos', '2021', '2021-05', P.wrongType.name)));
    });

    test('X-1.MOV beside a 0-byte X.MOV: the real one exported (movie-header date), the placeholder reported', () => {
      const placeholder = photo(items, P.placeholder.name);
      assert.equal(placeholder.availability, 'missing');
      assert.match(placeholder.note ?? '', /0-byte placeholder/);
      const real = photo(items, P.placeholder.real);
      assert.equal(real.created?.toISOString(), P.placeholder.created);
      assert.equal(real.dateSource, 'media-header');
      assert.deepEqual(
        exported('photos', '2020', '2020-02', P.placeholder.real),
        files.placeholderReal,
      );
      assert.ok(!existsSync(join(out, 'photos', '2020', '2020-02', P.placeholder.name)));
      const warnings = results.find((r) => r.artifact === 'photos')!.problems.map((p) => p.message);
      assert.ok(
        warnings.some((m) => m.includes('0-byte placeholder') && m.includes(P.placeholder.name)),
      );
    });

    test('12 PM is noon and 12 AM is midnight (rows of a BOM + CRLF CSV)', () => {
      for (const case_ of [P.noon, P.midnight]) {
        const a = photo(items, case_.name);
        assert.equal(a.created?.toISOString(), case_.created);
        assert.equal(a.dateSource, 'export-details');
      }
      const path = join(out, 'photos', '2015', '2015-06', P.midnight.name);
      assert.equal(statSync(path).mtime.toISOString(), P.midnight.created);
    });

    test('the UTF-16 Photo Details-2.csv is read despite the gap in the numbering: hidden and Recently Deleted', () => {
      const hidden = photo(items, P.hidden);
      assert.equal(hidden.hidden, true);
      const deleted = photo(items, P.deleted);
      assert.equal(deleted.trashed, true);
      assert.deepEqual(exported('photos', 'Hidden', '2015', '2015-06', P.hidden), files.hidden);
      assert.deepEqual(
        exported('photos', 'Recently Deleted', '2015', '2015-06', P.deleted),
        files.deleted,
      );
    });

    test('the same file name in two parts is two photos, each dated by the row of its own part', () => {
      const one = photo(items, P.twice.name, 'Teil 1');
      const two = photo(items, P.twice.name, 'Teil 2');
      assert.equal(one.created?.toISOString(), P.twice.part1);
      assert.equal(two.created?.toISOString(), P.twice.part2);
      assert.deepEqual(exported('photos', '2016', '2016-01', P.twice.name), files.twice1);
      assert.deepEqual(exported('photos', '2017', '2017-03', P.twice.name), files.twice2);
    });

    test('albums with both header spellings, resolved in their own part first; duplicate memory files are one memory', () => {
      assert.deepEqual(photo(items, P.exif.name).albums, ['Holidays', 'Celebration 7 Aug 2021']);
      assert.deepEqual(photo(items, P.exif.name).memories, ['Celebration 7 Aug 2021']);
      assert.deepEqual(photo(items, P.noon.name).memories, ['Celebration 7 Aug 2021']);
      assert.deepEqual(photo(items, P.twice.name, 'Teil 1').albums, ['Holidays']);
      assert.deepEqual(photo(items, P.twice.name, 'Teil 2').albums, []);
      assert.deepEqual(photo(items, P.live.name).albums, ['Family']);
      assert.deepEqual(photo(items, P.onlyInPart2, 'Teil 2').albums, ['Family']);
      assert.ok(!items.some((a) => a.albums.includes('Celebration 7 Aug 20211')));
    });

    test('nested shared-album zips (stored and deflated) are albums marked shared', () => {
      for (const [c, bytes] of [
        [P.shared, files.shared!],
        [P.sharedDeflated, files.sharedDeflated!],
      ] as const) {
        const a = items.find((i) => i.filename === c.name)!;
        assert.deepEqual(a.albums, [c.album]);
        assert.deepEqual(a.sharedAlbums, [c.album]);
        assert.equal(a.dateSource, 'exif');
        const year = a.created!.toISOString().slice(0, 4);
        const month = a.created!.toISOString().slice(0, 7);
        assert.deepEqual(exported('photos', year, month, c.name), bytes);
      }
    });

    test('photos.csv and photos.json list every photo, albums and status included', () => {
      const json = JSON.parse(readFileSync(join(out, 'photos', 'photos.json'), 'utf8')) as {
        assets: Array<{ filename: string; albums: string[]; status: string }>;
      };
      assert.equal(json.assets.length, items.length);
      assert.equal(json.assets.find((a) => a.filename === P.placeholder.name)!.status, 'missing');
      const csv = readFileSync(join(out, 'photos', 'photos.csv'), 'utf8');
      assert.match(csv, /Holidays; Celebration 7 Aug 2021/);
    });
  });

  test('--layout album: albums, memories and shared albums as folders; deleted and hidden skipped by default', async () => {
    const albumOut = join(tmp.path, 'albums');
    const [result] = await exportArtifacts(source, albumOut, ['photos'], {
      export: { layout: 'album' },
    });
    const tree = hashTree(join(albumOut, 'photos'));
    const has = (path: string, bytes: Buffer) => assert.equal(tree.get(path), sha256(bytes), path);
    has(join('Holidays', P.exif.name), files.exif!);
    has(join('Memories', 'Celebration 7 Aug 2021', P.exif.name), files.exif!);
    has(join('Family', P.live.video), files.liveVideo!);
    has(join('Shared Albums', 'Trip', P.shared.name), files.shared!);
    assert.ok(![...tree.keys()].some((k) => k.includes(P.hidden) || k.includes(P.deleted)));
    assert.equal(result!.counts['hidden (not exported: --include-hidden)'], 1);
    assert.equal(result!.counts['recently deleted (not exported: --include-deleted)'], 1);
  });

  describe('notes', () => {
    let notes: Note[];
    before(async () => {
      notes = (await source.readArtifact('notes')).items;
    });
    const note = (title: string) => notes.find((n) => n.title === title)!;

    test('folders, pinned, Recently Deleted, dates from Notes Details, "|" in names back to "/"', () => {
      assert.deepEqual(notes.map((n) => n.title).sort(), ['A/B', 'Old idea', 'Plans', 'Shopping']);
      assert.equal(note('Plans').folder, 'Work');
      assert.equal(note('Plans').pinned, true);
      assert.equal(note('Shopping').folder, null);
      assert.equal(note('Old idea').inRecentlyDeleted, true);
      assert.equal(note('Shopping').inRecentlyDeleted, false);
      assert.equal(note('Shopping').modified?.toISOString(), '2024-01-03T09:30:15.000Z');
      assert.equal(note('Shopping').created?.toISOString(), '2024-01-02T08:00:00.000Z');
    });

    test('checklists as checklists, in the HTML and the Markdown', () => {
      const checklist = note('Shopping').paragraphs!.filter((p) => p.style === 'checklist');
      assert.deepEqual(
        checklist.map((p) => [p.runs.map((r) => r.text).join(''), p.done]),
        [
          ['Milk', false],
          ['Bread', true],
        ],
      );
      const md = exported('notes', 'md', 'Shopping.md').toString();
      assert.match(md, /- \[ \] Milk/);
      assert.match(md, /- \[x\] Bread/);
      assert.match(exported('notes', 'html', 'Shopping.html').toString(), /class="checklist"/);
    });

    test('attachments inline, in placeholder order, byte for byte', () => {
      const plans = note('Plans');
      assert.deepEqual(
        plans.attachments.map((a) => [a.title, a.kind]),
        [
          ['Attachment.png', 'image'],
          ['Attachment-1.pdf', 'pdf'],
        ],
      );
      const html = exported('notes', 'html', 'Plans.html').toString();
      assert.ok(html.indexOf('Attachment.png') < html.indexOf('Attachment-1.pdf'));
      assert.match(html, /<img src="[^"]*attachments\/Plans\/Attachment\.png"/);
      assert.deepEqual(
        exported('notes', 'attachments', 'Plans', 'Attachment.png'),
        files.notePicture,
      );
      assert.deepEqual(
        exported('notes', 'attachments', 'Plans', 'Attachment-1.pdf'),
        files.notePdf,
      );
    });
  });

  test('contacts: vCards read and written again through the contacts exporter', async () => {
    const { items } = await source.readArtifact('contacts');
    const jane = items.find((c) => c.lastName === 'Doe')!;
    assert.equal(jane.displayName, 'Jane Q. Doe');
    assert.equal(jane.prefix, 'Dr.');
    assert.equal(jane.organization, 'Acme');
    assert.equal(jane.department, 'Research');
    assert.deepEqual(jane.phones, [
      { label: 'Mobile', value: '+1 555 0100' },
      { label: 'Home Fax', value: '+1 555 0199' },
    ]);
    assert.deepEqual(jane.emails, [{ label: 'Work', value: 'jane@example.org' }]);
    assert.equal(jane.addresses[0]!.city, 'Springfield');
    assert.equal(jane.birthday, '1990-02-03');
    assert.equal(jane.photo?.mimeType, 'image/jpeg');
    assert.equal(jane.photo?.data.subarray(0, 3).toString('hex'), 'ffd8ff');
    const company = items.find((c) => c.isCompany)!;
    assert.equal(company.displayName, 'Acme Corp');
    const vcf = exported('contacts', 'contacts.vcf').toString();
    const cards = ICAL.parse(vcf) as unknown[];
    assert.equal(cards.length, 2);
  });

  test('calendars and reminders: .ics read into the same records, written again as .ics', async () => {
    const { items: events } = await source.readArtifact('calendar');
    const weekly = events.find((e) => e.summary === 'Weekly sync')!;
    assert.equal(weekly.start?.toISOString(), '2024-01-01T09:00:00.000Z');
    assert.equal(weekly.timeZone, 'Europe/Paris');
    assert.equal(weekly.calendar, 'Home');
    assert.deepEqual(
      weekly.recurrence.map((r) => [r.frequency, r.count, r.byDay]),
      [['WEEKLY', 3, ['MO']]],
    );
    assert.deepEqual(weekly.alarms, [{ offsetSeconds: -900, at: null }]);
    const holiday = events.find((e) => e.summary === 'Holiday')!;
    assert.equal(holiday.allDay, true);
    assert.equal(holiday.start?.toISOString(), '2024-07-04T00:00:00.000Z');
    const ics = exported('calendar', 'Home.ics').toString();
    assert.match(ics, /DTSTART;TZID=Europe\/Paris:20240101T100000/);
    assert.match(ics, /RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=MO/);
    const { items: reminders } = await source.readArtifact('reminders');
    const taxes = reminders.find((r) => r.title === 'File taxes')!;
    assert.equal(taxes.completed, true);
    assert.equal(taxes.completionDate?.toISOString(), '2024-04-10T12:00:00.000Z');
    assert.equal(taxes.priority, 1);
    assert.equal(reminders.length, 2);
    assert.match(exported('reminders', 'Home.ics').toString(), /BEGIN:VTODO/);
  });

  test('bookmarks (Netscape HTML and CSV) through the Safari exporter, the Reading List apart', async () => {
    const { items } = await source.readArtifact('safari');
    const marks = items.filter((i) => i.kind === 'bookmark');
    assert.deepEqual(
      marks.map((b) => [b.title, b.url, b.folder]),
      [
        ['Example & Co', 'https://example.org/', ['Favorites']],
        ['Top level', 'https://top.example/', []],
        ['CSV mark', 'https://csv.example/', []],
      ],
    );
    const reading = items.filter((i) => i.kind === 'reading-list');
    assert.deepEqual(
      reading.map((r) => [r.title, r.dateAdded?.toISOString()]),
      [['Read later', '2023-11-14T22:15:00.000Z']],
    );
    const html = exported('safari', 'bookmarks.html').toString();
    assert.match(
      html,
      /<A HREF="https:\/\/example\.org\/" ADD_DATE="1700000000">Example &amp; Co<\/A>/,
    );
  });

  test('iCloud Drive files in their folder tree, byte for byte', () => {
    assert.deepEqual(
      exported('drive', 'files', 'iCloud Drive', 'Documents', 'Taxes', '2023.pdf'),
      files.taxes,
    );
    assert.deepEqual(exported('drive', 'files', 'iCloud Drive', 'Desktop', 'todo.txt'), files.todo);
  });
});

describe('iCloud data export: an extracted part, and one zip on its own', () => {
  test('part 2 extracted into its folder reads as the zip would', async () => {
    const tmp = tempDir('reclaim-icloud-');
    try {
      const files = await writeSampleExport(tmp.path, { extractPart2: true });
      const source = (await IcloudExportSource.open(tmp.path))!;
      try {
        const { items } = await source.readArtifact('photos');
        const two = photo(items, P.twice.name, 'Teil 2');
        assert.equal(two.created?.toISOString(), P.twice.part2);
        assert.equal(two.files[0]!.domain, 'iCloud Fotos Teil 2 von 3/');
        assert.deepEqual(await source.files.read(two.files[0]!), files.twice2);
        const d = source.describe();
        assert.ok(d.kind === 'icloud-export' && d.missingParts.length === 1);
      } finally {
        source.dispose();
      }
    } finally {
      tmp.cleanup();
    }
  });

  test('one zip given on its own is a source like a folder', async () => {
    const tmp = tempDir('reclaim-icloud-');
    try {
      await writeSampleExport(tmp.path);
      const source = (await IcloudExportSource.open(join(tmp.path, 'iCloud Contacts.zip')))!;
      try {
        assert.equal((await source.readArtifact('contacts')).items.length, 2);
        assert.equal((await source.readArtifact('photos')).items.length, 0);
        assert.ok(source.contains(join(tmp.path, 'iCloud Contacts.zip')));
        assert.ok(!source.contains(join(tmp.path, 'out')));
      } finally {
        source.dispose();
      }
    } finally {
      tmp.cleanup();
    }
  });
});

describe('iCloud data export: a folder of downloads holding other files too', () => {
  test('other files beside the zips are not read; a Drive zip nested in a Drive zip keeps its place in the tree', async () => {
    const tmp = tempDir('reclaim-icloud-');
    try {
      const inner = await zipBuffer([{ path: 'a.txt', data: Buffer.from('inside the project') }]);
      await writeZip(join(tmp.path, 'iCloud Drive.zip'), [
        { path: 'iCloud Drive/Documents/Project.zip', data: inner, compress: false },
        { path: 'iCloud Drive/Documents/b.txt', data: Buffer.from('b') },
      ]);
      writeFolder(tmp.path, [
        { path: 'holiday.pdf', data: Buffer.from('%PDF unrelated') },
        { path: 'stuff/notes.txt', data: Buffer.from('unrelated') },
      ]);
      const source = (await IcloudExportSource.open(tmp.path))!;
      try {
        const { items } = await source.readArtifact('drive');
        assert.deepEqual(items.map((f) => f.path).sort(), [
          'iCloud Drive/Documents/Project/a.txt',
          'iCloud Drive/Documents/b.txt',
        ]);
        const d = source.describe();
        assert.ok(d.kind === 'icloud-export');
        if (d.kind === 'icloud-export')
          assert.match(d.archives.find((a) => a.kind === 'folder')!.holds, /not read/);
      } finally {
        source.dispose();
      }
    } finally {
      tmp.cleanup();
    }
  });

  test('an extracted iCloud Drive folder given on its own is a source; a folder of unrelated files is not', async () => {
    const tmp = tempDir('reclaim-icloud-');
    try {
      writeFolder(join(tmp.path, 'iCloud Drive'), [
        { path: 'Documents/c.txt', data: Buffer.from('c') },
      ]);
      writeFolder(join(tmp.path, 'Pictures'), [{ path: 'x.txt', data: Buffer.from('x') }]);
      const source = (await IcloudExportSource.open(join(tmp.path, 'iCloud Drive')))!;
      try {
        const { items } = await source.readArtifact('drive');
        assert.deepEqual(
          items.map((f) => f.path),
          ['Documents/c.txt'],
        );
      } finally {
        source.dispose();
      }
      assert.equal(await IcloudExportSource.open(join(tmp.path, 'Pictures')), null);
    } finally {
      tmp.cleanup();
    }
  });
});

test('zips nested deeper than the limit stay files, said so', async () => {
  const tmp = tempDir('reclaim-icloud-');
  try {
    let inner = await zipBuffer([{ path: 'deep.txt', data: Buffer.from('five levels down') }]);
    for (const level of [5, 4, 3])
      inner = await zipBuffer([{ path: `l${level}.zip`, data: inner, compress: level % 2 === 0 }]);
    await writeZip(join(tmp.path, 'iCloud Drive.zip'), [{ path: 'l2.zip', data: inner }]);
    const source = (await IcloudExportSource.open(tmp.path))!;
    try {
      const drive = await source.readArtifact('drive');
      assert.deepEqual(
        drive.items.map((f) => f.path),
        ['l2/l3/l4/l5.zip'],
      );
      assert.ok(
        drive.problems.some((p) => /l5\.zip: zips nested this deep are not opened/.test(p.message)),
      );
      const bytes = await source.files.read(drive.items[0]!);
      assert.equal(bytes.readUInt32LE(0), 0x04034b50);
    } finally {
      source.dispose();
    }
  } finally {
    tmp.cleanup();
  }
});
