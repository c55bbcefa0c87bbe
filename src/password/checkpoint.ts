import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CorruptInputError, ExitCode, ReclaimError } from '../errors.js';
import type { SearchState } from './engine.js';

/**
 * A saved search: which target and candidate plan (as digests, never the candidates themselves) and
 * how far it got. A found password is never written here; the file is removed when the search ends.
 */
export interface Checkpoint extends SearchState {
  version: 1;
  target: string;
  plan: string;
  savedAt: string;
}

export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Where Reclaim keeps state between runs (XDG_STATE_HOME, ~/Library/Application Support, LOCALAPPDATA). */
export function stateDir(): string {
  if (process.env['XDG_STATE_HOME']) return join(process.env['XDG_STATE_HOME'], 'reclaim');
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'reclaim');
  if (process.platform === 'win32')
    return join(process.env['LOCALAPPDATA'] ?? join(homedir(), 'AppData', 'Local'), 'reclaim');
  return join(homedir(), '.local', 'state', 'reclaim');
}

/** One session file per target, so two searches on different backups do not collide. */
export function defaultSessionPath(hashLine: string): string {
  return join(stateDir(), 'password-sessions', `${digest(hashLine).slice(0, 16)}.json`);
}

export function readCheckpoint(path: string): Checkpoint | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ReclaimError(
      `Cannot read the saved session ${path}: ${(error as Error).message}`,
      ExitCode.failure,
    );
  }
  try {
    const value = JSON.parse(text) as Partial<Checkpoint>;
    if (
      value.version !== 1 ||
      typeof value.position !== 'number' ||
      typeof value.target !== 'string' ||
      typeof value.plan !== 'string'
    ) {
      throw new Error('unexpected content');
    }
    return { tried: 0, seconds: 0, savedAt: '', ...value } as Checkpoint;
  } catch (error) {
    throw new CorruptInputError(
      `The saved session ${path} is damaged (${(error as Error).message}); delete it to start over.`,
    );
  }
}

/** Written to a temporary file and renamed, so a crash never leaves half a checkpoint. */
export function writeCheckpoint(path: string, checkpoint: Checkpoint): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

export function removeCheckpoint(path: string): void {
  rmSync(path, { force: true });
}
