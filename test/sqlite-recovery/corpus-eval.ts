// Scoring carved records against the answer keys of the SQLite forensic corpus (Nemetz et al. 2018).
// Shared by the corpus test and bench/sqlite-recovery.bench.ts; not a test file itself.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { carveDatabase, type RecoveredRecord } from '../../src/sqlite-recovery/index.js';

export interface KeyRow {
  table: string;
  values: string[]; // XML content of each column, in column order
  target: boolean; // deleted row, or row of a dropped table
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

/** Lenient reading of an answer key: regular expressions, so malformed keys still yield their rows. */
export function parseAnswerKey(xml: string): KeyRow[] {
  const rows: KeyRow[] = [];
  const elements = xml.split(/<element>/).slice(1);
  for (const el of elements) {
    const meta = /<meta>([\s\S]*?)<\/meta>/.exec(el)?.[1] ?? '';
    const type = /<type>([\s\S]*?)<\/type>/.exec(meta)?.[1]?.trim().toLowerCase();
    if (type !== 'table') continue;
    const table = unescapeXml(/<name>([\s\S]*?)<\/name>/.exec(meta)?.[1] ?? '');
    const dropped = /<deleted>\s*True\s*<\/deleted>/i.test(meta);
    const rowRe = /<row(\s+deleted="1")?\s*>([\s\S]*?)<\/row>/g;
    for (let m = rowRe.exec(el); m; m = rowRe.exec(el)) {
      const values: string[] = [];
      const colRe =
        /<column>[\s\S]*?(?:<content>([\s\S]*?)<\/content>|<content\s*\/>)[\s\S]*?<\/column>/g;
      for (let c = colRe.exec(m[2]!); c; c = colRe.exec(m[2]!))
        values.push(unescapeXml(c[1] ?? ''));
      rows.push({ table, values, target: dropped || !!m[1] });
    }
  }
  return rows;
}

function normName(s: string): string {
  return s.trim().toLowerCase();
}

/** Definition of a match: same table, same column count, every value equal (see MATCH_DEFINITION). */
export const MATCH_DEFINITION =
  'a carved record matches an answer-key row when the table name is equal (trimmed, case-insensitive), ' +
  'the column count is equal and every column is equal: integers exactly, reals within 1e-9 relative, ' +
  'text exactly, NULL = empty content; each key row and each record is matched at most once. ' +
  'Targets = rows marked deleted="1" plus every row of a table marked <deleted>True</deleted> (dropped). ' +
  'A partial record (lostColumns: its tail was overwritten) that equals an unmatched target on every ' +
  'column it kept is a partial match: right, but not counted as recalled. ' +
  'Recall = matched targets / targets; precision = (matched + partial matches) / records reported; ' +
  'exact precision = matched / records reported.';

export function valueMatches(v: unknown, s: string): boolean {
  if (v === null || v === undefined) return s === '' || s === 'None' || s === 'NULL';
  if (typeof v === 'string') return v === s;
  if (typeof v === 'bigint') return /^-?\d+$/.test(s.trim()) && BigInt(s.trim()) === v;
  if (typeof v === 'number') {
    const t = s.trim();
    if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return false;
    if (Number.isInteger(v) && /^-?\d+$/.test(t) && Math.abs(v) > 2 ** 53)
      return BigInt(t) === BigInt(v);
    const x = Number(t);
    return Math.abs(x - v) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(v));
  }
  if (Buffer.isBuffer(v)) return v.toString('hex') === s.toLowerCase() || v.toString('utf8') === s;
  return false;
}

export function rowMatches(r: RecoveredRecord, k: KeyRow): boolean {
  if (normName(r.table) !== normName(k.table) || r.values.length !== k.values.length) return false;
  return r.values.every((v, i) => valueMatches(v, k.values[i]!));
}

/** A partial record that equals the key row on every column it kept (`lost`: column positions). */
export function partialMatches(r: RecoveredRecord, k: KeyRow, lost: Set<number>): boolean {
  if (normName(r.table) !== normName(k.table) || r.values.length !== k.values.length) return false;
  return r.values.every((v, i) => lost.has(i) || valueMatches(v, k.values[i]!));
}

function lostPositions(r: RecoveredRecord, tables: Array<{ name: string; columns: string[] }>) {
  const cols = tables.find((t) => t.name === r.table)?.columns ?? [];
  return new Set((r.lostColumns ?? []).map((c) => cols.indexOf(c)).filter((i) => i >= 0));
}

/**
 * Whether a key row's bytes are still in the file at all: every text of 4+ characters (in 16-byte
 * pieces, as overflow pages split long text), every REAL as its 8 bytes and every integer that
 * needs 3+ bytes as SQLite stores it. An upper bound on what any carver can recover exactly
 * (pieces are not checked for adjacency); rows failing it were overwritten or zeroed.
 */
export function bytesPresent(file: Buffer, k: KeyRow): boolean {
  for (const v of k.values) {
    const t = v.trim();
    if (/^-?\d+$/.test(t)) {
      const n = BigInt(t);
      const size =
        [1, 2, 3, 4, 6, 8].find(
          (b) => n >= -(1n << BigInt(8 * b - 1)) && n < 1n << BigInt(8 * b - 1),
        ) ?? 8;
      if (size < 3) continue;
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt.asIntN(64, n));
      if (!file.includes(b.subarray(8 - size))) return false;
    } else if (/^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(Number(t));
      if (!file.includes(b)) return false;
    } else if (v.length >= 4) {
      const bytes = Buffer.from(v);
      for (let i = 0; i < bytes.length; i += 16) {
        if (!file.includes(bytes.subarray(i, Math.min(bytes.length, i + 16)))) return false;
      }
    }
  }
  return true;
}

export interface DbScore {
  db: string;
  /** Targets whose bytes are all still somewhere in the file (see bytesPresent). */
  present: number;
  targets: number;
  reported: number;
  truePositives: number;
  /** Partial records right on every column they kept (not counted in recall). */
  partialMatches: number;
  liveMisreported: number;
  /** Of those, rows that SQLite itself (read-only) really returns: the answer key can be wrong. */
  liveVerified: number;
  missed: KeyRow[];
  falseRecords: RecoveredRecord[];
  warnings: string[];
}

export function scoreDb(dbPath: string, keyPath: string, sqlPath?: string): DbScore {
  const key = parseAnswerKey(readFileSync(keyPath, 'utf8'));
  const schemaSql = sqlPath && existsSync(sqlPath) ? readFileSync(sqlPath, 'utf8') : undefined;
  const res = carveDatabase(dbPath, { schemaSql });
  const targets = key.filter((k) => k.target);
  const live = key.filter((k) => !k.target);
  const usedKey = new Set<KeyRow>();
  let tp = 0;
  let liveMis = 0;
  const falseRecords: RecoveredRecord[] = [];
  const partial: RecoveredRecord[] = [];
  for (const r of res.records) {
    if (r.lostColumns?.length) {
      partial.push(r);
      continue;
    }
    const t = targets.find((k) => !usedKey.has(k) && rowMatches(r, k));
    if (t) {
      usedKey.add(t);
      tp++;
      continue;
    }
    if (live.some((k) => rowMatches(r, k))) liveMis++;
    falseRecords.push(r);
  }
  // partial records after the exact ones: they may only take targets nothing recovered whole
  let partialTp = 0;
  const usedPartial = new Set<KeyRow>();
  for (const r of partial) {
    const lost = lostPositions(r, res.tables);
    const t = targets.find(
      (k) => !usedKey.has(k) && !usedPartial.has(k) && partialMatches(r, k, lost),
    );
    if (t) {
      usedPartial.add(t);
      partialTp++;
      continue;
    }
    if (live.some((k) => partialMatches(r, k, lost))) liveMis++;
    falseRecords.push(r);
  }
  const file = readFileSync(dbPath);
  return {
    db: dbPath,
    // a row recovered exactly was evidently there (pieces of text can straddle page boundaries)
    present: targets.filter((k) => usedKey.has(k) || bytesPresent(file, k)).length,
    liveVerified: liveMis
      ? countReallyLive(
          dbPath,
          falseRecords.filter((r) => live.some((k) => rowMatches(r, k))),
        )
      : 0,
    targets: targets.length,
    reported: res.records.length,
    truePositives: tp,
    partialMatches: partialTp,
    liveMisreported: liveMis,
    missed: targets.filter((k) => !usedKey.has(k)),
    falseRecords,
    warnings: res.warnings,
  };
}

/** Asks SQLite (read-only, no WAL) whether carved values are a live row of their table. */
function countReallyLive(dbPath: string, recs: RecoveredRecord[]): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    let n = 0;
    for (const r of recs) {
      const cols = (
        db.prepare(`PRAGMA table_info("${r.table.replace(/"/g, '""')}")`).all() as Array<{
          name: string;
        }>
      ).map((c) => c.name);
      if (cols.length !== r.values.length) continue;
      const where = cols.map((c) => `"${c.replace(/"/g, '""')}" IS ?`).join(' AND ');
      const vals = r.values.map((v) =>
        typeof v === 'bigint' ||
        typeof v === 'number' ||
        typeof v === 'string' ||
        Buffer.isBuffer(v)
          ? v
          : null,
      );
      const row = db
        .prepare(`SELECT count(*) AS c FROM "${r.table.replace(/"/g, '""')}" WHERE ${where}`)
        .get(...vals) as { c: number };
      if (row.c > 0) n++;
    }
    return n;
  } finally {
    db.close();
  }
}

export interface FolderScore {
  folder: string;
  present: number;
  targets: number;
  reported: number;
  truePositives: number;
  partialMatches: number;
  liveMisreported: number;
  liveVerified: number;
  recall: number;
  /** (exact + partial matches) / reported */
  precision: number;
  /** exact matches / reported (partial records count as wrong) */
  exactPrecision: number;
  dbs: DbScore[];
}

export function scoreFolder(corpus: string, folder: string): FolderScore {
  const dir = join(corpus, folder);
  const dbs = readdirSync(dir)
    .filter((f) => f.endsWith('.db'))
    .sort()
    .map((f) => {
      const base = join(dir, f.slice(0, -3));
      return scoreDb(base + '.db', base + '.xml', base + '.sql');
    });
  const sum = (
    k: 'targets' | 'reported' | 'truePositives' | 'partialMatches' | 'liveMisreported',
  ): number => dbs.reduce((a, d) => a + d[k], 0);
  const targets = sum('targets');
  const reported = sum('reported');
  const tp = sum('truePositives');
  const partial = sum('partialMatches');
  return {
    folder,
    present: dbs.reduce((a, d) => a + d.present, 0),
    targets,
    reported,
    truePositives: tp,
    partialMatches: partial,
    liveMisreported: sum('liveMisreported'),
    liveVerified: dbs.reduce((a, d) => a + d.liveVerified, 0),
    recall: targets ? tp / targets : 1,
    precision: reported ? (tp + partial) / reported : 1,
    exactPrecision: reported ? tp / reported : 1,
    dbs,
  };
}
