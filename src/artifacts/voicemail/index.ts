import { emptyData, type Artifact } from '../artifact.js';

// Placeholder until this data type is built.
export const voicemailArtifact: Artifact<never> = {
  id: 'voicemail',
  title: 'Voicemail',
  async read() {
    return { ...emptyData<never>('voicemail'), problems: [{ severity: 'error', message: 'Voicemail: not supported yet' }] };
  },
};
