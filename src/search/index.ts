import { chmodSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { SearchDocument, SearchType } from './documents.js';
import { numberTokens } from './documents.js';

/** Bump when what is indexed or how changes: older cached indexes are then rebuilt. */
export const INDEX_VERSION = '1';

export interface SearchQuery {
  text: string;
  types?: readonly SearchType[];
  from?: Date;
  to?: Date;
  limit?: number;
}

export interface IndexHit {
  type: SearchType;
  ref: string;
  title: string;
  /** The matching text with the matches between « and ». */
  snippet: string;
  date: Date | null;
  recovered: boolean;
}

const PHONE_LIKE = /^[+\d\s().\-\/]+$/;

/**
 * The FTS5 query for what the user typed: every word must be there (as a word or the start of one); a phone
 * number in any format is looked up by its number keys. Quotes and FTS syntax in the input are taken as text.
 */
export function ftsQuery(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (PHONE_LIKE.test(trimmed) && trimmed.replace(/\D/g, '').length >= 5) {
    const tokens = numberTokens(trimmed);
    if (tokens.length) return `numbers : (${tokens.map((t) => `"${t}"`).join(' OR ')})`;
  }
  const words = trimmed
    .split(/\s+/)
    .map((w) => w.replace(/"/g, ''))
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (!words.length) return null;
  return words.map((w) => `{title body} : "${w}"*`).join(' AND ');
}

/** A search index in one SQLite file (FTS5): built once, then asked many times. */
export class SearchIndex {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  /** An index already built, when its meta says it is of this version and for `fingerprint`. */
  static open(path: string, fingerprint: string): SearchIndex | null {
    let db: Database.Database | null = null;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      const meta = new Map(
        db
          .prepare('SELECT key, value FROM meta')
          .all()
          .map((r) => [(r as { key: string }).key, (r as { value: string }).value]),
      );
      if (meta.get('version') !== INDEX_VERSION || meta.get('fingerprint') !== fingerprint) {
        db.close();
        return null;
      }
      return new SearchIndex(db, path);
    } catch {
      db?.close();
      return null;
    }
  }

  /** Builds the index into a new file at `path` (written beside it, then renamed into place). */
  static build(
    path: string,
    fingerprint: string,
    documents: Iterable<SearchDocument>,
  ): SearchIndex {
    const partial = `${path}.partial-${process.pid}`;
    rmSync(partial, { force: true });
    const db = new Database(partial);
    try {
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.exec(`
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE docs(id INTEGER PRIMARY KEY, type TEXT NOT NULL, ref TEXT NOT NULL, title TEXT,
          date INTEGER, recovered INTEGER NOT NULL);
        CREATE VIRTUAL TABLE fts USING fts5(title, body, numbers, tokenize = 'unicode61 remove_diacritics 2');
      `);
      const meta = db.prepare('INSERT INTO meta VALUES (?, ?)');
      const doc = db.prepare('INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)');
      const text = db.prepare('INSERT INTO fts(rowid, title, body, numbers) VALUES (?, ?, ?, ?)');
      db.transaction(() => {
        meta.run('version', INDEX_VERSION);
        meta.run('fingerprint', fingerprint);
        meta.run('built', new Date().toISOString());
        let id = 0;
        for (const d of documents) {
          id++;
          doc.run(id, d.type, d.ref, d.title, d.date?.getTime() ?? null, d.recovered ? 1 : 0);
          text.run(id, d.title, d.body, d.numbers);
        }
        meta.run('documents', String(id));
      })();
      db.exec('CREATE INDEX docs_date ON docs(date)');
      db.exec("INSERT INTO fts(fts) VALUES ('optimize')");
      db.close();
      chmodSync(partial, 0o600);
      renameSync(partial, path);
    } catch (error) {
      if (db.open) db.close();
      rmSync(partial, { force: true });
      throw error;
    }
    return new SearchIndex(new Database(path, { readonly: true }), path);
  }

  get documents(): number {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'documents'").get() as
      { value: string } | undefined;
    return Number(row?.value ?? 0);
  }

  search(query: SearchQuery): IndexHit[] {
    const match = ftsQuery(query.text);
    if (!match) return [];
    const where = ['fts MATCH ?'];
    const params: unknown[] = [match];
    if (query.types?.length) {
      where.push(`d.type IN (${query.types.map(() => '?').join(', ')})`);
      params.push(...query.types);
    }
    if (query.from) {
      where.push('d.date >= ?');
      params.push(query.from.getTime());
    }
    if (query.to) {
      where.push('d.date <= ?');
      params.push(query.to.getTime());
    }
    params.push(Math.max(1, Math.min(query.limit ?? 100, 10_000)));
    const rows = this.db
      .prepare(
        `SELECT d.type, d.ref, d.title, d.date, d.recovered,
           snippet(fts, 1, '«', '»', '…', 16) AS snippet
         FROM fts JOIN docs d ON d.id = fts.rowid
         WHERE ${where.join(' AND ')}
         ORDER BY d.date IS NULL, d.date DESC LIMIT ?`,
      )
      .all(...params) as Array<{
      type: SearchType;
      ref: string;
      title: string;
      date: number | null;
      recovered: number;
      snippet: string;
    }>;
    return rows.map((r) => ({
      type: r.type,
      ref: r.ref,
      title: r.title,
      snippet: r.snippet,
      date: r.date === null ? null : new Date(r.date),
      recovered: r.recovered === 1,
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
