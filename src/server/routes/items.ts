import { Hono } from 'hono';
import { ExitCode, ReclaimError } from '../../errors.js';
import { artifactById } from '../../artifacts/registry.js';
import type { NameIndex } from '../../artifacts/names.js';
import type { ArtifactPayload } from '../api-types.js';
import { artifactOf, handleOf, type RouteDeps } from '../requests.js';
import { describeArtifact } from './artifacts.js';
import { summarizeMissing } from '../../artifacts/missing.js';

/** Items as JSON for the page: byte arrays are not sent (only their size). */
export function itemsJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const original = this[key];
    if (Buffer.isBuffer(original) || original instanceof Uint8Array)
      return { $bytes: original.length };
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
}

const HANDLE_KEY = /handle|sender|number|address|^from$|caller|callback|participant/i;

/** Contact names for the phone numbers and addresses the items mention. */
export function namesFor(items: unknown[], index: NameIndex): Record<string, string> {
  const names: Record<string, string> = {};
  const visit = (value: unknown, key: string, depth: number) => {
    if (typeof value === 'string') {
      if (HANDLE_KEY.test(key) && !(value in names)) {
        const name = index.nameFor(value);
        if (name) names[value] = name;
      }
      return;
    }
    if (depth > 4 || typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return;
    if (Array.isArray(value)) for (const v of value) visit(v, key, depth + 1);
    else for (const [k, v] of Object.entries(value)) visit(v, k, depth + 1);
  };
  for (const item of items) visit(item, '', 0);
  return names;
}

/** /api/backups/:id/artifacts/:artifact: one data type's items, read once per session. */
export function itemRoutes({ session }: RouteDeps): Hono {
  const routes = new Hono();
  routes.get('/:id/artifacts/:artifact', async (c) => {
    const handle = handleOf(session, c);
    const id = artifactOf(c);
    const data = await handle.read(id);
    const needsNames = describeArtifact(id).needsNames;
    const payload: ArtifactPayload = {
      id,
      title: artifactById(id).title,
      items: data.items,
      problems: data.problems,
      notInBackup: data.notInBackup,
      sources: data.sources,
      missing: summarizeMissing(data),
      names: needsNames ? namesFor(data.items, await handle.names()) : {},
    };
    return c.body(itemsJson(payload), 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  routes.get('/:id/artifacts/:artifact/items/:n', async (c) => {
    const handle = handleOf(session, c);
    const id = artifactOf(c);
    const data = await handle.read(id);
    const index = Number(c.req.param('n'));
    const item = Number.isInteger(index) ? data.items[index] : undefined;
    if (item === undefined) throw new ReclaimError('No such item.', ExitCode.notFound);
    const names = describeArtifact(id).needsNames ? namesFor([item], await handle.names()) : {};
    return c.body(itemsJson({ index, item, names }), 200, {
      'Content-Type': 'application/json; charset=utf-8',
    });
  });
  return routes;
}
