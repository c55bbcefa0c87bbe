import picomatch from 'picomatch';
import type { BackupEntry } from '../backup/types.js';

/** Where each kind of personal data lives in a backup (the artifact modules read these). */
export interface DataLocation {
  category: string;
  domain: string;
  /** Glob over relativePath. */
  path: string;
}

export const DATA_LOCATIONS: DataLocation[] = [
  { category: 'Photos and videos', domain: 'CameraRollDomain', path: 'Media/DCIM/**' },
  { category: 'Photos library', domain: 'CameraRollDomain', path: 'Media/PhotoData/Photos.sqlite' },
  { category: 'Messages', domain: 'HomeDomain', path: 'Library/SMS/sms.db' },
  { category: 'Message attachments', domain: 'MediaDomain', path: 'Library/SMS/Attachments/**' },
  {
    category: 'WhatsApp',
    domain: 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared',
    path: 'ChatStorage.sqlite',
  },
  { category: 'Contacts', domain: 'HomeDomain', path: 'Library/AddressBook/AddressBook.sqlitedb' },
  {
    category: 'Call history',
    domain: 'HomeDomain',
    path: 'Library/CallHistoryDB/CallHistory.storedata',
  },
  { category: 'Notes', domain: 'AppDomainGroup-group.com.apple.notes', path: 'NoteStore.sqlite' },
  { category: 'Calendar', domain: 'HomeDomain', path: 'Library/Calendar/Calendar.sqlitedb' },
  {
    category: 'Safari history',
    domain: 'AppDomain-com.apple.mobilesafari',
    path: 'Library/Safari/History.db',
  },
  { category: 'Safari bookmarks', domain: 'HomeDomain', path: 'Library/Safari/Bookmarks.db' },
  { category: 'Voicemail', domain: 'HomeDomain', path: 'Library/Voicemail/*.amr' },
  { category: 'Voice memos', domain: 'MediaDomain', path: 'Media/Recordings/*.m4a' },
];

export interface CategoryCount {
  category: string;
  /** Files indexed for this category. */
  files: number;
  /** Of those, files whose data is actually in the backup folder. */
  present: number;
}

/** Counts, per category, the files a backup indexes and holds. */
export function countCategories(
  entries: BackupEntry[],
  isPresent: (entry: BackupEntry) => boolean,
): CategoryCount[] {
  return DATA_LOCATIONS.map((location) => {
    const match = picomatch(location.path, { dot: true });
    const files = entries.filter(
      (e) => e.kind === 'file' && e.domain === location.domain && match(e.relativePath),
    );
    return {
      category: location.category,
      files: files.length,
      present: files.filter(isPresent).length,
    };
  });
}
