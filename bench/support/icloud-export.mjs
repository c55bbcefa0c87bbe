// Child process of icloud-export.bench.ts, on the built package (dist/): exports the photos of an iCloud data
// export and prints the time (synced to disk) and the peak memory.
import { execFileSync } from 'node:child_process';
import { IcloudExportSource } from '../../dist/icloud/source.js';
import { exportArtifacts } from '../../dist/export/run.js';
import { peakMB } from './peak.mjs';

const [input, out] = process.argv.slice(2);
const start = performance.now();
const source = await IcloudExportSource.open(input);
const [result] = await exportArtifacts(source, out, ['photos'], {});
source.dispose();
execFileSync('sync');
process.stdout.write(
  JSON.stringify({
    seconds: (performance.now() - start) / 1000,
    photos: result.counts.photos ?? 0,
    errors: result.problems.filter((p) => p.severity === 'error').map((p) => p.message),
    peakMB: peakMB(),
  }),
);
