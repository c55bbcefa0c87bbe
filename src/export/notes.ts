import type { Exporter } from './exporter.js';

// Placeholder until this data type is built.
export const notesExporter: Exporter<never> = {
  id: 'notes',
  formats: [],
  defaultFormats: [],
  async write() {
    return { artifact: 'notes', counts: {}, files: 0, problems: [] };
  },
};
