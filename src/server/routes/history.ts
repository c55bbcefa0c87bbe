import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Hono } from 'hono';
import type { ArtifactId } from '../../artifacts/artifact.js';
import { ARTIFACT_IDS, artifactIdFor } from '../../artifacts/registry.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import { compareSources, exportLost, guardFor } from '../../history/compare.js';
import { describeRecord } from '../../history/describe.js';
import { labelSources } from '../../history/labels.js';
import { SEARCH_TYPES, type SearchType } from '../../search/documents.js';
import type { SearchIndex } from '../../search/index.js';
import { indexSource, linkOf, searchIndexes } from '../../search/search.js';
import type { DataSource } from '../../sources/data-source.js';
import { archiveName, groupByDevice } from '../../sources/devices.js';
import type {
  CompareEntryInfo,
  CompareResult,
  CompareSaveResult,
  DevicesResponse,
  SearchResult,
} from '../api-types.js';
import { readBody, startJob, type RouteDeps } from '../requests.js';
import type { BackupHandle, UiSession } from '../session.js';

const MAX_ENTRIES = 2000;
const MAX_HITS = 200;

function backupOf(session: UiSession, id: unknown, which: string): BackupHandle {
  const handle = typeof id === 'string' ? session.get(id) : undefined;
  if (!handle) throw new ReclaimError(`Choose the ${which} backup.`, ExitCode.usage);
  return handle;
}

/** "YYYY-MM-DD" as the start or end of that day (UTC), or undefined when not given. */
function dayOf(text: unknown, edge: 'start' | 'end'): Date | undefined {
  if (text === undefined || text === null || text === '') return undefined;
  const m = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim()) : null;
  if (!m) throw new ReclaimError(`"${String(text)}" is not a day (YYYY-MM-DD).`, ExitCode.usage);
  const date = new Date(`${m[0]}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`);
  if (Number.isNaN(date.getTime()))
    throw new ReclaimError(`"${text}" is not a day (YYYY-MM-DD).`, ExitCode.usage);
  return date;
}

function searchTypesOf(only: unknown): SearchType[] | undefined {
  if (!Array.isArray(only) || !only.length) return undefined;
  return only.map((name) => {
    const wanted = String(name).toLowerCase();
    if (wanted === 'files') return 'files';
    const id = artifactIdFor(wanted);
    if (!id || !(SEARCH_TYPES as readonly string[]).includes(id))
      throw new ReclaimError(`Search does not cover ${String(name)}.`, ExitCode.usage);
    return id as SearchType;
  });
}

function artifactsOf(only: unknown): ArtifactId[] {
  if (!Array.isArray(only) || !only.length) return [...ARTIFACT_IDS];
  return only.map((name) => {
    const id = artifactIdFor(String(name));
    if (!id) throw new ReclaimError(`Unknown data type ${String(name)}.`, ExitCode.usage);
    return id;
  });
}

/** The folder to save into: a full path, not a file (the guard then keeps it out of both backups). */
function outDirOf(folder: unknown): string {
  if (typeof folder !== 'string' || !folder.trim())
    throw new ReclaimError('Give the folder to save into.', ExitCode.usage);
  if (!isAbsolute(folder.trim()))
    throw new ReclaimError('Give the full path of the folder to save into.', ExitCode.usage);
  const out = resolve(folder.trim());
  if (existsSync(out) && !statSync(out).isDirectory())
    throw new ReclaimError(`${out} is a file, not a folder.`, ExitCode.usage);
  return out;
}

/**
 * /api/history: one search over every readable backup of this session, and two backups of a device
 * compared (what was lost and added since, the lost records saved). Indexes are built once per backup
 * and kept for the session (an unencrypted backup's in the user's cache folder, as `reclaim search` does).
 */
export function historyRoutes({ session, jobs }: RouteDeps): Hono {
  const routes = new Hono();
  const indexes = new Map<string, Promise<SearchIndex>>();
  const indexOf = (handle: BackupHandle) => {
    let pending = indexes.get(handle.id);
    if (!pending) {
      pending = handle.source().then((source) => indexSource(source).then((r) => r.index));
      pending.catch(() => indexes.delete(handle.id));
      indexes.set(handle.id, pending);
    }
    return pending;
  };

  routes.post('/search', async (c) => {
    const body = await readBody(c);
    const text = typeof body['query'] === 'string' ? body['query'].trim() : '';
    if (!text) throw new ReclaimError('Type what to search for.', ExitCode.usage);
    const query = {
      text,
      types: searchTypesOf(body['only']),
      from: dayOf(body['from'], 'start'),
      to: dayOf(body['to'], 'end'),
      limit: MAX_HITS,
    };
    const handles = session.discover().backups;
    return startJob(c, jobs, 'search', async (job): Promise<SearchResult> => {
      const skipped: SearchResult['skipped'] = [];
      const ready: Array<{ handle: BackupHandle; index: SearchIndex; source: DataSource }> = [];
      for (const [i, handle] of handles.entries()) {
        job.progress({ stage: 'index', done: i, total: handles.length, message: handle.dir });
        if (handle.locked) {
          skipped.push({
            backup: handle.id,
            path: handle.dir,
            reason: 'encrypted: unlock it first',
          });
          continue;
        }
        try {
          ready.push({ handle, index: await indexOf(handle), source: await handle.source() });
        } catch (error) {
          skipped.push({ backup: handle.id, path: handle.dir, reason: (error as Error).message });
        }
      }
      const hits = searchIndexes(ready, query).map((h) => {
        const handle = ready.find((r) => r.source.path === h.sourcePath)!.handle;
        return {
          type: h.type,
          title: h.title,
          snippet: h.snippet,
          date: h.date?.toISOString() ?? null,
          recovered: h.recovered,
          source: h.source,
          backup: handle.id,
          link: linkOf(handle.dir, h.type, h.ref),
        };
      });
      return { hits, searched: ready.length, skipped };
    });
  });

  routes.get('/devices', (c) => {
    const listed = session.discover().backups.flatMap((handle) => {
      if (handle.kind !== 'backup') return [];
      try {
        return [{ ...handle.summary(), handle }];
      } catch {
        return [];
      }
    });
    const byPath = new Map(listed.map((l) => [l.path, l.handle]));
    const groups = groupByDevice(listed.map(({ handle: _, ...summary }) => summary));
    return c.json({
      devices: groups.map((g) => ({
        device: g.device,
        deviceName: g.deviceName,
        model: g.model,
        backups: g.sources.map((s) => {
          const handle = byPath.get(s.path)!;
          return {
            id: handle.id,
            path: s.path,
            lastBackupDate: s.lastBackupDate ?? archiveName(s.path)?.date.toISOString() ?? null,
            archived: s.archived,
            encrypted: s.encrypted === true,
            locked: handle.locked,
          };
        }),
      })),
    } satisfies DevicesResponse);
  });

  const pair = async (body: Record<string, unknown>) => {
    const older = backupOf(session, body['old'], 'older');
    const newer = backupOf(session, body['new'], 'newer');
    if (older.id === newer.id)
      throw new ReclaimError('Choose two different backups.', ExitCode.usage);
    older.checkReadable();
    newer.checkReadable();
    return { older, newer, ids: artifactsOf(body['only']) };
  };

  routes.post('/compare', async (c) => {
    const { older, newer, ids } = await pair(await readBody(c));
    return startJob(c, jobs, 'compare', async (job): Promise<CompareResult> => {
      const [o, n] = [await older.source(), await newer.source()];
      const { diffs, names } = await compareSources(o, n, ids, (id, done) =>
        job.progress({ stage: 'compare', done, total: ids.length, message: `Comparing ${id}…` }),
      );
      const entries: CompareEntryInfo[] = [];
      for (const change of ['lost', 'added', 'changed'] as const)
        for (const d of diffs)
          for (const e of d[change])
            entries.push({
              type: d.id,
              change,
              date: e.unit.date?.toISOString() ?? null,
              text: describeRecord(d.id, e.unit.item, names, e.unit.conversation),
              ...(change === 'lost' ? { stillInDeletedSpace: e.stillInDeletedSpace === true } : {}),
            });
      const [ol, nl] = labelSources([o, n]);
      return {
        old: { id: older.id, label: ol!.label },
        new: { id: newer.id, label: nl!.label },
        types: diffs.map((d) => ({
          id: d.id,
          title: d.title,
          lost: d.lost.length,
          added: d.added.length,
          changed: d.changed.length,
          stillInDeletedSpace: d.lost.filter((e) => e.stillInDeletedSpace).length,
        })),
        entries: entries.slice(0, MAX_ENTRIES),
        truncated: entries.length > MAX_ENTRIES,
        problems: diffs.flatMap((d) => d.problems.map((p) => `${d.title}: ${p.message}`)),
      };
    });
  });

  routes.post('/compare/save', async (c) => {
    const body = await readBody(c);
    const { older, newer, ids } = await pair(body);
    const out = outDirOf(body['folder']);
    return startJob(c, jobs, 'compare-save', async (job): Promise<CompareSaveResult> => {
      const [o, n] = [await older.source(), await newer.source()];
      guardFor([o, n]).mkdir(out);
      const comparison = await compareSources(o, n, ids, (id, done) =>
        job.progress({ stage: 'compare', done, total: ids.length, message: `Comparing ${id}…` }),
      );
      job.progress({ stage: 'save', message: 'Writing the lost items…' });
      const results = await exportLost(o, comparison, out);
      return {
        folder: out,
        saved: results.map((r) => ({
          id: r.artifact,
          title: r.title,
          lost: comparison.diffs.find((d) => d.id === r.artifact)?.lost.length ?? 0,
          files: r.files,
        })),
      };
    });
  });

  return routes;
}
