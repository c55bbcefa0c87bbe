import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The folders iTunes, Finder and Apple Devices write backups to, for this platform. */
export function defaultBackupRoots(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string[] {
  const home = env['HOME'] ?? env['USERPROFILE'] ?? homedir();
  if (platform === 'darwin')
    return [join(home, 'Library', 'Application Support', 'MobileSync', 'Backup')];
  if (platform === 'win32') {
    const roots: string[] = [];
    if (env['APPDATA']) roots.push(join(env['APPDATA'], 'Apple Computer', 'MobileSync', 'Backup'));
    if (env['USERPROFILE']) roots.push(join(env['USERPROFILE'], 'Apple', 'MobileSync', 'Backup'));
    return roots;
  }
  // Linux: idevicebackup2 writes wherever it is pointed; look in the usual places too.
  return [
    join(home, '.local', 'share', 'MobileSync', 'Backup'),
    join(home, 'MobileSync', 'Backup'),
  ];
}

export function isBackupFolder(dir: string): boolean {
  return existsSync(join(dir, 'Manifest.db')) || existsSync(join(dir, 'Manifest.mbdb'));
}

/** Backup folders at `path` (a backup itself, or a folder holding several, one level down). */
export function findBackups(path: string): string[] {
  const dir = resolve(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  if (isBackupFolder(dir)) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .filter((item) => item.isDirectory())
    .map((item) => join(dir, item.name))
    .filter(isBackupFolder)
    .sort();
}
