import { tableView } from '../components/table-view.js';

/** Voicemail: a table of messages, each playable, with names from Contacts. */
export const voicemailView = tableView('voicemail', {
  label: 'Voicemail',
  columns: ['receivedAt', 'sender', 'durationSeconds', 'transcript', 'read', 'trashed'],
  date: 'receivedAt',
});
