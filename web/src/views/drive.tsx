import { tableView } from '../components/table-view.js';

/** iCloud Drive files of a data export, by their path in the tree. */
export const driveView = tableView('drive', {
  label: 'iCloud Drive',
  columns: ['path', 'size', 'modified', 'domain'],
  date: 'modified',
});
