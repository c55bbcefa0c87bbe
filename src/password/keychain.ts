import { spawn } from 'node:child_process';
import { findTool } from '../device/tools.js';
import type { HashTarget } from './hash-line.js';
import { backendForFew } from './native.js';
import { findPassword } from './verifier.js';

/**
 * The names iTunes and Finder give the generic-password ("application password") item in which they keep
 * a backup password the owner asked them to remember. "iPhone Backup" is the one Apple's and others'
 * instructions search Keychain Access for (osxdaily 2013, Decipher Tools' knowledge base: an
 * "Application Password" named "iPhone Backup"); "iOS Backup" is the name later guides report; iTunes
 * words its backup prompts after the device class, so the iPad and iPod touch items carry their names.
 * Matched against both the item's service and its label, case-insensitively.
 */
export const KEYCHAIN_ITEM_NAMES = [
  'iPhone Backup',
  'iPad Backup',
  'iPod Backup',
  'iPod touch Backup',
  'iOS Backup',
] as const;

export interface KeychainItem {
  service: string;
  account: string | null;
  label: string | null;
}

/** A password kept in the Keychain, and the item it came from. */
export interface KeychainSecret {
  item: KeychainItem;
  /** The candidates this item's secret stands for (as printed, and hex-decoded when printed as hex). */
  candidates: string[];
}

export type KeychainLookup =
  | { kind: 'not-mac' }
  | { kind: 'no-tool' }
  | { kind: 'none' }
  | { kind: 'found'; secrets: KeychainSecret[]; refused: KeychainItem[] };

export interface KeychainOptions {
  /** Stands in for process.platform (tests force the macOS path). */
  platform?: NodeJS.Platform;
  /** Where `security` is looked for (PATH). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const wanted = new Set(KEYCHAIN_ITEM_NAMES.map((n) => n.toLowerCase()));

/** A `security dump-keychain` value: `"text"`, `0x4142 "AB"` (non-ASCII), or `<NULL>`. */
function attributeValue(raw: string): string | null {
  const value = raw.trim();
  if (value === '<NULL>') return null;
  const hex = /^0x([0-9A-Fa-f]+)\b/.exec(value);
  if (hex) return Buffer.from(hex[1]!, 'hex').toString('utf8').replace(/\0+$/, '');
  const quoted = /^"(.*)"$/s.exec(value);
  return quoted ? quoted[1]! : value;
}

/** The backup-password items among the records `security dump-keychain` prints (no secrets in it). */
export function parseKeychainDump(text: string): KeychainItem[] {
  const items: KeychainItem[] = [];
  for (const record of text.split(/^keychain: /m)) {
    if (!/^class: "genp"/m.test(record)) continue;
    const attribute = (name: string) => {
      const match = new RegExp(`^\\s*${name}\\s*<blob>=(.*)$`, 'm').exec(record);
      return match ? attributeValue(match[1]!) : null;
    };
    const service = attribute('"svce"');
    const label = attribute('0x00000007');
    const account = attribute('"acct"');
    const names = [service, label].filter((n): n is string => n !== null);
    if (service !== null && names.some((n) => wanted.has(n.trim().toLowerCase())))
      items.push({ service, account, label });
  }
  return items;
}

/** What `find-generic-password -w` printed, as candidates: it prints hex when the secret is not text. */
export function secretCandidates(printed: string): string[] {
  const text = printed.replace(/\r?\n$/, '');
  const out = [text];
  if (/^([0-9a-f]{2})+$/i.test(text)) {
    const decoded = Buffer.from(text, 'hex').toString('utf8');
    if (!decoded.includes('\uFFFD')) out.push(decoded);
  }
  return out;
}

function run(
  path: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(path, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', () => {
      clearTimeout(timer);
      resolve({ code: null, stdout: '' });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}

/**
 * Looks for backup passwords iTunes or Finder remembered in the login Keychain: lists the items
 * (`security dump-keychain`, which shows no secrets), then reads each one's secret with
 * `security find-generic-password -s SERVICE [-a ACCOUNT] -w`, for which macOS asks the owner's
 * permission itself (a refusal skips that item). Secrets travel only through the pipe, never a file.
 */
export async function lookInKeychain(options: KeychainOptions = {}): Promise<KeychainLookup> {
  if ((options.platform ?? process.platform) !== 'darwin') return { kind: 'not-mac' };
  const env = options.env ?? process.env;
  const security = findTool('security', env);
  if (!security) return { kind: 'no-tool' };
  // The owner answers macOS's prompt for each item: give them time.
  const timeoutMs = options.timeoutMs ?? 120_000;
  const dump = await run(security, ['dump-keychain'], env, timeoutMs);
  let items = dump.code === 0 ? parseKeychainDump(dump.stdout) : [];
  // Without a listing, ask for each name directly (the first item of each).
  if (dump.code !== 0)
    items = KEYCHAIN_ITEM_NAMES.map((service) => ({ service, account: null, label: null }));
  const secrets: KeychainSecret[] = [];
  const refused: KeychainItem[] = [];
  for (const item of items) {
    const args = ['find-generic-password', '-s', item.service];
    if (item.account !== null) args.push('-a', item.account);
    const found = await run(security, [...args, '-w'], env, timeoutMs);
    if (found.code === 0 && found.stdout !== '')
      secrets.push({ item, candidates: secretCandidates(found.stdout) });
    else if (dump.code === 0) refused.push(item);
  }
  return secrets.length || refused.length ? { kind: 'found', secrets, refused } : { kind: 'none' };
}

/** The Keychain's verdict on one target: the item whose secret unlocks it, if any. */
export interface KeychainCheck {
  lookup: KeychainLookup;
  hit: { item: KeychainItem; password: string } | null;
}

/** Looks in the Keychain and tries every remembered secret on the target. */
export async function checkKeychain(
  target: HashTarget,
  options: KeychainOptions = {},
): Promise<KeychainCheck> {
  const lookup = await lookInKeychain(options);
  if (lookup.kind !== 'found') return { lookup, hit: null };
  const tries = lookup.secrets.flatMap((s) => s.candidates.map((password) => ({ ...s, password })));
  if (tries.length === 0) return { lookup, hit: null };
  const backend = backendForFew(tries.length);
  const index = findPassword(
    target,
    backend,
    tries.map((t) => t.password),
  );
  return {
    lookup,
    hit: index < 0 ? null : { item: tries[index]!.item, password: tries[index]!.password },
  };
}
