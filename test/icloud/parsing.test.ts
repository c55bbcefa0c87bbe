import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isYes, parseNoteDate, parsePhotoDate } from '../../src/icloud/dates.js';
import { missingParts, partOf } from '../../src/icloud/discover.js';
import { rightExtension, sniffMedia } from '../../src/icloud/media-type.js';
import { csvRecords, decodeText, parseCsv } from '../../src/icloud/text.js';
import { unsafeName } from '../../src/icloud/zip.js';
import { jpeg, mov } from '../support/icloud-export.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('iCloud export: Photo Details and Notes Details dates', () => {
  test('Apple\u2019s form: no space after the comma, no seconds, 12-hour clock, GMT', () => {
    assert.equal(
      iso(parsePhotoDate('Thursday August 29,2013 7:08 AM GMT')),
      '2013-08-29T07:08:00.000Z',
    );
    assert.equal(
      iso(parsePhotoDate('Wednesday September 4,2013 9:10 PM GMT')),
      '2013-09-04T21:10:00.000Z',
    );
  });

  test('12 AM is midnight and 12 PM is noon (never hour 24)', () => {
    assert.equal(
      iso(parsePhotoDate('Monday June 8,2015 12:15 AM GMT')),
      '2015-06-08T00:15:00.000Z',
    );
    assert.equal(
      iso(parsePhotoDate('Sunday June 7,2015 12:30 PM GMT')),
      '2015-06-07T12:30:00.000Z',
    );
    assert.equal(
      iso(parsePhotoDate('Sunday June 7,2015 12:59 PM GMT')),
      '2015-06-07T12:59:00.000Z',
    );
  });

  test('variants: ", ", abbreviated names, seconds, 24-hour clock, an offset', () => {
    assert.equal(iso(parsePhotoDate('Sat Sep 16, 2023 5:27 PM GMT')), '2023-09-16T17:27:00.000Z');
    assert.equal(
      iso(parsePhotoDate('Saturday September 16,2023 17:27:05 GMT')),
      '2023-09-16T17:27:05.000Z',
    );
    assert.equal(
      iso(parsePhotoDate('Saturday September 16,2023 5:27 PM GMT+02:00')),
      '2023-09-16T15:27:00.000Z',
    );
  });

  test('anything else is null, not a guess', () => {
    for (const bad of [
      '',
      'yesterday',
      'Thursday Augusts 29,2013 7:08 AM GMT',
      'Friday February 30,2024 1:00 AM GMT',
      'Monday June 8,2015 13:15 PM GMT',
    ])
      assert.equal(parsePhotoDate(bad), null, bad);
  });

  test('Notes Details: MM-DD-YYYY HH:MM:SS in UTC', () => {
    assert.equal(iso(parseNoteDate('01-03-2024 09:30:15')), '2024-01-03T09:30:15.000Z');
    assert.equal(parseNoteDate('13-03-2024 09:30:15'), null);
  });

  test('yes/no flags', () => {
    assert.deepEqual(['yes', 'Yes', 'no', '', 'true', 'No '].map(isYes), [
      true,
      true,
      false,
      false,
      true,
      false,
    ]);
  });
});

describe('iCloud export: text and CSV', () => {
  const csv =
    'imgName,originalCreationDate\r\nIMG_1.JPG,"Thursday August 29,2013 7:08 AM GMT"\r\n"a ""quoted"" name.JPG",x\r\n';

  test('UTF-8 with a BOM and CRLF', () => {
    const decoded = decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]));
    assert.equal(decoded.encoding, 'utf-8');
    const records = csvRecords(parseCsv(decoded.text));
    assert.deepEqual(records, [
      { imgname: 'IMG_1.JPG', originalcreationdate: 'Thursday August 29,2013 7:08 AM GMT' },
      { imgname: 'a "quoted" name.JPG', originalcreationdate: 'x' },
    ]);
  });

  test('UTF-16 either way round, with or without a BOM', () => {
    const le = Buffer.from(csv, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [bytes, encoding] of [
      [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), 'utf-16le'],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'utf-16be'],
      [le, 'utf-16le'],
      [be, 'utf-16be'],
    ] as const) {
      const decoded = decodeText(bytes);
      assert.equal(decoded.encoding, encoding);
      assert.equal(decoded.text, csv);
    }
  });

  test('bytes that are not UTF-8 are read as Windows-1252', () => {
    const decoded = decodeText(Buffer.from([0x43, 0x61, 0x66, 0xe9]));
    assert.deepEqual(decoded, { text: 'Caf\u00e9', encoding: 'windows-1252' });
  });

  test('newlines inside quotes, empty lines skipped, LF only', () => {
    assert.deepEqual(parseCsv('a,b\n"x\ny",z\n\nlast,\n'), [
      ['a', 'b'],
      ['x\ny', 'z'],
      ['last', ''],
    ]);
  });
});

describe('iCloud export: archive names and bytes', () => {
  test('split downloads in any language', () => {
    assert.deepEqual(partOf('iCloud Photos Part 1 of 20.zip'), {
      prefix: 'iCloud Photos',
      partWord: 'Part',
      part: 1,
      ofWord: 'of',
      of: 20,
    });
    assert.equal(partOf('iCloud Fotos Teil 1 von 37')?.of, 37);
    assert.equal(partOf('iCloud-bilder Del 1 av 6.zip')?.prefix, 'iCloud-bilder');
    assert.equal(partOf('iCloud Contacts.zip'), null);
    assert.equal(partOf('Part 7 of 6.zip'), null);
  });

  test('a missing part is named from its siblings', () => {
    assert.deepEqual(
      missingParts([
        'iCloud Fotos Teil 1 von 3.zip',
        'iCloud Fotos Teil 3 von 3',
        'iCloud Notes.zip',
      ]).map((m) => m.name),
      ['iCloud Fotos Teil 2 von 3'],
    );
  });

  test('names that could leave the output folder are refused', () => {
    assert.match(unsafeName('../x')!, /climbs/);
    assert.match(unsafeName('a/../../x')!, /climbs/);
    assert.match(unsafeName('/etc/passwd')!, /absolute/);
    assert.match(unsafeName('C:/Windows/x')!, /absolute/);
    assert.equal(unsafeName('Photos/IMG_1.JPG'), null);
    assert.equal(unsafeName('a..b/c'), null);
  });

  test('a file whose bytes are another type than its name says', () => {
    const photo = jpeg(null);
    assert.equal(sniffMedia(photo)?.ext, '.jpg');
    assert.equal(rightExtension('IMG_1.PNG', sniffMedia(photo)), '.jpg');
    assert.equal(rightExtension('IMG_1.JPEG', sniffMedia(photo)), null);
    assert.equal(sniffMedia(mov('2020-01-01T00:00:00Z'))?.ext, '.mov');
    assert.equal(rightExtension('IMG_1.MP4', sniffMedia(mov('2020-01-01T00:00:00Z'))), null);
    assert.equal(sniffMedia(Buffer.from('not a picture at all')), null);
  });
});
