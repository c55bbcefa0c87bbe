import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { ExitCode, ReclaimError } from '../../errors.js';
import type { SaveResult, ZipStarted } from '../api-types.js';
import { describeError } from '../http-errors.js';
import type { Job } from '../jobs.js';
import { collectGarbage } from '../memory.js';
import { handleOf, readBody, startJob, type RouteDeps } from '../requests.js';
import { parseSelection, saveSelection } from '../save.js';
import type { BackupHandle, UiSession } from '../session.js';
import { StreamingZip } from '../zip.js';

/** How long a zip link waits to be followed. */
const TICKET_LIFE = 2 * 60_000;

/** The folder to save into: a full path, not a file, and never inside a backup (the backup is evidence). */
function checkOutDir(session: UiSession, folder: unknown): string {
  if (typeof folder !== 'string' || !folder.trim())
    throw new ReclaimError('Give the folder to save into.', ExitCode.usage);
  if (!isAbsolute(folder.trim()))
    throw new ReclaimError(
      'Give the full path of the folder to save into (it starts with / or a drive letter).',
      ExitCode.usage,
    );
  const out = resolve(folder.trim());
  for (const handle of session.all()) {
    if (handle.contains(out))
      throw new ReclaimError(
        `Refusing to write inside a backup folder (${handle.dir}): the backup is evidence. Choose a folder elsewhere.`,
        ExitCode.usage,
      );
  }
  if (existsSync(out) && !statSync(out).isDirectory())
    throw new ReclaimError(`${out} is a file, not a folder.`, ExitCode.usage);
  return out;
}

/** /api/backups/:id/{save,zip}: the selection, written to a folder or downloaded as a zip. */
export function saveRoutes({ session, jobs }: RouteDeps): Hono {
  const routes = new Hono();

  routes.post('/:id/save', async (c) => {
    const handle = handleOf(session, c);
    const request = await readBody(c);
    const out = checkOutDir(session, request['folder']);
    const selection = parseSelection(request['selection']);
    handle.checkReadable();
    return startJob(c, jobs, 'save', async (job): Promise<SaveResult> => {
      const results = await saveSelection(handle, selection, out, {
        signal: job.abort.signal,
        onProgress: (p) => job.progress({ stage: 'save', ...p, message: `Saving ${p.title}…` }),
      }).finally(collectGarbage);
      return { folder: out, results };
    });
  });

  const tickets = new Map<string, { handle: BackupHandle; zip: StreamingZip; job: Job }>();
  routes.post('/:id/zip', async (c) => {
    const handle = handleOf(session, c);
    const selection = parseSelection((await readBody(c))['selection']);
    handle.checkReadable();
    const ticket = randomBytes(12).toString('base64url');
    const zip = new StreamingZip(
      handle,
      selection,
      (await handle.source()).files.workspace.folder(),
    );
    const job = jobs.start('zip', (job) => zip.run(job).finally(collectGarbage), describeError);
    tickets.set(ticket, { handle, zip, job });
    // A link nobody follows does not keep its export going.
    setTimeout(() => {
      if (tickets.delete(ticket)) {
        job.abort.abort();
        zip.body.destroy();
      }
    }, TICKET_LIFE).unref();
    return c.json({
      url: `/api/backups/${handle.id}/zip/${ticket}`,
      job: job.id,
    } satisfies ZipStarted);
  });

  routes.get('/:id/zip/:ticket', (c) => {
    const handle = handleOf(session, c);
    const ticket = tickets.get(c.req.param('ticket'));
    if (!ticket || ticket.handle !== handle)
      throw new ReclaimError(
        'This download link has expired; ask for the zip again.',
        ExitCode.notFound,
      );
    tickets.delete(c.req.param('ticket'));
    // The download stopped (tab closed, cancelled): stop exporting too.
    ticket.zip.body.once('close', () => {
      if (!ticket.job.finished) ticket.job.abort.abort();
    });
    const date = new Date().toISOString().slice(0, 10);
    return c.body(Readable.toWeb(ticket.zip.body) as ReadableStream, 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="reclaim-${date}.zip"`,
      'Cache-Control': 'no-store',
    });
  });

  return routes;
}
