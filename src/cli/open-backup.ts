import type { Command } from 'commander';
import { Backup } from '../backup/backup.js';
import { OutputGuard, physicalPath } from '../backup/output-guard.js';
import type { DataSource } from '../sources/data-source.js';
import { credentialsFor, getCredentials, type CredentialOptions } from './credentials.js';

export function addCredentialOptions(command: Command): Command {
  return command
    .option(
      '--password-file <file>',
      'read the backup password from this file (else RECLAIM_PASSWORD, else a prompt)',
    )
    .option(
      '--key-file <file>',
      'use the derived key (64 hex digits, from `reclaim key`) instead of the password',
    )
    .option(
      '--force',
      'derive the key even when the keybag asks for far more rounds than iOS writes (it may take hours)',
    );
}

/** Says, one line each, what is damaged but did not stop the backup from opening. */
export function printOpenWarnings(backup: Backup): void {
  for (const warning of backup.warnings) console.error(`reclaim: warning: ${warning}`);
}

/** Opens a backup and, when it is encrypted, unlocks it with the user's credentials. */
export async function openUnlocked(path: string, options: CredentialOptions): Promise<Backup> {
  const backup = Backup.open(path);
  printOpenWarnings(backup);
  if (backup.encrypted)
    await backup.unlock({ ...(await getCredentials(options)), force: options.force });
  return backup;
}

/** Data sources read every data type (~14 MB of modules): loaded by the commands that open one. */
const loadSources = () => import('../sources/open.js');

/** A backup (unlocked with the user's credentials when encrypted) or an iCloud data export. */
export async function openSourceUnlocked(
  path: string,
  options: CredentialOptions,
): Promise<DataSource> {
  const { openSource } = await loadSources();
  const source = await openSource(
    path,
    async () => ({ ...(await getCredentials(options)), force: options.force }),
    printOpenWarnings,
  );
  return source;
}

/**
 * The source is evidence: refuse to write anything inside its folder, compared as real paths (a link
 * to the backup, or a backup reached through a link, is still the backup).
 */
export function refuseOutputInside(source: Backup | DataSource, out: string): void {
  if (source instanceof Backup) return new OutputGuard([source.realDir]).check(out);
  const what = source.kind === 'icloud-export' ? 'export' : 'backup';
  new OutputGuard([physicalPath(source.path)], what).check(out);
}

/** One of several sources, unlocked with its own options (see credentialsFor). */
export async function openOneOf(
  path: string,
  label: string,
  options: { passwordFile?: string; keyFile?: string; force?: boolean },
): Promise<DataSource> {
  const { openSource } = await loadSources();
  return openSource(
    path,
    async () => ({
      ...(await credentialsFor(`${label} (${path})`, options)),
      force: options.force,
    }),
    printOpenWarnings,
  );
}

/** Opens every source in turn; the ones already open are disposed when a later one fails. */
export async function openAll(
  wanted: Array<{ path: string; label: string; passwordFile?: string; keyFile?: string }>,
  force?: boolean,
): Promise<DataSource[]> {
  const opened: DataSource[] = [];
  try {
    for (const w of wanted) opened.push(await openOneOf(w.path, w.label, { ...w, force }));
    return opened;
  } catch (error) {
    for (const s of opened) s.dispose();
    throw error;
  }
}
