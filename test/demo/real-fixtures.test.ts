import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { attributedBodyFor } from '../../demo/src/index.js';
import { fixture, needsFixtures, tempDir } from '../support/fixtures.js';
import { decodeNote, typedstreamText } from './decoders.js';

/** Opens a shared fixture database (and its -wal) read-only from a private temporary copy. */
function openFixture(name: string): { db: Database.Database; done: () => void } {
  const tmp = tempDir('reclaim-demo-fixture-');
  const path = join(tmp.path, name);
  copyFileSync(fixture('databases', name), path);
  if (existsSync(fixture('databases', `${name}-wal`)))
    copyFileSync(fixture('databases', `${name}-wal`), `${path}-wal`);
  const db = new Database(path, { readonly: true });
  return {
    db,
    done: () => {
      db.close();
      tmp.cleanup();
    },
  };
}

test(
  'attributedBody layout is byte-identical to a real iOS 12 one-run message',
  needsFixtures(),
  () => {
    const { db, done } = openFixture('ios12-magnet-ctf-sms.db');
    try {
      const real = db
        .prepare("SELECT attributedBody FROM message WHERE text = 'No prob!'")
        .pluck()
        .get() as Buffer;
      assert.ok(attributedBodyFor('No prob!').equals(real));
      assert.equal(typedstreamText(real), 'No prob!');
    } finally {
      done();
    }
  },
);

test('the notes decoder the demo tests use reads a real iOS 17 note', needsFixtures(), () => {
  const { db, done } = openFixture('ios17-NoteStore.sqlite');
  try {
    const row = db
      .prepare(
        "SELECT o.ZTITLE1, d.ZDATA FROM ZICCLOUDSYNCINGOBJECT o JOIN ZICNOTEDATA d ON d.Z_PK = o.ZNOTEDATA WHERE o.ZTITLE1 = 'iOS 15 Note'",
      )
      .get() as { ZTITLE1: string; ZDATA: Buffer };
    const note = decodeNote(row.ZDATA);
    assert.ok(note.text.startsWith('iOS 15 Note\n'));
    assert.equal(
      note.runs.reduce((s, r) => s + r.length, 0),
      note.text.length,
    );
    assert.equal(note.runs[0].styleType, 0);
  } finally {
    done();
  }
});
