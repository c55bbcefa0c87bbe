import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import bplistParser from 'bplist-parser';
import type { BackupFileInput } from '../../src/backup/types.js';
import {
  appleSeconds,
  buildDemoContent,
  bundledDemoData,
  demoData,
  DEMO_DATA_TYPES,
  FORMER_CONTACT,
  PEOPLE,
  thumbnailPath,
  type DemoData,
} from '../../demo/src/index.js';
import { ARTIFACT_IDS, inBackups } from '../../src/artifacts/registry.js';
import { tempDir } from '../support/fixtures.js';
import { decodeFlatJpeg, decodeNote, typedstreamText } from './decoders.js';

const data: DemoData = demoData();
const files: BackupFileInput[] = buildDemoContent({ data });
const tmp = tempDir('reclaim-demo-test-');
const open: Database.Database[] = [];

function file(domain: string, relativePath: string): Buffer {
  const f = files.find((x) => x.domain === domain && x.relativePath === relativePath);
  assert.ok(f?.data, `missing ${domain} ${relativePath}`);
  return f.data;
}

/**
 * Opens a built database read-only from a private temporary copy and checks its integrity. `checkTables` limits the
 * check to those tables: a whole-file check of AddressBook.sqlitedb needs Apple's FTS tokenizer (the real iOS 15
 * file fails it the same way with "unknown tokenizer: ab_cf_tokenizer").
 */
function database(domain: string, relativePath: string, checkTables?: string[]): Database.Database {
  const path = join(tmp.path, `${open.length}.sqlite`);
  writeFileSync(path, file(domain, relativePath));
  const db = new Database(path, { readonly: true });
  open.push(db);
  for (const table of checkTables ?? [null]) {
    assert.equal(
      db.pragma(table ? `integrity_check(${table})` : 'integrity_check', { simple: true }),
      'ok',
    );
  }
  assert.equal(db.pragma('journal_mode', { simple: true }), 'delete');
  return db;
}

function count(db: Database.Database, sql: string, ...params: unknown[]): number {
  return db
    .prepare(sql)
    .pluck()
    .get(...params) as number;
}

after(() => {
  for (const db of open) db.close();
  tmp.cleanup();
});

describe('demo content', () => {
  test('every file has a unique domain/path, bytes and a modification date', () => {
    const keys = files.map((f) => `${f.domain}/${f.relativePath}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const f of files) {
      assert.ok(f.data && f.data.length > 0, f.relativePath);
      assert.ok(
        f.modified && f.modified.getUTCFullYear() >= 2024 && f.modified.getUTCFullYear() <= 2025,
        f.relativePath,
      );
    }
  });

  test('building twice gives identical bytes', () => {
    const again = buildDemoContent();
    assert.equal(again.length, files.length);
    again.forEach((f, i) => {
      assert.equal(f.relativePath, files[i].relativePath);
      assert.ok(f.data!.equals(files[i].data!), `${f.relativePath} differs between builds`);
      assert.equal(f.modified?.getTime(), files[i].modified?.getTime());
    });
  });

  test('`only` builds just the named data types', () => {
    const onlyNotes = buildDemoContent({ only: ['notes'] });
    assert.deepEqual(
      onlyNotes.map((f) => f.relativePath),
      ['NoteStore.sqlite'],
    );
    assert.deepEqual([...DEMO_DATA_TYPES].sort(), ARTIFACT_IDS.filter(inBackups).sort());
  });
});

describe('messages (sms.db)', () => {
  let db: Database.Database;
  before(() => {
    db = database('HomeDomain', 'Library/SMS/sms.db');
  });

  test('row counts and the group chat', () => {
    const m = data.messages;
    assert.equal(count(db, 'SELECT count(*) FROM message'), m.messages.length);
    assert.equal(count(db, 'SELECT count(*) FROM handle'), m.handles.length);
    assert.equal(count(db, 'SELECT count(*) FROM chat'), 3);
    assert.equal(count(db, 'SELECT count(*) FROM chat_message_join'), m.messages.length);
    assert.equal(
      db.prepare('SELECT display_name FROM chat WHERE style = 43').pluck().get(),
      'Weekend Hike',
    );
    assert.equal(count(db, 'SELECT count(*) FROM chat_handle_join WHERE chat_id = 3'), 2);
  });

  test('keeps the real columns, including the iOS 16/17 ones', () => {
    const columns = db
      .prepare("SELECT name FROM pragma_table_info('message')")
      .pluck()
      .all() as string[];
    for (const c of [
      'guid',
      'attributedBody',
      'associated_message_guid',
      'message_summary_info',
      'thread_originator_guid',
      'date_edited',
      'date_retracted',
      'sr_ck_record_id',
    ]) {
      assert.ok(columns.includes(c), c);
    }
  });

  test('dates are nanoseconds since 2001', () => {
    const first = data.messages.messages[0];
    const date = db
      .prepare('SELECT date FROM message WHERE ROWID = ?')
      .safeIntegers()
      .pluck()
      .get(first.rowid) as bigint;
    assert.equal(date, BigInt(appleSeconds(first.date)) * 1_000_000_000n);
  });

  test('NULL-text messages carry their body only in a typedstream attributedBody', () => {
    const rows = db
      .prepare('SELECT ROWID, attributedBody FROM message WHERE text IS NULL')
      .all() as Array<{ ROWID: number; attributedBody: Buffer }>;
    assert.ok(rows.length >= 2);
    for (const row of rows) {
      const expected = data.messages.messages.find((x) => x.rowid === row.ROWID)!.body;
      assert.ok(row.attributedBody.includes(Buffer.from(expected, 'utf8')));
      assert.equal(typedstreamText(row.attributedBody), expected);
      assert.ok(
        row.attributedBody.includes(Buffer.from('NSAttributedString')) &&
          row.attributedBody.includes(Buffer.from('NSString')),
      );
    }
    const emoji = db
      .prepare("SELECT attributedBody FROM message WHERE text LIKE 'Great, see you then%'")
      .pluck()
      .get() as Buffer;
    assert.equal(typedstreamText(emoji), 'Great, see you then \u{1F642}');
  });

  test('tapback, edited message and attachment', () => {
    const tapback = db
      .prepare(
        'SELECT associated_message_guid, associated_message_type FROM message WHERE associated_message_type = 2000',
      )
      .get() as { associated_message_guid: string };
    const target = data.messages.messages.find((x) => x.tapback)!.tapback!.targetGuid;
    assert.equal(tapback.associated_message_guid, `p:0/${target}`);
    assert.equal(count(db, 'SELECT count(*) FROM message WHERE guid = ?', target), 1);

    const edited = db
      .prepare('SELECT text, date_edited, message_summary_info FROM message WHERE date_edited != 0')
      .get() as { text: string; message_summary_info: Buffer };
    const summary = bplistParser.parseBuffer(edited.message_summary_info)[0] as {
      ec: Record<string, Array<{ t: Buffer }>>;
    };
    assert.equal(typedstreamText(summary.ec['0'][0].t), 'Running late, see you at 7:30');
    assert.equal(edited.text, 'Running late, see you at 7:15');

    const a = db
      .prepare(
        'SELECT a.filename, a.mime_type, a.total_bytes, m.cache_has_attachments FROM attachment a JOIN message_attachment_join j ON j.attachment_id = a.ROWID JOIN message m ON m.ROWID = j.message_id',
      )
      .get() as { filename: string; total_bytes: number; cache_has_attachments: number };
    assert.match(
      a.filename,
      /^~\/Library\/SMS\/Attachments\/[0-9a-f]{2}\/\d{2}\/[0-9A-F-]{36}\/IMG_0001\.jpeg$/,
    );
    const bytes = file('MediaDomain', a.filename.slice(2));
    assert.equal(bytes.length, a.total_bytes);
    assert.equal(bytes.readUInt16BE(0), 0xffd8);
    assert.equal(a.cache_has_attachments, 1);
  });

  test('handles match the contacts', () => {
    const phones = new Set(PEOPLE.map((p) => p.phone));
    for (const id of db.prepare('SELECT id FROM handle').pluck().all() as string[])
      assert.ok(phones.has(id), id);
  });
});

describe('contacts (AddressBook.sqlitedb)', () => {
  test('people, phones, emails, the postal address and labels', () => {
    const db = database('HomeDomain', 'Library/AddressBook/AddressBook.sqlitedb', [
      'ABPerson',
      'ABMultiValue',
      'ABMultiValueEntry',
      'ABMultiValueLabel',
      'ABMultiValueEntryKey',
      'ABStore',
    ]);
    assert.equal(count(db, 'SELECT count(*) FROM ABPerson'), PEOPLE.length);
    for (const p of PEOPLE) {
      const stored = db
        .prepare(
          "SELECT mv.value FROM ABMultiValue mv WHERE mv.property = 3 AND mv.record_id = (SELECT ROWID FROM ABPerson WHERE coalesce(First,'') = coalesce(?, '') AND coalesce(Organization,'') = coalesce(?, ''))",
        )
        .pluck()
        .get(p.first, p.organization) as string;
      assert.equal(stored, p.phoneDisplay);
      assert.equal(`+1${stored.replace(/\D/g, '')}`, p.phone);
    }
    assert.equal(
      count(db, 'SELECT count(*) FROM ABMultiValue WHERE property = 4'),
      PEOPLE.filter((p) => p.email).length,
    );
    const city = db
      .prepare(
        "SELECT e.value FROM ABMultiValueEntry e JOIN ABMultiValueEntryKey k ON k.rowid = e.key WHERE k.value = 'City'",
      )
      .pluck()
      .get();
    assert.equal(city, 'Portland');
    assert.equal(
      db
        .prepare(
          'SELECT l.value FROM ABMultiValue mv JOIN ABMultiValueLabel l ON l.rowid = mv.label WHERE mv.UID = 1',
        )
        .pluck()
        .get(),
      '_$!<Mobile>!$_',
    );
    assert.ok(
      (
        db
          .prepare("SELECT sql FROM sqlite_master WHERE name = 'ABPersonFullTextSearch'")
          .pluck()
          .get() as string
      ).startsWith('CREATE VIRTUAL TABLE'),
    );
  });

  test('AddressBookImages holds one JPEG thumbnail for a real person', () => {
    const db = database('HomeDomain', 'Library/AddressBook/AddressBookImages.sqlitedb');
    const row = db.prepare('SELECT record_id, data FROM ABThumbnailImage').all() as Array<{
      record_id: number;
      data: Buffer;
    }>;
    assert.equal(row.length, 1);
    assert.equal(row[0].record_id, data.contacts.thumbnail.personRowid);
    assert.equal(decodeFlatJpeg(row[0].data).width, 24);
  });
});

describe('call history (CallHistory.storedata)', () => {
  test('calls, FaceTime, missed call and Core Data bookkeeping', () => {
    const db = database('HomeDomain', 'Library/CallHistoryDB/CallHistory.storedata');
    assert.equal(count(db, 'SELECT count(*) FROM ZCALLRECORD'), data.calls.calls.length);
    assert.equal(count(db, 'SELECT count(*) FROM ZCALLRECORD WHERE ZCALLTYPE = 8'), 1);
    assert.equal(count(db, 'SELECT count(*) FROM ZCALLRECORD WHERE ZCALLTYPE = 16'), 1);
    assert.equal(
      count(db, 'SELECT count(*) FROM ZCALLRECORD WHERE ZORIGINATED = 0 AND ZANSWERED = 0'),
      1,
    );
    assert.equal(
      db.prepare("SELECT Z_MAX FROM Z_PRIMARYKEY WHERE Z_NAME = 'CallRecord'").pluck().get(),
      data.calls.calls.length,
    );
    const plist = bplistParser.parseBuffer(
      db.prepare('SELECT Z_PLIST FROM Z_METADATA').pluck().get() as Buffer,
    )[0] as { NSStoreType: string };
    assert.equal(plist.NSStoreType, 'SQLite');
    const phones = new Set(PEOPLE.map((p) => p.phone));
    for (const a of db.prepare('SELECT ZADDRESS FROM ZCALLRECORD').pluck().all() as string[])
      assert.ok(phones.has(a));
  });
});

describe('photos', () => {
  test('JPEGs are valid, flat-block baseline pictures with the EXIF date', () => {
    for (const p of data.photos.photos.filter((x) => x.originalPresent)) {
      const jpeg = file('CameraRollDomain', `Media/DCIM/100APPLE/${p.filename}`);
      assert.equal(jpeg.readUInt16BE(0), 0xffd8);
      const decoded = decodeFlatJpeg(jpeg);
      assert.deepEqual([decoded.width, decoded.height], [p.width, p.height]);
      assert.equal(decoded.blocks.length, (p.width / 8) * (p.height / 8));
      const exifDate = p.takenAt.slice(0, 19).replace(/-/g, ':').replace('T', ' ');
      assert.ok(
        decoded.exif?.includes(Buffer.from(`${exifDate}\0`, 'latin1')),
        `EXIF DateTimeOriginal ${exifDate}`,
      );
      assert.equal(decoded.exif?.subarray(0, 6).toString('latin1'), 'Exif\0\0');
      const [y] = decoded.blocks[0];
      const [r, g, b] = p.colours[0];
      assert.ok(
        Math.abs(y - (0.299 * r + 0.587 * g + 0.114 * b)) <= 1,
        'top-left block keeps its colour',
      );
    }
  });

  test('Photos.sqlite: favourite, hidden, trashed, live photo, album of two', () => {
    const db = database('CameraRollDomain', 'Media/PhotoData/Photos.sqlite');
    assert.equal(count(db, 'SELECT count(*) FROM ZASSET'), data.photos.photos.length);
    assert.equal(count(db, 'SELECT count(*) FROM ZASSET WHERE ZFAVORITE = 1'), 1);
    assert.equal(count(db, 'SELECT count(*) FROM ZASSET WHERE ZHIDDEN = 1'), 1);
    assert.equal(
      count(db, 'SELECT count(*) FROM ZASSET WHERE ZTRASHEDSTATE = 1 AND ZTRASHEDDATE IS NOT NULL'),
      1,
    );
    assert.equal(count(db, 'SELECT count(*) FROM ZASSET WHERE ZKINDSUBTYPE = 2'), 1);
    const album = db
      .prepare(
        'SELECT a.ZTITLE, count(j.Z_3ASSETS) n FROM ZGENERICALBUM a JOIN Z_28ASSETS j ON j.Z_28ALBUMS = a.Z_PK GROUP BY a.Z_PK',
      )
      .get() as { ZTITLE: string; n: number };
    assert.deepEqual(album, { ZTITLE: 'Trail days', n: 2 });
    assert.equal(
      db.prepare("SELECT Z_ENT FROM Z_PRIMARYKEY WHERE Z_NAME = 'Album'").pluck().get(),
      28,
    );
  });

  test('Live Photo video and the thumbnail of the missing original', () => {
    const mov = file('CameraRollDomain', 'Media/DCIM/100APPLE/IMG_0003.MOV');
    assert.equal(mov.subarray(4, 8).toString('latin1'), 'ftyp');
    const missing = data.photos.photos.find((p) => !p.originalPresent)!;
    assert.equal(
      files.some((f) => f.relativePath === `Media/DCIM/100APPLE/${missing.filename}`),
      false,
    );
    assert.equal(decodeFlatJpeg(file('CameraRollDomain', thumbnailPath(missing))).width, 32);
  });
});

describe('notes (NoteStore.sqlite)', () => {
  test('notes in two folders; the protobuf decodes back to the text, bold and checklist', () => {
    const db = database('AppDomainGroup-group.com.apple.notes', 'NoteStore.sqlite');
    assert.equal(count(db, 'SELECT count(*) FROM ZICCLOUDSYNCINGOBJECT WHERE Z_ENT = 11'), 3);
    assert.equal(
      count(db, 'SELECT count(DISTINCT ZFOLDER) FROM ZICCLOUDSYNCINGOBJECT WHERE Z_ENT = 11'),
      2,
    );
    for (const n of data.notes.notes) {
      const row = db
        .prepare(
          'SELECT o.ZTITLE1, d.ZDATA FROM ZICCLOUDSYNCINGOBJECT o JOIN ZICNOTEDATA d ON d.Z_PK = o.ZNOTEDATA WHERE o.Z_PK = ?',
        )
        .get(n.pk) as { ZTITLE1: string; ZDATA: Buffer };
      assert.equal(row.ZTITLE1, n.title);
      assert.deepEqual(row.ZDATA.subarray(0, 2), Buffer.from([0x1f, 0x8b]));
      const decoded = decodeNote(row.ZDATA);
      assert.equal(decoded.text, n.text);
      assert.equal(
        decoded.runs.reduce((s, r) => s + r.length, 0),
        n.text.length,
      );
      assert.equal(decoded.runs[0].styleType, 0, 'title run');
    }
    const packing = decodeNote(
      db.prepare('SELECT ZDATA FROM ZICNOTEDATA WHERE ZNOTE = 4').pluck().get() as Buffer,
    );
    assert.equal(packing.runs.filter((r) => r.styleType === 103).length, 3);
    assert.deepEqual(
      packing.runs.filter((r) => r.styleType === 103).map((r) => r.checklistDone),
      [1, 1, 0],
    );
    const boldRun = packing.runs.find((r) => r.bold)!;
    const boldStart = packing.runs
      .slice(0, packing.runs.indexOf(boldRun))
      .reduce((s, r) => s + r.length, 0);
    assert.equal(packing.text.slice(boldStart, boldStart + boldRun.length), "Don't forget:");
  });
});

describe('calendar, safari, voicemail, voice memos, WhatsApp', () => {
  test('Calendar.sqlitedb: events, weekly recurrence with an alarm, attendees', () => {
    const db = database('HomeDomain', 'Library/Calendar/Calendar.sqlitedb');
    assert.equal(
      count(db, 'SELECT count(*) FROM CalendarItem WHERE entity_type = 2'),
      data.calendar.events.length,
    );
    const weekly = db
      .prepare(
        'SELECT c.summary, r.frequency, a.trigger_interval FROM CalendarItem c JOIN Recurrence r ON r.owner_id = c.ROWID JOIN Alarm a ON a.calendaritem_owner_id = c.ROWID',
      )
      .get();
    assert.deepEqual(weekly, { summary: 'Team standup', frequency: 2, trigger_interval: -600 });
    assert.equal(count(db, 'SELECT count(*) FROM Participant WHERE owner_id = 4'), 2);
    assert.equal(
      count(
        db,
        "SELECT count(*) FROM pragma_table_info('CalendarItem') WHERE name = 'recurrence_set'",
      ),
      1,
    );
  });

  test('Safari history and bookmarks', () => {
    const history = database('AppDomain-com.apple.mobilesafari', 'Library/Safari/History.db');
    assert.equal(
      count(history, 'SELECT count(*) FROM history_visits'),
      data.safari.history.flatMap((h) => h.visits).length,
    );
    assert.equal(count(history, 'SELECT count(*) FROM history_items'), data.safari.history.length);
    const bookmarks = database('HomeDomain', 'Library/Safari/Bookmarks.db');
    assert.equal(count(bookmarks, 'SELECT count(*) FROM bookmarks WHERE type = 0'), 3);
    assert.equal(
      count(
        bookmarks,
        "SELECT count(*) FROM bookmarks b JOIN bookmarks f ON f.id = b.parent WHERE f.title = 'com.apple.ReadingList'",
      ),
      1,
    );
  });

  test('voicemail rows and AMR files', () => {
    const db = database('HomeDomain', 'Library/Voicemail/voicemail.db');
    assert.equal(count(db, 'SELECT count(*) FROM voicemail'), 2);
    for (const v of data.voicemail.voicemails) {
      const amr = file('HomeDomain', `Library/Voicemail/${v.rowid}.amr`);
      assert.equal(amr.subarray(0, 6).toString('latin1'), '#!AMR\n');
      assert.equal(amr.length - 6, v.durationSeconds * 50);
    }
  });

  test('voice memos: database rows and m4a containers with their durations', () => {
    const db = database('MediaDomain', 'Media/Recordings/CloudRecordings.db');
    assert.equal(count(db, 'SELECT count(*) FROM ZCLOUDRECORDING'), 2);
    for (const m of data['voice-memos'].memos) {
      const m4a = file(
        'MediaDomain',
        `Media/Recordings/${db.prepare('SELECT ZPATH FROM ZCLOUDRECORDING WHERE Z_PK = ?').pluck().get(m.pk) as string}`,
      );
      assert.equal(m4a.subarray(4, 12).toString('latin1'), 'ftypM4A ');
      const mvhd = m4a.indexOf(Buffer.from('mvhd'));
      assert.ok(mvhd > 0);
      const timescale = m4a.readUInt32BE(mvhd + 16),
        duration = m4a.readUInt32BE(mvhd + 20);
      assert.ok(Math.abs(duration / timescale - m.durationSeconds) < 0.001);
    }
  });

  test('WhatsApp chats, messages, group members and the image', () => {
    const db = database('AppDomainGroup-group.net.whatsapp.WhatsApp.shared', 'ChatStorage.sqlite');
    assert.equal(count(db, 'SELECT count(*) FROM ZWACHATSESSION'), 2);
    assert.equal(count(db, 'SELECT count(*) FROM ZWAMESSAGE'), data.whatsapp.messages.length);
    assert.equal(count(db, 'SELECT count(*) FROM ZWAGROUPMEMBER'), 2);
    const path = db.prepare('SELECT ZMEDIALOCALPATH FROM ZWAMEDIAITEM').pluck().get() as string;
    assert.equal(
      file('AppDomainGroup-group.net.whatsapp.WhatsApp.shared', `Message/${path}`).readUInt16BE(0),
      0xffd8,
    );
  });
});

describe('reminders store', () => {
  test('one Groceries list with three reminders: one completed, one due, one with a note', () => {
    const r = data.reminders;
    const db = database(
      'HomeDomain',
      `Library/Reminders/Container_v1/Stores/Data-${r.storeId}.sqlite`,
    );
    assert.deepEqual(db.prepare('SELECT ZNAME FROM ZREMCDBASELIST').pluck().all(), ['Groceries']);
    assert.equal(count(db, 'SELECT count(*) FROM ZREMCDREMINDER WHERE ZLIST = 1'), 3);
    assert.deepEqual(
      db.prepare('SELECT ZTITLE FROM ZREMCDREMINDER WHERE ZCOMPLETED = 1').pluck().all(),
      ['Coffee beans'],
    );
    assert.deepEqual(
      db.prepare('SELECT ZTITLE FROM ZREMCDREMINDER WHERE ZDUEDATE IS NOT NULL').pluck().all(),
      ['Oat milk'],
    );
    assert.equal(
      db.prepare('SELECT ZDUEDATE FROM ZREMCDREMINDER WHERE ZTITLE = ?').pluck().get('Oat milk'),
      appleSeconds('2025-01-18T17:00:00Z'),
    );
  });
});

describe('bundled demo backup content (bundledDemoData: demoData plus records deleted on the phone)', () => {
  const bundled = bundledDemoData();
  const built = buildDemoContent({ data: bundled });
  const bytes = (domain: string, relativePath: string): Buffer => {
    const f = built.find((x) => x.domain === domain && x.relativePath === relativePath);
    assert.ok(f?.data, `missing ${domain} ${relativePath}`);
    return f.data;
  };
  /** Opens a built database (with its -wal when given) from a private copy, read-only. */
  function openBuilt(name: string, db: Buffer, wal?: Buffer): Database.Database {
    const path = join(tmp.path, `bundled-${name}`);
    writeFileSync(path, db);
    if (wal) writeFileSync(`${path}-wal`, wal);
    const handle = new Database(path, { readonly: true });
    open.push(handle);
    return handle;
  }
  const text = (s: string) => Buffer.from(s, 'utf8');

  test('demoData() itself holds no deletions; the bundled data deletes 2 messages, 1 contact, 1 call, 1 WhatsApp message, 1 note', () => {
    const plain = demoData();
    assert.equal(plain.messages.deletedRowids, undefined);
    assert.equal(plain.contacts.deletedRowids, undefined);
    assert.equal(plain.calls.deletedPks, undefined);
    assert.equal(plain.whatsapp.deletedPks, undefined);
    assert.equal(plain.notes.deletedPks, undefined);
    assert.equal(bundled.messages.deletedRowids?.length, 2);
    assert.deepEqual(bundled.contacts.deletedRowids, [PEOPLE.length + 1]);
    assert.equal(bundled.contacts.contacts.at(-1)!.person, FORMER_CONTACT);
    assert.equal(bundled.calls.deletedPks?.length, 1);
    assert.equal(bundled.whatsapp.deletedPks?.length, 1);
    assert.equal(bundled.notes.deletedPks?.length, 1);
  });

  test('building twice gives identical bytes (the WAL salts are fixed)', () => {
    const again = buildDemoContent({ data: bundledDemoData() });
    assert.equal(again.length, built.length);
    again.forEach((f, i) =>
      assert.ok(f.data!.equals(built[i]!.data!), `${f.relativePath} differs between builds`),
    );
  });

  test('sms.db: the 2 deleted messages are gone for SQLite (deleted in WAL frames) but their bytes stay in the main file', () => {
    const main = bytes('HomeDomain', 'Library/SMS/sms.db');
    const wal = bytes('HomeDomain', 'Library/SMS/sms.db-wal');
    assert.equal(wal.readUInt32BE(0) >>> 1, 0x377f0682 >>> 1, 'a WAL file');
    const db = openBuilt('sms.db', main, wal);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(count(db, 'SELECT count(*) FROM message'), data.messages.messages.length);
    assert.equal(count(db, 'SELECT count(*) FROM deleted_messages'), 2);
    for (const rowid of bundled.messages.deletedRowids!) {
      const m = bundled.messages.messages.find((x) => x.rowid === rowid)!;
      assert.equal(
        count(db, 'SELECT count(*) FROM message WHERE ROWID = ? OR guid = ?', rowid, m.guid),
        0,
      );
      assert.ok(main.includes(text(m.body)), `the main file still holds "${m.body}"`);
    }
  });

  test('AddressBook, CallHistory, ChatStorage and NoteStore: deleted rows gone, their bytes left in free space', () => {
    const ab = openBuilt('ab', bytes('HomeDomain', 'Library/AddressBook/AddressBook.sqlitedb'));
    assert.equal(count(ab, 'SELECT count(*) FROM ABPerson'), PEOPLE.length);
    assert.equal(
      count(ab, 'SELECT count(*) FROM ABPerson WHERE First = ?', FORMER_CONTACT.first),
      0,
    );
    assert.ok(
      bytes('HomeDomain', 'Library/AddressBook/AddressBook.sqlitedb').includes(
        text(FORMER_CONTACT.email!),
      ),
    );

    const calls = openBuilt(
      'calls',
      bytes('HomeDomain', 'Library/CallHistoryDB/CallHistory.storedata'),
    );
    assert.equal(count(calls, 'SELECT count(*) FROM ZCALLRECORD'), data.calls.calls.length);
    const deletedCall = bundled.calls.calls.find((c) => c.pk === bundled.calls.deletedPks![0])!;
    assert.equal(
      count(calls, 'SELECT count(*) FROM ZCALLRECORD WHERE Z_PK = ?', deletedCall.pk),
      0,
    );

    const wa = bundled.whatsapp.messages.find((m) => m.pk === bundled.whatsapp.deletedPks![0])!;
    const chatStorage = bytes(
      'AppDomainGroup-group.net.whatsapp.WhatsApp.shared',
      'ChatStorage.sqlite',
    );
    const waDb = openBuilt('wa', chatStorage);
    assert.equal(count(waDb, 'SELECT count(*) FROM ZWAMESSAGE'), data.whatsapp.messages.length);
    assert.equal(count(waDb, 'SELECT count(*) FROM ZWAMESSAGE WHERE Z_PK = ?', wa.pk), 0);
    assert.ok(chatStorage.includes(text(wa.text!)));
    // the chat's last message is still a live one
    assert.equal(
      count(
        waDb,
        'SELECT count(*) FROM ZWACHATSESSION s JOIN ZWAMESSAGE m ON m.Z_PK = s.ZLASTMESSAGE',
      ),
      2,
    );

    const note = bundled.notes.notes.find((n) => n.pk === bundled.notes.deletedPks![0])!;
    const notes = openBuilt(
      'notes',
      bytes('AppDomainGroup-group.com.apple.notes', 'NoteStore.sqlite'),
    );
    assert.equal(
      count(notes, 'SELECT count(*) FROM ZICCLOUDSYNCINGOBJECT WHERE Z_ENT = 11'),
      data.notes.notes.length,
    );
    assert.equal(
      count(notes, 'SELECT count(*) FROM ZICCLOUDSYNCINGOBJECT WHERE Z_PK = ?', note.pk),
      0,
    );
    assert.equal(
      count(notes, 'SELECT count(*) FROM ZICNOTEDATA WHERE Z_PK = ?', note.noteDataPk),
      0,
    );
  });
});
