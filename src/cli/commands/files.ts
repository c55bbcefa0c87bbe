import type { Command } from 'commander';
import { noMatch, selectEntries } from '../../backup/select.js';
import type { BackupEntry } from '../../backup/types.js';
import { ExitCode } from '../../errors.js';
import { addCredentialOptions, openUnlocked } from '../open-backup.js';
import { formatBytes, printJson } from '../output.js';

export function register(program: Command): void {
  addCredentialOptions(
    program
      .command('files <backup>')
      .description('list the files a backup indexes')
      .option('--domain <domain>', 'only this domain (globs allowed, e.g. "AppDomain-*")')
      .option('--path <glob>', 'only relative paths matching this glob, e.g. "Library/SMS/**"')
      .option(
        '--json',
        'print a JSON array of {domain, relativePath, fileID, kind, size, dataSize when the data length differs}',
      ),
  ).action(
    async (
      path: string,
      options: {
        domain?: string;
        path?: string;
        json?: boolean;
        passwordFile?: string;
        keyFile?: string;
      },
    ) => {
      const backup = await openUnlocked(path, options);
      const entries = selectEntries(backup.entries(), options);
      // The data's own length where it differs from the index's Size (extract keeps every byte); read
      // for --json only, as it opens every data file (the plain listing stays an index read).
      const dataSizes = new Map<BackupEntry, number>();
      if (options.json)
        for (const e of entries) {
          const length = backup.dataLength(e);
          if (length !== null && length !== e.size) dataSizes.set(e, length);
        }
      if (options.json) {
        printJson(
          entries.map((e) => ({
            domain: e.domain,
            relativePath: e.relativePath,
            fileID: e.fileID,
            kind: e.kind,
            size: e.size,
            ...(dataSizes.has(e) ? { dataSize: dataSizes.get(e) } : {}),
          })),
        );
      } else {
        for (const e of entries) {
          const size = e.kind === 'file' ? formatBytes(e.size) : e.kind;
          console.log(
            `${size.padStart(10)}  ${e.domain}/${e.relativePath}${e.target ? ` -> ${e.target}` : ''}`,
          );
        }
        console.error(`${entries.length} of ${backup.entries().length} entries`);
      }
      if (dataSizes.size) {
        console.error(
          `${dataSizes.size} file(s) whose data length differs from the index size (extract keeps every byte):`,
        );
        for (const [e, length] of [...dataSizes].slice(0, 20))
          console.error(`  ${e.domain}/${e.relativePath}: ${length} bytes, index says ${e.size}`);
        if (dataSizes.size > 20) console.error(`  ... and ${dataSizes.size - 20} more`);
      }
      if (entries.length === 0 && (options.path || options.domain)) console.error(noMatch(options));
      for (const refused of backup.indexRefused()) console.error(`refused: ${refused}`);
      for (const damage of backup.indexDamaged()) console.error(`damaged: ${damage}`);
      if (backup.indexDamaged().length) process.exitCode = ExitCode.partial;
    },
  );
}
