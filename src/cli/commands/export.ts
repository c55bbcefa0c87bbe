import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { ArtifactId } from '../../artifacts/artifact.js';
import { ARTIFACT_IDS, artifactIdFor } from '../../artifacts/registry.js';
import { OutputGuard, physicalPath } from '../../backup/output-guard.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import type { ExportOptions } from '../../export/exporter.js';
import { incomplete, type MissingSummary } from '../../artifacts/missing.js';
import { exportArtifacts, type ArtifactExport } from '../../export/run.js';
import { readSecretFile, type CredentialOptions } from '../credentials.js';
import { BackupDataSource } from '../../sources/backup-source.js';
import type { DataSource } from '../../sources/data-source.js';
import { addCredentialOptions, openAll, openSourceUnlocked } from '../open-backup.js';
import { exportConversationPdf } from '../../export/pdf/conversation-export.js';
import { exportWithHistory, type HistoryExport } from '../history-export.js';
import { clock, type Clock } from '../../time.js';
import { formatBytes, parseDateOption, UTC_HELP } from '../output.js';
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
  add: string[];
  addPasswordFile: string[];
  addKeyFile: string[];
  conversation?: string;
  from?: string;
  to?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

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

function describe(result: ArtifactExport, noun: string): string {
  const counts = Object.entries(result.counts)
    .filter(([kind, n]) => n > 0 && kind !== 'recovered')
    .map(([k, n]) => `${n} ${k}`);
  if (result.items === 0) {
    if (incomplete(result.missing)) return 'its data is not in this folder (see missing below)';
    return result.sources.length ? 'nothing found' : `not in this ${noun}`;
  }
  return counts.length ? counts.join(', ') : `${result.items} item(s)`;
}

/** The "what is missing" lines of one data type: per reason, how many items and bytes, and which databases. */
export function missingLines(missing: MissingSummary | undefined): string[] {
  const lines: string[] = [];
  for (const r of missing?.reasons ?? []) {
    const size = r.bytes > 0 ? `, ${formatBytes(r.bytes)}` : '';
    lines.push(`missing: ${r.items} item(s)${size}: ${r.says}`);
    if (r.databases.length) lines.push(`  databases: ${r.databases.join(', ')}`);
  }
  return lines;
}

/** The whole backup's account: files the index lists whose data is not in the folder, and how many the data types named. */
function absentLine(source: BackupDataSource, results: ArtifactExport[]): string | null {
  let files = 0;
  let bytes = 0;
  for (const e of source.backup.entries())
    if (e.kind === 'file' && !source.files.has(e)) {
      files++;
      bytes += e.size;
    }
  if (files === 0) return null;
  const named = results.reduce(
    (n, r) => n + (r.missing.reasons.find((g) => g.reason === 'not-in-folder')?.items ?? 0),
    0,
  );
  return `The backup's index lists ${files} file(s) (${formatBytes(bytes)}) whose data is not in this folder; the data types above account for ${Math.min(named, files)} of them (\`reclaim files\` lists every file).`;
}

/** Prints what each artifact gave and returns whether anything failed or is incomplete (exit 6). */
export function printExportResults(
  results: ArtifactExport[],
  out: string,
  times: Clock,
  noun: 'backup' | 'export' = 'backup',
  log: (line: string) => void = console.log,
): boolean {
  let failed = false;
  for (const r of results) {
    log(
      `  ${r.title.padEnd(18)} ${describe(r, noun)}${r.recovered ? ` (${r.recovered} recovered from deleted space, marked as such)` : ''}`,
    );
    for (const p of r.problems) {
      if (p.severity === 'error') failed = true;
      log(`    ${p.severity}: ${p.message}`);
    }
    for (const absent of r.notInBackup) log(`    not in the ${noun}: ${absent}`);
    for (const line of missingLines(r.missing)) log(`    ${line}`);
    if (incomplete(r.missing)) failed = true;
  }
  log(`\nWritten to ${out} (summary in export-summary.json).`);
  log(
    times.utc
      ? 'Times are in UTC.'
      : times.zone === 'UTC'
        ? "Times are in UTC, this computer's time zone."
        : `Times are in ${times.zone}, this computer's time zone (--utc for UTC).`,
  );
  return failed;
}

export async function runExport(
  source: DataSource,
  out: string,
  ids: ArtifactId[],
  exportOptions: ExportOptions,
  read: { recoverDeleted: boolean; notesPassword?: string },
): Promise<ArtifactExport[]> {
  // OUT and every data type's folder in it must stay out of the source, links resolved.
  const backup = source instanceof BackupDataSource ? source.backup : null;
  const guard = backup
    ? new OutputGuard([backup.realDir])
    : new OutputGuard([physicalPath(source.path)], 'export');
  guard.mkdir(out);
  for (const id of ids) guard.check(join(out, id));
  for (const problem of backup?.indexProblems() ?? []) console.error(`reclaim: index: ${problem}`);
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
}

/** `export` and `start` on an iCloud export: what it is, and which parts are missing, said first. */
export function printSourceHeader(source: DataSource): void {
  const d = source.describe();
  if (d.kind !== 'icloud-export') return;
  console.log(
    `iCloud data export: ${d.archives.filter((a) => !a.inside).length} archive(s), ${d.archives.filter((a) => a.inside).length} nested, at ${d.path}`,
  );
  for (const missing of d.missingParts) console.log(`  ${missing}`);
}

/** `reclaim export BACKUP OUT [--only photos,messages,...]` */
export function register(program: Command): void {
  const command = program
    .command('export')
    .description(
      'export photos, messages, contacts, notes and every other data type into standard formats',
    )
    .argument(
      '<backup>',
      'the backup folder, or an iCloud data export (the folder of its zips, or one zip)',
    )
    .argument('<out>', 'the output folder (one sub-folder per data type)')
    .option('--only <types>', `comma-separated data types (default all): ${ARTIFACT_IDS.join(',')}`)
    .option(
      '--format <formats>',
      'comma-separated formats where a type offers several: html,txt,csv,json,vcf,ics,md; pdf with --conversation',
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
    .option('--utc', UTC_HELP)
    .option(
      '--add <source>',
      'merge another backup or iCloud export into the same export, each item once (repeat for more)',
      collect,
      [],
    )
    .option(
      '--add-password-file <file>',
      'the password file of an --add source, in the order of --add (else RECLAIM_PASSWORD, else a prompt)',
      collect,
      [],
    )
    .option(
      '--add-key-file <file>',
      'the derived key file of an --add source, in order',
      collect,
      [],
    )
    .option(
      '--conversation <name-or-id>',
      'with --format pdf: the one conversation to write as a PDF (its name, a participant, or its id)',
    )
    .option('--from <date>', 'with --conversation: messages from this day (YYYY-MM-DD) or time on')
    .option('--to <date>', 'with --conversation: messages up to this day or time');
  addCredentialOptions(command).action(
    async (path: string, outArg: string, options: ExportCommandOptions) => {
      const ids = parseArtifactList(options.only);
      const formats = parseList(options.format);
      if (options.conversation !== undefined || formats.includes('pdf'))
        return exportPdf(path, resolve(outArg), ids, formats, options);
      if (options.add.length) return exportMerged(path, resolve(outArg), ids, options);
      const source = await openSourceUnlocked(path, options);
      try {
        const out = resolve(outArg);
        printSourceHeader(source);
        const run = await exportWithHistory(
          [source],
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
          { recoverDeleted: options.recover, notesPassword: notesPasswordOf(options) },
        );
        const noun = source.kind === 'backup' ? 'backup' : 'export';
        const damagedIndex =
          source instanceof BackupDataSource && source.backup.indexDamaged().length > 0;
        if (printRun(run, options, noun) || damagedIndex) process.exitCode = ExitCode.partial;
        if (source instanceof BackupDataSource) {
          const line = absentLine(source, run.results);
          if (line) console.log(line);
        }
      } finally {
        source.dispose();
      }
    },
  );
}

function notesPasswordOf(options: ExportCommandOptions): string | undefined {
  return options.notesPasswordFile
    ? readSecretFile(options.notesPasswordFile, 'notes password')
    : process.env['RECLAIM_NOTES_PASSWORD'];
}

function exportOptionsOf(options: ExportCommandOptions): ExportOptions {
  return {
    formats: parseList(options.format),
    layout: options.layout,
    heicToJpeg: options.heicToJpeg,
    includeDeleted: options.includeDeleted,
    includeHidden: options.includeHidden,
    vcardVersion: options.vcard,
    time: { utc: options.utc === true },
  };
}

const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([id, n]) => `${n} ${id}`)
    .join(', ');

/** The summary of an export run: what it added (a later run into the same OUT), then each data type. */
function printRun(
  run: HistoryExport,
  options: ExportCommandOptions,
  noun: 'backup' | 'export',
): boolean {
  const times = clock({ utc: options.utc });
  if (run.sources.length > 1) {
    console.log(`Merged ${run.sources.length} sources (newest first), each item once:`);
    for (const s of run.sources) console.log(`  ${s.label}  ${s.path}`);
  }
  if (run.previous) {
    const since = times.text(new Date(run.previous.at));
    if (run.nothingNew) {
      console.log(
        `Nothing new since the last export into ${run.folder} (${since}): nothing was written.`,
      );
      return false;
    }
    const added = countsText(run.added);
    const changed = countsText(run.changed);
    console.log(
      `Since the last export (${since}): added ${added || 'nothing'}${changed ? `; changed since: ${changed}` : ''}. Nothing already in the export was changed.`,
    );
  }
  console.log('Exported:');
  return printExportResults(run.results, run.folder, times, noun);
}

async function exportMerged(
  path: string,
  out: string,
  ids: ArtifactId[],
  options: ExportCommandOptions,
): Promise<void> {
  const wanted = [
    { path, label: 'SOURCE', passwordFile: options.passwordFile, keyFile: options.keyFile },
    ...options.add.map((p, i) => ({
      path: p,
      label: `--add source ${i + 1}`,
      passwordFile: options.addPasswordFile[i],
      keyFile: options.addKeyFile[i],
    })),
  ];
  const opened = await openAll(wanted, options.force);
  try {
    for (const s of opened) printSourceHeader(s);
    const run = await exportWithHistory(opened, out, ids, exportOptionsOf(options), {
      recoverDeleted: options.recover,
      notesPassword: notesPasswordOf(options),
    });
    const damaged = opened.some(
      (s) => s instanceof BackupDataSource && s.backup.indexDamaged().length > 0,
    );
    if (printRun(run, options, 'backup') || damaged) process.exitCode = ExitCode.partial;
  } finally {
    for (const s of opened) s.dispose();
  }
}

async function exportPdf(
  path: string,
  out: string,
  ids: ArtifactId[],
  formats: string[],
  options: ExportCommandOptions,
): Promise<void> {
  if (!formats.includes('pdf') || options.conversation === undefined)
    throw new ReclaimError(
      'A PDF is made of one conversation: give --only messages (or whatsapp) --conversation NAME_OR_ID --format pdf.',
      ExitCode.usage,
    );
  const types = ids.filter((id) => id === 'messages' || id === 'whatsapp');
  if (types.length !== 1 || ids.length !== 1)
    throw new ReclaimError(
      'A conversation PDF needs --only messages or --only whatsapp (one of them).',
      ExitCode.usage,
    );
  if (options.add.length)
    throw new ReclaimError('--add does not combine with a conversation PDF.', ExitCode.usage);
  const times = clock({ utc: options.utc });
  const source = await openSourceUnlocked(path, options);
  try {
    const made = await exportConversationPdf(source, out, {
      type: types[0] as 'messages' | 'whatsapp',
      conversation: options.conversation,
      from: parseDateOption(options.from, 'start', options),
      to: parseDateOption(options.to, 'end', options),
      clock: times,
      recoverDeleted: options.recover,
    });
    console.log(
      `Wrote ${made.path}: "${made.title}", ${made.messages} message(s) on ${made.pages} page(s), ${made.images} image(s) inline, ${made.attachments - made.images} other attachment(s) listed${made.recovered ? `, ${made.recovered} recovered` : ''}${made.edited ? `, ${made.edited} edited` : ''}.`,
    );
  } finally {
    source.dispose();
  }
}
