import { emptyData, type Artifact } from '../artifact.js';

// Placeholder until this data type is built.
export const callsArtifact: Artifact<never> = {
  id: 'calls',
  title: 'Call history',
  async read() {
    return { ...emptyData<never>('calls'), problems: [{ severity: 'error', message: 'Call history: not supported yet' }] };
  },
};
