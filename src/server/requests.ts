import type { Context } from 'hono';
import type { ArtifactId } from '../artifacts/artifact.js';
import { ARTIFACT_IDS } from '../artifacts/registry.js';
import type { SourceFile } from '../sources/files.js';
import { ExitCode, ReclaimError } from '../errors.js';
import type { JobStarted, ListedBackup } from './api-types.js';
import { describeError } from './http-errors.js';
import type { Job, Jobs } from './jobs.js';
import type { BackupHandle, UiSession } from './session.js';

/** What every route module is given. */
export interface RouteDeps {
  session: UiSession;
  jobs: Jobs;
}

/** The backup named by the route's `:id`. */
export function handleOf(session: UiSession, c: Context): BackupHandle {
  const handle = session.get(c.req.param('id') ?? '');
  if (!handle) throw new ReclaimError('No such backup in this session.', ExitCode.notFound);
  return handle;
}

/** The data type named by the route's `:artifact`. */
export function artifactOf(c: Context): ArtifactId {
  const id = c.req.param('artifact') as ArtifactId;
  if (!ARTIFACT_IDS.includes(id))
    throw new ReclaimError(`Unknown category ${id}.`, ExitCode.notFound);
  return id;
}

/** Only files of the source's own index (a backup's, an export's archives): nothing outside it can be named. */
export async function entryOf(handle: BackupHandle, c: Context): Promise<SourceFile> {
  const domain = c.req.query('domain') ?? '';
  const path = c.req.query('path') ?? '';
  const file = (await handle.source()).files.stat({ domain, relativePath: path });
  if (!file)
    throw new ReclaimError(
      `${domain}/${path} is not a file of this ${handle.kind === 'backup' ? 'backup' : 'export'}.`,
      ExitCode.notFound,
    );
  if (!file.present)
    throw new ReclaimError(
      `${domain}/${path} is indexed, but its data is not in the backup.`,
      ExitCode.notFound,
    );
  return file;
}

/** A backup as listed: described, or with the reason it could not be. */
export function summaryOf(handle: BackupHandle): ListedBackup {
  try {
    return handle.summary();
  } catch (error) {
    return { id: handle.id, path: handle.dir, demo: handle.demo, error: (error as Error).message };
  }
}

/** The request's JSON object (an empty one when the body is not a JSON object). */
export async function readBody(c: Context): Promise<Record<string, unknown>> {
  try {
    const value = await c.req.json();
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

/** Starts long work in the background and answers 202 with the job to follow. */
export function startJob<T extends object>(
  c: Context,
  jobs: Jobs,
  kind: string,
  work: (job: Job) => Promise<T>,
) {
  const job = jobs.start(kind, work, describeError);
  return c.json({ job: job.id } satisfies JobStarted, 202);
}
