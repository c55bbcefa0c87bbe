import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { guardWithReaper } from './reaper.js';

/**
 * Decrypted copies live in one private folder per process, `$TMPDIR/reclaim-work-XXXXXX` (mode 0700),
 * holding an owner file (PID and host). It is removed on exit, on signals and crashes (see shutdown.ts),
 * by a small guard process when this one is killed outright, and at the next start-up otherwise.
 */
const ROOT_PREFIX = 'reclaim-work-';
const OWNER_FILE = 'owner.json';

interface Owner {
  pid: number;
  host: string;
}

let root: string | null = null;

function processRoot(): string {
  if (root) return root;
  const dir = mkdtempSync(join(tmpdir(), ROOT_PREFIX));
  const owner: Owner = { pid: process.pid, host: hostname() };
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify(owner), { mode: 0o600 });
  root = dir;
  process.on('exit', removePrivateRoot);
  guardWithReaper(dir);
  return dir;
}

/** A fresh private folder (0700) inside this process's private root. */
export function createPrivateFolder(): string {
  return mkdtempSync(join(processRoot(), 'w-'));
}

export function removePrivateFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs `work` with a private folder that is removed afterwards, whatever happens. */
export function withPrivateTemp<T>(work: (dir: string) => T): T {
  const dir = createPrivateFolder();
  try {
    return work(dir);
  } finally {
    removePrivateFolder(dir);
  }
}

/** Removes everything this process decrypted; safe to call at any time, from exit and signal handlers. */
export function removePrivateRoot(): void {
  const dir = root;
  if (!dir) return;
  root = null;
  process.removeListener('exit', removePrivateRoot);
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    /* the guard process or the next start-up removes it */
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the private folders of runs on this computer that no longer exist (killed before they could
 * clean up) and returns their paths. Folders without a readable owner file, or whose owner is alive or on
 * another host, are left alone.
 */
export function sweepStaleWorkspaces(dir = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.startsWith(ROOT_PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    let owner: Partial<Owner>;
    try {
      owner = JSON.parse(readFileSync(join(path, OWNER_FILE), 'utf8')) as Partial<Owner>;
    } catch {
      continue;
    }
    if (typeof owner.pid !== 'number' || owner.host !== hostname()) continue;
    if (owner.pid === process.pid || isAlive(owner.pid)) continue;
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      /* not ours to remove after all (permissions): leave it */
    }
  }
  return removed;
}
