import type { BackupEntry } from '../backup/types.js';
import { locationMatcher, locationsOf } from './declaration.js';
import { DECLARATIONS } from './registry.js';

/** A place personal data lives in a backup, under the catalog line it counts for. */
export interface DataLocation {
  category: string;
  domain: string;
  /** Glob over relativePath. */
  path: string;
  nocase?: boolean;
}

/** Every declared location that counts in the catalog, in registry order (built from the declarations). */
export const DATA_LOCATIONS: DataLocation[] = DECLARATIONS.flatMap((declaration) =>
  locationsOf(declaration)
    .filter((location) => location.catalog !== false)
    .map((location) => ({
      category: location.catalog || declaration.title,
      domain: location.domain,
      path: location.path,
      ...(location.nocase ? { nocase: true } : {}),
    })),
);

export interface CategoryCount {
  category: string;
  /** Files indexed for this category. */
  files: number;
  /** Of those, files whose data is actually in the backup folder. */
  present: number;
}

/** Counts, per category, the files a backup indexes and holds (a file in two of its locations counts once). */
export function countCategories(
  entries: BackupEntry[],
  isPresent: (entry: BackupEntry) => boolean,
): CategoryCount[] {
  const categories = new Map<string, Array<(domain: string, path: string) => boolean>>();
  for (const location of DATA_LOCATIONS) {
    const matchers = categories.get(location.category) ?? [];
    matchers.push(locationMatcher(location));
    categories.set(location.category, matchers);
  }
  return [...categories].map(([category, matchers]) => {
    const files = entries.filter(
      (e) => e.kind === 'file' && matchers.some((match) => match(e.domain, e.relativePath)),
    );
    return { category, files: files.length, present: files.filter(isPresent).length };
  });
}
