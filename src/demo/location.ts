import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The public password of the bundled demo backup (printed in the README). */
export const DEMO_PASSWORD = 'reclaim-demo';

/** The bundled demo backup folder (demo/backup at the package root). */
export function demoBackupPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'demo', 'backup');
    dir = dirname(dir);
  }
  throw new Error('package root not found');
}
