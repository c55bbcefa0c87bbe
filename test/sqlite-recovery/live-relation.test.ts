// A stale copy of a live row is not a deleted item: rows that SQLite moved (an UPDATE that grew them)
// leave their old bytes behind, usually without their rowid. Databases built to the real iOS 12.4
// sms.db and iOS 11.2 Calendar.sqlitedb schemas; the natural key ties old copies to live rows.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CALENDAR_IOS11_2_SCHEMA } from '../../demo/src/schemas/calendar-ios11-2.js';
import { attributedBodyFor } from '../../demo/src/typedstream.js';
import {
  carveDatabase,
  classifyAgainstLive,
  type LiveRow,
  type RecoveredRecord,
  type SqlValue,
} from '../../src/sqlite-recovery/index.js';
import { tempDir } from '../support/fixtures.js';
import { createSmsDb, insertMessage, type Msg, newGuid, openForWriting } from './real-schema-db.js';

const tmp = tempDir('reclaim-carve-relation-');
after(() => tmp.cleanup());

function record(values: SqlValue[], extra: Partial<RecoveredRecord> = {}): RecoveredRecord {
  return { table: 't', rowid: null, values, source: 'test', confidence: 1, ...extra };
}

describe('classifyAgainstLive', () => {
  const columns = ['ROWID', 'guid', 'text', 'date'];
  const live: LiveRow[] = [
    { rowid: 17, values: [17, 'G-17', 'see you at 8', 1000n] },
    { rowid: 18, values: [18, 'G-18', 'ok', 2000] },
  ];
  const opts = { columns, rowidAlias: 'ROWID', naturalKey: ['GUID'] };

  it('a lost rowid (or rowid 0) with a live natural key is that row, earlier version', () => {
    const [a, b] = classifyAgainstLive(
      [
        record([null, 'G-17', 'see you at 7', 1000]),
        record([0, 'G-17', 'see you at 7', 1000], { rowid: 0 }),
      ],
      live,
      opts,
    );
    assert.deepEqual([a!.relation, a!.liveRowid], ['earlierVersion', 17]);
    assert.deepEqual([b!.relation, b!.liveRowid], ['earlierVersion', 17]);
  });

  it('every value repeated (the rowid aside, numbers as number or bigint) is a duplicate', () => {
    const [a] = classifyAgainstLive([record([null, 'G-18', 'ok', 2000n])], live, opts);
    assert.deepEqual([a!.relation, a!.liveRowid], ['duplicate', 18]);
  });

  it('a key no live row has is deleted, even when a newer row reuses its rowid', () => {
    const [a, b] = classifyAgainstLive(
      [
        record([18, 'G-OTHER', 'ok', 2000], { rowid: 18 }),
        record([null, 'G-99', 'see you at 8', 1000n]),
      ],
      live,
      opts,
    );
    assert.equal(a!.relation, 'deleted');
    assert.equal(b!.relation, 'deleted', 'same text, own guid: a real deletion');
  });

  it('without a key (or with the key lost) the rowid decides; partial records compare what they kept', () => {
    const noKey = { columns, rowidAlias: 'ROWID' };
    const [a, b] = classifyAgainstLive(
      [record([17, 'G-X', 'changed', 1], { rowid: 17 }), record([null, 'G-X', 'changed', 1])],
      live,
      noKey,
    );
    assert.deepEqual([a!.relation, a!.liveRowid], ['earlierVersion', 17]);
    assert.equal(b!.relation, 'deleted');
    const [c, d] = classifyAgainstLive(
      [
        record([null, null, 'see you at 8', null], {
          partial: true,
          lostColumns: ['guid', 'date'],
        }),
        record([null, 'G-17', 'see you', null], { partial: true, lostColumns: ['date'] }),
      ],
      live,
      opts,
    );
    assert.deepEqual([c!.relation, c!.liveRowid], ['duplicate', 17]);
    assert.deepEqual([d!.relation, d!.liveRowid], ['earlierVersion', 17]);
  });
});

describe('carved records placed against the live table (naturalKeys)', () => {
  it('copies of live rows on an older page image are never returned, tiny rows included', () => {
    const path = join(tmp.path, 'tiny.db');
    const db = openForWriting(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)');
    db.transaction(() => {
      for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t (s) VALUES (?)').run(`row ${i}`);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.prepare("INSERT INTO t (s) VALUES ('in the wal')").run();
    const copy = join(tmp.path, 'tiny-copy.db');
    copyFileSync(path, copy);
    copyFileSync(path + '-wal', copy + '-wal');
    db.close();
    // the main file's page 2 is an older image of the live page: 100 rows of 5-6 byte bodies
    const res = carveDatabase(copy, { wal: copy + '-wal' });
    assert.deepEqual(res.records, []);
  });

  it('sms.db (iOS 12.4): edited texts that SQLite moved are earlier versions; only deleted texts are deleted', () => {
    const path = join(tmp.path, 'sms.db');
    const db = createSmsDb(path);
    const msgs: Msg[] = [];
    db.transaction(() => {
      for (let i = 1; i <= 120; i++)
        msgs.push(
          insertMessage(db, `message ${i}: ${'on the train, '.repeat(1 + (i % 4))}`, {
            handle: 1 + (i % 5),
            date: 600_000_000_000_000_000n + BigInt(i) * 90_000_000_000n,
          }),
        );
    })();
    // the same text sent twice, each with its own guid; one copy is deleted below
    const first = insertMessage(db, 'On my way!', { handle: 2, date: 601_000_000_000_000_000n });
    const twice = insertMessage(db, 'On my way!', { handle: 2, date: 601_000_000_100_000_000n });
    msgs.push(first, twice);
    const deleted = msgs.filter((m) => m.rowid % 6 === 2);
    const del = db.prepare('DELETE FROM message WHERE ROWID = ?');
    for (const m of deleted) del.run(m.rowid);
    // edits after the deletes, as a phone does: the grown rows move into the freed space
    const edited = msgs.filter((m) => m.rowid % 4 === 1 && !deleted.includes(m));
    const before = new Map(edited.map((m) => [m, m.text]));
    const edit = db.prepare('UPDATE message SET text = ?, attributedBody = ? WHERE ROWID = ?');
    for (const m of edited) {
      m.text = `${m.text} (edited)`;
      edit.run(m.text, attributedBodyFor(m.text), m.rowid); // longer: SQLite moves the row
    }
    del.run(twice.rowid); // later, the second copy of the text sent twice
    deleted.push(twice);
    const liveRows = db
      .prepare('SELECT ROWID AS rowid, * FROM message')
      .safeIntegers(true)
      .all() as Array<Record<string, unknown>>;
    db.close();

    const file = readFileSync(path);
    // a record's guid, text, handle_id (no byte for 0 and 1) and attributedBody lie side by side
    const inFile = (m: Msg, text = m.text): boolean =>
      file.includes(
        Buffer.concat([
          Buffer.from(m.guid + text),
          Buffer.from(m.handle > 1 ? [m.handle, 4, 11] : [4, 11]),
        ]),
      );
    const stale = edited.filter((m) => inFile(m, before.get(m)));
    assert.ok(stale.length >= 10, `test setup: ${stale.length} old versions left in the file`);
    const gone = deleted.filter((m) => inFile(m));
    assert.ok(
      gone.length >= 8 && gone.includes(twice),
      `test setup: ${gone.length} deleted texts in the file`,
    );

    const res = carveDatabase(path, { naturalKeys: { message: ['guid'] } });
    const columns = res.tables.find((t) => t.name === 'message')!.columns;
    const g = columns.indexOf('guid');
    const got = res.records.filter((r) => r.table === 'message');
    const deletedGuids = new Set(
      got.filter((r) => r.relation === 'deleted').map((r) => r.values[g]),
    );
    // every deleted text still in the file, and nothing but deleted texts (some kept only their guid)
    for (const m of gone) assert.ok(deletedGuids.has(m.guid), `deleted text ${m.rowid}`);
    const deletedSet = new Set(deleted.map((m) => m.guid));
    for (const guid of deletedGuids) assert.ok(deletedSet.has(String(guid)), `live: ${guid}`);
    for (const m of stale) {
      const old = got.filter((r) => r.values[g] === m.guid);
      assert.ok(old.length >= 1, `old version of ${m.rowid} found`);
      for (const r of old) {
        assert.deepEqual(
          [r.relation, r.liveRowid, r.earlierVersion],
          ['earlierVersion', m.rowid, true],
        );
        assert.equal(r.values[columns.indexOf('text')], before.get(m));
      }
    }
    assert.ok(got.every((r) => r.relation !== undefined));

    // the same answer from the helper, given the live rows as SQLite reads them
    const plain = carveDatabase(path).records.filter((r) => r.table === 'message');
    assert.ok(
      plain.some((r) => r.relation === 'deleted' && stale.some((m) => m.guid === r.values[g])),
      'by rowid alone, old copies that lost their rowid would pass for deleted texts',
    );
    const rows: LiveRow[] = liveRows.map((row) => ({
      rowid: Number(row.rowid),
      values: columns.map((c) => row[c] as SqlValue), // integers as bigint: compared by value
    }));
    const classified = classifyAgainstLive(plain, rows, {
      columns,
      rowidAlias: 'ROWID',
      naturalKey: ['guid'],
    });
    const helperDeleted = classified.filter((c) => c.relation === 'deleted');
    assert.deepEqual(
      [...new Set(helperDeleted.map((c) => c.record.values[g]))].sort(),
      [...deletedGuids].sort(),
    );
    for (const c of classified.filter((x) => stale.some((m) => m.guid === x.record.values[g])))
      assert.equal(c.relation, 'earlierVersion');
  });

  it('Calendar.sqlitedb (iOS 11.2): rewritten events leave copies without rowid, same UNIQUE_IDENTIFIER, summary, start: earlier versions', () => {
    const path = join(tmp.path, 'Calendar.sqlitedb');
    const db = openForWriting(path);
    for (const sql of CALENDAR_IOS11_2_SCHEMA) db.exec(sql);
    db.prepare("INSERT INTO Store (ROWID, name, type) VALUES (1, 'Default', 0)").run();
    db.prepare(
      "INSERT INTO Calendar (ROWID, store_id, title, UUID) VALUES (1, 1, 'Holidays', ?)",
    ).run(newGuid(1));
    const ins =
      db.prepare(`INSERT INTO CalendarItem (summary, start_date, start_tz, end_date, end_tz,
      all_day, calendar_id, status, last_modified, sequence_num, unique_identifier, UUID, entity_type,
      hidden, has_recurrences, has_attendees, creation_date)
      VALUES (?, ?, 'UTC', ?, 'UTC', 1, 1, 0, ?, 0, ?, ?, 2, 0, 0, 0, ?)`);
    interface Ev {
      rowid: number;
      uid: string;
      summary: string;
      start: number;
    }
    const events: Ev[] = [];
    db.transaction(() => {
      for (let i = 0; i < 130; i++) {
        const summary = `Holiday ${i}: ${['New Year', 'Bank holiday', 'Labour Day', 'Harvest'][i % 4]}`;
        const start = 600_000_000 + i * 86_400 * 3;
        const uid = `${newGuid(i + 50)}@holidays.example.org`;
        const made = start - 1e6;
        const info = ins.run(summary, start, start + 86_400, made, uid, newGuid(i + 900), made);
        events.push({ rowid: Number(info.lastInsertRowid), uid, summary, start });
      }
    })();
    // a sync rewrites events: a repeat rule and a longer external tag, so each row grows and moves
    const rewrite = db.prepare(`UPDATE CalendarItem SET has_recurrences = 1, sequence_num = 1,
      last_modified = last_modified + 5000, external_mod_tag = ?, description = ? WHERE ROWID = ?`);
    for (const e of events.filter((x) => x.rowid % 7 === 0))
      rewrite.run(`etag-${e.uid}`, 'Public holiday', e.rowid);
    const deleted = events.filter((e) => e.rowid % 10 === 4);
    for (const e of deleted) db.prepare('DELETE FROM CalendarItem WHERE ROWID = ?').run(e.rowid);
    db.close();

    const res = carveDatabase(path, { naturalKeys: { CalendarItem: ['UNIQUE_IDENTIFIER'] } });
    const cols = res.tables.find((t) => t.name === 'CalendarItem')!.columns;
    const at = (name: string): number => cols.indexOf(name);
    const got = res.records.filter((r) => r.table === 'CalendarItem');

    const olds = got.filter((r) => r.relation === 'earlierVersion');
    assert.ok(olds.length >= 6, `test setup: ${olds.length} old copies carved`);
    assert.ok(olds.filter((r) => r.rowid === null).length >= 4, 'copies that lost their rowid');
    for (const r of olds) {
      const e = events.find((x) => x.uid === r.values[at('unique_identifier')])!;
      assert.ok(!deleted.includes(e));
      assert.equal(r.liveRowid, e.rowid);
      assert.deepEqual([r.values[at('summary')], r.values[at('start_date')]], [e.summary, e.start]);
      assert.equal(r.values[at('has_recurrences')], 0, 'the old copy, before the repeat rule');
    }
    // only deleted events come out deleted, and every one still in the file does
    const file = readFileSync(path);
    const inFile = deleted.filter((e) => file.includes(Buffer.from(e.summary)));
    assert.ok(inFile.length >= 10, `test setup: ${inFile.length} deleted events in the file`);
    const deletedUids = new Set(
      got.filter((r) => r.relation === 'deleted').map((r) => r.values[at('unique_identifier')]),
    );
    assert.deepEqual([...deletedUids].sort(), inFile.map((e) => e.uid).sort());
    for (const r of got.filter((x) => x.relation === 'deleted')) {
      const e = deleted.find((x) => x.uid === r.values[at('unique_identifier')])!;
      assert.deepEqual([r.values[at('summary')], r.values[at('start_date')]], [e.summary, e.start]);
    }
  });
});
