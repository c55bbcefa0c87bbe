import type { Plan } from '../candidates/plan.js';
import type { Progress, SearchResult } from '../engine.js';
import { formatDuration } from '../format.js';
import type { HashTarget } from '../hash-line.js';
import { backendForFew } from '../native.js';
import { findPassword } from '../verifier.js';
import { PasswordWorkspace } from '../workspace.js';
import { planAttacks } from './attacks.js';
import { HashcatFailed, runHashcat } from './run.js';
import { hasGpu, hashcatMode, probeHashcat, type Hashcat } from './tool.js';

export type EngineName = 'builtin' | 'hashcat';

/** Without --engine, a search longer than this on this computer's cores goes to a GPU hashcat sees. */
export const HASHCAT_AFTER_SECONDS = 3600;

export interface EngineChoice {
  /** The engine asked for; undefined lets the size of the search and the GPUs decide. */
  engine?: EngineName;
  resume?: boolean;
  /** Seconds the built-in engine would take. */
  builtinEta: number;
  env?: NodeJS.ProcessEnv;
  onNotice?: (line: string) => void;
}

const describeDevices = (hashcat: Hashcat, type?: 'GPU') =>
  hashcat.devices
    .filter((d) => !type || d.type === type)
    .map((d) => d.name || d.type)
    .join(', ');

/**
 * hashcat when it was asked for and works, or when it was not asked for but sees a GPU and the search
 * would take more than an hour here; null for the built-in engine. Every fall-back is one line.
 */
export function chooseHashcat(choice: EngineChoice): Hashcat | null {
  const notice = (line: string) => choice.onNotice?.(line);
  const asked = choice.engine === 'hashcat';
  if (choice.engine === 'builtin') return null;
  if (!asked && !(choice.builtinEta > HASHCAT_AFTER_SECONDS)) return null;
  if (choice.resume) {
    if (asked)
      notice('hashcat cannot go on from a saved session: --resume uses the built-in engine.');
    return null;
  }
  const probe = probeHashcat(choice.env);
  if (typeof probe === 'string') {
    if (asked) notice(`${probe}: using the built-in engine.`);
    return null;
  }
  if (asked) return probe;
  if (!hasGpu(probe)) return null;
  notice(
    `This search would take about ${formatDuration(choice.builtinEta)} on this computer's cores, and hashcat sees a GPU (${describeDevices(probe, 'GPU')}): handing it to hashcat (--engine builtin keeps it here).`,
  );
  return probe;
}

export interface HashcatSearch {
  hashcat: Hashcat;
  target: HashTarget;
  plan: Plan;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onStart?: (description: string) => void;
  onProgress?: (progress: Progress) => void;
}

/**
 * Hands the plan to hashcat in a private workspace that is wiped whatever happens, and checks what it
 * cracks with Reclaim's own verifier before believing it.
 */
export async function searchWithHashcat(search: HashcatSearch): Promise<SearchResult> {
  const workspace = PasswordWorkspace.create();
  try {
    const attacks = planAttacks(search.plan, workspace);
    search.onStart?.(
      `hashcat ${search.hashcat.version} (mode ${hashcatMode(search.target)}) on ${describeDevices(search.hashcat)}`,
    );
    const result = await runHashcat({
      hashcat: search.hashcat,
      target: search.target,
      attacks,
      workspace,
      env: search.env,
      signal: search.signal,
      onProgress: search.onProgress,
    });
    if (result.found && findPassword(search.target, backendForFew(1), [result.password!]) !== 0)
      throw new HashcatFailed('hashcat returned a password that does not unlock this target');
    return result;
  } finally {
    workspace.dispose();
  }
}

export { HashcatFailed };
