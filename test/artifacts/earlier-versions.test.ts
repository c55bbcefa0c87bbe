// "Recovered" means deleted: rows that SQLite moved when an UPDATE made them longer leave old copies
// behind (usually without their rowid); those are the live item's history (earlierVersions), never
// recovered items. Databases built to the real iOS schemas, read through the artifacts as a backup's
// files would be; only the rows that were deleted come back as recovered.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ADDRESSBOOK_IOS15_SCHEMA } from '../../demo/src/schemas/addressbook-ios15.js';
import { CALENDAR_IOS11_2_SCHEMA } from '../../demo/src/schemas/calendar-ios11-2.js';
import { CALLHISTORY_IOS17_SCHEMA } from '../../demo/src/schemas/callhistory-ios17.js';
import { SAFARI_BOOKMARKS_IOS7_SCHEMA } from '../../demo/src/schemas/safari-bookmarks-ios7.js';
import { WHATSAPP_CHATSTORAGE_IOS15_SCHEMA } from '../../demo/src/schemas/whatsapp-chatstorage-ios15.js';
import { attributedBodyFor } from '../../demo/src/typedstream.js';
import type { Artifact, ArtifactData } from '../../src/artifacts/artifact.js';
import { calendarArtifact, type CalendarEvent } from '../../src/artifacts/calendar/index.js';
import { callsArtifact, type CallRecord } from '../../src/artifacts/calls/index.js';
import { contactsArtifact, type Contact } from '../../src/artifacts/contacts/index.js';
import type { Conversation, ConversationMessage } from '../../src/artifacts/conversation.js';
import { messagesArtifact } from '../../src/artifacts/messages/index.js';
import {
  safariArtifact,
  type Bookmark,
  type SafariItem,
} from '../../src/artifacts/safari/index.js';
import { LooseFilesSource } from '../../src/artifacts/source.js';
import { whatsAppArtifact } from '../../src/artifacts/whatsapp/index.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import { exportArtifacts } from '../../src/export/run.js';
import { carveDatabase } from '../../src/sqlite-recovery/index.js';
import { tempDir } from '../support/fixtures.js';
import {
  createSmsDb,
  insertMessage,
  newGuid,
  type Msg,
} from '../sqlite-recovery/real-schema-db.js';

const tmp = tempDir('reclaim-earlier-versions-');
const workspace = PrivateWorkspace.create();
after(() => {
  workspace.dispose();
  tmp.cleanup();
});

/** A database as a device writes it: secure_delete off, everything in the one file. */
function writeDb(name: string, schema: readonly string[]): { path: string; db: Database.Database } {
  const path = join(tmp.path, name);
  const db = new Database(path);
  db.pragma('secure_delete = OFF');
  db.pragma('journal_mode = DELETE');
  for (const fn of ['ab_generate_guid', 'ab_update_value_from_trigger'])
    db.function(fn, { varargs: true }, (...args: unknown[]) => (args[0] ?? null) as string | null);
  for (const sql of schema) if (!/^CREATE VIRTUAL TABLE/i.test(sql)) db.exec(sql);
  return { path, db };
}

async function read<T>(
  artifact: Artifact<T>,
  domain: string,
  relativePath: string,
  path: string,
): Promise<ArtifactData<T>> {
  const source = new LooseFilesSource([{ domain, relativePath, path }], workspace);
  return artifact.read(source, {});
}

const freelistPages = (file: Buffer): number => file.readUInt32BE(36);
const has = (file: Buffer, text: string): boolean => file.includes(Buffer.from(text));

describe('earlier versions of live rows are history, never recovered items', () => {
  it('Calendar.sqlitedb with an empty freelist: a sync rewrote the holidays; only deleted events are recovered, the .ics has each event once with its repeat rule', async () => {
    const { path, db } = writeDb('Calendar.sqlitedb', CALENDAR_IOS11_2_SCHEMA);
    db.prepare("INSERT INTO Store (ROWID, name, type) VALUES (1, 'Subscribed', 0)").run();
    db.prepare(
      "INSERT INTO Calendar (ROWID, store_id, title, UUID) VALUES (1, 1, 'Holidays', ?)",
    ).run(newGuid(1));
    const insert = db.prepare(`INSERT INTO CalendarItem (summary, start_date, start_tz, end_date,
      end_tz, all_day, calendar_id, status, last_modified, sequence_num, unique_identifier, UUID,
      entity_type, hidden, has_recurrences, has_attendees, creation_date, orig_item_id)
      VALUES (?, ?, 'UTC', ?, 'UTC', 1, 1, 0, ?, 0, ?, ?, 2, 0, 0, 0, ?, 0)`);
    const names = ['New Year', 'Good Friday', 'Labour Day', 'Harvest Festival', 'Boxing Day'];
    const events = db.transaction(() =>
      Array.from({ length: 130 }, (_, i) => {
        const summary = `${names[i % names.length]} ${2019 + Math.floor(i / names.length)}`;
        const start = 567_993_600 + i * 86_400 * 7;
        const uid = `${newGuid(i + 40)}@holidays.example.org`;
        const rowid = Number(
          insert.run(
            summary,
            start,
            start + 86_400,
            start - 9e6,
            uid,
            newGuid(i + 700),
            start - 9e6,
          ).lastInsertRowid,
        );
        return { rowid, uid, summary, start };
      }),
    )();
    // the subscription's sync: a yearly rule, a description and a longer tag make each row grow
    const rewritten = events.filter((e) => e.rowid % 3 !== 0);
    const rule = db.prepare(
      'INSERT INTO Recurrence (frequency, interval, owner_id, specifier) VALUES (4, 1, ?, NULL)',
    );
    const sync = db.prepare(`UPDATE CalendarItem SET has_recurrences = 1, sequence_num = 1,
      last_modified = last_modified + 86400, external_mod_tag = ?, description = ? WHERE ROWID = ?`);
    for (const e of rewritten) {
      rule.run(e.rowid);
      sync.run(`"etag-${e.uid}-${'0'.repeat(24)}"`, 'Public holiday', e.rowid);
    }
    const deleted = events.filter((e) => e.rowid % 26 === 5);
    for (const e of deleted) db.prepare('DELETE FROM CalendarItem WHERE ROWID = ?').run(e.rowid);
    db.close();

    const file = readFileSync(path);
    assert.equal(freelistPages(file), 0, 'test setup: the freelist is empty');
    const deletedInFile = deleted.filter((e) => has(file, e.uid));
    assert.ok(deletedInFile.length >= 3, `test setup: ${deletedInFile.length} deleted in the file`);

    // what the carver alone calls deleted: by rowid only, old copies without one pass for deletions
    const plain = carveDatabase(path).records.filter(
      (r) => r.table === 'CalendarItem' && r.relation !== 'earlierVersion',
    );
    const keyed = carveDatabase(path, {
      naturalKeys: { CalendarItem: ['UNIQUE_IDENTIFIER'] },
    }).records.filter((r) => r.table === 'CalendarItem');
    const stale = keyed.filter((r) => r.relation === 'earlierVersion');
    assert.ok(stale.length >= 10, `test setup: ${stale.length} old copies of live events`);
    assert.ok(
      plain.length > deletedInFile.length,
      `without natural keys ${plain.length} would be "recovered", not ${deletedInFile.length}`,
    );

    const data = await read(
      calendarArtifact,
      'HomeDomain',
      'Library/Calendar/Calendar.sqlitedb',
      path,
    );
    const live = data.items.filter((e) => !e.recovered);
    const recovered = data.items.filter((e) => e.recovered);
    assert.equal(live.length, events.length - deleted.length);
    const liveUids = new Set(live.map((e) => e.uid));
    assert.deepEqual(
      recovered.map((e) => e.summary).sort(),
      deletedInFile.map((e) => e.summary).sort(),
      'recovered: exactly the deleted events still in the file',
    );
    for (const e of recovered)
      assert.ok(!liveUids.has(e.uid.replace(/-recovered-.*$/, '')), `${e.summary} is live`);
    // the old copies are the live events' history: before the sync had no description
    const withHistory = live.filter((e) => e.earlierVersions?.length);
    assert.ok(withHistory.length >= 10, `${withHistory.length} events carry earlier versions`);
    for (const e of withHistory) {
      assert.ok(rewritten.some((r) => r.uid === e.uid));
      for (const v of e.earlierVersions!) {
        assert.equal(v.changed['description'], null);
        assert.ok(v.source.length > 0 && v.confidence > 0);
      }
    }
    for (const e of live.filter((x) => !rewritten.some((r) => r.uid === x.uid)))
      assert.equal(e.earlierVersions, undefined, 'an event never rewritten has no history');

    // the .ics: every live event once, with its rule; deleted ones once each; no old copies
    const out = join(tmp.path, 'calendar-out');
    const [summary] = await exportArtifacts(
      new LooseFilesSource(
        [{ domain: 'HomeDomain', relativePath: 'Library/Calendar/Calendar.sqlitedb', path }],
        workspace,
      ),
      out,
      ['calendar'],
    );
    assert.equal(summary!.recovered, deletedInFile.length);
    const ics = readdirSync(join(out, 'calendar'))
      .filter((f) => f.endsWith('.ics'))
      .map((f) => readFileSync(join(out, 'calendar', f), 'utf8'))
      .join('\n')
      .replace(/\r\n[ \t]/g, '');
    const vevents = ics.split('BEGIN:VEVENT').slice(1);
    assert.equal(vevents.length, live.length + recovered.length);
    for (const e of rewritten.filter((x) => !deleted.includes(x))) {
      const mine = vevents.filter((v) => v.includes(`UID:${e.uid}`));
      assert.equal(mine.length, 1, `${e.summary} exported once`);
      assert.match(mine[0]!, /RRULE:FREQ=YEARLY/);
    }
  });

  it('sms.db: texts edited and read (rows SQLite moved) keep their old text as history; deleted texts, a copy of a text sent twice included, are recovered', async () => {
    const path = join(tmp.path, 'sms.db');
    const db = createSmsDb(path);
    db.prepare(
      "INSERT INTO handle (id, country, service) VALUES ('+15550101', 'us', 'iMessage')",
    ).run();
    const msgs: Msg[] = db.transaction(() =>
      Array.from({ length: 90 }, (_, i) =>
        insertMessage(db, `message ${i + 1}: ${'see you at the station, '.repeat(1 + (i % 3))}`, {
          handle: 1,
          date: 600_000_000_000_000_000n + BigInt(i) * 60_000_000_000n,
        }),
      ),
    )();
    const first = insertMessage(db, 'On my way!', { handle: 1, date: 601_000_000_000_000_000n });
    const twice = insertMessage(db, 'On my way!', { handle: 1, date: 601_000_000_100_000_000n });
    const deleted = msgs.filter((m) => m.rowid % 9 === 4);
    const del = db.prepare('DELETE FROM message WHERE ROWID = ?');
    for (const m of deleted) del.run(m.rowid);
    const edited = msgs.filter((m) => m.rowid % 5 === 1 && !deleted.includes(m));
    const before = new Map(edited.map((m) => [m.guid, m.text]));
    const edit = db.prepare('UPDATE message SET text = ?, attributedBody = ? WHERE ROWID = ?');
    for (const m of edited) {
      m.text = `${m.text} (edited: meet at platform 2 instead)`;
      edit.run(m.text, attributedBodyFor(m.text), m.rowid);
    }
    // read later: only the read time changes (the row grows by the date's bytes)
    const read_ = msgs.filter((m) => m.rowid % 5 === 3 && !deleted.includes(m));
    for (const m of read_)
      db.prepare('UPDATE message SET date_read = ?, is_read = 1 WHERE ROWID = ?').run(
        m.date + 987_654_321_000n,
        m.rowid,
      );
    del.run(twice.rowid);
    deleted.push(twice);
    db.close();

    const file = readFileSync(path);
    const gone = deleted.filter((m) => has(file, m.guid + m.text));
    assert.ok(gone.length >= 3 && gone.includes(twice), `test setup: ${gone.length} in the file`);
    // the carver's old copies of edited texts (those that kept their text)
    const carved = carveDatabase(path, { naturalKeys: { message: ['guid'] } });
    const columns = carved.tables.find((t) => t.name === 'message')!.columns;
    const oldTexts = carved.records.filter(
      (r) =>
        r.table === 'message' &&
        r.relation === 'earlierVersion' &&
        r.values[columns.indexOf('text')] === before.get(String(r.values[columns.indexOf('guid')])),
    );
    assert.ok(oldTexts.length >= 2, `test setup: ${oldTexts.length} old texts carved`);

    const data = await read(messagesArtifact, 'HomeDomain', 'Library/SMS/sms.db', path);
    const all = (data.items as Conversation[]).flatMap((c) => c.messages);
    const recovered = all.filter((m) => m.recovered);
    const deletedGuids = new Set(deleted.map((m) => m.guid));
    for (const m of recovered) assert.ok(deletedGuids.has(m.id), `live text ${m.id} recovered`);
    for (const m of gone)
      assert.ok(
        recovered.some((r) => r.id === m.guid),
        `deleted text ${m.rowid} recovered`,
      );
    assert.ok(
      all.some((m) => m.id === first.guid && !m.recovered),
      'the copy not deleted is live',
    );
    assert.equal(all.filter((m) => !m.recovered).length, msgs.length + 2 - deleted.length);
    const byGuid = new Map<string, ConversationMessage>(all.map((m) => [m.id, m]));
    for (const r of oldTexts) {
      const guid = String(r.values[columns.indexOf('guid')]);
      assert.ok(
        byGuid.get(guid)!.earlierVersions?.some((v) => v.changed['text'] === before.get(guid)),
        `the text before the edit of ${guid} is its history`,
      );
    }
    for (const m of all.filter((x) => x.earlierVersions)) {
      assert.ok(!m.recovered && before.has(m.id), 'only edited texts have history');
      for (const v of m.earlierVersions!) assert.equal(v.changed['text'], before.get(m.id));
    }
    for (const m of read_)
      assert.equal(byGuid.get(m.guid)!.earlierVersions, undefined, 'being read is no new version');
  });

  it('Bookmarks.db: a renamed bookmark is history; the deleted one is recovered', async () => {
    const { path, db } = writeDb('Bookmarks.db', SAFARI_BOOKMARKS_IOS7_SCHEMA);
    const ins = db.prepare(`INSERT INTO bookmarks (id, special_id, parent, type, title, url,
      order_index, external_uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    ins.run(0, 0, null, 1, 'Root', null, 0, newGuid(900));
    ins.run(1, 1, 0, 1, 'BookmarksBar', null, 0, newGuid(901));
    const marks = Array.from({ length: 40 }, (_, i) => {
      const b = {
        id: i + 10,
        title: `Site ${i}`,
        url: `https://site${i}.example.org/`,
        uuid: newGuid(i + 950),
      };
      ins.run(b.id, 0, 1, 0, b.title, b.url, i, b.uuid);
      return b;
    });
    const renamed = marks.filter((b) => b.id % 4 === 0);
    for (const b of renamed)
      db.prepare('UPDATE bookmarks SET title = ? WHERE id = ?').run(
        `${b.title}: the long name it was given later`,
        b.id,
      );
    const gone = marks.find((b) => b.id === 23)!;
    db.prepare('DELETE FROM bookmarks WHERE id = ?').run(gone.id);
    db.close();
    const file = readFileSync(path);
    assert.ok(has(file, gone.url), 'test setup: the deleted bookmark is still in the file');

    const data = await read(safariArtifact, 'HomeDomain', 'Library/Safari/Bookmarks.db', path);
    const bookmarks = data.items.filter((i: SafariItem): i is Bookmark => i.kind === 'bookmark');
    assert.deepEqual(
      bookmarks.filter((b) => b.recovered).map((b) => b.url),
      [gone.url],
    );
    assert.equal(bookmarks.filter((b) => !b.recovered).length, marks.length - 1);
    const withHistory = bookmarks.filter((b) => b.earlierVersions?.length);
    assert.ok(withHistory.length >= 1, 'renamed bookmarks carry their old title');
    for (const b of withHistory) {
      const was = renamed.find((r) => r.id === b.id)!;
      assert.deepEqual(
        b.earlierVersions!.map((v) => v.changed),
        [{ title: was.title }],
      );
    }
  });

  it('AddressBook: an edited card keeps its old note as history; the deleted card is recovered', async () => {
    const { path, db } = writeDb('AddressBook.sqlitedb', ADDRESSBOOK_IOS15_SCHEMA);
    const ins = db.prepare(`INSERT INTO ABPerson (First, Last, Note, Kind, CreationDate,
      ModificationDate, guid, StoreID) VALUES (?, ?, ?, 0, ?, ?, ?, 0)`);
    const people = Array.from({ length: 60 }, (_, i) => {
      const p = {
        rowid: i + 1,
        first: `Maria${i}`,
        last: `Lopez-${i}`,
        guid: newGuid(i + 300),
        note: `met in ${2000 + i}`,
      };
      ins.run(p.first, p.last, p.note, 600_000_000 + i, 600_000_000 + i, p.guid);
      return p;
    });
    const edited = people.filter((p) => p.rowid % 6 === 2);
    for (const p of edited)
      db.prepare(
        'UPDATE ABPerson SET Note = ?, ModificationDate = ModificationDate + 1 WHERE ROWID = ?',
      ).run(`${p.note}; moved to Lisbon, new number below, call after six`, p.rowid);
    const gone = people.filter((p) => p.rowid % 13 === 7);
    for (const p of gone) db.prepare('DELETE FROM ABPerson WHERE ROWID = ?').run(p.rowid);
    db.close();
    const file = readFileSync(path);
    const inFile = gone.filter((p) => has(file, p.first));
    assert.ok(inFile.length >= 2, 'test setup: deleted cards in the file');

    const data = await read(
      contactsArtifact,
      'HomeDomain',
      'Library/AddressBook/AddressBook.sqlitedb',
      path,
    );
    const recovered = data.items.filter((c: Contact) => c.recovered);
    assert.deepEqual(recovered.map((c) => c.firstName).sort(), inFile.map((p) => p.first).sort());
    const withHistory = data.items.filter((c) => c.earlierVersions?.length);
    assert.ok(withHistory.length >= 3, `${withHistory.length} cards with history`);
    for (const c of withHistory.filter((x) => !x.recovered)) {
      const p = edited.find((e) => e.first === c.firstName)!;
      assert.ok(c.earlierVersions!.some((v) => v.changed['note'] === p.note));
    }
    // card 20 was edited, then deleted: one recovered card, its other copy beside it
    const both = recovered.filter((c) => c.firstName === 'Maria19');
    assert.equal(both.length, 1, 'an edited, then deleted card comes back once');
    const notes = [both[0]!.note, ...both[0]!.earlierVersions!.map((v) => v.changed['note'])];
    assert.deepEqual(notes.sort(), [
      'met in 2019',
      'met in 2019; moved to Lisbon, new number below, call after six',
    ]);
  });

  it('CallHistory.storedata and ChatStorage.sqlite: rows rewritten in place are not deleted calls or messages', async () => {
    const calls = writeDb('CallHistory.storedata', CALLHISTORY_IOS17_SCHEMA);
    const addCall = calls.db.prepare(`INSERT INTO ZCALLRECORD (Z_ENT, Z_OPT, ZANSWERED, ZCALLTYPE,
      ZORIGINATED, ZREAD, ZDATE, ZDURATION, ZADDRESS, ZSERVICE_PROVIDER, ZUNIQUE_ID)
      VALUES (2, 1, 1, 1, 0, 0, ?, 30, ?, 'com.apple.Telephony', ?)`);
    const callIds = Array.from({ length: 80 }, (_, i) => {
      const id = newGuid(i + 500);
      addCall.run(700_000_000 + i * 3600, `+4915112345${String(i).padStart(3, '0')}`, id);
      return id;
    });
    // the phone names the caller later (the row grows); two calls are deleted
    calls.db
      .prepare(
        "UPDATE ZCALLRECORD SET ZNAME = 'Dr. Elisabeth Vogelsang-Hartmann', ZREAD = 1 WHERE Z_PK % 3 = 0",
      )
      .run();
    calls.db.prepare('DELETE FROM ZCALLRECORD WHERE Z_PK IN (17, 44)').run();
    calls.db.close();
    const callData = await read(
      callsArtifact,
      'HomeDomain',
      'Library/CallHistoryDB/CallHistory.storedata',
      calls.path,
    );
    const recoveredCalls = callData.items.filter((c: CallRecord) => c.recovered);
    assert.deepEqual(recoveredCalls.map((c) => c.address).sort(), [
      '+4915112345016',
      '+4915112345043',
    ]);
    assert.equal(callData.items.length, callIds.length);
    for (const c of callData.items.filter((x) => x.earlierVersions))
      assert.deepEqual(Object.keys(c.earlierVersions![0]!.changed), ['storedName']);

    const wa = writeDb('ChatStorage.sqlite', WHATSAPP_CHATSTORAGE_IOS15_SCHEMA);
    wa.db
      .prepare(
        "INSERT INTO ZWACHATSESSION (Z_PK, Z_ENT, Z_OPT, ZCONTACTJID, ZPARTNERNAME, ZSESSIONTYPE) VALUES (1, 5, 1, '4915112345678@s.whatsapp.net', 'Jonas', 0)",
      )
      .run();
    const addMsg = wa.db.prepare(`INSERT INTO ZWAMESSAGE (Z_ENT, Z_OPT, ZCHATSESSION, ZISFROMME,
      ZMESSAGETYPE, ZMESSAGESTATUS, ZMESSAGEDATE, ZFROMJID, ZTEXT, ZSTANZAID)
      VALUES (9, 1, 1, 0, 0, 0, ?, '4915112345678@s.whatsapp.net', ?, ?)`);
    const stanzas = Array.from({ length: 70 }, (_, i) => {
      const stanza = `3EB0${newGuid(i + 800)
        .replace(/-/g, '')
        .slice(0, 16)}`;
      addMsg.run(
        700_000_000 + i * 60,
        `wa message ${i}: ${'bring the tickets, '.repeat(1 + (i % 3))}`,
        stanza,
      );
      return stanza;
    });
    wa.db
      .prepare(
        "UPDATE ZWAMESSAGE SET ZMESSAGESTATUS = 13, ZPUSHNAME = 'Jonas (work phone)' WHERE Z_PK % 2 = 0",
      )
      .run();
    wa.db
      .prepare(
        "UPDATE ZWAMESSAGE SET ZTEXT = ZTEXT || ' (edited to add: and the passports)' WHERE Z_PK = 31",
      )
      .run();
    wa.db.prepare('DELETE FROM ZWAMESSAGE WHERE Z_PK IN (12, 55)').run();
    wa.db.close();
    const waData = await read(
      whatsAppArtifact,
      'AppDomainGroup-group.net.whatsapp.WhatsApp.shared',
      'ChatStorage.sqlite',
      wa.path,
    );
    const messages = (waData.items as Conversation[]).flatMap((c) => c.messages);
    assert.deepEqual(
      messages
        .filter((m) => m.recovered)
        .map((m) => m.text?.slice(0, 14))
        .sort(),
      ['wa message 11:', 'wa message 54:'],
    );
    assert.equal(messages.length, stanzas.length);
    const editedMessage = messages.find((m) => m.id === '31')!;
    assert.ok(
      editedMessage.earlierVersions?.some(
        (v) =>
          String(v.changed['text']).startsWith('wa message 30:') &&
          !String(v.changed['text']).includes('passports'),
      ),
      'the text before the edit is the message history',
    );
  });
});
