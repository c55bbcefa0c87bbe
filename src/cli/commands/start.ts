import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { countCategories } from '../../artifacts/catalog.js';
import { Backup } from '../../backup/backup.js';
import { summarize } from '../../backup/describe.js';
import { findBackups } from '../../backup/discover.js';
import { extractBackup } from '../../backup/extract.js';
import { DEMO_PASSWORD, demoBackupPath } from '../../demo/location.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import { getCredentials } from '../credentials.js';
import { refuseOutputInside } from '../open-backup.js';
import { formatBytes, printFields } from '../output.js';
import { extractProgressBar } from '../progress.js';
import { printExtractSummary } from './extract.js';

/** The main job: describe a backup, unlock it, say what it holds, and get every file out. */
export function register(program: Command): void {
  program
    .command('start [backup]')
    .description('open a backup (the bundled demo when none is given), show what it holds, and extract everything')
    .option('--out <dir>', 'where to extract (default ./reclaim-out/<device>)')
    .option('--password-file <file>', 'read the backup password from this file (else RECLAIM_PASSWORD, else a prompt)')
    .option('--key-file <file>', 'use the derived key from `reclaim key` instead of the password')
    .action(async (path: string | undefined, options: { out?: string; passwordFile?: string; keyFile?: string }) => {
      let target = path;
      const demo = target === undefined;
      if (demo) {
        target = demoBackupPath();
        if (!existsSync(target)) throw new ReclaimError(`The bundled demo backup is missing (${target}); run \`npm run demo:build\`.`, ExitCode.notFound);
        console.log(`No backup given: opening the bundled demo backup (its password is "${DEMO_PASSWORD}", as the README says).\n`);
      } else {
        const found = findBackups(target!);
        if (found.length === 0) throw new ReclaimError(`No backup found at ${target}.`, ExitCode.notFound);
        if (found.length > 1) {
          throw new ReclaimError(`${target} holds ${found.length} backups; pick one: ${found.map((f) => `\n  reclaim start "${f}"`).join('')}`, ExitCode.usage);
        }
        target = found[0]!;
      }
      const backup = Backup.open(target!);
      const s = summarize(backup);
      printFields([
        ['Device', s.deviceName], ['Model', s.model], ['iOS', s.iosVersion], ['Last backup', s.lastBackupDate],
        ['Encrypted', s.encrypted ? 'yes' : 'no'], ['Size on disk', formatBytes(s.sizeOnDisk)],
        ['Finished', s.finished === null ? 'unknown' : s.finished ? 'yes' : 'no: this backup was interrupted'],
      ]);
      if (backup.encrypted) {
        const credentials = demo && !options.passwordFile && !options.keyFile ? { password: DEMO_PASSWORD } : await getCredentials(options);
        process.stderr.write('Unlocking (deriving the key takes a few seconds)... ');
        await backup.unlock(credentials);
        process.stderr.write('unlocked.\n');
      }
      const counts = countCategories(backup.entries(), (e) => backup.dataPath(e) !== null);
      console.log('\nWhat this backup holds:');
      for (const c of counts) {
        const state = c.files === 0 ? 'not in this backup' : c.present === c.files ? `${c.files} file${c.files > 1 ? 's' : ''}` : `${c.present} of ${c.files} files present`;
        console.log(`  ${c.category.padEnd(20)} ${state}`);
      }
      const out = resolve(options.out ?? join('reclaim-out', (s.deviceName ?? s.udid ?? 'backup').replace(/[^\w.-]+/g, '_')));
      refuseOutputInside(backup, out);
      console.log(`\nExtracting every file to ${out}`);
      const bar = extractProgressBar();
      const summary = await extractBackup(backup, out, { onProgress: bar.update }).finally(bar.stop);
      printExtractSummary(summary, out);
      if (summary.failed.length) process.exitCode = ExitCode.partial;
    });
}
