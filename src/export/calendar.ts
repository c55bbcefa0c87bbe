import type { Exporter } from './exporter.js';

// Placeholder until this data type is built.
export const calendarExporter: Exporter<never> = {
  id: 'calendar',
  formats: [],
  defaultFormats: [],
  async write() {
    return { artifact: 'calendar', counts: {}, files: 0, problems: [] };
  },
};
