import { emptyData, type Artifact } from '../artifact.js';

// Placeholder until this data type is built.
export const calendarArtifact: Artifact<never> = {
  id: 'calendar',
  title: 'Calendar',
  async read() {
    return { ...emptyData<never>('calendar'), problems: [{ severity: 'error', message: 'Calendar: not supported yet' }] };
  },
};
