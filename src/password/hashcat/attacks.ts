import { ExitCode, ReclaimError } from '../../errors.js';
import type { Plan, PlanPart } from '../candidates/plan.js';
import { take } from '../candidates/source.js';
import type { PasswordWorkspace } from '../workspace.js';

/** One hashcat run: an attack mode, its options and its input (a wordlist or an .hcmask file). */
export interface HashcatAttack {
  label: string;
  /** Candidates in this step as Reclaim counts them (hashcat reports its own count as it runs). */
  size: number;
  mode: 0 | 3;
  options: string[];
  input: string;
}

/** Generated candidates as big as this at most are handed over as a list. */
const MAX_LISTED = 10_000_000;

/**
 * A wordlist line hashcat reads back as exactly `word`: lines that would be cut (line breaks) or read
 * as hex ($HEX[...]) go as $HEX[...] themselves.
 */
export function wordlistLine(word: string): string {
  if (!/[\r\n]/.test(word) && !word.startsWith('$HEX[')) return word;
  return `$HEX[${Buffer.from(word, 'utf8').toString('hex')}]`;
}

/**
 * `cs1,cs2,cs3,cs4,mask` as hashcat's .hcmask files want: a backslash takes the next character as it is
 * (commas, backslashes, and a leading # that would make the line a comment).
 */
export function hcmaskLine(mask: string, charsets: readonly (string | undefined)[]): string {
  const escape = (text: string) => text.replace(/[\\,]/g, (c) => `\\${c}`);
  const used = charsets.slice(0, 4).map((c) => c ?? '');
  while (used.length && used[used.length - 1] === '') used.pop();
  return [...used.map(escape), escape(mask)].join(',').replace(/^#/, '\\#');
}

function listAttack(part: PlanPart, workspace: PasswordWorkspace, index: number): HashcatAttack {
  if (part.source.size > MAX_LISTED)
    throw new ReclaimError(
      `${part.source.label} has ${part.source.size.toLocaleString('en-US')} candidates, too many to hand to hashcat as a list; narrow it.`,
      ExitCode.usage,
    );
  const lines = take(part.source).map(wordlistLine);
  const input = workspace.write(`candidates-${index}.txt`, `${lines.join('\n')}\n`);
  return { label: part.source.label, size: part.source.size, mode: 0, options: [], input };
}

/**
 * The plan as hashcat runs, in the same order: generated candidates (remembered words, built-in lists)
 * and masks whose custom charsets are not plain ASCII go as wordlists written to the workspace; the
 * owner's wordlists and rules files are handed over as they are; masks go in .hcmask files, so nothing
 * that looks like a password ever appears on hashcat's command line.
 */
export function planAttacks(plan: Plan, workspace: PasswordWorkspace): HashcatAttack[] {
  return plan.parts.map((part, index): HashcatAttack => {
    const { label, size } = part.source;
    switch (part.kind) {
      case 'wordlist':
        return {
          label,
          size,
          mode: 0,
          options: part.rulesFile ? ['-r', part.rulesFile] : [],
          input: part.path,
        };
      case 'mask': {
        // hashcat counts charsets in bytes: a non-ASCII charset would mean other candidates.
        if (part.charsets.some((c) => c !== undefined && /[^\x20-\x7e]/.test(c)))
          return listAttack(part, workspace, index);
        const input = workspace.write(
          `mask-${index}.hcmask`,
          `${hcmaskLine(part.mask, part.charsets)}\n`,
        );
        return { label, size, mode: 3, options: part.increment ? ['--increment'] : [], input };
      }
      default:
        return listAttack(part, workspace, index);
    }
  });
}
