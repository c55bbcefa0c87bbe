// A generator of Apple "copy of your data" iCloud exports for tests and benchmarks (no real export is public):
// zips written with yazl, with the shapes reported from real exports (docs: icloud-data-export.md).
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { buildExifPayload, exifLocalTime } from '../../demo/src/media/exif.js';
import { buildIsoMedia } from '../../demo/src/media/iso-media.js';

export interface ZipItem {
  path: string;
  data: Buffer;
  /** Deflate it (default true); photos are usually stored. */
  compress?: boolean;
}

/** A zip in memory (for zips inside zips and small archives). */
export async function zipBuffer(items: ZipItem[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const item of items)
    zip.addBuffer(item.data, item.path, {
      compress: item.compress ?? true,
      mtime: new Date('2024-05-01T12:00:00+00:00'),
    });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function writeZip(path: string, items: ZipItem[]): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const item of items)
    zip.addBuffer(item.data, item.path, {
      compress: item.compress ?? true,
      mtime: new Date('2024-05-01T12:00:00+00:00'),
    });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

/** The same items extracted into a folder (as someone who unzipped a part has them). */
export function writeFolder(dir: string, items: ZipItem[]): void {
  for (const item of items) {
    const path = `${dir}/${item.path}`;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, item.data);
  }
}

/** A JPEG header with an EXIF block (taken at `takenLocal`, "2021-05-01T10:00:00+02:00") and `fill` bytes after. */
export function jpeg(takenLocal: string | null, fill: Buffer = Buffer.from('pixels')): Buffer {
  const parts: Buffer[] = [Buffer.from([0xff, 0xd8])];
  if (takenLocal) {
    const exif = buildExifPayload({
      make: 'Apple',
      model: 'iPhone 13',
      software: '17.1',
      ...exifLocalTime(takenLocal),
      width: 64,
      height: 48,
    });
    const head = Buffer.alloc(4);
    head.writeUInt16BE(0xffe1, 0);
    head.writeUInt16BE(exif.length + 2, 2);
    parts.push(head, exif);
  }
  // A comment segment carrying the fill, so every photo's bytes differ, then the end of the image.
  const comment = Buffer.alloc(4);
  comment.writeUInt16BE(0xfffe, 0);
  comment.writeUInt16BE(Math.min(fill.length, 65000) + 2, 2);
  parts.push(comment, fill.subarray(0, 65000), fill.subarray(65000), Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}

/** A QuickTime movie whose header says it was made at `created`. */
export function mov(created: string, fill = 'frames'): Buffer {
  return buildIsoMedia({
    kind: 'quicktime',
    createdUnix: Date.parse(created) / 1000,
    durationSeconds: 2.5,
    mediaData: Buffer.from(fill),
  });
}

export const PHOTO_DETAILS_HEADER = [
  'imgName',
  'fileChecksum',
  'favorite',
  'hidden',
  'deleted',
  'originalCreationDate',
  'viewCount',
  'importDate',
];

export interface DetailsRow {
  name: string;
  created: string;
  favorite?: boolean;
  hidden?: boolean;
  deleted?: boolean;
}

/** Photo Details.csv as Apple writes it ("Thursday August 29,2013 7:08 AM GMT", yes/no flags). */
export function photoDetails(
  rows: DetailsRow[],
  encoding: { bom?: boolean; crlf?: boolean; utf16?: boolean } = {},
): Buffer {
  const yn = (b?: boolean) => (b ? 'yes' : 'no');
  const lines = [
    PHOTO_DETAILS_HEADER.join(','),
    ...rows.map((r, i) =>
      [
        r.name,
        `AcQTH38VUJ8ryqOCgiKuos3A5eC${i}`,
        yn(r.favorite),
        yn(r.hidden),
        yn(r.deleted),
        `"${r.created}"`,
        '0',
        '"Wednesday September 4,2013 9:10 PM GMT"',
      ].join(','),
    ),
  ];
  const text = lines.join(encoding.crlf ? '\r\n' : '\n') + (encoding.crlf ? '\r\n' : '\n');
  if (encoding.utf16)
    return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  return Buffer.concat([Buffer.from(encoding.bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text)]);
}

export const list = (header: string, names: string[]): Buffer =>
  Buffer.from([header, ...names].join('\n') + '\n');

/** What the sample export holds, for tests to check against. */
export const SAMPLE = {
  photosPrefix: 'iCloud Fotos Teil',
  /** Photos parts 1 and 2 of 3 are here; part 3 is not. */
  missingPart: 'Part 3 of 3 is not here (iCloud Fotos Teil 3 von 3.zip)',
  photos: {
    exif: { name: 'IMG_0001.JPG', created: '2021-05-01T08:00:00.000Z' },
    live: { name: 'IMG_0002.JPG', video: 'IMG_0002.MOV' },
    wrongType: { name: 'IMG_0003.PNG', exportedAs: 'IMG_0003.jpg' },
    placeholder: {
      name: 'IMG_0004.MOV',
      real: 'IMG_0004-1.MOV',
      created: '2020-02-02T02:02:02.000Z',
    },
    noon: { name: 'IMG_0005.JPG', created: '2015-06-07T12:30:00.000Z' },
    midnight: { name: 'IMG_0006.JPG', created: '2015-06-08T00:15:00.000Z' },
    hidden: 'IMG_0007.JPG',
    deleted: 'IMG_0008.JPG',
    twice: {
      name: 'IMG_0100.JPG',
      part1: '2016-01-04T09:00:00.000Z',
      part2: '2017-03-03T15:45:00.000Z',
    },
    onlyInPart2: 'IMG_0200.JPG',
    shared: { name: 'IMG_9000.JPG', album: 'Trip' },
    sharedDeflated: { name: 'IMG_9001.JPG', album: 'Party' },
  },
};

/** Bytes of each sample file, by a key tests can name. */
export interface SampleFiles {
  [key: string]: Buffer;
}

function photosPart1(files: SampleFiles): Promise<ZipItem[]> {
  const root = 'iCloud Fotos Teil 1 von 3';
  files.exif = jpeg('2021-05-01T10:00:00+02:00', Buffer.from('one'));
  files.liveStill = jpeg('2021-05-02T09:00:00+00:00', Buffer.from('two'));
  files.liveVideo = mov('2021-05-02T09:00:01+00:00', 'live two');
  files.wrongType = jpeg('2021-05-03T09:00:00+00:00', Buffer.from('three'));
  files.placeholderReal = mov('2020-02-02T02:02:02+00:00', 'four');
  files.noon = jpeg(null, Buffer.from('five'));
  files.midnight = jpeg(null, Buffer.from('six'));
  files.hidden = jpeg(null, Buffer.from('seven'));
  files.deleted = jpeg(null, Buffer.from('eight'));
  files.twice1 = jpeg(null, Buffer.from('hundred in part one'));
  files.shared = jpeg('2019-07-07T07:07:07+00:00', Buffer.from('shared'));
  files.sharedDeflated = jpeg('2019-08-08T08:08:08+00:00', Buffer.from('shared deflated'));
  const csv1 = photoDetails(
    [
      { name: 'IMG_0001.JPG', created: 'Saturday May 1,2021 7:59 AM GMT', favorite: true },
      { name: 'IMG_0002.JPG', created: 'Sunday May 2,2021 9:00 AM GMT' },
      { name: 'IMG_0003.PNG', created: 'Monday May 3,2021 9:00 AM GMT' },
      { name: 'IMG_0004.MOV', created: 'Sunday February 2,2020 2:02 AM GMT' },
      { name: 'IMG_0005.JPG', created: 'Sunday June 7,2015 12:30 PM GMT' },
      { name: 'IMG_0006.JPG', created: 'Monday June 8,2015 12:15 AM GMT' },
    ],
    { bom: true, crlf: true },
  );
  // Photo Details-1.csv is missing: the numbering has a gap, and -2 is UTF-16.
  const csv2 = photoDetails(
    [
      { name: 'IMG_0007.JPG', created: 'Tuesday June 9,2015 1:00 PM GMT', hidden: true },
      { name: 'IMG_0008.JPG', created: 'Wednesday June 10,2015 1:00 PM GMT', deleted: true },
      { name: 'IMG_0100.JPG', created: 'Monday January 4,2016 9:00 AM GMT' },
    ],
    { utf16: true, crlf: true },
  );
  return (async () => [
    { path: `${root}/Photos/IMG_0001.JPG`, data: files.exif!, compress: false },
    { path: `${root}/Photos/IMG_0002.JPG`, data: files.liveStill!, compress: false },
    { path: `${root}/Photos/IMG_0002.MOV`, data: files.liveVideo!, compress: false },
    { path: `${root}/Photos/IMG_0003.PNG`, data: files.wrongType! },
    { path: `${root}/Photos/IMG_0004.MOV`, data: Buffer.alloc(0) },
    { path: `${root}/Photos/IMG_0004-1.MOV`, data: files.placeholderReal! },
    { path: `${root}/Photos/IMG_0005.JPG`, data: files.noon! },
    { path: `${root}/Photos/IMG_0006.JPG`, data: files.midnight! },
    { path: `${root}/Photos/IMG_0007.JPG`, data: files.hidden! },
    { path: `${root}/Recently Deleted/IMG_0008.JPG`, data: files.deleted! },
    { path: `${root}/Photos/IMG_0100.JPG`, data: files.twice1! },
    { path: `${root}/Photos/Photo Details.csv`, data: csv1 },
    { path: `${root}/Photos/Photo Details-2.csv`, data: csv2 },
    { path: `${root}/Photos/iCloudUsageData.txt`, data: Buffer.from('activity log') },
    {
      path: `${root}/Albums/Holidays.csv`,
      data: list('imgName', ['IMG_0001.JPG', 'IMG_0100.JPG']),
    },
    { path: `${root}/Albums/Family.csv`, data: list('Images', ['IMG_0002.JPG', 'IMG_0200.JPG']) },
    {
      path: `${root}/Memories/Celebration 7 Aug 2021.csv`,
      data: list('imageName', ['IMG_0001.JPG']),
    },
    {
      path: `${root}/Memories/Celebration 7 Aug 20211.csv`,
      data: list('imageName', ['IMG_0005.JPG', 'IMG_0001.JPG']),
    },
    {
      path: `${root}/iCloud Shared Albums.zip`,
      compress: false,
      data: await zipBuffer([
        { path: 'My Albums/Trip/IMG_9000.JPG', data: files.shared!, compress: false },
        { path: 'My Albums/Trip/AlbumInfo.json', data: Buffer.from('{"name":"Trip"}') },
      ]),
    },
    {
      path: `${root}/iCloud Shared Albums-1.zip`,
      compress: true,
      data: await zipBuffer([
        { path: 'My Albums/Party/IMG_9001.JPG', data: files.sharedDeflated! },
      ]),
    },
  ])();
}

function photosPart2(files: SampleFiles): ZipItem[] {
  const root = 'iCloud Fotos Teil 2 von 3';
  files.twice2 = jpeg(null, Buffer.from('hundred in part two'));
  files.onlyInPart2 = jpeg('2018-01-01T00:00:00+00:00', Buffer.from('two hundred'));
  return [
    { path: `${root}/Photos/IMG_0100.JPG`, data: files.twice2!, compress: false },
    { path: `${root}/Photos/IMG_0200.JPG`, data: files.onlyInPart2!, compress: false },
    {
      path: `${root}/Photos/Photo Details.csv`,
      data: photoDetails([
        { name: 'IMG_0100.JPG', created: 'Friday March 3,2017 3:45 PM GMT' },
        { name: 'IMG_0200.JPG', created: 'Monday January 1,2018 12:00 AM GMT' },
      ]),
    },
  ];
}

function notes(files: SampleFiles): ZipItem[] {
  const root = 'iCloud Notes';
  files.notePicture = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('picture'),
  ]);
  files.notePdf = Buffer.from('%PDF-1.4 plans');
  const details = [
    'Title, Created On, Modified On, Pinned, Deleted, Drawing/Handwriting, ContentHash at Import',
    'Shopping, 01-02-2024 08:00:00, 01-03-2024 09:30:15, No, No, No, h1',
    'Plans, 02-03-2024 10:00:00, 02-04-2024 11:00:00, Yes, No, No, h2',
    'Old idea, 03-04-2023 12:00:00, 03-05-2023 13:00:00, No, Yes, No, h3',
    '"A/B", 04-05-2022 14:00:00, 04-06-2022 15:00:00, No, No, No, h4',
  ].join('\r\n');
  return [
    { path: `${root}/Notes Details.csv`, data: Buffer.from(details) },
    {
      path: `${root}/Notes/Shopping/Shopping.txt`,
      data: Buffer.from('Shopping\n\t\u25e6\tMilk\n\t\u2713\tBread\n'),
    },
    {
      path: `${root}/Notes/Work/Plans/Plans.txt`,
      data: Buffer.from('Plans\nSee the picture: \uFFFC and the PDF \uFFFC\n'),
    },
    { path: `${root}/Notes/Work/Plans/Attachment.png`, data: files.notePicture },
    { path: `${root}/Notes/Work/Plans/Attachment-1.pdf`, data: files.notePdf },
    {
      path: `${root}/Recently Deleted/Old idea/Old idea.txt`,
      data: Buffer.from('Old idea\nGone.'),
    },
    { path: `${root}/Notes/A|B/A|B.txt`, data: Buffer.from('A/B\nslash title') },
  ];
}

const VCARDS = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Doe;Jane;Q.;Dr.;',
  'FN:Dr. Jane Q. Doe',
  'ORG:Acme;Research',
  'item1.TEL;type=CELL;type=pref:+1 555 0100',
  'item1.X-ABLabel:_$!<Mobile>!$_',
  'TEL;type=HOME;type=FAX:+1 555 0199',
  'EMAIL;type=INTERNET;type=WORK:jane@example.org',
  'ADR;type=HOME:;;1 Main St;Springfield;IL;62701;USA',
  'BDAY:1990-02-03',
  'NOTE:Met at the conference',
  'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ',
  ' AAAQABAAD/',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:;;;;',
  'FN:Acme Corp',
  'ORG:Acme Corp;',
  'X-ABShowAs:COMPANY',
  'TEL;type=WORK:+1 555 0000',
  'END:VCARD',
  '',
].join('\r\n');

const CALENDAR = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Apple Inc.//iCloud//EN',
  'X-WR-CALNAME:Home',
  'BEGIN:VEVENT',
  'UID:event-1@example',
  'DTSTART;TZID=Europe/Paris:20240101T100000',
  'DTEND;TZID=Europe/Paris:20240101T110000',
  'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3',
  'SUMMARY:Weekly sync',
  'LOCATION:Office',
  'BEGIN:VALARM',
  'TRIGGER:-PT15M',
  'ACTION:DISPLAY',
  'END:VALARM',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:event-2@example',
  'DTSTART;VALUE=DATE:20240704',
  'DTEND;VALUE=DATE:20240705',
  'SUMMARY:Holiday',
  'END:VEVENT',
  'BEGIN:VTODO',
  'UID:todo-1@example',
  'SUMMARY:File taxes',
  'DUE;VALUE=DATE:20240415',
  'STATUS:COMPLETED',
  'COMPLETED:20240410T120000+00:00',
  'PRIORITY:1',
  'END:VTODO',
  'BEGIN:VTODO',
  'UID:todo-2@example',
  'SUMMARY:Buy milk',
  'END:VTODO',
  'END:VCALENDAR',
  '',
].join('\r\n');

const BOOKMARKS = `<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
    <DT><H3>Favorites</H3>
    <DL><p>
        <DT><A HREF="https://example.org/" ADD_DATE="1700000000">Example &amp; Co</A>
    </DL><p>
    <DT><H3>Reading List</H3>
    <DL><p>
        <DT><A HREF="https://example.org/later" ADD_DATE="1700000100">Read later</A>
    </DL><p>
    <DT><A HREF="https://top.example/">Top level</A>
</DL><p>
`;

const BOOKMARKS_CSV =
  'Title, URL, modifiedOn\r\nCSV mark,https://csv.example/,2023-11-14T22:13:20Z\r\n';

/**
 * Writes the sample export into `dir` (part 2 of the photos extracted into its folder when asked): photos in two
 * of three translated parts (nested shared-album zips, one
 * stored and one deflated), notes, contacts, calendars and reminders, bookmarks (both forms) and a Drive zip.
 */
export async function writeSampleExport(
  dir: string,
  options: { extractPart2?: boolean } = {},
): Promise<SampleFiles> {
  const files: SampleFiles = {};
  await writeZip(`${dir}/iCloud Fotos Teil 1 von 3.zip`, await photosPart1(files));
  if (options.extractPart2) writeFolder(dir, photosPart2(files));
  else await writeZip(`${dir}/iCloud Fotos Teil 2 von 3.zip`, photosPart2(files));
  await writeZip(`${dir}/iCloud Notizen.zip`, notes(files));
  files.vcards = Buffer.from(VCARDS);
  await writeZip(`${dir}/iCloud Contacts.zip`, [
    { path: 'iCloud Contacts/contacts.vcf', data: files.vcards },
  ]);
  await writeZip(`${dir}/iCloud Calendars and Reminders.zip`, [
    { path: 'iCloud Calendars and Reminders/Home.ics', data: Buffer.from(CALENDAR) },
  ]);
  await writeZip(`${dir}/iCloud Bookmarks.zip`, [
    { path: 'iCloud Bookmarks/Bookmarks.html', data: Buffer.from(BOOKMARKS) },
    { path: 'iCloud Bookmarks/Safari Bookmarks.csv', data: Buffer.from(BOOKMARKS_CSV) },
  ]);
  files.taxes = Buffer.from('%PDF-1.4 taxes 2023');
  files.todo = Buffer.from('call the bank\n');
  await writeZip(`${dir}/iCloud Drive.zip`, [
    { path: 'iCloud Drive/Documents/Taxes/2023.pdf', data: files.taxes },
    { path: 'iCloud Drive/Desktop/todo.txt', data: files.todo },
  ]);
  return files;
}

interface CentralEntry {
  name: string;
  /** Offset of the central directory record. */
  at: number;
}

/** The central directory records of a zip written by yazl (no archive comment, no zip64). */
function centralEntries(zip: Buffer): CentralEntry[] {
  const eocd = zip.length - 22;
  if (zip.readUInt32LE(eocd) !== 0x06054b50) throw new Error('no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out: CentralEntry[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    out.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), at });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

/**
 * A hostile zip: names that climb out of the output folder or are absolute, a zip bomb (16 MiB of zeros), an
 * entry declaring 4 GB from a few bytes, one whose data lies past the archive's end, one that inflates to more
 * than it declares, and one honest file.
 */
export async function hostileZip(): Promise<Buffer> {
  const zip = await zipBuffer([
    { path: 'ok/fine.txt', data: Buffer.from('fine') },
    { path: 'xx/escape.txt', data: Buffer.from('escaped!') },
    { path: 'yetc/passwd.txt', data: Buffer.from('root:x:0:0') },
    { path: 'bomb.bin', data: Buffer.alloc(16 * 1024 * 1024) },
    { path: 'huge.bin', data: Buffer.from('small') },
    { path: 'past-end.bin', data: Buffer.from('short'), compress: false },
    { path: 'liar.txt', data: Buffer.from('many words '.repeat(100)) },
  ]);
  const rename = (from: string, to: string) => {
    let at = zip.indexOf(from);
    while (at >= 0) {
      zip.write(to, at, 'utf8');
      at = zip.indexOf(from, at + 1);
    }
  };
  for (const e of centralEntries(zip)) {
    if (e.name === 'huge.bin') zip.writeUInt32LE(0xfffffff0, e.at + 24);
    if (e.name === 'past-end.bin') {
      zip.writeUInt32LE(0x7ffffff0, e.at + 20);
      zip.writeUInt32LE(0x7ffffff0, e.at + 24);
    }
    if (e.name === 'liar.txt') zip.writeUInt32LE(10, e.at + 24);
  }
  rename('xx/escape.txt', '../escape.txt');
  rename('yetc/passwd.txt', '/etc/passwd.txt');
  return zip;
}
