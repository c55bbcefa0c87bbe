import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateFolder, removePrivateFolder } from '../workspace/private-temp.js';

/**
 * A private temporary folder (0700) for decrypted copies of databases and media, removed by dispose()
 * (and with the process's private root on exit, signals and crashes: see src/workspace/).
 * Nothing an artifact reads is ever opened in place inside a backup.
 */
export class PrivateWorkspace {
  private next = 0;
  private disposed = false;

  private constructor(readonly dir: string) {}

  static create(): PrivateWorkspace {
    return new PrivateWorkspace(createPrivateFolder());
  }

  /** A fresh empty sub-folder. */
  folder(): string {
    if (this.disposed) throw new Error('workspace already disposed');
    const dir = join(this.dir, String(this.next++));
    mkdirSync(dir, { mode: 0o700 });
    return dir;
  }

  dispose(): void {
    this.disposed = true;
    removePrivateFolder(this.dir);
  }
}

/** Runs `work` with a workspace that is removed afterwards, whatever happens. */
export async function withWorkspace<T>(
  work: (workspace: PrivateWorkspace) => Promise<T>,
): Promise<T> {
  const workspace = PrivateWorkspace.create();
  try {
    return await work(workspace);
  } finally {
    workspace.dispose();
  }
}
