import { tableView } from '../components/table-view.js';

/** Reminders: a table of reminders and their lists. */
export const remindersView = tableView('reminders', {
  label: 'Reminders',
  columns: ['title', 'list', 'due', 'completed', 'flagged', 'notes'],
  date: 'due',
});
