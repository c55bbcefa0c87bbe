import type { Command } from 'commander';
import { extractBackup, type ExtractSummary } from '../../backup/extract.js';
import { ExitCode } from '../../errors.js';
import { addCredentialOptions, openUnlocked, refuseOutputInside } from '../open-backup.js';
import { formatBytes } from '../output.js';
import { extractProgressBar } from '../progress.js';

export function printExtractSummary(summary: ExtractSummary, outDir: string): void {
  const list = (title: string, items: string[]) => {
    if (!items.length) return;
    console.error(`${title} (${items.length}):`);
    for (const item of items.slice(0, 20)) console.error(`  ${item}`);
    if (items.length > 20) console.error(`  ... and ${items.length - 20} more`);
  };
  list('Refused (unsafe names, or data that may not be read)', summary.refused);
  list('Damaged index', summary.damaged);
  list('Failed', summary.failed);
  list('Shortened names (too long for this file system)', summary.shortened);
  list('Warnings', summary.warnings);
  if (summary.missing.length)
    console.error(
      `Missing: ${summary.missing.length} indexed files are not in the backup folder (\`reclaim files\` lists what the index holds).`,
    );
  console.log(
    `Extracted ${summary.extracted} files (${formatBytes(summary.bytes)}) to ${outDir}; ` +
      `${summary.skipped} already there, ${summary.missing.length} missing, ${summary.refused.length} refused, ${summary.failed.length} failed` +
      (summary.damaged.length ? `; the index is damaged` : '') +
      (summary.symlinks ? `; ${summary.symlinks} symlinks not created` : ''),
  );
}

export function register(program: Command): void {
  addCredentialOptions(
    program
      .command('extract <backup> <out>')
      .description(
        'write files to OUT/<domain>/<relativePath> with their original modification times',
      )
      .option('--domain <domain>', 'only this domain (globs allowed)')
      .option('--path <glob>', 'only relative paths matching this glob'),
  ).action(
    async (
      path: string,
      out: string,
      options: { domain?: string; path?: string; passwordFile?: string; keyFile?: string },
    ) => {
      const backup = await openUnlocked(path, options);
      refuseOutputInside(backup, out);
      const bar = extractProgressBar();
      const summary = await extractBackup(backup, out, {
        domain: options.domain,
        path: options.path,
        onProgress: bar.update,
      }).finally(bar.stop);
      printExtractSummary(summary, out);
      if (summary.failed.length || summary.damaged.length) process.exitCode = ExitCode.partial;
    },
  );
}
