// Child process of backup.bench.ts, on the built package (dist/): opens and indexes one backup with a
// derived key, and prints time and peak memory.
import { Backup } from '../../dist/backup/backup.js';
import { peakMB } from './peak.mjs';

const [dir, kekHex] = process.argv.slice(2);
const start = performance.now();
const backup = Backup.open(dir);
await backup.unlock({ kek: Buffer.from(kekHex, 'hex') });
const entries = backup.entryTable().length;
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ entries, ms, peakMB: peakMB() }));
