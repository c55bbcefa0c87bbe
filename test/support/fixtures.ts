import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The third-party fixtures beside the checkout (../shared/fixtures), or null when absent. */
export const sharedFixtures: string | null = (() => {
  const dir = resolve(repoRoot, '..', 'shared', 'fixtures');
  return existsSync(dir) ? dir : null;
})();

/** `skip` option for node:test: a clear reason when the shared fixtures are missing. */
export function needsFixtures(): { skip: string | false } {
  return { skip: sharedFixtures ? false : 'shared fixtures absent (../shared/fixtures): skipped' };
}

export function fixture(...parts: string[]): string {
  if (!sharedFixtures) throw new Error('shared fixtures absent');
  return join(sharedFixtures, ...parts);
}

/** A private temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'reclaim-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
