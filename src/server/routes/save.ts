import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import yazl from 'yazl';
import { ExitCode, ReclaimError } from '../../errors.js';
import type { SaveResult, ZipTicket } from '../api-types.js';
import { handleOf, readBody, startJob, type RouteDeps } from '../requests.js';
import { listFiles, parseSelection, saveSelection, type Selection } from '../save.js';
import type { BackupHandle, UiSession } from '../session.js';

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
      });
      return { folder: out, results };
    });
  });

  const tickets = new Map<string, { handle: BackupHandle; selection: Selection }>();
  routes.post('/:id/zip', async (c) => {
    const handle = handleOf(session, c);
    const selection = parseSelection((await readBody(c))['selection']);
    handle.checkReadable();
    const ticket = randomBytes(12).toString('base64url');
    tickets.set(ticket, { handle, selection });
    return c.json({ url: `/api/backups/${handle.id}/zip/${ticket}` } satisfies ZipTicket);
  });

  routes.get('/:id/zip/:ticket', async (c) => {
    const handle = handleOf(session, c);
    const ticket = tickets.get(c.req.param('ticket'));
    if (!ticket || ticket.handle !== handle)
      throw new ReclaimError(
        'This download link has expired; ask for the zip again.',
        ExitCode.notFound,
      );
    tickets.delete(c.req.param('ticket'));
    const folder = (await handle.source()).files.workspace.folder();
    await saveSelection(handle, ticket.selection, folder);
    const zip = new yazl.ZipFile();
    for (const file of listFiles(folder))
      zip.addFile(join(folder, file), file.split(sep).join('/'));
    zip.end();
    const removeFolder = () => rmSync(folder, { recursive: true, force: true });
    zip.outputStream.on('end', removeFolder);
    zip.outputStream.on('error', removeFolder);
    const date = new Date().toISOString().slice(0, 10);
    return c.body(Readable.toWeb(zip.outputStream as Readable) as ReadableStream, 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="reclaim-${date}.zip"`,
    });
  });

  return routes;
}
