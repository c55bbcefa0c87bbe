import type { Command } from 'commander';
import { Backup } from '../../backup/backup.js';
import { describeBackup } from '../../backup/describe.js';
import { ExitCode } from '../../errors.js';
import { clock } from '../../time.js';
import { printOpenWarnings } from '../open-backup.js';
import { formatBytes, formatWhen, printFields, printJson, UTC_HELP } from '../output.js';

export function register(program: Command): void {
  program
    .command('info <backup>')
    .description('everything useful from Info.plist, Manifest.plist and Status.plist')
    .option('--json', 'print JSON')
    .option('--utc', UTC_HELP)
    .action((path: string, options: { json?: boolean; utc?: boolean }) => {
      const backup = Backup.open(path);
      const d = describeBackup(backup);
      // What `info` describes is damaged: show the rest, say what, and end with "damaged input".
      if (backup.warnings.length) process.exitCode = ExitCode.badInput;
      if (options.json) {
        printJson(d);
        return printOpenWarnings(backup);
      }
      printFields([
        ['Device', d.deviceName],
        ['Model', d.model && d.productType ? `${d.model} (${d.productType})` : d.productType],
        [
          'iOS',
          d.iosVersion && d.buildVersion ? `${d.iosVersion} (${d.buildVersion})` : d.iosVersion,
        ],
        ['Serial number', d.serialNumber],
        ['Phone number', d.phoneNumber],
        ['IMEI', d.imei],
        ['UDID', d.udid],
        ['Last backup', formatWhen(d.lastBackupDate, clock({ utc: options.utc }))],
        ['Encrypted', d.encrypted ? 'yes' : 'no'],
        [
          'Key derivation',
          d.keybag
            ? `${d.keybag.dpic ? `PBKDF2-SHA256 x ${d.keybag.dpic.toLocaleString('en')}, then ` : ''}PBKDF2-SHA1 x ${d.keybag.iterations.toLocaleString('en')}`
            : null,
        ],
        ['Passcode set', d.passcodeSet === null ? null : d.passcodeSet ? 'yes' : 'no'],
        ['Index', d.format === 'mbdb' ? 'Manifest.mbdb (iOS 5–9)' : 'Manifest.db (iOS 10+)'],
        ['Files indexed', d.indexedFiles ?? 'locked (encrypted index: unlock to count)'],
        ['Files on disk', d.filesOnDisk],
        ['Size on disk', formatBytes(d.sizeOnDisk)],
        [
          'Finished',
          d.finished === null
            ? 'unknown (no Status.plist)'
            : d.finished
              ? 'yes'
              : `no (state: ${d.snapshotState})`,
        ],
        ['Full backup', d.fullBackup === null ? null : d.fullBackup ? 'yes' : 'no'],
        ['iTunes version', d.iTunesVersion],
        ['Missing parts', d.missingParts.join(', ')],
        ['Path', d.path],
        ['Installed apps', d.installedApps.length ? `${d.installedApps.length}` : null],
      ]);
      for (const app of d.installedApps) console.log(`  ${app}`);
      printOpenWarnings(backup);
    });
}
