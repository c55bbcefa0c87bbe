import { tableView } from '../components/table-view.js';

/** Safari: history, bookmarks, reading list and open tabs in one table. */
export const safariView = tableView('safari', {
  label: 'Safari',
  columns: ['kind', 'title', 'url', 'visitTime', 'visitCount', 'folder', 'dateAdded'],
  date: 'visitTime',
});
