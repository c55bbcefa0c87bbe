import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { ExitCode, ReclaimError } from '../../errors.js';
import type { JobEvent, Jobs } from '../jobs.js';

/** /api/jobs/:job: follow a long piece of work (server-sent events), or stop it. */
export function eventRoutes({ jobs }: { jobs: Jobs }): Hono {
  const routes = new Hono();
  const jobOf = (id: string) => {
    const job = jobs.get(id);
    if (!job) throw new ReclaimError('No such job.', ExitCode.notFound);
    return job;
  };

  routes.post('/:job/cancel', (c) => {
    jobOf(c.req.param('job')).abort.abort();
    return c.json({ cancelled: true });
  });

  routes.get('/:job/events', (c) => {
    const job = jobOf(c.req.param('job'));
    return streamSSE(c, async (stream) => {
      let wake: () => void = () => {};
      const queue: JobEvent[] = [];
      const unsubscribe = job.subscribe((event) => {
        queue.push(event);
        wake();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake();
      });
      try {
        while (!stream.aborted) {
          while (queue.length) {
            const event = queue.shift()!;
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event.data) });
            if (event.type !== 'progress') return;
          }
          await new Promise<void>((r) => {
            wake = r;
            if (queue.length) r();
          });
        }
      } finally {
        unsubscribe();
      }
    });
  });

  return routes;
}
