// Child process of backup.bench.ts, on the built package (dist/): extracts a whole backup (decrypting
// it when a key is given) with its index already read, and prints times, CPU and peak memory.
import { execFileSync } from 'node:child_process';
import { Backup } from '../../dist/backup/backup.js';
import { extractBackup } from '../../dist/backup/extract.js';
import { peakMB } from './peak.mjs';

const [dir, kekHex, out] = process.argv.slice(2);
const backup = Backup.open(dir);
if (kekHex) await backup.unlock({ kek: Buffer.from(kekHex, 'hex') });
backup.entryTable();
const indexMB = process.memoryUsage().rss / 2 ** 20;
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const cpuStart = cpu();
const start = performance.now();
const summary = await extractBackup(backup, out);
const seconds = (performance.now() - start) / 1000;
const cpuSeconds = cpu() - cpuStart;
execFileSync('sync');
process.stdout.write(
  JSON.stringify({
    seconds,
    synced: (performance.now() - start) / 1000,
    cpuSeconds,
    peakMB: peakMB(),
    indexMB,
    extracted: summary.extracted,
    failed: summary.failed.length,
  }),
);
