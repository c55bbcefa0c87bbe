import { Hono } from 'hono';
import type { ArtifactId } from '../../artifacts/artifact.js';
import { artifactDescriptors } from '../../artifacts/registry.js';
import type { ArtifactInfo, ArtifactsResponse } from '../api-types.js';

/** Every data type, in display order, as the page needs it: built from the artifacts' declarations. */
export function describeArtifacts(): ArtifactInfo[] {
  return artifactDescriptors().map(({ id, title, formats, defaultFormats, needsNames }) => ({
    id: id as ArtifactId,
    title,
    formats,
    defaultFormats,
    needsNames,
  }));
}

export const describeArtifact = (id: ArtifactId): ArtifactInfo =>
  describeArtifacts().find((a) => a.id === id)!;

/** /api/artifacts */
export function artifactRoutes(): Hono {
  const routes = new Hono();
  routes.get('/', (c) => c.json({ artifacts: describeArtifacts() } satisfies ArtifactsResponse));
  return routes;
}
