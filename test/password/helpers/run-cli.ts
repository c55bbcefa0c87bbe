// Runs the `password` commands as the CLI main would (the main itself lives elsewhere): for CLI tests.
import { Command } from 'commander';
import { register } from '../../../src/cli/commands/password.js';
import { ReclaimError } from '../../../src/errors.js';

const program = new Command('reclaim').exitOverride();
register(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ReclaimError) {
    process.stderr.write(`reclaim: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  if (error instanceof Error && 'exitCode' in error) process.exit(Number(error.exitCode));
  throw error;
}
