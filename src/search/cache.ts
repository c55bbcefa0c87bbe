import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { physicalPath } from '../backup/output-guard.js';
import { BackupDataSource } from '../sources/backup-source.js';
import type { DataSource } from '../sources/data-source.js';
import { INDEX_VERSION } from './index.js';

/**
 * Where search indexes of unencrypted sources are kept between runs: RECLAIM_CACHE_DIR, else this user's cache
 * folder (~/Library/Caches/reclaim on macOS, %LOCALAPPDATA%\reclaim\cache on Windows, $XDG_CACHE_HOME/reclaim or
 * ~/.cache/reclaim elsewhere), in search/, made 0700.
 */
export function searchCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = env['HOME'] ?? env['USERPROFILE'] ?? homedir();
  const root =
    env['RECLAIM_CACHE_DIR'] ??
    (platform === 'darwin'
      ? join(home, 'Library', 'Caches', 'reclaim')
      : platform === 'win32'
        ? join(env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local'), 'reclaim', 'cache')
        : join(env['XDG_CACHE_HOME'] ?? join(home, '.cache'), 'reclaim'));
  return join(root, 'search');
}

function statLine(path: string): string {
  try {
    const s = statSync(path);
    return `${path}:${s.size}:${s.mtimeMs}`;
  } catch {
    return `${path}:absent`;
  }
}

/** What the index must be rebuilt for: the source's index files (or archives) changing, or Reclaim's index. */
export function sourceFingerprint(source: DataSource): string {
  const parts = [INDEX_VERSION, physicalPath(source.path)];
  if (source instanceof BackupDataSource) {
    for (const name of ['Manifest.db', 'Manifest.mbdb', 'Info.plist', 'Status.plist'])
      parts.push(statLine(join(source.backup.dir, name)));
  } else {
    const d = source.describe();
    if (d.kind === 'icloud-export')
      for (const a of d.archives) parts.push(`${a.id}:${a.size}:${a.files}`);
  }
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/**
 * The cache file of a source's index, or null when its index may not outlive this run: an encrypted backup's
 * records are plaintext once read, and Reclaim never leaves decrypted data on disk past its private workspace.
 */
export function cachedIndexPath(source: DataSource, dir = searchCacheDir()): string | null {
  if (source instanceof BackupDataSource && source.backup.encrypted) return null;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const name = createHash('sha256').update(physicalPath(source.path)).digest('hex').slice(0, 24);
  return join(dir, `${name}.sqlite`);
}

/** The cached indexes there are (for `reclaim search --forget`). */
export function cachedIndexes(dir = searchCacheDir()): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.sqlite'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}
