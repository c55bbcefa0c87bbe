import { readFileSync, statSync } from 'node:fs';
import { ExitCode, ReclaimError } from '../../errors.js';
import { builtinSource } from './builtin.js';
import { maskSource, type CustomCharsets } from './mask.js';
import { rememberSource } from './remember.js';
import { parseRules, rulesSource } from './rules.js';
import { concatSources, listSource, type CandidateSource } from './source.js';
import { loadWordlist } from './wordlist.js';

export interface PlanOptions {
  remember?: string;
  wordlists?: readonly string[];
  rulesFile?: string;
  mask?: string;
  charsets?: CustomCharsets;
  increment?: boolean;
  /** Also try the built-in PINs, dates and keyboard walks (always, when nothing else is given). */
  builtin?: boolean;
  now?: Date;
}

/** One step of a plan, as another cracker (hashcat) can be told to run it. */
export type PlanPart =
  | { kind: 'list'; source: CandidateSource }
  | { kind: 'wordlist'; path: string; rulesFile?: string; source: CandidateSource }
  | {
      kind: 'mask';
      mask: string;
      charsets: CustomCharsets;
      increment: boolean;
      source: CandidateSource;
    };

export interface Plan {
  source: CandidateSource;
  /** The steps `source` runs through, in order. */
  parts: PlanPart[];
  /** Identifies the candidate order, so a resume can tell it is continuing the same search. */
  fingerprint: string;
}

function readRules(path: string) {
  try {
    return parseRules(readFileSync(path, 'utf8'), path);
  } catch (error) {
    if (error instanceof ReclaimError) throw error;
    throw new ReclaimError(
      `Cannot read rules file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      ExitCode.notFound,
    );
  }
}

/**
 * The candidates in most-likely-first order: what the owner remembers, then wordlists (through the
 * rules), then the built-in lists, then the mask.
 */
export function buildPlan(options: PlanOptions): Plan {
  const now = options.now ?? new Date();
  const parts: PlanPart[] = [];
  const identity: unknown[] = [];
  if (options.remember !== undefined) {
    parts.push({ kind: 'list', source: rememberSource(options.remember, now) });
    identity.push(['remember', options.remember, now.getFullYear()]);
  }
  const wordlists = options.wordlists ?? [];
  if (options.rulesFile && wordlists.length === 0)
    throw new ReclaimError(
      '--rules applies to wordlists: give at least one --wordlist.',
      ExitCode.usage,
    );
  const rules = options.rulesFile ? readRules(options.rulesFile) : null;
  const seen = new Set<string>();
  for (const path of wordlists) {
    const words = loadWordlist(path, seen);
    const source = rules
      ? rulesSource(`${path} with rules`, words, rules)
      : listSource(path, words);
    parts.push({ kind: 'wordlist', path, rulesFile: options.rulesFile, source });
    const { size, mtimeMs } = statSync(path);
    identity.push(['wordlist', path, size, mtimeMs]);
  }
  if (options.rulesFile) identity.push(['rules', readFileSync(options.rulesFile, 'utf8')]);
  if (options.builtin || (parts.length === 0 && options.mask === undefined)) {
    parts.push({ kind: 'list', source: builtinSource(now) });
    identity.push(['builtin', now.getFullYear()]);
  }
  if (options.mask !== undefined) {
    const charsets = options.charsets ?? [];
    const increment = options.increment ?? false;
    const source = maskSource(options.mask, charsets, increment);
    parts.push({ kind: 'mask', mask: options.mask, charsets, increment, source });
    identity.push(['mask', options.mask, options.charsets ?? [], options.increment ?? false]);
  }
  const sources = parts.map((p) => p.source);
  const source =
    sources.length === 1
      ? sources[0]!
      : concatSources(sources.map((p) => p.label).join(', then '), sources);
  return { source, parts, fingerprint: JSON.stringify(identity) };
}
