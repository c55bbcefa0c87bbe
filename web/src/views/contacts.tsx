import { tableView } from '../components/table-view.js';

/** Contacts: a table of people, their numbers and addresses. */
export const contactsView = tableView('contacts', {
  label: 'Contacts',
  columns: ['displayName', 'phones', 'emails', 'organization', 'birthday'],
});
