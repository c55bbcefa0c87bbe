import type { ArtifactDatabase } from './database.js';

/**
 * The columns a reader uses, each with the oldest iOS (or app) release known to write it and what the
 * export loses without it. Readers select by detected column; this list says which absences matter.
 */
export interface KnownColumn {
  /** The oldest release whose schema has the column (iOS major version, or an app's model version). */
  since: number;
  /** What comes out without it ("the emoji of emoji tapbacks"). */
  feeds: string;
}
export type KnownColumns = Readonly<Record<string, KnownColumn>>;

/**
 * Which known columns `table` has (lower case), and one warning naming those it lacks although it has a
 * column of the same or a later release: that is drift (a renamed or dropped column), not an older
 * schema, and the export comes out without what those columns feed. An older schema's absences are
 * silent. Never decided by the iOS version a backup claims: only by the columns present.
 */
export function checkKnownColumns(
  db: ArtifactDatabase,
  table: string,
  known: KnownColumns,
  warn: (message: string) => void,
): Set<string> {
  const present = new Set(db.columns(table).map((c) => c.toLowerCase()));
  let generation = 0;
  for (const [name, column] of Object.entries(known))
    if (present.has(name.toLowerCase())) generation = Math.max(generation, column.since);
  const lacking = Object.entries(known).filter(
    ([name, column]) => column.since <= generation && !present.has(name.toLowerCase()),
  );
  if (lacking.length > 0) {
    warn(
      `${db.label}: the ${table} table lacks the column${lacking.length === 1 ? '' : 's'} ${lacking.map(([n]) => n).join(', ')} (its other columns are of a schema that has ${lacking.length === 1 ? 'it' : 'them'}); read without ${[...new Set(lacking.map(([, c]) => c.feeds))].join('; ')}`,
    );
  }
  return present;
}

/** The names of known columns, for schema reports (which columns of a table this version reads). */
export function knownColumnNames(known: KnownColumns): string[] {
  return Object.keys(known);
}
