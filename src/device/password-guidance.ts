import { formatDuration } from '../password/format.js';

/*
 * What someone can still do when a backup password stays lost. One source for the CLI
 * (`password recover`, `rescue-plan`, `backup --encrypt`) and the UI. Apple's wording, from public sources:
 *
 * - Apple Support, "About encrypted backups on your iPhone, iPad, or iPod touch",
 *   https://support.apple.com/en-us/108353 (formerly HT205220), "If you forgot your password": on iOS 11 or
 *   later, "go to Settings > General > Transfer or Reset [Device], then tap Reset. Tap Reset All Settings and
 *   enter your device passcode. ... This won't affect your user data or passwords, but it will reset settings
 *   like display brightness, Home Screen layout, and wallpaper. It also removes your encrypted backup
 *   password." (the same steps are quoted in sleuthkit/autopsy's iOS device import). The older HT205220:
 *   "There is no way to recover your information or turn off Encrypt Backup if you lose or forget the
 *   password." On iOS 10 and earlier the reset does not remove the backup password.
 * - Apple, iPhone User Guide, "Return iPhone settings to their defaults",
 *   https://support.apple.com/guide/iphone/iphea1c2fe48/ios: Reset All Settings removes or resets to their
 *   defaults all settings, network settings, the keyboard dictionary, location and privacy settings and Apple
 *   Pay cards among them; no data or media are deleted.
 * - Keychain Access keeps the password under "iOS Backup" when "Remember this password in my keychain" was
 *   ticked (Apple Community, https://discussions.apple.com/thread/253561681).
 * - hashcat mode 14800 (14700 before iOS 10.2) runs at about 861 guesses/s on an RTX 4090, 474 on an H100,
 *   363 on an A100 (published benchmarks, ../shared/docs/password-recovery.md), against a few per CPU core.
 */

export type GuidanceSituation =
  /** A search ended without the password. */
  | 'not-found'
  /** A search was refused (or forced) because it would take more than a day. */
  | 'too-long'
  /** The password of an encrypted backup was not given (rescue plan): maybe known, maybe lost. */
  | 'not-given'
  /** The password given does not open the backup. */
  | 'wrong';

export interface GuidanceContext {
  situation: GuidanceSituation;
  /** The backup folder, put into the commands (else BACKUP). */
  backup?: string | null;
  /** 10: iOS 10.2+ keybag (hashcat -m 14800); 9: older (-m 14700); unknown: both are named. */
  hashVersion?: 9 | 10 | null;
  /** Guesses per second measured on this computer, for honest figures. */
  rate?: number | null;
  /** Seconds the refused or forced search would take. */
  eta?: number | null;
  /** Candidates the finished search tried, and how long it took. */
  tried?: number | null;
  seconds?: number | null;
}

export interface GuidanceWay {
  id: 'better-candidates' | 'gpu' | 'reset-settings';
  title: string;
  needs: string;
  steps: string[];
  /** better-candidates: what to try to remember. */
  remember?: string[];
  /** reset-settings: what the reset keeps and what it resets. */
  keeps?: string;
  resets?: string;
}

export interface PasswordGuidance {
  situation: GuidanceSituation;
  /** What happened, in one sentence. */
  summary: string;
  /** Why the password cannot be reset for this backup. */
  fact: string;
  ways: GuidanceWay[];
  /** The old backups stay locked, whatever is done on the device. */
  oldBackups: string;
  sources: string[];
}

/** Where Reset All Settings is, in Apple's words (iOS 15 and later; iOS 11–14 in brackets). */
export const RESET_ALL_SETTINGS_PATH =
  'Settings › General › Transfer or Reset iPhone (or iPad) › Reset › Reset All Settings (iOS 11–14: Settings › General › Reset › Reset All Settings)';

/** Published hashcat speed for this hash on one RTX 4090 (mode 14800). */
const GPU_RATE = 861;

export const GUIDANCE_SOURCES = [
  'https://support.apple.com/en-us/108353',
  'https://support.apple.com/guide/iphone/iphea1c2fe48/ios',
];

const count = (n: number) => n.toLocaleString('en-US');

/** A path as one shell word (single quotes unless it needs none). */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

const FACT =
  'Apple keeps no copy of a backup password, and nobody can reset it for a backup already made: it can only be found, by trying candidates.';

function summaryOf(context: GuidanceContext): string {
  switch (context.situation) {
    case 'not-found': {
      const tried = context.tried != null ? `${count(context.tried)} ` : '';
      const took = context.seconds != null ? ` (${formatDuration(context.seconds)})` : '';
      return `Not found: none of the ${tried}candidates tried${took} is the password.`;
    }
    case 'too-long':
      return `This search would take ${context.eta != null ? `about ${formatDuration(context.eta)}` : 'more than a day'} on this computer: guessing blindly is hopeless beyond short PINs.`;
    case 'wrong':
      return 'The password given does not open this backup.';
    case 'not-given':
      return "If this backup's password is lost:";
  }
}

/** What six digits cost here and, for iOS 10.2+ backups, on one fast GPU. */
function pinFigures(
  rate: number | null | undefined,
  hashVersion: 9 | 10 | null | undefined,
): string {
  const six = 1_000_000;
  const figures = [
    rate ? `about ${formatDuration(six / rate)} on this computer` : null,
    hashVersion !== 9 && (!rate || rate < GPU_RATE)
      ? `about ${formatDuration(six / GPU_RATE)} on one fast GPU`
      : null,
  ].filter(Boolean);
  return figures.length
    ? ` A six-digit passcode is ${count(six)} candidates: ${figures.join(', ')}.`
    : '';
}

function gpuSpeed(hashVersion: 9 | 10 | null | undefined): string {
  const modern = `one fast GPU tries a few hundred to about ${GPU_RATE} guesses a second on an iOS 10.2+ backup (a CPU core: a few), so it makes PINs and variations of known words practical, not long random passwords (eight random lower-case letters: about ${formatDuration(26 ** 8 / GPU_RATE)})`;
  if (hashVersion === 9)
    return 'Backups made before iOS 10.2 are far quicker to test, so a GPU gets through large wordlists and masks.';
  return `Be realistic: ${modern}.`;
}

/** What to do now that the password has not been found, for this backup and situation. */
export function passwordGuidance(context: GuidanceContext): PasswordGuidance {
  const backup = shellWord(context.backup ?? 'BACKUP');
  const mode = context.hashVersion === 9 ? '-m 14700' : '-m 14800';
  const modeNote =
    context.hashVersion == null ? ' (-m 14700 for a backup made before iOS 10.2)' : '';
  return {
    situation: context.situation,
    summary: summaryOf(context),
    fact: FACT,
    ways: [
      {
        id: 'better-candidates',
        title: 'Keep trying, with better candidates',
        needs:
          'What you remember. People rarely forget a random string: they forget which of their usual passwords it was, or how they changed it.',
        remember: [
          "The device's screen passcode when encryption was turned on, and the passcodes before it: many people used it here too.",
          'Your usual passwords and their variants: a capital first letter, a year, a digit or ! at the end, letters swapped for digits.',
          'The computer login, the Apple Account (Apple ID) or an old email password from the time the encryption was turned on, perhaps years ago, perhaps by whoever set the device up.',
          'A password manager; on a Mac, Keychain Access: search for "iOS Backup" if "Remember this password in my keychain" was ticked.',
        ],
        steps: [
          `reclaim password recover ${backup} --remember 'name,pet,1987' (words and numbers you recall: Reclaim combines and varies them, most likely first)`,
          `reclaim password recover ${backup} --wordlist my-passwords.txt --rules RULES (every password you have used, one a line, with variations)`,
          `reclaim password recover ${backup} --mask '?d?d?d?d?d?d' (a six-digit passcode).${pinFigures(context.rate, context.hashVersion)}`,
        ],
      },
      {
        id: 'gpu',
        title: 'Hand the hash to hashcat on a GPU',
        needs:
          'A computer with a recent graphics card, or a rented GPU server. The hash line is enough to test guesses offline: keep it as private as the backup.',
        steps: [
          `reclaim password hash ${backup} > backup.hash`,
          `hashcat ${mode} backup.hash my-passwords.txt -r RULES, or a mask: hashcat ${mode} -a 3 backup.hash '?d?d?d?d?d?d'${modeNote}; John the Ripper reads the same line as itunes-backup`,
          gpuSpeed(context.hashVersion),
        ],
      },
      {
        id: 'reset-settings',
        title: 'Make new encrypted backups again: Reset All Settings (iOS 11 or later)',
        needs:
          'The device itself, unlocked, and its screen passcode. It does not open the old backups; someone locked out of the device cannot use it.',
        keeps:
          "Your data stays: photos, messages, apps and their data, accounts and saved passwords (Apple: it won't affect your user data or passwords).",
        resets:
          'Settings go back to their defaults: display brightness, Home Screen layout and wallpaper, network settings (re-join Wi-Fi), the keyboard dictionary, location and privacy settings, and Apple Pay cards are removed (add them again in Wallet). It also removes the backup password.',
        steps: [
          'First copy the old backup folder somewhere safe (or give the new backup another --out folder): a new backup of the same device goes to a folder of the same name (its UDID) and replaces it.',
          `On the device: ${RESET_ALL_SETTINGS_PATH}, and enter the device passcode. Not "Erase All Content and Settings": that erases everything.`,
          'Connect it to this computer, unlock it, and run `reclaim backup --encrypt` with a new password (write it down, or keep it in a password manager).',
          'On iOS 10 or earlier the reset does not remove the backup password: there, only finding the password, or an iCloud backup, remain.',
        ],
      },
    ],
    oldBackups:
      'Backups made with the forgotten password stay locked: the reset does not change them, and only that password opens them (restoring one onto a device asks for it too).',
    sources: GUIDANCE_SOURCES,
  };
}

/** The guidance for a terminal, each line prefixed with `indent`; `summary: false` leaves out what happened. */
export function formatPasswordGuidance(
  guidance: PasswordGuidance,
  options: { indent?: string; summary?: boolean } = {},
): string {
  const indent = options.indent ?? '';
  const out: string[] = [];
  if (options.summary !== false) out.push(`${indent}${guidance.summary}`);
  out.push(`${indent}${guidance.fact} What you can still do:`);
  guidance.ways.forEach((way, i) => out.push(formatWay(way, indent, `${i + 1}. `)));
  out.push(`${indent}${guidance.oldBackups}`);
  return `${out.join('\n')}\n`;
}

/** One way forward as terminal lines (no final newline). */
export function formatWay(way: GuidanceWay, indent = '', number = ''): string {
  const pad = `${indent}${' '.repeat(number.length)}`;
  const out = [`${indent}${number}${way.title}`, `${pad}Needs: ${way.needs}`];
  if (way.remember) {
    out.push(`${pad}Think of:`);
    for (const item of way.remember) out.push(`${pad}- ${item}`);
  }
  if (way.keeps) out.push(`${pad}Keeps: ${way.keeps}`);
  if (way.resets) out.push(`${pad}Resets: ${way.resets}`);
  for (const step of way.steps) out.push(`${pad}* ${step}`);
  return out.join('\n');
}

/** Two lines for one locked backup in a longer listing (the rescue plan): the commands with its path. */
export function formatGuidanceBrief(guidance: PasswordGuidance, indent = ''): string {
  const [candidates, gpu] = guidance.ways;
  return (
    `${indent}${guidance.summary} ${guidance.fact}\n` +
    `${indent}Try: ${candidates!.steps[0]!.replace(/ \(.*$/, '')}; or on a GPU: ${gpu!.steps[0]}\n`
  );
}
