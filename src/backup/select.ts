import picomatch from 'picomatch';
import type { BackupEntry } from './types.js';

export interface EntryFilter {
  /** A domain name, or a glob such as `AppDomain-*`. */
  domain?: string;
  /** A glob over relativePath, such as `Library/SMS/**`. */
  path?: string;
}

export function selectEntries(entries: BackupEntry[], filter: EntryFilter): BackupEntry[] {
  const domainMatch = filter.domain ? picomatch(filter.domain, { dot: true }) : null;
  const pathMatch = filter.path ? picomatch(filter.path, { dot: true }) : null;
  return entries.filter(
    (e) => (!domainMatch || domainMatch(e.domain)) && (!pathMatch || pathMatch(e.relativePath)),
  );
}
