import { tableView } from '../components/table-view.js';

/** The keyboard's learned words: a table of words, each with its keyboard and file. */
export const keyboardView = tableView('keyboard', {
  label: 'Keyboard words',
  columns: ['word', 'language', 'position', 'source'],
});
