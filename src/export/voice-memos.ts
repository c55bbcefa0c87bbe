import type { Exporter } from './exporter.js';

// Placeholder until this data type is built.
export const voiceMemosExporter: Exporter<never> = {
  id: 'voice-memos',
  formats: [],
  defaultFormats: [],
  async write() {
    return { artifact: 'voice-memos', counts: {}, files: 0, problems: [] };
  },
};
