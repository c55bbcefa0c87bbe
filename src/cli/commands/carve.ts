import { pushTo } from '../../collections.js';
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { ExitCode, ReclaimError } from '../../errors.js';
import { carveDatabase, type RecoveredRecord } from '../../sqlite-recovery/index.js';

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
  const byTable = new Map<string, RecoveredRecord[]>();
  for (const r of records) pushTo(byTable, r.table, r);
  out(`${records.length} deleted record(s) recovered in ${byTable.size} table(s)`);
  for (const [table, recs] of byTable) {
    out('');
    out(`${table}: ${recs.length}`);
    for (const r of recs) {
      out(
        `  rowid ${r.rowid ?? '?'}  [${r.source}, ${Math.round(r.confidence * 100)}%]  ${r.values.map(cell).join(' | ')}`,
      );
    }
  }
  for (const w of warnings) out(`warning: ${w}`);
}

/** `reclaim carve DB [--wal FILE] [--journal FILE] [--json]` */
export function register(program: Command): void {
  program
    .command('carve')
    .description('recover deleted records from a SQLite database (read-only; nothing is written)')
    .argument('<db>', 'the SQLite database file')
    .option('--wal <file>', 'write-ahead log to read (default: DB-wal beside DB, if present)')
    .option('--journal <file>', 'rollback journal to read')
    .option('--json', 'print records as JSON')
    .action((db: string, opts: { wal?: string; journal?: string; json?: boolean }) => {
      mustBeFile(db, 'database');
      const wal = opts.wal ?? (existsSync(`${db}-wal`) ? `${db}-wal` : undefined);
      if (wal) mustBeFile(wal, 'WAL file');
      if (opts.journal) mustBeFile(opts.journal, 'journal file');
      if (statSync(db).size < 100)
        throw new ReclaimError(`not a SQLite database (too short): ${db}`, ExitCode.badInput);
      let res;
      try {
        res = carveDatabase(db, { wal, journal: opts.journal });
      } catch (e) {
        throw new ReclaimError(
          `could not carve ${db}: ${(e as Error).message}`,
          ExitCode.badInput,
          { cause: e },
        );
      }
      if (opts.json) {
        const rows = res.records.map((r) => ({
          table: r.table,
          rowid: r.rowid,
          values: r.values.map(jsonValue),
          source: r.source,
        }));
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      } else {
        printSummary(res.records, res.warnings, (l) => process.stdout.write(l + '\n'));
      }
    });
}
