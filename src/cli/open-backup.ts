import type { Command } from 'commander';
import { resolve, sep } from 'node:path';
import { ExitCode, ReclaimError } from '../errors.js';
import { Backup } from '../backup/backup.js';
import { getCredentials, type CredentialOptions } from './credentials.js';

export function addCredentialOptions(command: Command): Command {
  return command
    .option(
      '--password-file <file>',
      'read the backup password from this file (else RECLAIM_PASSWORD, else a prompt)',
    )
    .option(
      '--key-file <file>',
      'use the derived key (64 hex digits, from `reclaim key`) instead of the password',
    );
}

/** Opens a backup and, when it is encrypted, unlocks it with the user's credentials. */
export async function openUnlocked(path: string, options: CredentialOptions): Promise<Backup> {
  const backup = Backup.open(path);
  if (backup.encrypted) await backup.unlock(await getCredentials(options));
  return backup;
}

/** The backup is evidence: refuse to write anything inside its folder. */
export function refuseOutputInside(backup: Backup, out: string): void {
  const target = resolve(out);
  if (target === backup.dir || target.startsWith(backup.dir + sep)) {
    throw new ReclaimError(
      `Refusing to write inside the backup folder (${backup.dir}): choose an output folder elsewhere.`,
      ExitCode.usage,
    );
  }
}
