import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private temporary folder (0700) for decrypted copies of databases and media, removed by dispose().
 * Nothing an artifact reads is ever opened in place inside a backup.
 */
export class PrivateWorkspace {
  private next = 0;
  private disposed = false;

  private constructor(readonly dir: string) {}

  static create(): PrivateWorkspace {
    return new PrivateWorkspace(mkdtempSync(join(tmpdir(), 'reclaim-')));
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
    rmSync(this.dir, { recursive: true, force: true });
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
