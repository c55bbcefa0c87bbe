import { tableView } from '../components/table-view.js';

/** Calendar: a table of events. */
export const calendarView = tableView('calendar', {
  label: 'Calendar',
  columns: ['summary', 'start', 'end', 'calendar', 'location', 'allDay'],
});
