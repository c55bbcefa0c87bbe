import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ARTIFACT_IDS } from '../../artifacts/registry.js';
import { Backup } from '../../backup/backup.js';
import { summarize } from '../../backup/describe.js';
import { IcloudExportSource } from '../../icloud/source.js';
import { BackupDataSource } from '../../sources/backup-source.js';
import type { DataSource } from '../../sources/data-source.js';
import { findSources } from '../../sources/open.js';
import { extractBackup } from '../../backup/extract.js';
import { DEMO_PASSWORD, demoBackupPath } from '../../demo/location.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import { getCredentials } from '../credentials.js';
import { printOpenWarnings, refuseOutputInside } from '../open-backup.js';
import { clock, type Clock } from '../../time.js';
import { formatBytes, formatWhen, printFields, UTC_HELP } from '../output.js';
import { startUiServer } from '../../server/index.js';
import { extractProgressBar } from '../progress.js';
import { printExportResults, runExport } from './export.js';
import { printExtractSummary } from './extract.js';
import { openBrowser } from './ui.js';

/** The main job: describe a backup, unlock it, export every data type, get every file out, then browse it. */
export function register(program: Command): void {
  program
    .command('start [backup]')
    .description(
      'open a backup (the bundled demo when none is given) or an iCloud data export, export every data type, extract every file, then open the web UI',
    )
    .option('--out <dir>', 'where to extract (default ./reclaim-out/<device>)')
    .option(
      '--password-file <file>',
      'read the backup password from this file (else RECLAIM_PASSWORD, else a prompt)',
    )
    .option('--key-file <file>', 'use the derived key from `reclaim key` instead of the password')
    .option(
      '--force',
      'derive the key even when the keybag asks for far more rounds than iOS writes',
    )
    .option('--no-ui', 'do not open the web UI afterwards (it opens only when run in a terminal)')
    .option('--utc', UTC_HELP)
    .action(
      async (
        path: string | undefined,
        options: {
          out?: string;
          passwordFile?: string;
          keyFile?: string;
          force?: boolean;
          ui: boolean;
          utc?: boolean;
        },
      ) => {
        const times = clock({ utc: options.utc });
        let target = path;
        const demo = target === undefined;
        if (demo) {
          target = demoBackupPath();
          if (!existsSync(target))
            throw new ReclaimError(
              `The bundled demo backup is missing (${target}); run \`npm run demo:build\`.`,
              ExitCode.notFound,
            );
          console.log(
            `No backup given: opening the bundled demo backup (its password is "${DEMO_PASSWORD}", as the README says).\n`,
          );
        } else {
          const found = findSources(target!);
          if (found.length === 0)
            throw new ReclaimError(
              `No backup or iCloud data export found at ${target}.`,
              ExitCode.notFound,
            );
          if (found.length > 1) {
            throw new ReclaimError(
              `${target} holds ${found.length} backups or exports; pick one: ${found.map((f) => `\n  reclaim start "${f.path}"`).join('')}`,
              ExitCode.usage,
            );
          }
          if (found[0]!.kind === 'icloud-export')
            return startExport(found[0]!.path, options.out, options.ui, times);
          target = found[0]!.path;
        }
        const backup = Backup.open(target!);
        printOpenWarnings(backup);
        const s = summarize(backup);
        printFields([
          ['Device', s.deviceName],
          ['Model', s.model],
          ['iOS', s.iosVersion],
          ['Last backup', formatWhen(s.lastBackupDate, times)],
          ['Encrypted', s.encrypted ? 'yes' : 'no'],
          ['Size on disk', formatBytes(s.sizeOnDisk)],
          [
            'Finished',
            s.finished === null
              ? 'unknown'
              : s.finished
                ? 'yes'
                : 'no: this backup was interrupted',
          ],
        ]);
        if (backup.encrypted) {
          const credentials =
            demo && !options.passwordFile && !options.keyFile
              ? { password: DEMO_PASSWORD }
              : await getCredentials(options);
          process.stderr.write('Unlocking (deriving the key takes a few seconds)... ');
          await backup.unlock({ ...credentials, force: options.force });
          process.stderr.write('unlocked.\n');
        }
        const out = resolve(
          options.out ??
            join('reclaim-out', (s.deviceName ?? s.udid ?? 'backup').replace(/[^\w.-]+/g, '_')),
        );
        refuseOutputInside(backup, out);
        console.log(`\nReading every data type (deleted records included) into ${out}`);
        const source = new BackupDataSource(backup);
        const results = await runExport(
          source,
          out,
          [...ARTIFACT_IDS],
          { time: { utc: times.utc } },
          { recoverDeleted: true },
        ).finally(() => source.dispose());
        const exportFailed = printExportResults(results, out, times);
        const files = join(out, 'files');
        console.log(`\nExtracting every file, as stored in the backup, to ${files}`);
        const bar = extractProgressBar();
        const summary = await extractBackup(backup, files, { onProgress: bar.update }).finally(
          bar.stop,
        );
        printExtractSummary(summary, files);
        if (summary.failed.length || summary.damaged.length || exportFailed)
          process.exitCode = ExitCode.partial;
        if (options.ui && process.stdout.isTTY && process.stdin.isTTY)
          await serveUi(new BackupDataSource(backup), times.utc);
        else console.log(`\nTo browse it in your web browser: reclaim ui "${backup.dir}"`);
      },
    );
}

/** `start` on an iCloud data export: describe it, export every data type it holds, then browse it. */
async function startExport(path: string, outOption: string | undefined, ui: boolean, times: Clock) {
  const source = await IcloudExportSource.open(path);
  if (!source) throw new ReclaimError(`No iCloud data export found at ${path}.`, ExitCode.notFound);
  try {
    const d = source.describe();
    if (d.kind === 'icloud-export')
      printFields([
        ['Source', 'iCloud data export'],
        [
          'Archives',
          `${d.archives.filter((a) => !a.inside).length} (${formatBytes(d.sizeOnDisk)})`,
        ],
        ['Complete', d.complete ? 'yes' : `no: ${d.missingParts.join('; ') || 'see below'}`],
      ]);
    const out = resolve(outOption ?? join('reclaim-out', 'icloud-export'));
    console.log(`\nReading every data type into ${out}`);
    const results = await runExport(
      source,
      out,
      [...ARTIFACT_IDS],
      { time: { utc: times.utc } },
      { recoverDeleted: true },
    );
    if (printExportResults(results, out, times, 'export')) process.exitCode = ExitCode.partial;
    if (ui && process.stdout.isTTY && process.stdin.isTTY) await serveUi(source, times.utc);
    else console.log(`\nTo browse it in your web browser: reclaim ui "${source.path}"`);
  } finally {
    source.dispose();
  }
}

/** Shows the opened (and unlocked) source in the web UI until Ctrl+C. */
async function serveUi(source: DataSource, utc: boolean): Promise<void> {
  const server = await startUiServer({ opened: source, utc });
  console.log(
    `\nBrowse and save in your web browser (this computer only; Ctrl+C to stop):\n\n  ${server.launchUrl}\n`,
  );
  openBrowser(server.launchUrl);
  await new Promise<void>((done) => {
    const stop = () => void server.close().then(done, done);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  });
}
