import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Backup, type Credentials } from '../backup/backup.js';
import { findBackups, isBackupFolder } from '../backup/discover.js';
import { looksLikeIcloudExport } from '../icloud/discover.js';
import { IcloudExportSource } from '../icloud/source.js';
import { BackupDataSource } from './backup-source.js';
import type { DataSource } from './data-source.js';

/**
 * Opens what the user named: a backup folder (unlocked with `credentials()` when encrypted), or an iCloud data
 * export (a folder of its zips, extracted or not, or one zip). Anything else gets the backup's own clear error.
 */
export async function openSource(
  path: string,
  credentials: () => Promise<Credentials>,
  onOpened?: (backup: Backup) => void,
): Promise<DataSource> {
  const dir = resolve(path);
  if (!isBackupFolder(dir) && existsSync(dir)) {
    const exported = await IcloudExportSource.open(dir);
    if (exported) return exported;
  }
  const backup = Backup.open(dir);
  onOpened?.(backup);
  if (backup.encrypted) await backup.unlock(await credentials());
  return new BackupDataSource(backup);
}

/** Backups and iCloud exports at `path` (one of them, or a folder holding several, one level down). */
export function findSources(
  path: string,
): Array<{ kind: 'backup' | 'icloud-export'; path: string }> {
  const backups = findBackups(path).map((p) => ({ kind: 'backup' as const, path: p }));
  if (backups.length) return backups;
  const dir = resolve(path);
  if (looksLikeIcloudExport(dir) || /\.zip$/i.test(dir))
    return existsSync(dir) ? [{ kind: 'icloud-export', path: dir }] : [];
  return findIcloudExports(dir).map((p) => ({ kind: 'icloud-export' as const, path: p }));
}

/** Folders one level down that hold an iCloud export (for `reclaim list`, beside the backups). */
export function findIcloudExports(root: string): string[] {
  try {
    const dir = resolve(root);
    if (looksLikeIcloudExport(dir)) return [dir];
    return readdirOf(dir).filter(looksLikeIcloudExport).sort();
  } catch {
    return [];
  }
}

function readdirOf(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(dir, d.name));
  } catch {
    return [];
  }
}
