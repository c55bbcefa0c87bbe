import { emptyData, type Artifact } from '../artifact.js';

// Placeholder until this data type is built.
export const voiceMemosArtifact: Artifact<never> = {
  id: 'voice-memos',
  title: 'Voice memos',
  async read() {
    return { ...emptyData<never>('voice-memos'), problems: [{ severity: 'error', message: 'Voice memos: not supported yet' }] };
  },
};
