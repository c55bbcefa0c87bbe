import type { Exporter } from './exporter.js';

// Placeholder until this data type is built.
export const callsExporter: Exporter<never> = {
  id: 'calls',
  formats: [],
  defaultFormats: [],
  async write() {
    return { artifact: 'calls', counts: {}, files: 0, problems: [] };
  },
};
