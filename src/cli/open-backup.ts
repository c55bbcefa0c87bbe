import type { Command } from 'commander';
import { ExitCode, ReclaimError } from '../errors.js';
import { Backup } from '../backup/backup.js';
import type { DataSource } from '../sources/data-source.js';
import { openSource } from '../sources/open.js';
import { isInside } from '../sources/paths.js';
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

/** A backup (unlocked with the user's credentials when encrypted) or an iCloud data export. */
export function openSourceUnlocked(path: string, options: CredentialOptions): Promise<DataSource> {
  return openSource(path, () => getCredentials(options));
}

/** The source is evidence: refuse to write anything inside its folder (symlinks resolved). */
export function refuseOutputInside(source: Backup | DataSource, out: string): void {
  const inside = 'contains' in source ? source.contains(out) : isInside(source.dir, out);
  const where = 'contains' in source ? source.path : source.dir;
  if (inside) {
    const what = 'kind' in source && source.kind === 'icloud-export' ? 'export' : 'backup';
    throw new ReclaimError(
      `Refusing to write inside the ${what} folder (${where}): choose an output folder elsewhere.`,
      ExitCode.usage,
    );
  }
}
