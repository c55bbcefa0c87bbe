#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ExitCode, ReclaimError } from '../errors.js';
import { sweepStaleWorkspaces } from '../workspace/private-temp.js';
import { installShutdownHandlers } from '../workspace/shutdown.js';
import { commandsFor } from './commands/index.js';

installShutdownHandlers();
const swept = sweepStaleWorkspaces();
if (swept.length)
  console.error(
    `reclaim: removed ${swept.length} private temporary folder(s) of decrypted data left by earlier runs that were stopped before they could clean up (${swept.join(', ')}).`,
  );

const program = new Command('reclaim')
  .description('Get your data back out of iPhone and iPad backups.')
  .version('0.1.0')
  .showHelpAfterError('(run `reclaim --help` for usage)')
  .exitOverride();
for (const register of await commandsFor(process.argv)) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : ExitCode.usage;
  } else if (error instanceof ReclaimError) {
    console.error(`reclaim: ${error.message}`);
    process.exitCode = error.exitCode;
  } else {
    console.error(`reclaim: unexpected error: ${(error as Error)?.message ?? error}`);
    if (process.env['RECLAIM_DEBUG']) console.error(error);
    process.exitCode = ExitCode.failure;
  }
}
