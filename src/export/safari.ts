import type { Exporter } from './exporter.js';

// Placeholder until this data type is built.
export const safariExporter: Exporter<never> = {
  id: 'safari',
  formats: [],
  defaultFormats: [],
  async write() {
    return { artifact: 'safari', counts: {}, files: 0, problems: [] };
  },
};
