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

export interface Plan {
  source: CandidateSource;
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
  const parts: CandidateSource[] = [];
  const identity: unknown[] = [];
  if (options.remember !== undefined) {
    parts.push(rememberSource(options.remember, now));
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
    parts.push(rules ? rulesSource(`${path} with rules`, words, rules) : listSource(path, words));
    const { size, mtimeMs } = statSync(path);
    identity.push(['wordlist', path, size, mtimeMs]);
  }
  if (options.rulesFile) identity.push(['rules', readFileSync(options.rulesFile, 'utf8')]);
  if (options.builtin || (parts.length === 0 && options.mask === undefined)) {
    parts.push(builtinSource(now));
    identity.push(['builtin', now.getFullYear()]);
  }
  if (options.mask !== undefined) {
    parts.push(maskSource(options.mask, options.charsets ?? [], options.increment ?? false));
    identity.push(['mask', options.mask, options.charsets ?? [], options.increment ?? false]);
  }
  const source =
    parts.length === 1
      ? parts[0]!
      : concatSources(parts.map((p) => p.label).join(', then '), parts);
  return { source, fingerprint: JSON.stringify(identity) };
}
