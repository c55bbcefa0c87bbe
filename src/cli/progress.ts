import cliProgress from 'cli-progress';
import type { ExtractProgress } from '../backup/extract.js';
import { formatBytes } from './output.js';

/** A progress bar with bytes and ETA on a terminal; silent otherwise. */
export function extractProgressBar(): { update: (p: ExtractProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: ' {bar} {percentage}% | {done} of {total} | {files}/{totalFiles} files | ETA {eta_formatted}',
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(p) {
      const payload = { done: formatBytes(p.bytes), total: formatBytes(p.totalBytes), files: p.files, totalFiles: p.totalFiles };
      if (!started) {
        bar.start(Math.max(1, p.totalBytes), p.bytes, payload);
        started = true;
      } else bar.update(p.bytes, payload);
    },
    stop: () => started && bar.stop(),
  };
}

/** A progress bar over items for one export step; silent when stderr is not a terminal. */
export function itemProgressBar(label: string): { update: (done: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: ` ${label.padEnd(14)} {bar} {value}/{total} | ETA {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(Math.max(1, total), done);
        started = true;
      } else bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}
