import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { availableParallelism } from 'node:os';
import { loadBackupKeybag } from '../../backup/manifest-plist.js';
import { ExitCode, ReclaimError, SearchTooLongError } from '../../errors.js';
import {
  formatPasswordGuidance,
  passwordGuidance,
  type GuidanceContext,
} from '../../device/password-guidance.js';
import { benchmark, type BenchFigure } from '../../password/benchmark.js';
import type { Progress } from '../../password/engine.js';
import { formatDuration } from '../../password/format.js';
import {
  formatHashLine,
  hashTargetFromKeybag,
  parseHashLine,
  type HashTarget,
} from '../../password/hash-line.js';
import { backendForFew, chooseBackend, loadAddon, nodeBackend } from '../../password/native.js';
import type { EngineName } from '../../password/hashcat/engine.js';
import { checkKeychain, type KeychainItem } from '../../password/keychain.js';
import { buildPlan } from '../../password/candidates/plan.js';
import {
  MAX_SEARCH_SECONDS,
  recoverPassword,
  type RecoverResult,
  type StartInfo,
} from '../../password/recover.js';
import { unlockWithPassword } from '../../password/verifier.js';

interface RecoverFlags {
  hash?: string;
  wordlist: string[];
  mask?: string;
  charset1?: string;
  charset2?: string;
  charset3?: string;
  charset4?: string;
  increment?: boolean;
  rules?: string;
  remember?: string;
  builtin?: boolean;
  resume?: boolean;
  session?: string;
  force?: boolean;
  threads?: number;
  json?: boolean;
  engine?: EngineName;
  keychain: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new ReclaimError(
      `--threads needs a whole number of at least 1, not ${JSON.stringify(value)}.`,
      ExitCode.usage,
    );
  return n;
}

const count = (n: number) => n.toLocaleString('en-US');

function resolveTarget(backup: string | undefined, hash: string | undefined): HashTarget {
  if (backup !== undefined && hash !== undefined)
    throw new ReclaimError('Give either a backup folder or --hash, not both.', ExitCode.usage);
  if (hash !== undefined) return parseHashLine(hash);
  if (backup === undefined)
    throw new ReclaimError('Give a backup folder, or a hash line with --hash.', ExitCode.usage);
  return hashTargetFromKeybag(loadBackupKeybag(backup));
}

function describeStart(info: StartInfo): string {
  if (info.engine === 'hashcat')
    return `Handing ${count(info.total)} candidates (${info.candidates}) to ${info.backend}.`;
  const from = info.resumedAt !== null ? `, resuming at ${count(info.resumedAt)}` : '';
  const note = info.replacesSession
    ? `A saved session of this search exists (${info.sessionPath}); starting over. Add --resume to continue it instead.\n`
    : '';
  const engine =
    info.backend !== 'node'
      ? `the native ${info.backend} kernel`
      : loadAddon()
        ? "Node's crypto"
        : "Node's crypto (the native addon is not built; `npm install` builds it)";
  return (
    `${note}Trying ${count(info.total)} candidates (${info.candidates}${from}) on ${info.threads} threads with ${engine}: ` +
    `about ${info.rate.toFixed(2)} guesses/s, ${formatDuration(info.eta)} at most.`
  );
}

/** A progress bar on stderr while it is a terminal; nothing otherwise. */
function progressBar(enabled: boolean) {
  if (!enabled) return { update: (_: Progress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: '{bar} {percentage}% | {tried} tried | {rate} guesses/s | ETA {eta_text}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p: Progress) {
      const payload = {
        tried: count(p.tried),
        rate: p.rate.toFixed(2),
        eta_text: formatDuration(p.eta),
      };
      if (!started) {
        bar.start(p.total, p.position, payload);
        started = true;
      } else {
        // hashcat counts its own keyspace as it goes.
        if (p.total !== bar.getTotal()) bar.setTotal(p.total);
        bar.update(p.position, payload);
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function printOutcome(
  result: RecoverResult,
  backup: string | undefined,
  json: boolean,
  guide: Omit<GuidanceContext, 'situation'>,
): void {
  const seconds = Math.round(result.seconds * 10) / 10;
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ found: result.found, password: result.password, tried: result.tried, seconds })}\n`,
    );
  } else if (result.found) {
    process.stdout.write(`Password found: ${result.password}\n`);
    process.stderr.write(
      `(${count(result.tried)} candidates in ${formatDuration(result.seconds)})\n`,
    );
    if (backup !== undefined) {
      process.stderr.write(
        `To open the backup, put the password in a file (or in RECLAIM_PASSWORD) and run:\n` +
          `  reclaim info ${JSON.stringify(backup)} --password-file FILE\n  reclaim extract ${JSON.stringify(backup)} OUT --password-file FILE\n`,
      );
    }
  } else if (result.stopped) {
    process.stderr.write(
      result.engine === 'hashcat'
        ? `Stopped after ${count(result.tried)} candidates (hashcat runs start over when run again).\n`
        : `Stopped after ${count(result.tried)} candidates; saved in ${result.sessionPath}. Run the same command with --resume to go on.\n`,
    );
  } else {
    const guidance = passwordGuidance({
      ...guide,
      situation: 'not-found',
      tried: result.tried,
      seconds: result.seconds,
    });
    process.stderr.write(formatPasswordGuidance(guidance));
  }
  if (!result.found) process.exitCode = result.stopped ? 130 : ExitCode.notFound;
}

/** Tests stand in for a Mac with RECLAIM_PLATFORM=darwin (and a stand-in `security` on PATH). */
const platform = () => (process.env['RECLAIM_PLATFORM'] as NodeJS.Platform) || process.platform;

const itemName = (item: KeychainItem) =>
  `"${item.label ?? item.service}"${item.account ? ` (account ${item.account})` : ''}`;

/**
 * Before any guessing, the password iTunes or Finder may have remembered in this Mac's Keychain: true
 * when it unlocks the target (reported, never printed).
 */
async function fromKeychain(
  backup: string | undefined,
  target: HashTarget,
  json: boolean,
): Promise<boolean> {
  const say = (line: string) => {
    if (!json) process.stderr.write(`${line}\n`);
  };
  const started = Date.now();
  if (platform() === 'darwin')
    say(
      "Looking in this Mac's Keychain for a backup password iTunes or Finder remembered (macOS asks your permission; --no-keychain skips this).",
    );
  const { lookup, hit } = await checkKeychain(target, { platform: platform() });
  if (lookup.kind === 'not-mac')
    say(
      'Only a Mac keeps a remembered backup password (in its Keychain); this computer is not one, so Reclaim goes straight to the candidates.',
    );
  else if (lookup.kind === 'no-tool')
    say("macOS's `security` tool is not on PATH, so the Keychain cannot be searched.");
  else if (lookup.kind === 'none') say('The Keychain holds no remembered backup password.');
  else {
    for (const item of lookup.refused) say(`The Keychain item ${itemName(item)} was not read.`);
    if (!hit && lookup.secrets.length)
      say(
        `The Keychain's ${lookup.secrets.map((s) => itemName(s.item)).join(', ')} does not unlock this ${backup !== undefined ? 'backup' : 'hash'}: going on with the candidates.`,
      );
  }
  if (!hit) return false;
  if (backup !== undefined)
    unlockWithPassword(loadBackupKeybag(backup), target, backendForFew(1), hit.password);
  const where = `the Keychain item ${itemName(hit.item)}`;
  if (json) {
    const { service, account } = hit.item;
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    process.stdout.write(
      `${JSON.stringify({ found: true, password: null, source: 'keychain', keychain: { service, account }, tried: 0, seconds })}\n`,
    );
    return true;
  }
  process.stdout.write(`Password found in ${where} (not printed here).\n`);
  const read = `security find-generic-password -s ${JSON.stringify(hit.item.service)}${hit.item.account ? ` -a ${JSON.stringify(hit.item.account)}` : ''} -w`;
  process.stderr.write(
    `It unlocks this ${backup !== undefined ? 'backup' : 'hash'}. See it in Keychain Access, or use it without showing it:\n` +
      (backup !== undefined
        ? `  reclaim extract ${JSON.stringify(backup)} OUT --password-file <(${read})\n`
        : `  ${read}\n`),
  );
  return true;
}

async function recoverAction(backup: string | undefined, flags: RecoverFlags): Promise<void> {
  const target = resolveTarget(backup, flags.hash);
  const json = flags.json ?? false;
  // Built first, so a mistake in the candidate options is reported before macOS asks anything.
  const plan = buildPlan({
    remember: flags.remember,
    wordlists: flags.wordlist,
    rulesFile: flags.rules,
    mask: flags.mask,
    charsets: [flags.charset1, flags.charset2, flags.charset3, flags.charset4],
    increment: flags.increment,
    builtin: flags.builtin,
  });
  if (flags.keychain && (await fromKeychain(backup, target, json))) return;
  const bar = progressBar(!json && process.stderr.isTTY === true);
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  const guide = {
    backup: backup ?? null,
    hashVersion: target.version,
    rate: null as number | null,
  };
  process.once('SIGINT', onSigint);
  try {
    const result = await recoverPassword({
      target,
      plan,
      threads: flags.threads,
      force: flags.force,
      resume: flags.resume,
      sessionPath: flags.session,
      signal: stop.signal,
      engine: flags.engine,
      onStart: (info) => {
        guide.rate = info.rate;
        if (json) return;
        process.stderr.write(`${describeStart(info)}\n`);
        // Forced past the one-day limit: say what else there is before the long wait.
        if (info.eta > MAX_SEARCH_SECONDS)
          process.stderr.write(
            `\n${formatPasswordGuidance(passwordGuidance({ ...guide, situation: 'too-long', eta: info.eta }))}\n`,
          );
      },
      onNotice: (line) => process.stderr.write(`${line}\n`),
      onProgress: (p) => bar.update(p),
    });
    bar.stop();
    if (result.found && backup !== undefined) {
      // The hit came from one class key; make sure the password opens every class of the keybag.
      unlockWithPassword(loadBackupKeybag(backup), target, backendForFew(1), result.password!);
    }
    printOutcome(result, backup, json, guide);
  } catch (error) {
    if (error instanceof SearchTooLongError && !json) {
      const guidance = passwordGuidance({
        ...guide,
        situation: 'too-long',
        eta: error.eta,
        rate: error.rate,
      });
      // The refusal first, then what else there is.
      process.stderr.write(
        `reclaim: ${error.message}\n\n${formatPasswordGuidance(guidance, { summary: false })}`,
      );
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  } finally {
    bar.stop();
    process.removeListener('SIGINT', onSigint);
  }
}

function printBench(figures: BenchFigure[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  for (const f of figures) {
    const scaled =
      f.measuredRounds !== null && f.measuredRounds !== 10_000_000
        ? ` (measured at ${count(f.measuredRounds)} rounds, scaled)`
        : '';
    process.stdout.write(
      `${f.keybag.padEnd(16)} ${f.backend.padEnd(9)} ${f.perCore.toFixed(2).padStart(9)} guesses/s per core  ${f.total.toFixed(2).padStart(9)} on ${f.threads} threads${scaled}\n`,
    );
  }
}

export function register(program: Command): void {
  const password = program
    .command('password')
    .description(
      'Recover a forgotten backup password, or export its hash for hashcat / John the Ripper',
    );

  password
    .command('hash')
    .description(
      "Print the backup's $itunes_backup$ hash line (hashcat -m 14800 / 14700, John the Ripper itunes-backup)",
    )
    .argument('<backup>', 'encrypted backup folder')
    .action((backup: string) => {
      process.stdout.write(`${formatHashLine(hashTargetFromKeybag(loadBackupKeybag(backup)))}\n`);
    });

  password
    .command('recover')
    .description('Try candidate passwords, most likely first, on every core')
    .argument('[backup]', 'encrypted backup folder (or give --hash)')
    .option('--hash <line>', 'a $itunes_backup$ hash line instead of a backup')
    .option('--wordlist <file>', 'a UTF-8 wordlist, one password a line (repeatable)', collect, [])
    .option('--mask <mask>', 'hashcat mask: ?l ?u ?d ?s ?a ?h ?H, ?1-?4 custom charsets')
    .option('-1, --charset1 <chars>', 'custom charset ?1')
    .option('-2, --charset2 <chars>', 'custom charset ?2')
    .option('-3, --charset3 <chars>', 'custom charset ?3')
    .option('-4, --charset4 <chars>', 'custom charset ?4')
    .option('--increment', 'try every mask length from 1 up')
    .option('--rules <file>', 'hashcat rules applied to every wordlist word')
    .option('--remember <words>', 'words or fragments you remember, comma-separated')
    .option(
      '--builtin',
      'also try the built-in PINs, dates and keyboard walks (the default when nothing else is given)',
    )
    .option('--resume', 'continue the saved session of this search')
    .option('--session <file>', 'where to save progress (default: in the Reclaim state folder)')
    .option('--force', 'run even when the search would take more than a day')
    .addOption(
      new Option('--threads <n>', 'worker threads')
        .argParser(positiveInt)
        .default(availableParallelism(), 'all cores'),
    )
    .addOption(
      new Option(
        '--engine <engine>',
        'builtin, or hashcat (GPUs; default: hashcat for searches over an hour when it sees a GPU)',
      ).choices(['builtin', 'hashcat']),
    )
    .option(
      '--no-keychain',
      'on a Mac, skip the backup password iTunes or Finder kept in the Keychain',
    )
    .option('--json', 'print one JSON object at the end: {found, password, tried, seconds}')
    .action(recoverAction);

  password
    .command('bench')
    .description('Guesses per second per core and in total, for iOS 10.2+ and older backups')
    .option('--json', 'print the figures as JSON')
    .action(async (flags: { json?: boolean }) => {
      const { backend } = chooseBackend();
      const backends = backend === nodeBackend ? [backend] : [backend, nodeBackend];
      const figures = await benchmark({ backends, quickRounds: 1_000_000 });
      printBench(figures, flags.json ?? false);
    });
}
