import { BufferSource, type ByteSource, FileSource, u16, u32 } from './bytes.js';
import { type CellContext, candidateValues, indexByCount, type SchemaChoice } from './cells.js';
import { readFreelist } from './freelist.js';
import { parseHeader } from './header.js';
import { parseJournal } from './journal.js';
import type { LiveRelation } from './classify.js';
import { filterLive } from './livefilter.js';
import { carvePage, type Found, trunkSkip } from './pagecarve.js';
import { PageStore, parseBtreePage } from './pages.js';
import type { SqlValue } from './record.js';
import {
  parseCreateTable,
  schemasFromSql,
  signature,
  SQLITE_MASTER,
  type TableSchema,
} from './schema.js';
import { readLiveSchema, type Btree } from './schemas-live.js';
import { parseWal, type Wal } from './wal.js';
import { walkBtree } from './btree.js';
import { priorFrom, profileTables } from './profile.js';

export type Input = string | Uint8Array;

export interface CarveOptions {
  /** A WAL file to read (path or bytes): committed frames make the live state, all frames are carved. */
  wal?: Input;
  /** A rollback journal (path or bytes): its page images are carved. */
  journal?: Input;
  /** SQL that once built the database: its CREATE TABLE statements help name dropped tables. */
  schemaSql?: string;
  /**
   * Records below this confidence are left out (default 0.5). Records whose overflow pages were lost
   * score below it; records whose tail was overwritten (lostColumns) score above it when their header
   * is long and fits the table.
   */
  minConfidence?: number;
  /**
   * Natural keys per table (table name, case-insensitive -> columns), e.g. { message: ['guid'],
   * CalendarItem: ['UNIQUE_IDENTIFIER'], ZASSET: ['ZUUID'] }. A carved record holding its key is
   * matched to the live row with that key, whatever its rowid (usually lost with the cell's first
   * bytes): that makes it an earlier version (or a duplicate), and a key no live row has makes it
   * deleted. Without a key, records are matched by rowid and by value. See classifyAgainstLive.
   */
  naturalKeys?: Record<string, readonly string[]>;
}

export interface RecoveredRecord {
  table: string;
  rowid: number | null;
  values: SqlValue[];
  /** Where it was found, e.g. "freeblock page 5", "freelist page 12", "wal frame 3 (salt 2)". */
  source: string;
  confidence: number;
  /**
   * How the record stands against its live table: 'deleted' (no live row has its identity or values),
   * 'earlierVersion' (a live row has its natural key, or else its rowid, with other values) or
   * 'duplicate' (a live row holds the same values under another rowid: nothing to show). Exact copies
   * under the same rowid, or with the rowid lost, are never returned. Rows of dropped tables: 'deleted'.
   */
  relation?: LiveRelation;
  /** earlierVersion / duplicate: the live row it belongs to (null for WITHOUT ROWID tables). */
  liveRowid?: number | null;
  /** relation === 'earlierVersion' (kept for callers that only need the flag). */
  earlierVersion?: boolean;
  /**
   * Set when part of the record was overwritten (an overflow page reused as a freelist trunk, or the
   * record's tail written over by live cells).
   */
  partial?: boolean;
  /** Columns whose bytes were overwritten: their values are null here, not known to be NULL. */
  lostColumns?: string[];
}

export interface CarveResult {
  records: RecoveredRecord[];
  warnings: string[];
  /** Tables known to the carver: live, carved from sqlite_master, or from schemaSql. */
  tables: Array<{
    name: string;
    origin: TableSchema['origin'];
    rootPage: number;
    columns: string[];
    /** The INTEGER PRIMARY KEY column (holds the rowid), or null. */
    rowidAlias: string | null;
  }>;
  stats: { pages: number; freelistPages: number; walFrames: number; journalPages: number };
}

function open(input: Input): ByteSource {
  return typeof input === 'string'
    ? new FileSource(input)
    : new BufferSource(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
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

function run(
  input: Input,
  opts: CarveOptions,
  warnings: string[],
  toClose: ByteSource[],
): CarveResult {
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
      warnings.push(
        `wal: page size ${wal.pageSize} differs from the database's ${hdr.pageSize}; WAL ignored`,
      );
      wal = null;
    }
    if (wal) {
      let highest = 0;
      for (const f of wal.frames) {
        if (f.state !== 'committed') continue;
        store.setOverlay(f.pgno, walSrc, f.offset, f.index);
        highest = Math.max(highest, f.pgno);
      }
      // pages past the main file exist only as WAL frames: the commit's claimed size is capped by them
      const grown = Math.min(
        wal.dbSize,
        Math.max(store.pageCount, highest),
        store.pageCount + wal.frames.length,
      );
      if (wal.dbSize > grown)
        warnings.push(`wal: commit claims ${wal.dbSize} pages; only ${grown} exist`);
      if (grown > store.pageCount) store.pageCount = grown;
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
  const pageIsLive = (n: number): boolean =>
    n >= 1 && n <= N && owner[n] !== 0 && !free.leaves.has(n);

  const liveSchemas = btrees
    .map((b) => b.schema)
    .filter((s): s is TableSchema => !!s && s !== SQLITE_MASTER);

  // dropped tables: deleted sqlite_master entries, then the SQL history
  const pageIsDamaged = (n: number): boolean => trunks.has(n);
  const profile = profileTables(
    store,
    btrees.filter((b) => b.schema && b.id !== 1).map((b) => ({ schema: b.schema!, root: b.root })),
  );
  const typePrior = priorFrom(profile);
  const mkCtx = (choices: SchemaChoice[]): CellContext => ({
    store,
    pageIsLive,
    pageIsDamaged,
    typePrior,
    ...indexByCount(choices),
  });
  const masterCtx = mkCtx([{ schema: SQLITE_MASTER, weight: 1 }]);
  const carvedSchemas: TableSchema[] = [];
  const known = new Set(liveSchemas.map((s) => s.name.toLowerCase() + '|' + signature(s)));
  const schemaPages = (pgno: number, page: Buffer, live: boolean): void => {
    for (const f of carvePage(masterCtx, page, pgno, live)) {
      const [type, name, , root, sql] = candidateValues(f.cand, hdr.encoding);
      if (type !== 'table' || typeof sql !== 'string' || typeof name !== 'string') continue;
      const s = parseCreateTable(sql, typeof root === 'number' ? root : 0, 'carved');
      if (!s) continue;
      s.name = name;
      const key = s.name.toLowerCase() + '|' + signature(s);
      if (
        known.has(key) &&
        !carvedSchemas.some((c) => c.name === s.name && c.rootPage === 0 && s.rootPage > 0)
      )
        continue;
      known.add(key);
      carvedSchemas.push(s);
    }
  };
  for (let pg = 1; pg <= N; pg++) {
    const o = owner[pg]!;
    if (o === 1 || (o === 0 && !trunks.has(pg))) {
      const page = store.read(pg);
      if (page && (o === 1 || parseBtreePage(page, pg, hdr.usable)?.table))
        schemaPages(pg, page, o === 1);
    }
  }
  const history = opts.schemaSql ? schemasFromSql(opts.schemaSql) : [];
  const named = new Set([...liveSchemas, ...carvedSchemas].map((s) => s.name.toLowerCase()));
  const historySchemas = history.filter((s) => !named.has(s.name.toLowerCase()));
  const allSchemas = [...liveSchemas, ...carvedSchemas, ...historySchemas];

  // pages of dropped tables, followed from their old root pages
  const dropOwner = new Int32Array(N + 1); // index into allSchemas + 1
  allSchemas.forEach((s, i) => {
    if (
      s.origin !== 'carved' ||
      s.rootPage < 1 ||
      s.rootPage > N ||
      (owner[s.rootPage]! > 0 && !free.leaves.has(s.rootPage))
    )
      return;
    const stack = [s.rootPage];
    let budget = N;
    while (stack.length && budget-- > 0) {
      const pg = stack.pop()!;
      if (pg < 1 || pg > N || dropOwner[pg] !== 0 || (owner[pg] !== 0 && !free.leaves.has(pg)))
        continue;
      dropOwner[pg] = i + 1;
      const page = store.read(pg);
      const bp = page && !trunks.has(pg) ? parseBtreePage(page, pg, hdr.usable) : null;
      if (page && bp && !bp.leaf && bp.table) {
        stack.push(bp.rightChild);
        for (let c = 0; c < bp.cellCount; c++)
          stack.push(u32(page, u16(page, bp.hdrOff + 12 + 2 * c)));
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
    const o = owner[pg]!;
    const freePage = free.leaves.has(pg) || trunks.has(pg);
    // index b-trees, sqlite_master and live overflow pages hold nothing to carve: not even read
    if (!freePage && o > 0 && (o === 1 || !byId.get(o)?.schema)) continue;
    const liveOverflow = !freePage && o < 0;
    if (liveOverflow && !store.overlaid(pg)) continue;
    const page = store.read(pg);
    if (!page) continue;
    if (liveOverflow) {
      // only the main file's older version of a page the WAL replaced
    } else if (free.leaves.has(pg)) {
      add(carvePage(ctxFor(pageSchema(pg)), page, pg, false), () => `freelist page ${pg}`, pg);
    } else if (trunks.has(pg)) {
      add(
        carvePage(ctxFor(pageSchema(pg)), page, pg, false, trunkSkip(page, hdr.usable)),
        () => `freelist trunk page ${pg}`,
        pg,
      );
    } else if (o > 0) {
      const bt = byId.get(o);
      if (o === 1 || !bt?.schema) continue; // schema and index b-trees
      const found = carvePage(ctxFor(bt.schema), page, pg, true);
      const prior = reusedFrom(pg, bt.schema, found, allSchemas);
      if (prior) {
        for (const f of found) {
          if (
            f.region === 'unallocated' &&
            f.cand.intact &&
            signature(f.cand.schema) === signature(prior)
          ) {
            f.cand.schema = prior;
            f.cand.confidence *= 0.9;
          }
        }
      }
      const frame = store.overlayFrame(pg);
      const via = frame ? ` (wal frame ${frame})` : '';
      add(
        found,
        (f) =>
          `${f.region} page ${pg}${via}${f.cand.schema === prior ? ` (dropped table ${prior!.name})` : ''}`,
        pg,
      );
    } else if (o === 0) {
      const d = dropOwner[pg]!;
      add(
        carvePage(ctxFor(pageSchema(pg)), page, pg, false),
        () => `${d ? 'dropped table' : 'unowned'} page ${pg}`,
        pg,
      );
    }
    if (store.overlaid(pg)) {
      const old = store.readMain(pg);
      if (old && !old.equals(page))
        add(
          carvePage(ctxFor(pageSchema(pg)), old, pg, false),
          () => `db page ${pg} (superseded by wal)`,
          pg,
        );
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
      const state =
        f.state === 'committed'
          ? ''
          : f.state === 'uncommitted'
            ? ', uncommitted'
            : ', earlier generation';
      const check = f.checksumOk ? '' : ', checksum unverified';
      add(
        carvePage(ctxFor(pageSchema(f.pgno)), page, f.pgno, false),
        () => `wal frame ${f.index} (salt ${f.salt1}${state}${check})`,
        f.pgno,
      );
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
      add(
        carvePage(ctxFor(pageSchema(jp.pgno)), page, jp.pgno, false),
        () => `journal page ${jp.pgno} (record ${jp.index})`,
        jp.pgno,
      );
    }
  }

  // overflow pages used by carved records are not records themselves
  const usedOverflow = new Set<number>();
  for (const h of hits) for (const n of h.found.cand.overflowPages) usedOverflow.add(n);
  const minConf = opts.minConfidence ?? 0.5;
  const kept = hits.filter(
    (h) =>
      h.found.cand.confidence >= minConf &&
      !(h.found.region === 'page' && usedOverflow.has(h.pgno)),
  );

  const naturalKeys = new Map(
    Object.entries(opts.naturalKeys ?? {}).map(([t, cols]) => [t.toLowerCase(), cols] as const),
  );
  const records = filterLive(
    store,
    kept.map((h) => ({ cand: h.found.cand, source: h.source })),
    allSchemas,
    btrees,
    naturalKeys,
    warnings,
  );
  for (const r of records) r.confidence = round(r.confidence);
  return {
    records,
    warnings,
    tables: allSchemas.map((s) => ({
      name: s.name,
      origin: s.origin,
      rootPage: s.rootPage,
      columns: s.columns.map((c) => c.name),
      rowidAlias: s.ipk >= 0 ? s.columns[s.ipk]!.name : null,
    })),
    stats: {
      pages: N,
      freelistPages: free.leaves.size + free.trunks.length,
      walFrames,
      journalPages,
    },
  };
}

/**
 * Intact cells in the unallocated space of a live page come from a page that was reinitialised with
 * its old content left behind: deletes clobber cells, and emptying a page by deletes leaves at most
 * one intact. With two or more, and a dropped table of the same shape (preferably one whose old root
 * was this page), the leftovers are that table's rows.
 */
function reusedFrom(
  pg: number,
  owner: TableSchema,
  found: Found[],
  schemas: TableSchema[],
): TableSchema | null {
  const intact = found.filter(
    (f) => f.region === 'unallocated' && f.cand.intact && f.cand.schema === owner,
  );
  if (intact.length < 2) return null;
  const sig = signature(owner);
  const dropped = schemas.filter((s) => s.origin !== 'live' && signature(s) === sig);
  return dropped.find((s) => s.rootPage === pg) ?? dropped[0] ?? null;
}

function round(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}
