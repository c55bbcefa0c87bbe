import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Progress, SearchResult } from '../engine.js';
import { formatHashLine, type HashTarget } from '../hash-line.js';
import type { PasswordWorkspace } from '../workspace.js';
import type { HashcatAttack } from './attacks.js';
import { hashcatMode, type Hashcat } from './tool.js';

/** What `--status-json` prints (the fields used here). */
interface HashcatStatus {
  status?: number;
  progress?: [number, number];
  devices?: { speed?: number }[];
  recovered_hashes?: [number, number];
}

/** A status object from one line of hashcat's output (it may follow a prompt on the same line). */
export function parseStatusLine(line: string): HashcatStatus | null {
  const start = line.indexOf('{');
  if (start < 0 || !/"session"/.test(line)) return null;
  try {
    return JSON.parse(line.slice(start)) as HashcatStatus;
  } catch {
    return null;
  }
}

/** A password from the outfile (`--outfile-format 2`): the line as it is, or decoded from $HEX[...]. */
export function parseOutfile(text: string): string | null {
  const line = text.split('\n').find((l) => l !== '');
  if (line === undefined) return null;
  const hex = /^\$HEX\[([0-9a-fA-F]*)\]$/.exec(line);
  return hex ? Buffer.from(hex[1]!, 'hex').toString('utf8') : line;
}

export class HashcatFailed extends Error {}

export interface HashcatRunOptions {
  hashcat: Hashcat;
  target: HashTarget;
  attacks: HashcatAttack[];
  workspace: PasswordWorkspace;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

interface AttackOutcome {
  status: 'cracked' | 'exhausted' | 'stopped';
  done: number;
  total: number;
}

/**
 * Runs the attacks one after another until one cracks the hash. Every file hashcat reads or writes is
 * in the workspace (potfile, restore file and log are off), and its progress comes back as Progress.
 * Throws HashcatFailed when hashcat itself fails (no device, a crash), with its last words.
 */
export async function runHashcat(options: HashcatRunOptions): Promise<SearchResult> {
  const { workspace, attacks } = options;
  const began = Date.now();
  const hashFile = workspace.write('target.hash', `${formatHashLine(options.target)}\n`);
  const outfile = workspace.path('cracked.txt');
  const totals = attacks.map((a) => a.size);
  let tried = 0;
  let offset = 0;
  const seconds = () => (Date.now() - began) / 1000;
  for (const [index, attack] of attacks.entries()) {
    const outcome = await runAttack(options, attack, hashFile, outfile, (status) => {
      const [done, total] = status.progress ?? [0, attack.size];
      totals[index] = total;
      const all = totals.reduce((sum, n) => sum + n, 0);
      const rate = (status.devices ?? []).reduce((sum, d) => sum + (d.speed ?? 0), 0);
      options.onProgress?.({
        tried: tried + done,
        position: offset + done,
        total: all,
        rate,
        eta: rate > 0 ? (all - offset - done) / rate : Infinity,
      });
    });
    tried += outcome.done;
    offset += outcome.total;
    const password = existsSync(outfile) ? parseOutfile(readFileSync(outfile, 'utf8')) : null;
    if (password !== null)
      return { found: true, password, stopped: false, tried, position: offset, seconds: seconds() };
    if (outcome.status === 'cracked')
      throw new HashcatFailed('hashcat reported a crack but wrote no password');
    if (outcome.status === 'stopped')
      return {
        found: false,
        password: null,
        stopped: true,
        tried,
        position: offset,
        seconds: seconds(),
      };
  }
  return {
    found: false,
    password: null,
    stopped: false,
    tried,
    position: offset,
    seconds: seconds(),
  };
}

function runAttack(
  options: HashcatRunOptions,
  attack: HashcatAttack,
  hashFile: string,
  outfile: string,
  onStatus: (status: HashcatStatus) => void,
): Promise<AttackOutcome> {
  const args = [
    '-m',
    String(hashcatMode(options.target)),
    '-a',
    String(attack.mode),
    ...attack.options,
    // hashcat refuses to start beside another run of the same session name (its pid file).
    '--session',
    `reclaim-${process.pid}-${randomBytes(4).toString('hex')}`,
    '--quiet',
    '--status',
    '--status-json',
    '--status-timer',
    '1',
    '--potfile-disable',
    '--restore-disable',
    '--logfile-disable',
    '--outfile',
    outfile,
    '--outfile-format',
    '2',
    hashFile,
    attack.input,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(options.hashcat.path, args, {
      cwd: options.workspace.dir,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    options.workspace.adopt(child);
    let last: HashcatStatus = {};
    let pending = '';
    let stderr = '';
    let stopped = false;
    const onAbort = () => {
      stopped = true;
      child.kill('SIGINT'); // hashcat's own way out: it stops and cleans up
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split(/\r?\n/);
      pending = lines.pop()!;
      for (const line of lines) {
        const status = parseStatusLine(line);
        if (status) {
          last = status;
          onStatus(status);
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(new HashcatFailed(`hashcat could not be started (${error.message})`));
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      const [done, total] = last.progress ?? [0, attack.size];
      // Exit codes: 0 cracked, 1 exhausted, 2 aborted (our SIGINT); anything else is a failure.
      if (code === 0 || (last.recovered_hashes?.[0] ?? 0) > 0)
        return resolve({ status: 'cracked', done, total });
      if (code === 1) return resolve({ status: 'exhausted', done: total, total });
      if (stopped) return resolve({ status: 'stopped', done, total });
      const words = stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exit code ${code}`;
      reject(new HashcatFailed(`hashcat failed on ${attack.label} (${words.replace(/\.$/, '')})`));
    });
  });
}
