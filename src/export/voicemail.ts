import type { Exporter } from './exporter.js';

// Placeholder until this data type is built.
export const voicemailExporter: Exporter<never> = {
  id: 'voicemail',
  formats: [],
  defaultFormats: [],
  async write() {
    return { artifact: 'voicemail', counts: {}, files: 0, problems: [] };
  },
};
