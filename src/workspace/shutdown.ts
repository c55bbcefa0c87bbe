import { removePrivateRoot } from './private-temp.js';

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
let installed = false;

/**
 * One place for how a Reclaim process ends: on SIGINT, SIGTERM and SIGHUP, and on an uncaught error,
 * the private folder of decrypted copies is removed before the process exits. A command that stops
 * gracefully on a signal (the UI server, a password search, a device backup) listens to it as well; then
 * it is left to finish, and the exit hook cleans up when the process ends.
 */
export function installShutdownHandlers(): void {
  if (installed) return;
  installed = true;
  for (const [signal, number] of Object.entries(SIGNALS) as [NodeJS.Signals, number][]) {
    process.prependListener(signal, () => {
      if (process.listenerCount(signal) > 1) return;
      removePrivateRoot();
      process.stderr.write(`\nreclaim: stopped (${signal}); private temporary files removed.\n`);
      process.exit(128 + number);
    });
  }
  const fatal = (error: unknown) => {
    removePrivateRoot();
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`reclaim: unexpected error: ${message.split('\n')[0]}\n`);
    if (process.env['RECLAIM_DEBUG']) console.error(error);
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}
