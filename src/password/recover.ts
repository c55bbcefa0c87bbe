import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ExitCode, ReclaimError } from '../errors.js';
import { buildPlan, type PlanOptions } from './candidates/plan.js';
import {
  defaultSessionPath,
  digest,
  readCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
  type Checkpoint,
} from './checkpoint.js';
import { search, type Progress, type SearchResult, type SearchState } from './engine.js';
import { formatHashLine, type HashTarget } from './hash-line.js';
import {
  availableBackends,
  chooseBackend,
  chooseSha1,
  measureSha1,
  sha1StageByName,
  type Pbkdf2Backend,
} from './native.js';
import { formatDuration } from './format.js';

/** Searches longer than this are refused unless forced. */
export const MAX_SEARCH_SECONDS = 24 * 3600;
/** Aim for batches of about this long, so progress and checkpoints stay fresh. */
const BATCH_SECONDS = 1;

export interface Estimate {
  backend: Pbkdf2Backend;
  threads: number;
  /** Candidates one kernel call computes together (batches are multiples of it). */
  lanes: number;
  /** Seconds one thread spends on one candidate. */
  secondsPerCandidate: number;
  /** Guesses per second on all threads. */
  rate: number;
}

/** Measures this machine: the fastest PBKDF2-SHA256 backend and the fastest SHA-1 stage. */
export function estimateSpeed(target: HashTarget, threads = availableParallelism()): Estimate {
  const sha1 = chooseSha1();
  // Older keybags have no first stage: any backend will do, for its SHA-1 stage.
  const { backend, secondsPerIteration } =
    target.dpic !== null
      ? chooseBackend()
      : { backend: availableBackends(sha1.stage.name)[0]!, secondsPerIteration: 0 };
  const sha1Seconds =
    backend.sha1Name === sha1.stage.name
      ? sha1.secondsPerIteration
      : measureSha1(sha1StageByName(backend.sha1Name));
  const secondsPerCandidate =
    secondsPerIteration * (target.dpic ?? 0) + sha1Seconds * target.iterations;
  return {
    backend,
    threads,
    lanes: target.dpic !== null ? backend.lanes : backend.sha1Lanes,
    secondsPerCandidate,
    rate: Math.min(threads, availableParallelism()) / secondsPerCandidate,
  };
}

export interface RecoverOptions {
  target: HashTarget;
  plan: PlanOptions;
  threads?: number;
  force?: boolean;
  resume?: boolean;
  sessionPath?: string;
  signal?: AbortSignal;
  onStart?: (info: StartInfo) => void;
  onProgress?: (progress: Progress) => void;
}

export interface StartInfo {
  candidates: string;
  total: number;
  resumedAt: number | null;
  backend: string;
  threads: number;
  rate: number;
  eta: number;
  sessionPath: string;
  /** A saved session of this search is being overwritten because --resume was not given. */
  replacesSession: boolean;
}

export interface RecoverResult extends SearchResult {
  sessionPath: string;
}

function resumePoint(path: string, target: string, plan: string): SearchState {
  const saved = readCheckpoint(path);
  if (!saved)
    throw new ReclaimError(`There is no saved session to resume at ${path}.`, ExitCode.notFound);
  if (saved.target !== target)
    throw new ReclaimError(
      `The saved session at ${path} belongs to another backup or hash.`,
      ExitCode.usage,
    );
  if (saved.plan !== plan)
    throw new ReclaimError(
      `The saved session at ${path} was started with other candidate options; repeat them to resume, or drop --resume to start over.`,
      ExitCode.usage,
    );
  return saved;
}

/** Plans the candidates, refuses a search that cannot finish, runs it with checkpoints. */
export async function recoverPassword(options: RecoverOptions): Promise<RecoverResult> {
  const plan = buildPlan(options.plan);
  const line = formatHashLine(options.target);
  const sessionPath = options.sessionPath ?? defaultSessionPath(line);
  const ids = { target: digest(line), plan: digest(plan.fingerprint) };
  const resumeFrom = options.resume ? resumePoint(sessionPath, ids.target, ids.plan) : undefined;
  const replacesSession = !options.resume && existsSync(sessionPath);

  const threads = Math.max(1, options.threads ?? availableParallelism());
  const estimate = estimateSpeed(options.target, threads);
  const total = plan.source.size;
  const remaining = total - (resumeFrom?.position ?? 0);
  const eta = remaining / estimate.rate;
  if (eta > MAX_SEARCH_SECONDS && !options.force) {
    throw new ReclaimError(
      `This search has ${total.toLocaleString('en-US')} candidates: about ${formatDuration(eta)} at ${estimate.rate.toFixed(2)} guesses/s on ${threads} threads. ` +
        'Narrow it (--remember what you recall, a shorter mask, a smaller wordlist), hand the hash line to hashcat on GPUs (reclaim password hash), or pass --force.',
      ExitCode.usage,
    );
  }
  const lanes = estimate.lanes;
  const perThread = Math.ceil(remaining / threads / lanes) * lanes;
  const batchSize = Math.max(
    lanes,
    Math.min(perThread, Math.round(BATCH_SECONDS / estimate.secondsPerCandidate / lanes) * lanes),
  );

  options.onStart?.({
    candidates: plan.source.label,
    total,
    resumedAt: resumeFrom?.position ?? null,
    // The kernel doing the work: SHA-256 on iOS 10.2+, SHA-1 before.
    backend: options.target.dpic !== null ? estimate.backend.name : estimate.backend.sha1Name,
    threads,
    rate: estimate.rate,
    eta,
    sessionPath,
    replacesSession,
  });
  const save = ({ position, tried, seconds }: SearchState) => {
    const checkpoint: Checkpoint = {
      version: 1,
      ...ids,
      position,
      tried,
      seconds,
      savedAt: new Date().toISOString(),
    };
    writeCheckpoint(sessionPath, checkpoint);
  };
  const result = await search({
    target: options.target,
    source: plan.source,
    backend: estimate.backend.name,
    sha1: estimate.backend.sha1Name,
    threads,
    batchSize,
    resumeFrom,
    expectedRate: estimate.rate,
    signal: options.signal,
    onProgress: options.onProgress,
    onCheckpoint: save,
  });
  if (result.stopped) save(result);
  else removeCheckpoint(sessionPath);
  return { ...result, sessionPath };
}
