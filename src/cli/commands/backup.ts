import type { Command } from 'commander';
import { ExitCode, ReclaimError } from '../../errors.js';

// Placeholder until this command is built.
export function register(program: Command): void {
  program
    .command('backup')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new ReclaimError('reclaim backup is not built yet.', ExitCode.failure);
    });
}
