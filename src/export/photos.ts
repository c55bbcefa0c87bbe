import type { Exporter } from './exporter.js';

// Placeholder until this data type is built.
export const photosExporter: Exporter<never> = {
  id: 'photos',
  formats: [],
  defaultFormats: [],
  async write() {
    return { artifact: 'photos', counts: {}, files: 0, problems: [] };
  },
};
