import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { ArtifactId } from '../../artifacts/artifact.js';
import { ARTIFACT_IDS, artifactIdFor } from '../../artifacts/registry.js';
import { BackupSource } from '../../artifacts/source.js';
import { withWorkspace } from '../../artifacts/workspace.js';
import type { Backup } from '../../backup/backup.js';
import { OutputGuard } from '../../backup/output-guard.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import type { ExportOptions } from '../../export/exporter.js';
import { exportArtifacts, type ArtifactExport } from '../../export/run.js';
import { readSecretFile, type CredentialOptions } from '../credentials.js';
import { addCredentialOptions, openUnlocked } from '../open-backup.js';
import { clock, type Clock } from '../../time.js';
import { UTC_HELP } from '../output.js';
import { itemProgressBar } from '../progress.js';

interface ExportCommandOptions extends CredentialOptions {
  only?: string;
  format?: string;
  layout?: 'date' | 'album' | 'flat';
  heicToJpeg?: boolean;
  includeDeleted?: boolean;
  includeHidden?: boolean;
  vcard?: '3.0' | '4.0';
  recover: boolean;
  notesPasswordFile?: string;
  utc?: boolean;
}

function parseList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** The data types `--only` names (ids or their declared aliases, any case); all when none. */
export function parseArtifactList(text: string | undefined): ArtifactId[] {
  const asked = parseList(text);
  if (asked.length === 0) return [...ARTIFACT_IDS];
  return asked.map((name) => {
    const id = artifactIdFor(name);
    if (!id)
      throw new ReclaimError(
        `Unknown data type "${name}": choose from ${ARTIFACT_IDS.join(', ')}.`,
        ExitCode.usage,
      );
    return id;
  });
}

function describe(result: ArtifactExport): string {
  const counts = Object.entries(result.counts)
    .filter(([kind, n]) => n > 0 && kind !== 'recovered')
    .map(([k, n]) => `${n} ${k}`);
  if (result.items === 0) return result.sources.length ? 'nothing found' : 'not in this backup';
  return counts.length ? counts.join(', ') : `${result.items} item(s)`;
}

/** Prints what each artifact gave and returns whether anything failed. */
export function printExportResults(results: ArtifactExport[], out: string, times: Clock): boolean {
  let failed = false;
  for (const r of results) {
    console.log(
      `  ${r.title.padEnd(18)} ${describe(r)}${r.recovered ? ` (${r.recovered} recovered from deleted space, marked as such)` : ''}`,
    );
    for (const p of r.problems) {
      if (p.severity === 'error') failed = true;
      console.log(`    ${p.severity}: ${p.message}`);
    }
    for (const absent of r.notInBackup) console.log(`    not in the backup: ${absent}`);
  }
  console.log(`\nWritten to ${out} (summary in export-summary.json).`);
  console.log(
    times.utc
      ? 'Times are in UTC.'
      : `Times are in ${times.zone}, this computer's time zone (--utc for UTC).`,
  );
  return failed;
}

export async function runExport(
  backup: Backup,
  out: string,
  ids: ArtifactId[],
  exportOptions: ExportOptions,
  read: { recoverDeleted: boolean; notesPassword?: string },
): Promise<ArtifactExport[]> {
  // OUT and every data type's folder in it must stay out of the backup, links resolved.
  const guard = new OutputGuard([backup.realDir]);
  guard.mkdir(out);
  for (const id of ids) guard.check(join(out, id));
  for (const problem of backup.indexProblems()) console.error(`reclaim: index: ${problem}`);
  return withWorkspace(async (workspace) => {
    const source = new BackupSource(backup, workspace);
    let bar: ReturnType<typeof itemProgressBar> | null = null;
    return exportArtifacts(source, out, ids, {
      read,
      export: exportOptions,
      onArtifactStart: (_id, title) => {
        bar = itemProgressBar(title);
      },
      onProgress: (_id, done, total) => bar?.update(done, total),
      onArtifactDone: () => bar?.stop(),
    });
  });
}

/** `reclaim export BACKUP OUT [--only photos,messages,...]` */
export function register(program: Command): void {
  const command = program
    .command('export')
    .description(
      'export photos, messages, contacts, notes and every other data type into standard formats',
    )
    .argument('<backup>', 'the backup folder')
    .argument('<out>', 'the output folder (one sub-folder per data type)')
    .option('--only <types>', `comma-separated data types (default all): ${ARTIFACT_IDS.join(',')}`)
    .option(
      '--format <formats>',
      'comma-separated formats where a type offers several: html,txt,csv,json,vcf,ics,md',
    )
    .addOption(
      new Option('--layout <layout>', 'photo folders')
        .choices(['date', 'album', 'flat'])
        .default('date'),
    )
    .option('--heic-to-jpeg', 'also write a JPEG copy of HEIC photos (EXIF kept)')
    .option('--include-deleted', 'photos: include the Recently Deleted album')
    .option('--include-hidden', 'photos: include the Hidden album')
    .addOption(
      new Option('--vcard <version>', 'vCard version').choices(['3.0', '4.0']).default('3.0'),
    )
    .option('--no-recover', 'do not carve deleted records out of the databases')
    .option(
      '--notes-password-file <file>',
      'the password of locked notes (else RECLAIM_NOTES_PASSWORD)',
    )
    .option('--utc', UTC_HELP);
  addCredentialOptions(command).action(
    async (path: string, outArg: string, options: ExportCommandOptions) => {
      const ids = parseArtifactList(options.only);
      const backup = await openUnlocked(path, options);
      const out = resolve(outArg);
      const notesPassword = options.notesPasswordFile
        ? readSecretFile(options.notesPasswordFile, 'notes password')
        : process.env['RECLAIM_NOTES_PASSWORD'];
      const results = await runExport(
        backup,
        out,
        ids,
        {
          formats: parseList(options.format),
          layout: options.layout,
          heicToJpeg: options.heicToJpeg,
          includeDeleted: options.includeDeleted,
          includeHidden: options.includeHidden,
          vcardVersion: options.vcard,
          time: { utc: options.utc === true },
        },
        { recoverDeleted: options.recover, notesPassword },
      );
      console.log('Exported:');
      const times = clock({ utc: options.utc });
      if (printExportResults(results, out, times) || backup.indexDamaged().length)
        process.exitCode = ExitCode.partial;
    },
  );
}
