import type { Exporter } from './exporter.js';

// Placeholder until this data type is built.
export const whatsAppExporter: Exporter<never> = {
  id: 'whatsapp',
  formats: [],
  defaultFormats: [],
  async write() {
    return { artifact: 'whatsapp', counts: {}, files: 0, problems: [] };
  },
};
