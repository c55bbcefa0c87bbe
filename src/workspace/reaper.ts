import { spawn } from 'node:child_process';

/**
 * The guard: a tiny detached process that holds the read end of a pipe from this one. When this process
 * ends in any way (even SIGKILL or running out of memory, where no handler runs), the pipe closes and
 * the guard removes the private folder.
 */
const GUARD = `
const { rmSync } = require('node:fs');
const dir = process.argv[1];
const clean = () => {
  try { rmSync(dir, { recursive: true, force: true }); } catch {}
  process.exit(0);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
process.stdin.on('end', clean);
process.stdin.on('close', clean);
process.stdin.on('error', clean);
process.stdin.resume();
`;

export function guardWithReaper(dir: string): void {
  try {
    const env = { ...process.env };
    delete env['NODE_OPTIONS'];
    const child = spawn(process.execPath, ['-e', GUARD, dir], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      windowsHide: true,
      env,
    });
    child.on('error', () => {
      /* no guard: exit handlers and the next start-up still clean up */
    });
    child.stdin?.on('error', () => {});
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  } catch {
    /* idem */
  }
}
