import type { ArtifactData, Problem } from './artifact.js';
import type { ArtifactDatabase } from './database.js';
import type { ArtifactSource } from './source.js';

export interface DatabaseLocation {
  domain: string;
  path: string;
}

/**
 * absent: the backup does not list the database; not-stored: it lists it without its data; failed: it
 * is there but could not be opened or read (a problem says why); read: it was read.
 */
export type DatabaseOutcome = 'absent' | 'not-stored' | 'failed' | 'read';

/** The problems an artifact reports while reading one database, each starting with the artifact's title. */
export interface DatabaseProblems {
  warn(message: string): void;
  error(message: string): void;
}

export interface ReadDatabaseOptions {
  /** The artifact's title: every problem starts with it ("Call history: ..."). */
  title: string;
  /** Carve deleted records before SQLite opens the file (default true). */
  recoverDeleted?: boolean;
  /**
   * A database the artifact can do without (contact photos): its failures are warnings saying this
   * ("photos not read").
   */
  optional?: string;
  /** Whether the database goes into `data.sources` once open (default true). */
  recordSource?: boolean;
  /** Takes a failure over (the default problem is not added): photos falls back to the DCIM files. */
  onFailure?: (error: Error) => void;
}

/** The problems of one artifact, each prefixed once with its title. */
export function problemsOf(data: ArtifactData<unknown>, title: string): DatabaseProblems {
  const add = (severity: Problem['severity'], message: string) =>
    data.problems.push({ severity, message: `${title}: ${message}` });
  return { warn: (m) => add('warning', m), error: (m) => add('error', m) };
}

/**
 * The one way artifacts open a database: a private copy (deleted records carved first), handed to
 * `read`, closed whatever happens. Carve warnings and failures become problems here, prefixed with
 * the artifact's title; a database that cannot be opened or read is a problem, never a crash.
 */
export async function readDatabase<T>(
  source: ArtifactSource,
  where: DatabaseLocation,
  data: ArtifactData<T>,
  options: ReadDatabaseOptions,
  read: (db: ArtifactDatabase, problems: DatabaseProblems) => void | Promise<void>,
): Promise<DatabaseOutcome> {
  const entry = source.find(where.domain, where.path);
  if (!entry) return 'absent';
  if (!source.has(entry)) return 'not-stored';
  const problems = problemsOf(data as ArtifactData<unknown>, options.title);
  const fail = (error: Error, message: string): DatabaseOutcome => {
    if (options.onFailure) options.onFailure(error);
    else if (options.optional) problems.warn(`${options.optional}: ${message}`);
    else problems.error(message);
    return 'failed';
  };
  let db: ArtifactDatabase | null;
  try {
    db = await source.openDatabase(where.domain, where.path, {
      recoverDeleted: options.recoverDeleted !== false,
    });
  } catch (error) {
    return fail(error as Error, (error as Error).message);
  }
  if (!db) return 'absent';
  try {
    if (options.recordSource !== false) data.sources.push(`${where.domain}/${where.path}`);
    for (const warning of db.carveWarnings) problems.warn(`${db.label}: ${warning}`);
    await read(db, problems);
    return 'read';
  } catch (error) {
    return fail(error as Error, `${db.label} could not be read: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

/** True when the backup holds the database's data (whether or not it could be read). */
export const held = (outcome: DatabaseOutcome): boolean =>
  outcome === 'read' || outcome === 'failed';
