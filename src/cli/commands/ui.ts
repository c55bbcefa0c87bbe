import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { ExitCode, ReclaimError } from '../../errors.js';
import { startUiServer } from '../../server/index.js';
import { UTC_HELP } from '../output.js';

/** Opens a URL in the default browser; never fails (the URL is printed anyway). */
export function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {
      /* no browser here: the printed link is enough */
    });
    child.unref();
  } catch {
    /* idem */
  }
}

export function register(program: Command): void {
  program
    .command('ui [path]')
    .description(
      'open the web UI in the browser (served from this computer only) to unlock, browse, preview and save',
    )
    .option('--port <port>', 'listen on this port (default: a free one)')
    .option('--no-open', 'do not open the browser; just print the link')
    .option('--utc', UTC_HELP)
    .action(
      async (
        path: string | undefined,
        options: { port?: string; open: boolean; utc?: boolean },
      ) => {
        let port = 0;
        if (options.port !== undefined) {
          port = Number(options.port);
          if (!Number.isInteger(port) || port < 1 || port > 65535)
            throw new ReclaimError(
              `--port needs a port number (1-65535), not ${JSON.stringify(options.port)}.`,
              ExitCode.usage,
            );
        }
        let server;
        try {
          server = await startUiServer({ path, port, utc: options.utc === true });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
            throw new ReclaimError(
              `Port ${port} is in use: pick another with --port, or leave it out.`,
              ExitCode.usage,
            );
          throw error;
        }
        console.log(
          `Reclaim is running on this computer only. Open this link in your browser:\n\n  ${server.launchUrl}\n\n(the link holds a one-time token for this session; press Ctrl+C to stop)`,
        );
        if (options.open) openBrowser(server.launchUrl);
        await new Promise<void>((resolve) => {
          // Stopping the server disposes of every session's private copies; the exit hook removes the rest.
          const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
          const stop = () => {
            for (const signal of signals) process.removeListener(signal, stop);
            void server!.close().then(resolve, resolve);
          };
          for (const signal of signals) process.once(signal, stop);
        });
      },
    );
}
