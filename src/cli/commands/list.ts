import type { Command } from 'commander';
import { Backup } from '../../backup/backup.js';
import { defaultBackupRoots, findBackups } from '../../backup/discover.js';
import { findIcloudExports } from '../../sources/open.js';
import { groupByDevice, type ListedSource } from '../../sources/devices.js';
import { summarizeBackup, summarizeExport, type SourceSummary } from '../../sources/summary.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import { clock } from '../../time.js';
import { formatBytes, printJson, printTable, UTC_HELP } from '../output.js';

export function register(program: Command): void {
  program
    .command('list [dir]')
    .description(
      'list the backups (and iCloud data exports) in DIR, or in the default backup folders of this computer, grouped by device, newest first (archived copies included)',
    )
    .option('--json', 'print JSON')
    .option('--utc', UTC_HELP)
    .action((dir: string | undefined, options: { json?: boolean; utc?: boolean }) => {
      const roots = dir ? [dir] : defaultBackupRoots();
      const found = roots.flatMap((root) => [
        ...findBackups(root).map((path) => ({ path, kind: 'backup' as const })),
        ...findIcloudExports(root).map((path) => ({ path, kind: 'icloud-export' as const })),
      ]);
      if (dir && found.length === 0)
        throw new ReclaimError(`No backups or iCloud exports found in ${dir}.`, ExitCode.notFound);
      const readable: Array<SourceSummary & { serialNumber?: string | null }> = [];
      const unreadable: { path: string; error: string }[] = [];
      for (const { path, kind } of found) {
        try {
          if (kind === 'icloud-export') readable.push(summarizeExport(path));
          else {
            const backup = Backup.open(path);
            const serial = backup.info?.['Serial Number'];
            readable.push({
              ...summarizeBackup(backup),
              serialNumber: typeof serial === 'string' ? serial : null,
            });
          }
        } catch (error) {
          unreadable.push({ path, error: (error as Error).message });
        }
      }
      const groups = groupByDevice(readable);
      const summaries: (ListedSource | { path: string; error: string })[] = [
        ...groups.flatMap((g) => g.sources),
        ...unreadable,
      ];
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
          'BACKUP',
          'PATH',
        ],
        summaries.map((s) =>
          'error' in s
            ? ['(unreadable)', '', '', '', '', '', '', '', '', `${s.path}: ${s.error}`]
            : [
                s.deviceName ?? '?',
                s.model ?? '?',
                s.kind === 'icloud-export' ? '' : (s.iosVersion ?? '?'),
                lastBackup(s.lastBackupDate),
                formatBytes(s.sizeOnDisk),
                s.encrypted ? 'yes' : 'no',
                s.kind === 'icloud-export'
                  ? ''
                  : String(s.indexedFiles ?? `${s.filesOnDisk} on disk`),
                s.finished === null
                  ? 'unknown'
                  : s.finished
                    ? 'yes'
                    : s.kind === 'icloud-export'
                      ? `NO: ${s.missingParts.length} part(s) missing`
                      : 'NO',
                s.kind === 'icloud-export'
                  ? ''
                  : s.archived
                    ? 'archived'
                    : groups.find((g) => g.device === s.device)?.sources[0] === s
                      ? 'newest'
                      : 'older',
                s.path,
              ],
        ),
      );
    });
}
