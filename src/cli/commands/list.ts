import type { Command } from 'commander';
import { Backup } from '../../backup/backup.js';
import { summarize, type BackupSummary } from '../../backup/describe.js';
import { defaultBackupRoots, findBackups } from '../../backup/discover.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import { clock } from '../../time.js';
import { formatBytes, printJson, printTable, UTC_HELP } from '../output.js';

export function register(program: Command): void {
  program
    .command('list [dir]')
    .description('list the backups in DIR, or in the default backup folders of this computer')
    .option('--json', 'print JSON')
    .option('--utc', UTC_HELP)
    .action((dir: string | undefined, options: { json?: boolean; utc?: boolean }) => {
      const roots = dir ? [dir] : defaultBackupRoots();
      const found = roots.flatMap(findBackups);
      if (dir && found.length === 0)
        throw new ReclaimError(`No backups found in ${dir}.`, ExitCode.notFound);
      const summaries: (BackupSummary | { path: string; error: string })[] = found.map((path) => {
        try {
          return summarize(Backup.open(path));
        } catch (error) {
          return { path, error: (error as Error).message };
        }
      });
      if (options.json) return printJson(summaries);
      if (summaries.length === 0) {
        console.log(
          `No backups found in the default folders:\n  ${roots.join('\n  ')}\nGive a folder: reclaim list DIR`,
        );
        return;
      }
      const times = clock({ utc: options.utc });
      const lastBackup = (iso: string | null) => {
        if (!iso) return '?';
        return times.utc ? iso.replace('T', ' ').slice(0, 16) : times.text(new Date(iso), false);
      };
      printTable(
        [
          'DEVICE',
          'MODEL',
          'iOS',
          times.utc ? 'LAST BACKUP' : `LAST BACKUP (${times.zone})`,
          'SIZE',
          'ENCRYPTED',
          'FILES',
          'FINISHED',
          'PATH',
        ],
        summaries.map((s) =>
          'error' in s
            ? ['(unreadable)', '', '', '', '', '', '', '', `${s.path}: ${s.error}`]
            : [
                s.deviceName ?? '?',
                s.model ?? '?',
                s.iosVersion ?? '?',
                lastBackup(s.lastBackupDate),
                formatBytes(s.sizeOnDisk),
                s.encrypted ? 'yes' : 'no',
                String(s.indexedFiles ?? `${s.filesOnDisk} on disk`),
                s.finished === null ? 'unknown' : s.finished ? 'yes' : 'NO',
                s.path,
              ],
        ),
      );
    });
}
