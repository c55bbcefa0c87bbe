import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from './fixtures.js';

/**
 * A copy of an SQLite file whose `table` lacks `column`: the table is rebuilt without it (types and
 * the INTEGER PRIMARY KEY kept, other constraints, indexes and triggers left out), the way a schema
 * that never had the column reads. For tests that check a reader degrades column by column.
 */
export function withoutColumn(database: Buffer, table: string, column: string): Buffer {
  const tmp = tempDir('reclaim-drop-column-');
  try {
    const path = join(tmp.path, 'db.sqlite');
    writeFileSync(path, database);
    const db = new Database(path);
    try {
      db.pragma('foreign_keys = OFF');
      for (const { name } of db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .all() as Array<{ name: string }>)
        db.exec(`DROP TRIGGER "${name}"`);
      const info = db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{
        name: string;
        type: string;
        pk: number;
      }>;
      const kept = info.filter((c) => c.name.toLowerCase() !== column.toLowerCase());
      if (kept.length === info.length) throw new Error(`${table} has no column ${column}`);
      const defs = kept.map(
        (c) =>
          `"${c.name}" ${c.type}${c.pk && c.type.toUpperCase() === 'INTEGER' ? ' PRIMARY KEY' : ''}`,
      );
      const names = kept.map((c) => `"${c.name}"`).join(', ');
      db.exec(`CREATE TABLE "${table}__new" (${defs.join(', ')})`);
      db.exec(`INSERT INTO "${table}__new" (${names}) SELECT ${names} FROM "${table}"`);
      db.exec(`DROP TABLE "${table}"`);
      db.exec(`ALTER TABLE "${table}__new" RENAME TO "${table}"`);
    } finally {
      db.close();
    }
    return readFileSync(path);
  } finally {
    tmp.cleanup();
  }
}
