import { emptyData, type Artifact } from '../artifact.js';

// Placeholder until this data type is built.
export const photosArtifact: Artifact<never> = {
  id: 'photos',
  title: 'Photos and videos',
  async read() {
    return { ...emptyData<never>('photos'), problems: [{ severity: 'error', message: 'Photos and videos: not supported yet' }] };
  },
};
