import type { Command } from 'commander';
import { Backup } from '../../backup/backup.js';
import { unlockKeybag } from '../../backup/keybag.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import { getCredentials } from '../credentials.js';

export function register(program: Command): void {
  program
    .command('key <backup>')
    .description(
      'print the key derived from the password (64 hex digits), for --key-file: derive once, reuse',
    )
    .option(
      '--password-file <file>',
      'read the backup password from this file (else RECLAIM_PASSWORD, else a prompt)',
    )
    .option('--force', 'derive even when the keybag asks for far more rounds than iOS writes')
    .action(async (path: string, options: { passwordFile?: string; force?: boolean }) => {
      const backup = Backup.open(path);
      if (!backup.keybag)
        throw new ReclaimError('This backup is not encrypted: it has no key.', ExitCode.badInput);
      const { password } = await getCredentials({ passwordFile: options.passwordFile });
      const kek = await backup.deriveKey(password ?? '', { force: options.force });
      unlockKeybag(backup.keybag, kek);
      console.log(kek.toString('hex'));
    });
}
