import type { Exporter } from './exporter.js';

// Placeholder until this data type is built.
export const messagesExporter: Exporter<never> = {
  id: 'messages',
  formats: [],
  defaultFormats: [],
  async write() {
    return { artifact: 'messages', counts: {}, files: 0, problems: [] };
  },
};
