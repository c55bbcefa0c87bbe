import { emptyData, type Artifact } from '../artifact.js';

// Placeholder until this data type is built.
export const messagesArtifact: Artifact<never> = {
  id: 'messages',
  title: 'Messages',
  async read() {
    return { ...emptyData<never>('messages'), problems: [{ severity: 'error', message: 'Messages: not supported yet' }] };
  },
};
