import { tableView } from '../components/table-view.js';

/** Voice Memos: a table of recordings, each playable. */
export const voiceMemosView = tableView('voice-memos', {
  label: 'Voice Memos',
  columns: ['title', 'recordedAt', 'durationSeconds', 'recentlyDeleted', 'note'],
  date: 'recordedAt',
});
