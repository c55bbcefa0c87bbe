import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ArtifactData, Problem } from '../../src/artifacts/artifact.js';
import type { DatabaseSchema } from '../../src/artifacts/declaration.js';
import { LooseFilesSource, type ArtifactSource } from '../../src/artifacts/source.js';
import { PrivateWorkspace } from '../../src/artifacts/workspace.js';
import type { BackupFileInput } from '../../src/backup/types.js';
import { tempDir } from './fixtures.js';

/**
 * Schema drift, tested: every optional column a reader declares (DatabaseSchema: optional and extras) is
 * dropped in turn (the table recreated without it, the file vacuumed so no old copy of a row is left in
 * free space), the data type read again, and what came out compared with the full database's result.
 * Usable for any data type: give the files a demo builder made, the database and its declared schema.
 */

export interface ColumnDropSpec<T> {
  /** The backup's files as a demo builder gives them (the database among them). */
  files: readonly BackupFileInput[];
  /**
   * The database whose columns are dropped (a declared location, or a file of a glob location given by its
   * path), with the schema its reader declares.
   */
  database: { domain: string; path: string; schema?: DatabaseSchema };
  /** Reads the files, e.g. `(source) => notesArtifact.read(source, { recoverDeleted: false })`. */
  read: (source: ArtifactSource) => Promise<ArtifactData<T>>;
  /** What identifies an item across runs (default: its id or uid, else its position). */
  key?: (item: T, index: number) => string;
  /** "TABLE.COLUMN" not to drop. */
  skip?: readonly string[];
}

export interface ColumnDrop {
  table: string;
  column: string;
  /** field: the last name of an optional column (one problem line expected); extra: silent when gone. */
  kind: 'field' | 'extra';
  /** Items whose key the full database gave and this read did not. */
  lostItems: string[];
  /** Items this read gave that the full database did not. */
  newItems: string[];
  /** Top-level fields whose values differ in some item. */
  changedFields: string[];
  /** Problem lines the full database's read did not have. */
  newProblems: Problem[];
}

export interface ColumnDropResult<T> {
  baseline: ArtifactData<T>;
  drops: ColumnDrop[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const names = (spec: string) => spec.split('|');

/**
 * Rewrites the database at `path` with `table` recreated without `column` (indexes, triggers and views
 * dropped; a table left with no column is dropped).
 */
export function dropColumn(path: string, table: string, column: string): void {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma('legacy_alter_table = ON');
    db.pragma('foreign_keys = OFF'); // dropping the old table must not cascade into others
    for (const o of db
      .prepare(
        "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') OR (type = 'index' AND tbl_name = ? AND sql IS NOT NULL)",
      )
      .all(table) as Array<{ type: string; name: string }>)
      db.exec(`DROP ${o.type.toUpperCase()} IF EXISTS ${quote(o.name)}`);
    const info = db.prepare(`PRAGMA table_info(${quote(table)})`).all() as Array<{
      name: string;
      type: string;
      pk: number;
    }>;
    const keep = info.filter((c) => c.name.toLowerCase() !== column.toLowerCase());
    if (keep.length === info.length) throw new Error(`${table} has no column ${column}`);
    if (keep.length === 0) {
      // Its only column: without it there is no table.
      db.exec(`DROP TABLE ${quote(table)}; VACUUM;`);
      return;
    }
    const pk = keep.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    const sql = (
      db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(table) as {
        sql: string;
      }
    ).sql;
    const withoutRowid = /WITHOUT\s+ROWID\s*;?\s*$/i.test(sql);
    const definitions = keep.map(
      (c) =>
        `${quote(c.name)} ${c.type}${pk.length === 1 && c.pk && c.type.toUpperCase() === 'INTEGER' ? ' PRIMARY KEY' : ''}`,
    );
    if (pk.length > 1 || (pk.length === 1 && pk[0]!.type.toUpperCase() !== 'INTEGER'))
      definitions.push(`PRIMARY KEY (${pk.map((c) => quote(c.name)).join(', ')})`);
    const list = keep.map((c) => quote(c.name)).join(', ');
    const rowid = withoutRowid ? '' : 'rowid, ';
    db.exec(`CREATE TABLE "reclaim_drop" (${definitions.join(', ')})${withoutRowid ? ' WITHOUT ROWID' : ''};
      INSERT INTO "reclaim_drop" (${rowid}${list}) SELECT ${rowid}${list} FROM ${quote(table)};
      DROP TABLE ${quote(table)};
      ALTER TABLE "reclaim_drop" RENAME TO ${quote(table)};
      VACUUM;`);
  } finally {
    db.close();
  }
}

/** Items as comparable JSON values (blobs by hash, dates as ISO text). */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, function (this: Record<string, unknown>, k, v) {
      const raw = this[k];
      if (Buffer.isBuffer(raw) || raw instanceof Uint8Array)
        return `bytes:${createHash('sha256').update(raw).digest('hex')}`;
      return v;
    }),
  );
}

function keyed<T>(items: T[], key: ColumnDropSpec<T>['key']): Map<string, Record<string, unknown>> {
  const byKey = new Map<string, Record<string, unknown>>();
  items.forEach((item, i) => {
    const record = item as Record<string, unknown>;
    const k = key
      ? key(item, i)
      : typeof record['id'] === 'string' || typeof record['id'] === 'number'
        ? String(record['id'])
        : typeof record['uid'] === 'string'
          ? record['uid']
          : String(i);
    byKey.set(byKey.has(k) ? `${k}#${i}` : k, plain(item) as Record<string, unknown>);
  });
  return byKey;
}

/** Drops each declared optional column of the database in turn and reads again (see ColumnDrop). */
export async function dropEachColumn<T>(spec: ColumnDropSpec<T>): Promise<ColumnDropResult<T>> {
  const dir = tempDir('reclaim-drop-');
  const workspace = PrivateWorkspace.create();
  try {
    mkdirSync(join(dir.path, 'files'));
    const loose = spec.files
      .filter((f) => f.data !== undefined)
      .map((f, i) => {
        const path = join(dir.path, 'files', String(i));
        writeFileSync(path, f.data ?? Buffer.alloc(0));
        return { domain: f.domain, relativePath: f.relativePath, path };
      });
    const target = loose.find(
      (f) => f.domain === spec.database.domain && f.relativePath === spec.database.path,
    );
    assert.ok(target, `${spec.database.path} is not among the files`);
    const schema = spec.database.schema;
    assert.ok(schema, `${spec.database.path}: no schema declared`);
    const original = readFileSync(target.path);
    const readWith = async (dbPath: string) =>
      spec.read(
        new LooseFilesSource(
          loose
            .filter(
              (f) =>
                !(f.domain === target.domain && f.relativePath === `${target.relativePath}-wal`),
            )
            .map((f) => (f === target ? { ...f, path: dbPath } : f)),
          workspace,
        ),
      );
    const baselinePath = join(dir.path, 'baseline');
    writeFileSync(baselinePath, original);
    checkpoint(baselinePath, loose, target);
    const baseline = await readWith(baselinePath);
    const base = keyed(baseline.items, spec.key);
    const baseProblems = new Set(baseline.problems.map((p) => p.message));

    const probe = new Database(baselinePath, { readonly: true });
    const plan: Array<{ table: string; column: string; kind: ColumnDrop['kind'] }> = [];
    try {
      const tables = (
        probe.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
          name: string;
        }>
      ).map((t) => t.name);
      const columnsOf = (t: string) =>
        (probe.prepare(`PRAGMA table_info(${quote(t)})`).all() as Array<{ name: string }>).map(
          (c) => c.name,
        );
      const matches = (declared: string, actual: string) =>
        new RegExp(
          `^${declared.replace(/[.*+?^${}()[\]\\]/g, '\\$&').replace(/#/g, '\\d+')}$`,
          'i',
        ).test(actual);
      for (const [declared, reads] of Object.entries(schema.tables)) {
        const table = names(declared)
          .map((n) => tables.find((t) => matches(n, t)))
          .find(Boolean);
        if (!table) continue;
        const have = columnsOf(table);
        const specs = [
          ...(reads.optional ?? []).map((s) => ({ s, optional: true })),
          ...(reads.extras ?? []).map((s) => ({ s, optional: false })),
        ];
        for (const { s, optional } of specs) {
          const present = have.filter((c) => names(s).some((n) => matches(n, c)));
          for (const column of present) {
            if (spec.skip?.includes(`${table}.${column}`)) continue;
            const last = optional && present.length === 1;
            if (!plan.some((p) => p.table === table && p.column === column))
              plan.push({ table, column, kind: last ? 'field' : 'extra' });
          }
        }
      }
    } finally {
      probe.close();
    }

    const drops: ColumnDrop[] = [];
    for (const { table, column, kind } of plan) {
      const path = join(dir.path, `drop-${drops.length}`);
      writeFileSync(path, readFileSync(baselinePath));
      dropColumn(path, table, column);
      const data = await readWith(path);
      const got = keyed(data.items, spec.key);
      const changed = new Set<string>();
      for (const [k, before] of base) {
        const after = got.get(k);
        if (!after) continue;
        for (const field of new Set([...Object.keys(before), ...Object.keys(after)]))
          if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) changed.add(field);
      }
      drops.push({
        table,
        column,
        kind,
        lostItems: [...base.keys()].filter((k) => !got.has(k)),
        newItems: [...got.keys()].filter((k) => !base.has(k)),
        changedFields: [...changed].sort(),
        newProblems: data.problems.filter((p) => !baseProblems.has(p.message)),
      });
    }
    return { baseline, drops };
  } finally {
    workspace.dispose();
    dir.cleanup();
  }
}

/** Folds the database's -wal (when the files have one) into the main file, so a drop sees every row. */
function checkpoint(
  path: string,
  loose: Array<{ domain: string; relativePath: string; path: string }>,
  target: { domain: string; relativePath: string },
): void {
  const wal = loose.find(
    (f) => f.domain === target.domain && f.relativePath === `${target.relativePath}-wal`,
  );
  if (!wal) return;
  writeFileSync(`${path}-wal`, readFileSync(wal.path));
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  db.close();
}

export interface GracefulExpectations {
  /** "TABLE.COLUMN" → the top-level item fields it may change (default: at most `maxChangedFields`). */
  fields?: Readonly<Record<string, readonly string[]>>;
  /** Default 3. */
  maxChangedFields?: number;
  /** "TABLE.COLUMN" whose loss may add items (a link column: the rows and the files they named come out apart). */
  allowNewItems?: readonly string[];
}

/**
 * Every drop kept every item (none lost, none invented), added no error, and changed few fields; a
 * field's last column added exactly one problem line naming it, an extra added none.
 */
export function assertGracefulDrops<T>(
  result: ColumnDropResult<T>,
  expectations: GracefulExpectations = {},
): void {
  assert.ok(result.baseline.items.length > 0, 'the full database gives items');
  assert.ok(result.drops.length > 0, 'there are columns to drop');
  for (const d of result.drops) {
    const name = `${d.table}.${d.column}`;
    assert.deepEqual(d.lostItems, [], `${name} dropped: items lost`);
    if (!expectations.allowNewItems?.includes(name))
      assert.deepEqual(d.newItems, [], `${name} dropped: items appeared`);
    assert.deepEqual(
      d.newProblems.filter((p) => p.severity === 'error').map((p) => p.message),
      [],
      `${name} dropped: errors`,
    );
    if (d.kind === 'field') {
      assert.equal(
        d.newProblems.length,
        1,
        `${name} dropped: one problem line (got ${JSON.stringify(d.newProblems)})`,
      );
      assert.ok(
        d.newProblems[0]!.message.includes(d.column),
        `${name} dropped: the problem names it: ${d.newProblems[0]!.message}`,
      );
    } else {
      assert.deepEqual(d.newProblems, [], `${name} (an extra) dropped: no problem line`);
    }
    const allowed = expectations.fields?.[name];
    if (allowed)
      for (const f of d.changedFields)
        assert.ok(
          allowed.includes(f),
          `${name} dropped: ${f} changed (allowed ${allowed.join(', ')})`,
        );
    else
      assert.ok(
        d.changedFields.length <= (expectations.maxChangedFields ?? 3),
        `${name} dropped: too many fields changed: ${d.changedFields.join(', ')}`,
      );
  }
}
