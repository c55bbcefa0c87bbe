// Child process of backup.bench.ts, on the built package (dist/): decrypts and extracts a whole backup.
import { execFileSync } from 'node:child_process';
import { Backup } from '../../dist/backup/backup.js';
import { extractBackup } from '../../dist/backup/extract.js';

const [dir, kekHex, out] = process.argv.slice(2);
const backup = Backup.open(dir);
await backup.unlock({ kek: Buffer.from(kekHex, 'hex') });
backup.entries();
const start = performance.now();
const summary = await extractBackup(backup, out);
execFileSync('sync');
process.stdout.write(
  JSON.stringify({
    seconds: (performance.now() - start) / 1000,
    extracted: summary.extracted,
    failed: summary.failed.length,
  }),
);
