import { emptyData, type Artifact } from '../artifact.js';

// Placeholder until this data type is built.
export const remindersArtifact: Artifact<never> = {
  id: 'reminders',
  title: 'Reminders',
  async read() {
    return { ...emptyData<never>('reminders'), problems: [{ severity: 'error', message: 'Reminders: not supported yet' }] };
  },
};
