import type { Command } from 'commander';
import { selectEntries } from '../../backup/select.js';
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
      .option('--json', 'print a JSON array of {domain, relativePath, fileID, kind, size}'),
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
      if (options.json) {
        printJson(
          entries.map(({ domain, relativePath, fileID, kind, size }) => ({
            domain,
            relativePath,
            fileID,
            kind,
            size,
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
      for (const refused of backup.indexRefused()) console.error(`refused: ${refused}`);
      for (const damage of backup.indexDamaged()) console.error(`damaged: ${damage}`);
      if (backup.indexDamaged().length) process.exitCode = ExitCode.partial;
    },
  );
}
