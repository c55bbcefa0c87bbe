import { pushTo } from '../../collections.js';
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { basename } from 'node:path';
import { DECLARATIONS } from '../../artifacts/registry.js';
import { naturalKeysOf } from '../../artifacts/read-database.js';
import type { RowKey } from '../../artifacts/declaration.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import {
  carveDatabase,
  type NaturalKeySpec,
  type RecoveredRecord,
} from '../../sqlite-recovery/index.js';

function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return { base64: v.toString('base64') };
  return v;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (Buffer.isBuffer(v))
    return `x'${v.subarray(0, 16).toString('hex')}${v.length > 16 ? '…' : ''}'`;
  const s = String(v).replace(/\s+/g, ' ');
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}

function mustBeFile(path: string, what: string): void {
  if (!existsSync(path)) throw new ReclaimError(`${what} not found: ${path}`, ExitCode.notFound);
  if (!statSync(path).isFile())
    throw new ReclaimError(`${what} is not a file: ${path}`, ExitCode.badInput);
}

export function printSummary(
  records: RecoveredRecord[],
  warnings: string[],
  out: (line: string) => void,
): void {
  const deleted = records.filter((r) => (r.relation ?? 'deleted') === 'deleted');
  const byTable = new Map<string, RecoveredRecord[]>();
  for (const r of deleted) pushTo(byTable, r.table, r);
  out(`${deleted.length} deleted record(s) recovered in ${byTable.size} table(s)`);
  const earlier = records.filter((r) => r.relation === 'earlierVersion').length;
  const copies = records.filter((r) => r.relation === 'duplicate').length;
  if (earlier || copies)
    out(
      `(and ${earlier} earlier version(s) of live rows, ${copies} copy(ies) of live rows: not deleted, see --json)`,
    );
  for (const [table, recs] of byTable) {
    out('');
    out(`${table}: ${recs.length}`);
    for (const r of recs) {
      const lost = r.lostColumns?.length ? `, lost ${r.lostColumns.join(', ')}` : '';
      out(
        `  rowid ${r.rowid ?? '?'}  [${r.source}, ${Math.round(r.confidence * 100)}%${r.partial ? ', partial' : ''}${lost}]  ${r.values.map(cell).join(' | ')}`,
      );
    }
  }
  for (const w of warnings) out(`warning: ${w}`);
}

/**
 * Natural keys for a database: those its file name's declared locations give (Calendar.sqlitedb,
 * sms.db, ...), then the ones asked for with --key TABLE=COLUMN[,COLUMN].
 */
export function keysFor(db: string, asked: string[]): Record<string, NaturalKeySpec> {
  const name = basename(db).toLowerCase();
  const declared: RowKey[] = [];
  for (const d of DECLARATIONS)
    for (const location of Object.values(d.locations) as Array<{
      path: string;
      naturalKey?: readonly RowKey[];
    }>)
      if (location.naturalKey && basename(location.path).toLowerCase() === name)
        declared.push(...location.naturalKey);
  const keys: Record<string, NaturalKeySpec> = naturalKeysOf(declared);
  for (const spec of asked) {
    const m = /^([^=\s]+)=([^=\s]+)$/.exec(spec);
    if (!m)
      throw new ReclaimError(`--key wants TABLE=COLUMN[,COLUMN], not "${spec}"`, ExitCode.usage);
    keys[m[1]!.toLowerCase()] = m[2]!.split(',');
  }
  return keys;
}

/** `reclaim carve DB [--wal FILE] [--journal FILE] [--json]` */
export function register(program: Command): void {
  program
    .command('carve')
    .description('recover deleted records from a SQLite database (read-only; nothing is written)')
    .argument('<db>', 'the SQLite database file')
    .option('--wal <file>', 'write-ahead log to read (default: DB-wal beside DB, if present)')
    .option('--journal <file>', 'rollback journal to read')
    .option('--json', 'print records as JSON (each with how it stands against the live table)')
    .option(
      '--key <table=columns>',
      "a table's natural key (tells an old copy of a live row from a deleted row); repeatable. iOS databases known by name get their declared keys",
      (value: string, list: string[]) => [...list, value],
      [] as string[],
    )
    .action(
      (db: string, opts: { wal?: string; journal?: string; json?: boolean; key: string[] }) => {
        mustBeFile(db, 'database');
        const wal = opts.wal ?? (existsSync(`${db}-wal`) ? `${db}-wal` : undefined);
        if (wal) mustBeFile(wal, 'WAL file');
        if (opts.journal) mustBeFile(opts.journal, 'journal file');
        if (statSync(db).size < 100)
          throw new ReclaimError(`not a SQLite database (too short): ${db}`, ExitCode.badInput);
        const naturalKeys = keysFor(db, opts.key);
        let res;
        try {
          res = carveDatabase(db, { wal, journal: opts.journal, naturalKeys });
        } catch (e) {
          throw new ReclaimError(
            `could not carve ${db}: ${(e as Error).message}`,
            ExitCode.badInput,
            { cause: e },
          );
        }
        if (opts.json) {
          const columns = new Map(res.tables.map((t) => [t.name, t.columns]));
          const rows = res.records.map((r) => ({
            table: r.table,
            rowid: r.rowid,
            relation: r.relation ?? 'deleted',
            ...(r.liveRowid !== undefined ? { liveRowid: r.liveRowid } : {}),
            partial: r.partial === true,
            lostColumns: r.lostColumns ?? [],
            columns: columns.get(r.table) ?? [],
            values: r.values.map(jsonValue),
            source: r.source,
            confidence: r.confidence,
          }));
          process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        } else {
          printSummary(res.records, res.warnings, (l) => process.stdout.write(l + '\n'));
        }
      },
    );
}
