import { isDict, parsePlist, type PlistValue } from '../../backup/plist.js';
import type { ArtifactData } from '../artifact.js';
import { fromAppleTime } from '../apple-time.js';
import { problemsOf } from '../read-database.js';
import type { ArtifactSource } from '../source.js';
import type { HistoryVisit, SafariItem } from './index.js';

/** Far above a real History.plist (Safari kept about a month of history in it). */
const MAX_BYTES = 32 << 20;
const MAX_ITEMS = 200_000;

/**
 * Safari's history before iOS 8: Library/Safari/History.plist (WebKit's format, as on the Mac):
 * WebHistoryDates, each {"": URL, title, lastVisitedDate (Cocoa seconds as text), visitCount}.
 * One item per URL, at its last visit: earlier visits are not kept in this file.
 */
export async function readHistoryPlist(
  source: ArtifactSource,
  where: { domain: string; path: string },
  data: ArtifactData<SafariItem>,
  title: string,
): Promise<boolean> {
  const entry = source.find(where.domain, where.path);
  if (!entry || !source.has(entry)) return false;
  const label = `${where.domain}/${where.path}`;
  const problems = problemsOf(data, title);
  if (entry.size > MAX_BYTES) {
    problems.error(`${label} is ${entry.size} bytes, too big for a history list: not read`);
    return true;
  }
  let root: PlistValue;
  try {
    root = parsePlist(await source.read(entry), label);
  } catch (error) {
    problems.error((error as Error).message);
    return true;
  }
  const dates = isDict(root) ? root['WebHistoryDates'] : undefined;
  if (!Array.isArray(dates)) {
    problems.error(`${label} has no WebHistoryDates list (an unknown format): no history read`);
    return true;
  }
  data.sources.push(label);
  let skipped = 0;
  for (const item of dates.slice(0, MAX_ITEMS)) {
    const url = isDict(item) ? item[''] : undefined;
    if (!isDict(item) || typeof url !== 'string') {
      skipped++;
      continue;
    }
    const when = Number.parseFloat(String(item['lastVisitedDate'] ?? ''));
    const count = item['visitCount'];
    const visit: HistoryVisit = {
      kind: 'history',
      visitId: null,
      itemId: null,
      url,
      title: typeof item['title'] === 'string' ? item['title'] : null,
      visitTime: Number.isFinite(when) ? fromAppleTime(when) : null,
      visitCount: typeof count === 'number' ? count : null,
      origin: null,
      loadSuccessful: null,
      redirectSource: null,
      redirectDestination: null,
      source: label,
    };
    data.items.push(visit);
  }
  if (dates.length > MAX_ITEMS)
    problems.warn(`${label} lists ${dates.length} pages; the first ${MAX_ITEMS} were read`);
  if (skipped) problems.warn(`${label}: ${skipped} history entr(ies) without a URL were skipped`);
  return true;
}
