import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { artifactIdFor } from '../../artifacts/registry.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import { toJson } from '../../export/json.js';
import { cachedIndexes, searchCacheDir } from '../../search/cache.js';
import { SEARCH_TYPES, type SearchType } from '../../search/documents.js';
import { indexSource, searchIndexes } from '../../search/search.js';
import type { DataSource } from '../../sources/data-source.js';
import { clock } from '../../time.js';
import { openAll } from '../open-backup.js';
import { parseDateOption, UTC_HELP } from '../output.js';

interface SearchOptions {
  only?: string;
  from?: string;
  to?: string;
  json?: boolean;
  limit: string;
  cache: boolean;
  forget?: boolean;
  passwordFile?: string;
  keyFile?: string;
  force?: boolean;
  utc?: boolean;
}

function searchTypes(text: string | undefined): SearchType[] | undefined {
  if (!text) return undefined;
  return text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((name) => {
      if (name === 'files' || name === 'file-paths') return 'files';
      const id = artifactIdFor(name);
      if (!id || !(SEARCH_TYPES as readonly string[]).includes(id))
        throw new ReclaimError(
          `Unknown data type "${name}" to search: choose from ${[...SEARCH_TYPES, 'files'].join(', ')}.`,
          ExitCode.usage,
        );
      return id as SearchType;
    });
}

/** `reclaim search SOURCE... QUERY`: one search over every data type of every source given. */
export function register(program: Command): void {
  program
    .command('search')
    .description(
      'search messages, WhatsApp, notes, contacts, calls, calendar, reminders, Safari and file paths of one or more backups (phone numbers in any format)',
    )
    .argument(
      '[sources-and-query...]',
      'one or more backups or iCloud exports, then what to search for',
    )
    .option('--only <types>', `comma-separated: ${[...SEARCH_TYPES, 'files'].join(',')}`)
    .option('--from <date>', 'only what is dated from this day (YYYY-MM-DD) or time on')
    .option('--to <date>', 'only what is dated up to this day or time')
    .option('--json', 'print the results as JSON')
    .option('--limit <n>', 'at most this many results', '100')
    .option(
      '--no-cache',
      "keep no index after this run (an unencrypted source's index is otherwise kept in the user's cache folder)",
    )
    .option('--forget', 'remove every search index kept in the cache folder, and stop')
    .option(
      '--password-file <file>',
      'the password of the encrypted sources (else RECLAIM_PASSWORD, else a prompt for each)',
    )
    .option('--key-file <file>', 'the derived key of the encrypted sources')
    .option('--force', 'derive keys even when a keybag asks for far more rounds than iOS writes')
    .option('--utc', UTC_HELP)
    .action(async (args: string[], options: SearchOptions) => {
      if (options.forget) {
        const files = cachedIndexes();
        for (const f of files) rmSync(f, { force: true });
        console.log(`Removed ${files.length} search index(es) from ${searchCacheDir()}.`);
        return;
      }
      if (args.length < 2)
        throw new ReclaimError(
          'Give one or more sources, then what to search for.',
          ExitCode.usage,
        );
      const query = args[args.length - 1]!;
      const paths = args.slice(0, -1);
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new ReclaimError('--limit takes a whole number of results.', ExitCode.usage);
      const types = searchTypes(options.only);
      const from = parseDateOption(options.from, 'start', options);
      const to = parseDateOption(options.to, 'end', options);
      const opened: DataSource[] = await openAll(
        paths.map((path, i) => ({
          path,
          label: `source ${i + 1}`,
          passwordFile: options.passwordFile,
          keyFile: options.keyFile,
        })),
        options.force,
      );
      try {
        const indexed = [];
        for (const source of opened) {
          const result = await indexSource(source, { cache: options.cache });
          if (result.built)
            console.error(
              `reclaim: indexed ${result.documents} records of ${source.path} in ${(result.buildMs / 1000).toFixed(1)} s (${result.where === 'cache' ? 'kept in the cache folder for the next search' : 'in the private workspace, removed at exit'})`,
            );
          indexed.push({ source, index: result.index });
        }
        const started = performance.now();
        const hits = searchIndexes(indexed, { text: query, types, from, to, limit });
        const ms = performance.now() - started;
        for (const { index } of indexed) index.close();
        const times = clock({ utc: options.utc });
        if (options.json) {
          process.stdout.write(toJson(hits, times));
          return;
        }
        if (!hits.length) {
          console.log(`Nothing found for "${query}".`);
          return;
        }
        for (const h of hits) {
          console.log(
            `${times.text(h.date).padEnd(23)} ${h.type.padEnd(11)} ${h.source}${h.recovered ? '  [recovered]' : ''}`,
          );
          console.log(
            `  ${h.title}${h.snippet && h.snippet !== h.title ? ` \u2014 ${h.snippet.replace(/\s+/g, ' ')}` : ''}`,
          );
          console.log(`  ${h.link}`);
        }
        console.error(
          `reclaim: ${hits.length} result(s) in ${ms.toFixed(0)} ms; open a link in \`reclaim ui\` with the same source.`,
        );
      } finally {
        for (const s of opened) s.dispose();
      }
    });
}
