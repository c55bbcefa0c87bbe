import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import { jsonItem } from '../../export/json-items.js';
import { toJson } from '../../export/json.js';
import { describeRecord } from '../../history/describe.js';
import { compareSources, exportLost } from '../../history/compare.js';
import type { DiffEntry } from '../../history/diff.js';
import { labelSources } from '../../history/labels.js';
import { clock } from '../../time.js';
import { guardFor } from '../../history/compare.js';
import { openAll } from '../open-backup.js';
import { UTC_HELP } from '../output.js';
import { parseArtifactList, printExportResults } from './export.js';

interface DiffOptions {
  only?: string;
  json?: boolean;
  export?: string;
  oldPasswordFile?: string;
  oldKeyFile?: string;
  newPasswordFile?: string;
  newKeyFile?: string;
  force?: boolean;
  utc?: boolean;
}

const pad = (text: string | number, n: number) => String(text).padStart(n);

/** `reclaim diff OLD NEW`: what was lost, added and changed between two backups (or exports) of a device. */
export function register(program: Command): void {
  program
    .command('diff')
    .description(
      'what was lost, added and changed between an older and a newer backup (or iCloud export), per data type',
    )
    .argument('<old>', 'the older backup folder or iCloud export')
    .argument('<new>', 'the newer backup folder or iCloud export')
    .option('--only <types>', 'comma-separated data types (default all)')
    .option('--json', 'print one JSON array of { type, change, item, stillInDeletedSpace? }')
    .option('--export <out>', 'also write the lost items into OUT in the normal export formats')
    .option('--old-password-file <file>', "OLD's password (else RECLAIM_PASSWORD, else a prompt)")
    .option('--old-key-file <file>', "OLD's derived key (64 hex digits, from `reclaim key`)")
    .option('--new-password-file <file>', "NEW's password (else RECLAIM_PASSWORD, else a prompt)")
    .option('--new-key-file <file>', "NEW's derived key (64 hex digits, from `reclaim key`)")
    .option('--force', 'derive keys even when a keybag asks for far more rounds than iOS writes')
    .option('--utc', UTC_HELP)
    .action(async (oldPath: string, newPath: string, options: DiffOptions) => {
      const ids = parseArtifactList(options.only);
      const [oldSource, newSource] = await openAll(
        [
          {
            path: oldPath,
            label: 'OLD',
            passwordFile: options.oldPasswordFile,
            keyFile: options.oldKeyFile,
          },
          {
            path: newPath,
            label: 'NEW',
            passwordFile: options.newPasswordFile,
            keyFile: options.newKeyFile,
          },
        ],
        options.force,
      );
      try {
        const out = options.export ? resolve(options.export) : null;
        if (out) guardFor([oldSource!, newSource!]).mkdir(out);
        const comparison = await compareSources(oldSource!, newSource!, ids);
        const { diffs, names } = comparison;
        const times = clock({ utc: options.utc });
        const failed = diffs.some((d) => d.problems.some((p) => p.severity === 'error'));
        if (options.json) {
          const rows = diffs.flatMap((d) =>
            [...d.lost, ...d.added, ...d.changed].map((e: DiffEntry) => ({
              type: d.id,
              change: e.change,
              item: jsonItem(
                d.id,
                e.unit.item as never,
                { names, clock: times },
                e.unit.conversation,
              ),
              ...(e.previous
                ? {
                    previous: jsonItem(
                      d.id,
                      e.previous.item as never,
                      { names, clock: times },
                      e.previous.conversation,
                    ),
                  }
                : {}),
              ...(e.change === 'lost'
                ? { stillInDeletedSpace: e.stillInDeletedSpace === true }
                : {}),
            })),
          );
          process.stdout.write(toJson(rows, times));
        } else {
          const [o, n] = labelSources([oldSource!, newSource!]);
          console.log(`OLD  ${o!.label}  ${o!.path}`);
          console.log(`NEW  ${n!.label}  ${n!.path}\n`);
          console.log(
            `${'DATA TYPE'.padEnd(18)} ${pad('LOST', 6)} ${pad('ADDED', 6)} ${pad('CHANGED', 8)}  LOST BUT STILL IN NEW'S DELETED SPACE`,
          );
          for (const d of diffs) {
            const carved = d.lost.filter((e) => e.stillInDeletedSpace).length;
            console.log(
              `${d.title.padEnd(18)} ${pad(d.lost.length, 6)} ${pad(d.added.length, 6)} ${pad(d.changed.length, 8)}  ${carved || ''}`,
            );
          }
          for (const d of diffs) {
            for (const [change, entries] of [
              ['lost', d.lost],
              ['added', d.added],
              ['changed', d.changed],
            ] as const) {
              if (!entries.length) continue;
              console.log(`\n${d.title}: ${entries.length} ${change}`);
              for (const e of entries)
                console.log(
                  `  ${times.text(e.unit.date).padEnd(23)} ${describeRecord(d.id, e.unit.item, names, e.unit.conversation)}${e.stillInDeletedSpace ? '  [still in NEW\u2019s deleted space]' : ''}`,
                );
            }
            for (const p of d.problems) console.log(`  ${p.severity}: ${p.message}`);
          }
          if (!times.utc) console.log(`\nTimes are in ${times.zone} (--utc for UTC).`);
        }
        if (out) {
          const results = await exportLost(oldSource!, comparison, out, {
            time: { utc: options.utc === true },
          });
          const report = (line: string) => (options.json ? console.error : console.log)(line);
          report(
            `\nLost items written (from OLD) to ${out}; messages around lost ones are kept as context, marked.`,
          );
          if (printExportResults(results, out, times, 'backup', report))
            process.exitCode = ExitCode.partial;
        }
        if (failed) process.exitCode = ExitCode.partial;
      } finally {
        oldSource?.dispose();
        newSource?.dispose();
      }
    });
}
