import { tableView } from '../components/table-view.js';

/** Notes: a table of notes, with every field of the one opened beside it. */
export const notesView = tableView('notes', {
  label: 'Notes',
  columns: ['title', 'snippet', 'folder', 'modified', 'locked', 'inRecentlyDeleted'],
});
