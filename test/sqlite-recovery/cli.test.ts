import assert from 'node:assert/strict';
import { join } from 'node:path';
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

  it('fails with notFound for a missing file and badInput for a non-database', async () => {
    await assert.rejects(
      run(['carve', join(tmp.path, 'nope.db')]),
      (e: unknown) => e instanceof ReclaimError && e.exitCode === ExitCode.notFound,
    );
    await assert.rejects(run(['carve', join(tmp.path, 'missing.db'), '--wal', 'x']), ReclaimError);
  });
});
