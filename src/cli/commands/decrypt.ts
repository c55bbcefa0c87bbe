import type { Command } from 'commander';
import { writeDecryptedCopy } from '../../backup/decrypt-copy.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import { addCredentialOptions, openUnlocked, refuseOutputInside } from '../open-backup.js';
import { formatBytes } from '../output.js';

export function register(program: Command): void {
  addCredentialOptions(
    program
      .command('decrypt <backup> <out>')
      .description(
        'write a complete unencrypted copy of an encrypted backup, in the normal backup layout',
      ),
  ).action(
    async (path: string, out: string, options: { passwordFile?: string; keyFile?: string }) => {
      const backup = await openUnlocked(path, options);
      refuseOutputInside(backup, out);
      if (!backup.encrypted)
        throw new ReclaimError(
          'This backup is not encrypted: copy the folder as it is.',
          ExitCode.badInput,
        );
      const summary = await writeDecryptedCopy(backup, out);
      // Rows refused or lost in the source's index are not in the copy either: say so.
      for (const problem of backup.indexProblems()) console.error(`index: ${problem}`);
      for (const warning of summary.warnings) console.error(`warning: ${warning}`);
      for (const failure of summary.failed) console.error(`failed: ${failure}`);
      console.log(
        `Wrote a decrypted copy to ${out}: ${summary.files} files (${formatBytes(summary.bytes)}), ` +
          `${summary.missing.length} indexed files absent from the source, ${summary.failed.length} failed.`,
      );
      if (summary.failed.length || backup.indexDamaged().length)
        process.exitCode = ExitCode.partial;
    },
  );
}
