import { Hono } from 'hono';
import { buildRescuePlan } from '../../device/rescue-plan.js';
import type { RouteDeps } from '../requests.js';

/** /api/rescue-plan: "locked out of the phone": what the backups here hold, and Apple's ways back in. */
export function rescueRoutes({ session }: RouteDeps): Hono {
  const routes = new Hono();
  routes.get('/', async (c) => {
    const roots = [...session.roots(), ...session.all().map((h) => h.dir)];
    const plan = await buildRescuePlan({
      backupRoots: roots,
      probeDevice: c.req.query('probe') !== '0',
    });
    return c.json(plan);
  });
  return routes;
}
