import { isWord, splitStatements, type Token, tokenize } from './sqltokens.js';

export type Affinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC';

export interface Column {
  name: string;
  declaredType: string;
  affinity: Affinity;
  notNull: boolean;
  /** Serial types to try when this column's type byte was lost (e.g. sqlite_master.type). */
  hintTypes?: number[];
}

export interface TableSchema {
  name: string;
  columns: Column[];
  /** Index of the INTEGER PRIMARY KEY column (stored as NULL, equals the rowid), or -1. */
  ipk: number;
  withoutRowid: boolean;
  /** For WITHOUT ROWID tables: storage position -> column index (primary key columns first). */
  storageOrder: number[];
  rootPage: number;
  /** Where the schema came from: the live sqlite_master, a carved sqlite_master entry, or given SQL. */
  origin: 'live' | 'carved' | 'history';
  sql: string;
  /**
   * Stored column counts below the schema's that live rows show: rows written before an
   * ALTER TABLE ... ADD COLUMN (as iOS migrates sms.db) keep their shorter records.
   */
  shorterCounts?: number[];
}

/** SQLite's affinity rules (section 3.1 of the datatype documentation). */
export function affinityOf(declared: string): Affinity {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t.includes('BLOB') || t.trim() === '') return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

const COLUMN_CONSTRAINT = [
  'CONSTRAINT',
  'PRIMARY',
  'NOT',
  'NULL',
  'UNIQUE',
  'CHECK',
  'DEFAULT',
  'COLLATE',
  'REFERENCES',
  'GENERATED',
  'AS',
];
const TABLE_CONSTRAINT = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'];

/** Splits tokens between parentheses at top-level commas. Returns the groups and the index after ')'. */
function splitDefs(tokens: Token[], open: number): { defs: Token[][]; end: number } {
  const defs: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  let i = open + 1;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') {
      if (depth === 0) break;
      depth--;
    }
    if (depth === 0 && t.kind === 'punct' && t.text === ',') {
      defs.push(cur);
      cur = [];
    } else {
      cur.push(t);
    }
  }
  if (cur.length) defs.push(cur);
  return { defs, end: i + 1 };
}

function pkColumnNames(def: Token[], from: number): string[] {
  const names: string[] = [];
  let i = from;
  while (i < def.length && !(def[i]!.kind === 'punct' && def[i]!.text === '(')) i++;
  let depth = 0;
  let expectName = true;
  for (i = i + 1; i < def.length; i++) {
    const t = def[i]!;
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && t.kind === 'punct' && t.text === ',') expectName = true;
    else if (depth === 0 && expectName && t.kind !== 'punct') {
      names.push(t.text);
      expectName = false;
    }
  }
  return names;
}

/** Parses `CREATE TABLE` SQL; null for anything else (views, virtual tables, CREATE ... AS SELECT). */
export function parseCreateTable(
  sql: string,
  rootPage = 0,
  origin: TableSchema['origin'] = 'live',
): TableSchema | null {
  const tk = tokenize(sql, 200_000);
  let i = 0;
  if (!isWord(tk[i], 'CREATE')) return null;
  i++;
  if (isWord(tk[i], 'TEMP', 'TEMPORARY')) i++;
  if (!isWord(tk[i], 'TABLE')) return null;
  i++;
  if (isWord(tk[i], 'IF') && isWord(tk[i + 1], 'NOT') && isWord(tk[i + 2], 'EXISTS')) i += 3;
  let name = tk[i]?.text;
  if (name === undefined) return null;
  i++;
  if (tk[i]?.kind === 'punct' && tk[i]!.text === '.') {
    name = tk[i + 1]?.text ?? name;
    i += 2;
  }
  if (!(tk[i]?.kind === 'punct' && tk[i]!.text === '(')) return null;
  const { defs, end } = splitDefs(tk, i);
  const columns: Column[] = [];
  let ipk = -1;
  let pkNames: string[] = [];
  const columnPkDesc: boolean[] = [];
  for (const def of defs) {
    if (def.length === 0) continue;
    const first = def[0]!;
    if (isWord(first, ...TABLE_CONSTRAINT)) {
      const p = def.findIndex((t) => isWord(t, 'PRIMARY'));
      if (p >= 0 && isWord(def[p + 1], 'KEY')) pkNames = pkColumnNames(def, p + 2);
      continue;
    }
    let j = 1;
    const typeParts: string[] = [];
    let depth = 0;
    while (j < def.length) {
      const t = def[j]!;
      if (depth === 0 && isWord(t, ...COLUMN_CONSTRAINT)) break;
      if (t.kind === 'punct' && t.text === '(') depth++;
      if (t.kind === 'punct' && t.text === ')') depth--;
      typeParts.push(t.text);
      j++;
    }
    const declaredType = typeParts
      .join(' ')
      .replace(/ \( /g, '(')
      .replace(/ \)/g, ')')
      .replace(/ , /g, ',');
    let notNull = false;
    let isPk = false;
    let pkDesc = false;
    let generatedVirtual = false;
    for (; j < def.length; j++) {
      const t = def[j]!;
      if (isWord(t, 'NOT') && isWord(def[j + 1], 'NULL')) notNull = true;
      if (isWord(t, 'PRIMARY') && isWord(def[j + 1], 'KEY')) {
        isPk = true;
        if (isWord(def[j + 2], 'DESC')) pkDesc = true;
      }
      if (isWord(t, 'GENERATED') || (isWord(t, 'AS') && def[j + 1]?.text === '(')) {
        generatedVirtual = !def.slice(j).some((x) => isWord(x, 'STORED'));
      }
    }
    if (generatedVirtual) continue; // virtual generated columns are not stored
    if (isPk) pkNames = [first.text];
    columnPkDesc.push(pkDesc);
    columns.push({ name: first.text, declaredType, affinity: affinityOf(declaredType), notNull });
  }
  if (columns.length === 0) return null;
  let withoutRowid = false;
  for (let k = end; k < tk.length; k++) {
    if (isWord(tk[k], 'WITHOUT') && isWord(tk[k + 1], 'ROWID')) withoutRowid = true;
  }
  const lower = columns.map((c) => c.name.toLowerCase());
  const pkIdx = pkNames.map((n) => lower.indexOf(n.toLowerCase())).filter((x) => x >= 0);
  if (!withoutRowid && pkIdx.length === 1) {
    const c = columns[pkIdx[0]!]!;
    if (c.declaredType.toUpperCase() === 'INTEGER' && !columnPkDesc[pkIdx[0]!]) ipk = pkIdx[0]!;
  }
  let storageOrder = columns.map((_, k) => k);
  if (withoutRowid && pkIdx.length > 0) {
    storageOrder = [...pkIdx, ...storageOrder.filter((k) => !pkIdx.includes(k))];
  }
  return { name, columns, ipk, withoutRowid, storageOrder, rootPage, origin, sql };
}

/** Every CREATE TABLE in a SQL script (for tables that sqlite_master no longer lists). */
export function schemasFromSql(script: string): TableSchema[] {
  const out: TableSchema[] = [];
  for (const stmt of splitStatements(script)) {
    if (!/^\s*CREATE\s+(TEMP\s+|TEMPORARY\s+)?TABLE/i.test(stmt)) continue;
    const s = parseCreateTable(stmt, 0, 'history');
    if (s) out.push(s);
  }
  return out;
}

/** A short key of the stored column affinities, for telling tables with the same shape apart. */
export function signature(s: TableSchema): string {
  return s.storageOrder.map((k) => (k === s.ipk ? 'K' : s.columns[k]!.affinity[0])).join('');
}

/** sqlite_master itself, for carving deleted schema entries (dropped tables). */
export const SQLITE_MASTER: TableSchema = {
  name: 'sqlite_master',
  columns: [
    // 'table' / 'index' = text of 5 bytes (23), 'view' 4 (21), 'trigger' 7 (27)
    {
      name: 'type',
      declaredType: 'text',
      affinity: 'TEXT',
      notNull: true,
      hintTypes: [23, 21, 27],
    },
    { name: 'name', declaredType: 'text', affinity: 'TEXT', notNull: true },
    { name: 'tbl_name', declaredType: 'text', affinity: 'TEXT', notNull: true },
    { name: 'rootpage', declaredType: 'int', affinity: 'INTEGER', notNull: false },
    { name: 'sql', declaredType: 'text', affinity: 'TEXT', notNull: false },
  ],
  ipk: -1,
  withoutRowid: false,
  storageOrder: [0, 1, 2, 3, 4],
  rootPage: 1,
  origin: 'live',
  sql: '',
};
