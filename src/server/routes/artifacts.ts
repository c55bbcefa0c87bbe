import { Hono } from 'hono';
import type { ArtifactId } from '../../artifacts/artifact.js';
import { ARTIFACTS } from '../../artifacts/registry.js';
import { exporterFor } from '../../export/registry.js';
import type { ArtifactInfo, ArtifactsResponse } from '../api-types.js';

/** Data types whose items name people by number or address: the page gets names from Contacts for them. */
const NAMED: ReadonlySet<ArtifactId> = new Set(['messages', 'whatsapp', 'calls', 'voicemail']);

/** Every data type, in display order, as the page needs it (the one place this list is built). */
export function describeArtifacts(): ArtifactInfo[] {
  return ARTIFACTS.map(({ id, title }) => {
    const exporter = exporterFor(id);
    return {
      id,
      title,
      formats: [...exporter.formats],
      defaultFormats: [...exporter.defaultFormats],
      needsNames: NAMED.has(id),
    };
  });
}

export const describeArtifact = (id: ArtifactId): ArtifactInfo =>
  describeArtifacts().find((a) => a.id === id)!;

/** /api/artifacts */
export function artifactRoutes(): Hono {
  const routes = new Hono();
  routes.get('/', (c) => c.json({ artifacts: describeArtifacts() } satisfies ArtifactsResponse));
  return routes;
}
