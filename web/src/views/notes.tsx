import { NoteBody } from '../components/note-body.js';
import { tableView } from '../components/table-view.js';
import type { ItemOf } from './view.js';

/** Notes: a table of notes, each opened as a note (headings, lists, checklists, tables, pictures). */
export const notesView = tableView('notes', {
  label: 'Notes',
  columns: ['title', 'snippet', 'folder', 'modified', 'locked', 'inRecentlyDeleted'],
  date: 'modified',
  detail: ({ backup, item }) => (
    <NoteBody backup={backup} note={item as unknown as ItemOf<'notes'>} />
  ),
});
