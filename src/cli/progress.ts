import cliProgress from 'cli-progress';
import type { ExtractProgress } from '../backup/extract.js';
import { formatBytes } from './output.js';

export interface TerminalBar<P extends object = object> {
  update(value: number, total: number, payload?: P): void;
  stop(): void;
}

/** A cli-progress bar on stderr when it is a terminal, started on the first update; silent otherwise. */
export function terminalBar<P extends object = object>(
  format: string,
  options: { clearOnComplete?: boolean } = {},
): TerminalBar<P> {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format,
      hideCursor: true,
      clearOnComplete: options.clearOnComplete ?? false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(value, total, payload) {
      if (!started) {
        bar.start(Math.max(1, total), value, payload);
        started = true;
      } else bar.update(value, payload);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** A progress bar with bytes and ETA on a terminal; silent otherwise. */
export function extractProgressBar(): { update: (p: ExtractProgress) => void; stop: () => void } {
  const bar = terminalBar(
    ' {bar} {percentage}% | {done} of {size} | {files}/{totalFiles} files | ETA {eta_formatted}',
  );
  return {
    update: (p) =>
      bar.update(p.bytes, p.totalBytes, {
        done: formatBytes(p.bytes),
        size: formatBytes(p.totalBytes),
        files: p.files,
        totalFiles: p.totalFiles,
      }),
    stop: () => bar.stop(),
  };
}

/** A progress bar over items for one export step; silent when stderr is not a terminal. */
export function itemProgressBar(label: string): TerminalBar {
  return terminalBar(` ${label.padEnd(14)} {bar} {value}/{total} | ETA {eta_formatted}`, {
    clearOnComplete: true,
  });
}
