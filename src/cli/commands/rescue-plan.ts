import type { Command } from 'commander';
import { ExitCode, ReclaimError } from '../../errors.js';

// Placeholder until this command is built.
export function register(program: Command): void {
  program
    .command('rescue-plan')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new ReclaimError('reclaim rescue-plan is not built yet.', ExitCode.failure);
    });
}
