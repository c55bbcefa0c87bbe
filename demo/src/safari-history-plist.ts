import createBplist from 'bplist-creator';
import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate } from './apple-time.js';
import type { DemoHistoryItem } from './safari.js';

/**
 * Safari's history before iOS 8: HomeDomain Library/Safari/History.plist, WebKit's binary plist
 * (WebHistoryFileVersion 1; WebHistoryDates newest first, each with "" = URL, title, lastVisitedDate as
 * Cocoa seconds in text, visitCount). Not part of the bundled demo; tests build it from the demo's history.
 */
export function buildSafariHistoryPlist(history: DemoHistoryItem[]): BackupFileInput[] {
  const last = (h: DemoHistoryItem) => h.visits.reduce((a, v) => (v.time > a.time ? v : a));
  const dates = history
    .filter((h) => h.visits.length > 0)
    .sort((a, b) => (last(a).time < last(b).time ? 1 : -1))
    .map((h) => ({
      '': h.url,
      title: last(h).title,
      lastVisitedDate: appleSeconds(last(h).time).toFixed(1),
      visitCount: h.visits.length,
    }));
  return [
    {
      domain: 'HomeDomain',
      relativePath: 'Library/Safari/History.plist',
      data: createBplist({ WebHistoryDates: dates, WebHistoryFileVersion: 1 }),
      modified: asDate('2025-01-20T08:00:00Z'),
    },
  ];
}
