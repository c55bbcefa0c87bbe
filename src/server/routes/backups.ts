import { Hono } from 'hono';
import { ExitCode, ReclaimError } from '../../errors.js';
import type { BackupsResponse, OpenResponse, ScanResult } from '../api-types.js';
import { handleOf, readBody, startJob, summaryOf, type RouteDeps } from '../requests.js';
import { collectGarbage } from '../memory.js';
import { warmPhotoIndex, warmThumbnails } from './photos.js';

/** /api/backups: the backups this session knows, opening a folder, one backup, and its scan. */
export function backupRoutes({ session, jobs }: RouteDeps): Hono {
  const routes = new Hono();

  routes.get('/', (c) => {
    const { roots, backups } = session.discover();
    return c.json({
      roots,
      initial: session.initial,
      backups: backups.map(summaryOf),
    } satisfies BackupsResponse);
  });

  routes.post('/open', async (c) => {
    const path = (await readBody(c))['path'];
    if (typeof path !== 'string' || !path.trim())
      throw new ReclaimError('Give the folder to open.', ExitCode.usage);
    const opened = session.open(path.trim());
    return c.json({ opened: opened.map(summaryOf) } satisfies OpenResponse);
  });

  routes.get('/:id', (c) => c.json(handleOf(session, c).summary()));

  routes.post('/:id/scan', (c) => {
    const handle = handleOf(session, c);
    handle.checkReadable();
    return startJob(c, jobs, 'scan', async (job): Promise<ScanResult> => {
      const counts = await handle.counts((done, total, title) =>
        job.progress({ stage: 'scan', done, total, message: title ? `Reading ${title}…` : 'Done' }),
      );
      // Everything read: the photo grid's index made ahead, what the reading left collected, and
      // then the thumbnail makers readied.
      void warmPhotoIndex(handle).then(() => {
        collectGarbage();
        return warmThumbnails();
      });
      return { summary: handle.summary(), counts };
    });
  });

  return routes;
}
