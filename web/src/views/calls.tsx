import { tableView } from '../components/table-view.js';

/** Call history: a table of calls, with names from Contacts. */
export const callsView = tableView('calls', {
  label: 'Calls',
  columns: [
    'date',
    'address',
    'storedName',
    'direction',
    'kind',
    'durationSeconds',
    'missed',
    'service',
  ],
  date: 'date',
});
