import picomatch from 'picomatch';
import type { BackupEntry } from './types.js';

export interface EntryFilter {
  /** A domain name, or a glob such as `AppDomain-*`. */
  domain?: string;
  /** A glob over relativePath, such as `Library/SMS/**`; a bare `*` matches across folders too. */
  path?: string;
}

/** Whether a domain and path pass the filter; null when the filter lets everything through. */
export function entryMatcher(
  filter: EntryFilter,
): ((domain: string, path: string) => boolean) | null {
  const domainMatch = filter.domain ? picomatch(filter.domain, { dot: true }) : null;
  // As users expect from a file filter, `*sms.db*` finds Library/SMS/sms.db (bash: a lone star is a globstar).
  const pathMatch = filter.path ? picomatch(filter.path, { dot: true, bash: true }) : null;
  if (!domainMatch && !pathMatch) return null;
  return (domain, path) => (!domainMatch || domainMatch(domain)) && (!pathMatch || pathMatch(path));
}

export function selectEntries(entries: BackupEntry[], filter: EntryFilter): BackupEntry[] {
  const match = entryMatcher(filter);
  return match ? entries.filter((e) => match(e.domain, e.relativePath)) : entries;
}

/** What to say when a filter selects nothing. */
export function noMatch(filter: EntryFilter): string {
  const parts = [
    filter.domain ? `--domain ${JSON.stringify(filter.domain)}` : null,
    filter.path ? `--path ${JSON.stringify(filter.path)}` : null,
  ].filter((p) => p !== null);
  return `Nothing in the backup's index matches ${parts.join(' and ')} (\`reclaim files\` lists what it holds).`;
}
