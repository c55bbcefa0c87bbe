import type { Exporter } from './exporter.js';

// Placeholder until this data type is built.
export const contactsExporter: Exporter<never> = {
  id: 'contacts',
  formats: [],
  defaultFormats: [],
  async write() {
    return { artifact: 'contacts', counts: {}, files: 0, problems: [] };
  },
};
