import type { Exporter } from './exporter.js';

// Placeholder until this data type is built.
export const remindersExporter: Exporter<never> = {
  id: 'reminders',
  formats: [],
  defaultFormats: [],
  async write() {
    return { artifact: 'reminders', counts: {}, files: 0, problems: [] };
  },
};
