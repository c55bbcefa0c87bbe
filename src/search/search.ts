import { basename, join } from 'node:path';
import type { ReadOptions } from '../artifacts/artifact.js';
import { nameIndexFrom } from '../artifacts/contacts/index.js';
import { labelSources } from '../history/labels.js';
import type { DataSource } from '../sources/data-source.js';
import { sourceId } from '../sources/paths.js';
import { cachedIndexPath, sourceFingerprint } from './cache.js';
import { documentsOf, SEARCH_TYPES, type SearchDocument, type SearchType } from './documents.js';
import { SearchIndex, type IndexHit, type SearchQuery } from './index.js';

export interface SearchHit extends IndexHit {
  /** The source's label ("Alex's iPhone 2025-03-01") and folder. */
  source: string;
  sourcePath: string;
  /** Where the UI opens it (`reclaim ui SOURCE`, then this address): #/b/<source id>/a/<type>/<ref>. */
  link: string;
}

export interface IndexedSource {
  index: SearchIndex;
  /** 'cache': kept in the user's cache folder (unencrypted sources); 'workspace': in the private workspace, gone at exit. */
  where: 'cache' | 'workspace';
  /** Built by this call (else found ready). */
  built: boolean;
  documents: number;
  buildMs: number;
}

/** Every record of a source as search documents, and its files by their paths. */
export async function* sourceDocuments(
  source: DataSource,
  read: ReadOptions = { recoverDeleted: true },
): AsyncGenerator<SearchDocument[]> {
  const names = nameIndexFrom(await source.readArtifact('contacts', { recoverDeleted: false }));
  for (const id of SEARCH_TYPES) {
    const data = await source.readArtifact(id, read);
    yield documentsOf(id, data.items, names);
  }
  yield source.files.listFiles().map((f) => ({
    type: 'files' as const,
    ref: `${f.domain}/${f.relativePath}`,
    title: basename(f.relativePath) || f.relativePath,
    body: `${f.domain}/${f.relativePath}`,
    numbers: '',
    date: f.modified,
    recovered: false,
  }));
}

/**
 * The search index of a source: an unencrypted source's is kept in the user's cache folder (0700) and reused
 * until the backup changes; an encrypted one's lives in the private workspace and is gone when Reclaim exits
 * (its plaintext never outlives the run). `cache: false` keeps every index in the workspace.
 */
export async function indexSource(
  source: DataSource,
  options: { cache?: boolean; cacheDir?: string } = {},
): Promise<IndexedSource> {
  const fingerprint = sourceFingerprint(source);
  const cached = options.cache === false ? null : cachedIndexPath(source, options.cacheDir);
  if (cached) {
    const ready = SearchIndex.open(cached, fingerprint);
    if (ready)
      return { index: ready, where: 'cache', built: false, documents: ready.documents, buildMs: 0 };
  }
  const started = performance.now();
  const documents: SearchDocument[] = [];
  // One by one: spreading a batch of 200,000 records into push() overflows the call stack.
  for await (const batch of sourceDocuments(source)) for (const d of batch) documents.push(d);
  const path = cached ?? join(source.files.workspace.folder(), 'search.sqlite');
  const index = SearchIndex.build(path, fingerprint, documents);
  return {
    index,
    where: cached ? 'cache' : 'workspace',
    built: true,
    documents: documents.length,
    buildMs: performance.now() - started,
  };
}

/** The UI's address of a hit. */
export function linkOf(path: string, type: SearchType, ref: string): string {
  const id = sourceId(path);
  if (type === 'files') return `#/b/${id}/files/${encodeURIComponent(ref)}`;
  return `#/b/${id}/a/${type}/${ref.split('\n').map(encodeURIComponent).join('/')}`;
}

/** Searches every source's index; hits newest first. */
export function searchIndexes(
  indexed: Array<{ source: DataSource; index: SearchIndex }>,
  query: SearchQuery,
): SearchHit[] {
  const labels = labelSources(indexed.map((i) => i.source));
  const hits: SearchHit[] = [];
  indexed.forEach(({ index, source }, i) => {
    for (const hit of index.search(query))
      hits.push({
        ...hit,
        source: labels[i]!.label,
        sourcePath: source.path,
        link: linkOf(source.path, hit.type, hit.ref),
      });
  });
  hits.sort((a, b) => (b.date?.getTime() ?? -Infinity) - (a.date?.getTime() ?? -Infinity));
  return hits.slice(0, query.limit ?? 100);
}
