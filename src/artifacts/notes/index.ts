import { emptyData, type Artifact } from '../artifact.js';

// Placeholder until this data type is built.
export const notesArtifact: Artifact<never> = {
  id: 'notes',
  title: 'Notes',
  async read() {
    return { ...emptyData<never>('notes'), problems: [{ severity: 'error', message: 'Notes: not supported yet' }] };
  },
};
