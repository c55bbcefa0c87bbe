import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { register } from '../../src/cli/commands/carve.js';
import { ExitCode, ReclaimError } from '../../src/errors.js';
import { tempDir } from '../support/fixtures.js';

const tmp = tempDir('reclaim-carve-cli-');
after(() => tmp.cleanup());

async function run(args: string[]): Promise<string> {
  const program = new Command('reclaim').exitOverride();
  register(program);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'reclaim', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

describe('reclaim carve', () => {
  it('prints deleted rows as JSON (BigInt as string, blobs as base64), reading DB-wal beside DB', async () => {
    const path = join(tmp.path, 'sms.db');
    const db = new Database(path);
    db.pragma('secure_delete = OFF');
    db.exec('CREATE TABLE message (ROWID INTEGER PRIMARY KEY, text TEXT, date INTEGER, body BLOB)');
    const ins = db.prepare('INSERT INTO message (text, date, body) VALUES (?, ?, ?)');
    for (let i = 0; i < 30; i++)
      ins.run(
        `hello ${i} ${'.'.repeat(i)}`,
        700000000000000000n + BigInt(i),
        Buffer.from([i, 1, 2]),
      );
    db.exec('DELETE FROM message WHERE ROWID IN (5, 17)');
    db.close();
    const rows = JSON.parse(await run(['carve', path, '--json'])) as Array<{
      table: string;
      values: unknown[];
      source: string;
    }>;
    assert.deepEqual(rows.map((r) => r.values[1]).sort(), [
      'hello 16 ................',
      'hello 4 ....',
    ]);
    const r4 = rows.find((r) => r.values[1] === 'hello 4 ....')!;
    assert.equal(r4.values[2], '700000000000000004');
    assert.deepEqual(r4.values[3], { base64: Buffer.from([4, 1, 2]).toString('base64') });
    assert.match(await run(['carve', path]), /message: 2/);
  });

  it('--json says how each record stands against its live table: deleted, earlier version (with the live rowid), partial and lost columns; declared keys by file name, --key for others', async () => {
    const build = (name: string): string => {
      const path = join(tmp.path, name);
      mkdirSync(dirname(path), { recursive: true });
      const db = new Database(path);
      db.pragma('secure_delete = OFF');
      db.exec('CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT UNIQUE, text TEXT)');
      const ins = db.prepare('INSERT INTO message (guid, text) VALUES (?, ?)');
      for (let i = 0; i < 40; i++) ins.run(`GUID-${1000 + i}`, `text ${i}`);
      // edits that grow rows (SQLite moves them), then two deletes
      for (const i of [3, 9, 21])
        db.prepare('UPDATE message SET text = ? WHERE ROWID = ?').run(
          `text ${i - 1}, edited to say a great deal more than before`,
          i,
        );
      db.exec('DELETE FROM message WHERE ROWID IN (30, 33)');
      db.close();
      return path;
    };
    type Row = {
      relation: string;
      liveRowid?: number;
      partial: boolean;
      lostColumns: string[];
      columns: string[];
      values: unknown[];
    };
    for (const [path, extra] of [
      [build('messages/sms.db'), []], // the declared keys of Messages' sms.db
      [build('other.db'), ['--key', 'message=guid']],
    ] as const) {
      const rows = JSON.parse(await run(['carve', path, '--json', ...extra])) as Row[];
      const guid = (r: Row) => r.values[r.columns.indexOf('guid')];
      const deleted = rows.filter((r) => r.relation === 'deleted');
      assert.deepEqual(deleted.map(guid).sort(), ['GUID-1029', 'GUID-1032']);
      const earlier = rows.filter((r) => r.relation === 'earlierVersion');
      assert.ok(earlier.length >= 1, 'old copies of edited rows');
      for (const r of earlier) {
        assert.equal(guid(r), `GUID-${999 + r.liveRowid!}`);
        assert.ok([3, 9, 21].includes(r.liveRowid!));
      }
      for (const r of rows) {
        assert.equal(typeof r.partial, 'boolean');
        assert.ok(Array.isArray(r.lostColumns));
      }
      assert.match(await run(['carve', path, ...extra]), /^2 deleted record\(s\)/);
    }
    await assert.rejects(
      run(['carve', join(tmp.path, 'other.db'), '--key', 'nonsense']),
      (e: unknown) => e instanceof ReclaimError && e.exitCode === ExitCode.usage,
    );
  });

  it('fails with notFound for a missing file and badInput for a non-database', async () => {
    await assert.rejects(
      run(['carve', join(tmp.path, 'nope.db')]),
      (e: unknown) => e instanceof ReclaimError && e.exitCode === ExitCode.notFound,
    );
    await assert.rejects(run(['carve', join(tmp.path, 'missing.db'), '--wal', 'x']), ReclaimError);
  });
});
