import { BufferSource, type ByteSource, FileSource, u32 } from './bytes.js';
import { type CellContext, indexByCount, type SchemaChoice } from './cells.js';
import { readFreelist } from './freelist.js';
import { parseHeader } from './header.js';
import { parseJournal } from './journal.js';
import { fingerprint, queryLive } from './live.js';
import { carvePage, type Found, trunkSkip } from './pagecarve.js';
import { PageStore, parseBtreePage } from './pages.js';
import type { SqlValue } from './record.js';
import { parseCreateTable, schemasFromSql, signature, SQLITE_MASTER, type TableSchema } from './schema.js';
import { readLiveSchema, type Btree } from './schemas-live.js';
import { parseWal, type Wal } from './wal.js';
import { walkBtree } from './btree.js';

export type Input = string | Uint8Array;

export interface CarveOptions {
  /** A WAL file to read (path or bytes): committed frames make the live state, all frames are carved. */
  wal?: Input;
  /** A rollback journal (path or bytes): its page images are carved. */
  journal?: Input;
  /** SQL that once built the database: its CREATE TABLE statements help name dropped tables. */
  schemaSql?: string;
  /** Records below this confidence are left out (default 0.35). */
  minConfidence?: number;
}

export interface RecoveredRecord {
  table: string;
  rowid: number | null;
  values: SqlValue[];
  /** Where it was found, e.g. "freeblock page 5", "freelist page 12", "wal frame 3 (salt 2)". */
  source: string;
  confidence: number;
  /** Set when a live row uses the same rowid with other values: this is an earlier version. */
  earlierVersion?: boolean;
}

export interface CarveResult {
  records: RecoveredRecord[];
  warnings: string[];
  /** Tables known to the carver: live, carved from sqlite_master, or from schemaSql. */
  tables: Array<{ name: string; origin: TableSchema['origin']; rootPage: number; columns: string[] }>;
  stats: { pages: number; freelistPages: number; walFrames: number; journalPages: number };
}

function open(input: Input): ByteSource {
  return typeof input === 'string' ? new FileSource(input) : new BufferSource(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
}

interface Hit {
  found: Found;
  source: string;
  pgno: number;
}

/** Carves deleted records out of a SQLite database file (read-only; no SQLite library involved). */
export function carveDatabase(input: Input, opts: CarveOptions = {}): CarveResult {
  const warnings: string[] = [];
  const toClose: ByteSource[] = [];
  try {
    return run(input, opts, warnings, toClose);
  } finally {
    for (const s of toClose) s.close();
  }
}

function run(input: Input, opts: CarveOptions, warnings: string[], toClose: ByteSource[]): CarveResult {
  const src = open(input);
  toClose.push(src);
  const hdr = parseHeader(src, warnings);
  const store = new PageStore(src, hdr);

  // WAL: committed frames form the live state
  let wal: Wal | null = null;
  let walSrc: ByteSource | null = null;
  if (opts.wal !== undefined) {
    walSrc = open(opts.wal);
    toClose.push(walSrc);
    wal = parseWal(walSrc, hdr.pageSize, warnings);
    if (wal && wal.pageSize !== hdr.pageSize) {
      warnings.push(`wal: page size ${wal.pageSize} differs from the database's ${hdr.pageSize}; WAL ignored`);
      wal = null;
    }
    if (wal) {
      for (const f of wal.frames) if (f.state === 'committed') store.setOverlay(f.pgno, walSrc, f.offset);
      if (wal.dbSize > store.pageCount) store.pageCount = wal.dbSize;
    }
  }
  const p1 = store.read(1);
  if (p1 && (store.overlaid(1) || src.size >= 100)) {
    const enc = u32(p1, 56);
    hdr.encoding = enc === 2 ? 'utf16le' : enc === 3 ? 'utf16be' : 'utf8';
    hdr.freelistTrunk = u32(p1, 32);
    hdr.freelistCount = u32(p1, 36);
  }
  const N = store.pageCount;

  // live b-trees and page ownership
  const btrees = readLiveSchema(store, warnings);
  const owner = new Int32Array(N + 1);
  for (const bt of btrees) walkBtree(store, bt.root, { owner, ownerId: bt.id, warnings });
  const byId = new Map<number, Btree>(btrees.map((b) => [b.id, b]));
  const free = readFreelist(store, hdr.freelistTrunk, warnings);
  const trunks = new Set(free.trunks);
  const pageIsLive = (n: number): boolean => n >= 1 && n <= N && owner[n] !== 0 && !free.leaves.has(n);

  const liveSchemas = btrees.map((b) => b.schema).filter((s): s is TableSchema => !!s && s !== SQLITE_MASTER);

  // dropped tables: deleted sqlite_master entries, then the SQL history
  const mkCtx = (choices: SchemaChoice[]): CellContext => ({ store, pageIsLive, ...indexByCount(choices) });
  const masterCtx = mkCtx([{ schema: SQLITE_MASTER, weight: 1 }]);
  const carvedSchemas: TableSchema[] = [];
  const known = new Set(liveSchemas.map((s) => s.name.toLowerCase() + '|' + signature(s)));
  const schemaPages = (pgno: number, page: Buffer, live: boolean): void => {
    for (const f of carvePage(masterCtx, page, pgno, live)) {
      const [type, name, , root, sql] = f.cand.values;
      if (type !== 'table' || typeof sql !== 'string' || typeof name !== 'string') continue;
      const s = parseCreateTable(sql, typeof root === 'number' ? root : 0, 'carved');
      if (!s) continue;
      s.name = name;
      const key = s.name.toLowerCase() + '|' + signature(s);
      if (known.has(key) && !carvedSchemas.some((c) => c.name === s.name && c.rootPage === 0 && s.rootPage > 0)) continue;
      known.add(key);
      carvedSchemas.push(s);
    }
  };
  for (let pg = 1; pg <= N; pg++) {
    const o = owner[pg]!;
    if (o === 1 || (o === 0 && !trunks.has(pg))) {
      const page = store.read(pg);
      if (page && (o === 1 || parseBtreePage(page, pg, hdr.usable)?.table)) schemaPages(pg, page, o === 1);
    }
  }
  const history = opts.schemaSql ? schemasFromSql(opts.schemaSql) : [];
  const named = new Set([...liveSchemas, ...carvedSchemas].map((s) => s.name.toLowerCase()));
  const historySchemas = history.filter((s) => !named.has(s.name.toLowerCase()));
  const allSchemas = [...liveSchemas, ...carvedSchemas, ...historySchemas];

  // pages of dropped tables, followed from their old root pages
  const dropOwner = new Int32Array(N + 1); // index into allSchemas + 1
  allSchemas.forEach((s, i) => {
    if (s.origin !== 'carved' || s.rootPage < 1 || s.rootPage > N || owner[s.rootPage]! > 0 && !free.leaves.has(s.rootPage)) return;
    const stack = [s.rootPage];
    let budget = N;
    while (stack.length && budget-- > 0) {
      const pg = stack.pop()!;
      if (pg < 1 || pg > N || dropOwner[pg] !== 0 || (owner[pg] !== 0 && !free.leaves.has(pg))) continue;
      dropOwner[pg] = i + 1;
      const page = store.read(pg);
      const bp = page && !trunks.has(pg) ? parseBtreePage(page, pg, hdr.usable) : null;
      if (page && bp && !bp.leaf && bp.table) {
        stack.push(bp.rightChild);
        for (let c = 0; c < bp.cellCount; c++) stack.push(u32(page, u32(page, bp.hdrOff + 12 + 2 * c) >>> 16));
      }
    }
  });

  // contexts: which tables a record found on a page may belong to
  const ctxCache = new Map<number, CellContext>();
  const ctxAll = mkCtx(allSchemas.map((schema) => ({ schema, weight: 0.8 })));
  const ctxFor = (schema: TableSchema | null): CellContext => {
    if (!schema) return ctxAll;
    const i = allSchemas.indexOf(schema);
    let c = ctxCache.get(i);
    if (!c) {
      c = mkCtx(allSchemas.map((s) => ({ schema: s, weight: s === schema ? 1 : 0.5 })));
      ctxCache.set(i, c);
    }
    return c;
  };
  const pageSchema = (pg: number): TableSchema | null => {
    const o = pg >= 1 && pg <= N ? owner[pg]! : 0;
    if (o > 1 && !free.leaves.has(pg)) return byId.get(o)?.schema ?? null;
    const d = pg >= 1 && pg <= N ? dropOwner[pg]! : 0;
    return d > 0 ? allSchemas[d - 1]! : null;
  };

  const hits: Hit[] = [];
  const add = (found: Found[], label: (f: Found) => string, pgno: number): void => {
    for (const f of found) hits.push({ found: f, source: label(f), pgno });
  };

  // the database file, page by page
  for (let pg = 1; pg <= N; pg++) {
    const page = store.read(pg);
    if (!page) continue;
    const o = owner[pg]!;
    if (free.leaves.has(pg)) {
      add(carvePage(ctxFor(pageSchema(pg)), page, pg, false), () => `freelist page ${pg}`, pg);
    } else if (trunks.has(pg)) {
      add(carvePage(ctxFor(pageSchema(pg)), page, pg, false, trunkSkip(page, hdr.usable)), () => `freelist trunk page ${pg}`, pg);
    } else if (o > 0) {
      const bt = byId.get(o);
      if (o === 1 || !bt?.schema) continue; // schema and index b-trees
      add(carvePage(ctxFor(bt.schema), page, pg, true), (f) => `${f.region} page ${pg}`, pg);
    } else if (o === 0) {
      const d = dropOwner[pg]!;
      add(carvePage(ctxFor(pageSchema(pg)), page, pg, false), () => `${d ? 'dropped table' : 'unowned'} page ${pg}`, pg);
    }
    if (store.overlaid(pg)) {
      const old = store.readMain(pg);
      if (old && !old.equals(page)) add(carvePage(ctxFor(pageSchema(pg)), old, pg, false), () => `db page ${pg} (superseded by wal)`, pg);
    }
  }

  // every WAL frame that differs from the live page
  let walFrames = 0;
  if (wal && walSrc) {
    for (const f of wal.frames) {
      const page = walSrc.read(f.offset, hdr.pageSize);
      if (page.length < hdr.pageSize) continue;
      walFrames++;
      const live = store.read(f.pgno);
      if (live && live.equals(page)) continue;
      const state = f.state === 'committed' ? '' : f.state === 'uncommitted' ? ', uncommitted' : ', earlier generation';
      const check = f.checksumOk ? '' : ', checksum unverified';
      add(carvePage(ctxFor(pageSchema(f.pgno)), page, f.pgno, false), () => `wal frame ${f.index} (salt ${f.salt1}${state}${check})`, f.pgno);
    }
  }

  // rollback journal page images
  let journalPages = 0;
  if (opts.journal !== undefined) {
    const js = open(opts.journal);
    toClose.push(js);
    for (const jp of parseJournal(js, hdr.pageSize, warnings)) {
      const page = js.read(jp.offset, hdr.pageSize);
      if (page.length < hdr.pageSize) continue;
      journalPages++;
      const live = store.read(jp.pgno);
      if (live && live.equals(page)) continue;
      add(carvePage(ctxFor(pageSchema(jp.pgno)), page, jp.pgno, false), () => `journal page ${jp.pgno} (record ${jp.index})`, jp.pgno);
    }
  }

  // overflow pages used by carved records are not records themselves
  const usedOverflow = new Set<number>();
  for (const h of hits) for (const n of h.found.cand.overflowPages) usedOverflow.add(n);
  const minConf = opts.minConfidence ?? 0.35;
  const kept = hits.filter(
    (h) => h.found.cand.confidence >= minConf && !(h.found.region === 'page' && usedOverflow.has(h.pgno)),
  );

  const records = filterLive(store, kept, allSchemas, btrees, warnings);
  return {
    records,
    warnings,
    tables: allSchemas.map((s) => ({ name: s.name, origin: s.origin, rootPage: s.rootPage, columns: s.columns.map((c) => c.name) })),
    stats: { pages: N, freelistPages: free.leaves.size + free.trunks.length, walFrames, journalPages },
  };
}

/** Merges duplicates and drops every carved copy of a row that is still live. */
function filterLive(store: PageStore, hits: Hit[], schemas: TableSchema[], btrees: Btree[], warnings: string[]): RecoveredRecord[] {
  interface Entry { rec: RecoveredRecord; schema: TableSchema; fp: string; len: number }
  const byKey = new Map<string, Entry[]>();
  for (const h of hits) {
    const c = h.found.cand;
    const fp = fingerprint(c.schema, c.values);
    const key = c.schema.name + '\u0000' + fp;
    const list = byKey.get(key) ?? [];
    const same = list.find((e) => e.rec.rowid === null || c.rowid === null || e.rec.rowid === c.rowid);
    if (same) {
      if (same.rec.rowid === null && c.rowid !== null) {
        same.rec.rowid = c.rowid;
        same.rec.values = c.values;
      }
      if (c.confidence > same.rec.confidence) {
        same.rec.confidence = c.confidence;
        same.rec.source = h.source;
      }
      continue;
    }
    list.push({
      rec: { table: c.schema.name, rowid: c.rowid, values: c.values, source: h.source, confidence: round(c.confidence) },
      schema: c.schema,
      fp,
      len: c.payloadLen,
    });
    byKey.set(key, list);
  }
  const entries = [...byKey.values()].flat();
  const out: RecoveredRecord[] = [];
  for (const schema of schemas) {
    const mine = entries.filter((e) => e.schema === schema);
    if (mine.length === 0) continue;
    const bt = schema.origin === 'live' ? btrees.find((b) => b.schema === schema) : undefined;
    if (!bt) {
      out.push(...mine.map((e) => e.rec));
      continue;
    }
    const ans = queryLive(
      store,
      bt.root,
      {
        schema,
        payloadLens: new Set(mine.map((e) => e.len)),
        fingerprints: new Set(mine.map((e) => e.fp)),
        rowids: new Set(mine.map((e) => e.rec.rowid).filter((r): r is number => r !== null)),
      },
      warnings,
    );
    for (const e of mine) {
      const liveRowids = ans.liveFingerprints.get(e.fp);
      if (liveRowids && (e.rec.rowid === null || liveRowids.has(e.rec.rowid) || liveRowids.has(null))) continue;
      if (e.rec.rowid !== null && ans.liveRowids.has(e.rec.rowid)) e.rec.earlierVersion = true;
      out.push(e.rec);
    }
  }
  for (const r of out) r.confidence = round(r.confidence);
  return out;
}

function round(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}
