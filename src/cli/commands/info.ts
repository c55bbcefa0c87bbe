import type { Command } from 'commander';
import { Backup } from '../../backup/backup.js';
import { describeBackup } from '../../backup/describe.js';
import { isBackupFolder } from '../../backup/discover.js';
import { ExitCode } from '../../errors.js';
import type { IcloudExportDescription } from '../../icloud/describe.js';
import { IcloudExportSource } from '../../icloud/source.js';
import { clock } from '../../time.js';
import { printOpenWarnings } from '../open-backup.js';
import { formatBytes, formatWhen, printFields, printJson, UTC_HELP } from '../output.js';

/** An iCloud data export: its archives, what they hold, the parts that are missing, and what it never holds. */
function printExport(d: IcloudExportDescription): void {
  printFields([
    ['Source', d.title],
    ['Path', d.path],
    ['Archives', `${d.archives.filter((a) => !a.inside).length} (${formatBytes(d.sizeOnDisk)})`],
    ['Nested archives', d.archives.filter((a) => a.inside).length || null],
    ['Newest download', d.newestArchive],
    ['Complete', d.complete ? 'yes' : 'no'],
  ]);
  for (const m of d.missingParts) console.log(`  ${m}`);
  console.log('Holds:');
  for (const f of d.found)
    console.log(`  ${f.title.padEnd(42)} ${f.files} (${formatBytes(f.bytes)})`);
  console.log('Archives:');
  for (const a of d.archives)
    console.log(
      `  ${a.id}: ${a.files} file(s), ${a.holds}${a.inside ? ` (inside ${a.inside})` : ''}`,
    );
  if (d.unfit.length) {
    console.log(`Files that fit no data type (${d.unfit.length}):`);
    for (const u of d.unfit.slice(0, 20)) console.log(`  ${u}`);
    if (d.unfit.length > 20) console.log(`  … and ${d.unfit.length - 20} more`);
  }
  for (const p of d.problems) console.log(`problem: ${p}`);
  for (const n of d.neverIncluded) console.log(`never in such an export: ${n}`);
}

export function register(program: Command): void {
  program
    .command('info <backup>')
    .description(
      'everything useful from Info.plist, Manifest.plist and Status.plist; or what an iCloud data export holds',
    )
    .option('--json', 'print JSON')
    .option('--utc', UTC_HELP)
    .action(async (path: string, options: { json?: boolean; utc?: boolean }) => {
      if (!isBackupFolder(path)) {
        const exported = await IcloudExportSource.open(path);
        if (exported) {
          try {
            const d = exported.describe();
            if (options.json) return printJson(d);
            if (d.kind === 'icloud-export') printExport(d);
            return;
          } finally {
            exported.dispose();
          }
        }
      }
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
