import { emptyData, type Artifact } from '../artifact.js';

// Placeholder until this data type is built.
export const whatsAppArtifact: Artifact<never> = {
  id: 'whatsapp',
  title: 'WhatsApp',
  async read() {
    return { ...emptyData<never>('whatsapp'), problems: [{ severity: 'error', message: 'WhatsApp: not supported yet' }] };
  },
};
