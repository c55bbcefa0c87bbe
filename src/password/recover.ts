import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ExitCode, ReclaimError, SearchTooLongError } from '../errors.js';
import { buildPlan, type Plan, type PlanOptions } from './candidates/plan.js';
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
import {
  chooseHashcat,
  HashcatFailed,
  searchWithHashcat,
  type EngineName,
} from './hashcat/engine.js';

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
  /** The candidate options, or a plan already built from them (so errors in them come first). */
  plan: PlanOptions | Plan;
  threads?: number;
  force?: boolean;
  resume?: boolean;
  sessionPath?: string;
  signal?: AbortSignal;
  /** `hashcat` or `builtin`; left out, hashcat takes long searches when it sees a GPU. */
  engine?: EngineName;
  /** Where hashcat is looked for (PATH) and what it runs with. */
  env?: NodeJS.ProcessEnv;
  onStart?: (info: StartInfo) => void;
  onProgress?: (progress: Progress) => void;
  /** One-line notes: an engine that cannot be used and what is used instead, a hand-over to hashcat. */
  onNotice?: (line: string) => void;
}

export interface StartInfo {
  candidates: string;
  total: number;
  resumedAt: number | null;
  engine: EngineName;
  /** The kernel (built-in engine), or hashcat with its mode and devices. */
  backend: string;
  threads: number;
  rate: number;
  eta: number;
  sessionPath: string;
  /** A saved session of this search is being overwritten because --resume was not given. */
  replacesSession: boolean;
}

export interface RecoverResult extends SearchResult {
  /** hashcat runs keep no session: a stopped one starts over. */
  engine: EngineName;
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

/**
 * Plans the candidates and runs them: on hashcat when asked (or for a long search when it sees a GPU),
 * otherwise on the built-in engine, which refuses a search that cannot finish and saves checkpoints.
 */
export async function recoverPassword(options: RecoverOptions): Promise<RecoverResult> {
  const plan = 'parts' in options.plan ? options.plan : buildPlan(options.plan);
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
  const hashcat = chooseHashcat({
    engine: options.engine,
    resume: options.resume,
    builtinEta: eta,
    env: options.env,
    onNotice: options.onNotice,
  });
  if (hashcat) {
    try {
      const result = await searchWithHashcat({
        hashcat,
        target: options.target,
        plan,
        env: options.env,
        signal: options.signal,
        onStart: (backend) =>
          options.onStart?.({
            candidates: plan.source.label,
            total,
            resumedAt: null,
            engine: 'hashcat',
            backend,
            threads: 0,
            rate: 0,
            eta: Infinity,
            sessionPath,
            replacesSession: false,
          }),
        onProgress: options.onProgress,
      });
      return { ...result, engine: 'hashcat', sessionPath };
    } catch (error) {
      if (!(error instanceof HashcatFailed)) throw error;
      options.onNotice?.(`${error.message}: going on with the built-in engine.`);
    }
  }
  if (eta > MAX_SEARCH_SECONDS && !options.force) {
    throw new SearchTooLongError(
      `This search has ${total.toLocaleString('en-US')} candidates: about ${formatDuration(eta)} at ${estimate.rate.toFixed(2)} guesses/s on ${threads} threads. ` +
        'Narrow it (--remember what you recall, a shorter mask, a smaller wordlist), run it on a GPU with --engine hashcat (or hand `reclaim password hash` to hashcat elsewhere), or pass --force.',
      eta,
      estimate.rate,
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
    engine: 'builtin',
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
  return { ...result, engine: 'builtin', sessionPath };
}
