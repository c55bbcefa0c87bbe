import { Hono } from 'hono';
import { localZone } from '../../time.js';
import type { TimeSettings } from '../api-types.js';

/** GET /api/time: the clock the page shows times in (this computer's zone, TZ respected, or --utc). */
export function timeRoutes(utc: boolean): Hono {
  const routes = new Hono();
  routes.get('/', (c) => c.json({ zone: utc ? 'UTC' : localZone(), utc } satisfies TimeSettings));
  return routes;
}
