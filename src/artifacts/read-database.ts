import type { ArtifactData } from './artifact.js';
import type { ArtifactDatabase } from './database.js';
import type { ArtifactSource } from './source.js';

export interface DatabaseLocation {
  domain: string;
  path: string;
}

/**
 * Opens one of an artifact's databases, hands it to `read`, and closes it whatever happens. A database that
 * cannot be opened or read becomes an error in `data.problems` (prefixed with `title`), never a crash.
 * Returns false when the backup does not hold the database (the caller says what that means to the user).
 */
export async function readDatabase<T>(
  source: ArtifactSource,
  where: DatabaseLocation,
  data: ArtifactData<T>,
  options: { title: string; recoverDeleted?: boolean },
  read: (db: ArtifactDatabase) => void | Promise<void>,
): Promise<boolean> {
  let db: ArtifactDatabase | null;
  try {
    db = await source.openDatabase(where.domain, where.path, {
      recoverDeleted: options.recoverDeleted !== false,
    });
  } catch (error) {
    data.problems.push({
      severity: 'error',
      message: `${options.title}: ${(error as Error).message}`,
    });
    return true;
  }
  if (!db) return false;
  try {
    data.sources.push(`${where.domain}/${where.path}`);
    await read(db);
  } catch (error) {
    data.problems.push({
      severity: 'error',
      message: `${options.title}: ${db.label} could not be read: ${(error as Error).message}`,
    });
  } finally {
    db.close();
  }
  return true;
}
