import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<PasswordWorkspace>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function wipeAll(): void {
  for (const workspace of [...live]) workspace.dispose();
}

function onSignal(signal: NodeJS.Signals): void {
  // Alone, this listener would swallow the signal: then let it do what it does without one (exit).
  const alone = process.listenerCount(signal) === 1;
  wipeAll(); // the last dispose() removes the listeners
  if (alone) process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', wipeAll);
  // First in line, so the count above still includes a `once` listener the signal is about to use up.
  for (const signal of SIGNALS) process.prependListener(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', wipeAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/**
 * A private folder (0700) for what a password search hands to another program: candidate lists, the
 * hash line, the file a cracked password comes back in. Removed by dispose(), and in any case when the
 * process exits, crashes or gets SIGINT, SIGTERM or SIGHUP; the programs working in it are ended first.
 */
export class PasswordWorkspace {
  private disposed = false;
  private readonly children = new Set<ChildProcess>();

  private constructor(readonly dir: string) {}

  static create(): PasswordWorkspace {
    // mkdtemp makes the folder 0700.
    const workspace = new PasswordWorkspace(mkdtempSync(join(tmpdir(), 'reclaim-password-')));
    if (live.size === 0) install();
    live.add(workspace);
    return workspace;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Writes a file only this user can read, and returns its path. */
  write(name: string, content: string | Buffer): string {
    const path = this.path(name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  }

  /** A program working in the workspace: ended (SIGTERM) before the workspace goes. */
  adopt(child: ChildProcess): void {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const child of this.children) child.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
    if (live.size === 0) uninstall();
  }
}
