import { emptyData, type Artifact } from '../artifact.js';

// Placeholder until this data type is built.
export const safariArtifact: Artifact<never> = {
  id: 'safari',
  title: 'Safari',
  async read() {
    return { ...emptyData<never>('safari'), problems: [{ severity: 'error', message: 'Safari: not supported yet' }] };
  },
};
