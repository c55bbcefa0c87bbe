import { ExitCode, ReclaimError } from '../../errors.js';
import type { CandidateSource } from './source.js';

/** One rule: a chain of hashcat operations applied to a word (as code points). */
export type Rule = (word: string) => string;

type Op = (w: string[]) => string[];

/** hashcat positions: 0-9 then A-Z for 10-35. */
function position(char: string | undefined): number {
  if (char === undefined) return NaN;
  if (/^[0-9]$/.test(char)) return Number(char);
  if (/^[A-Z]$/.test(char)) return char.charCodeAt(0) - 55;
  return NaN;
}

const upperFirst = (w: string[]) => w.map((c, i) => (i === 0 ? c.toUpperCase() : c.toLowerCase()));
const toggle = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());

/** Operations without arguments. */
const SIMPLE: Record<string, Op> = {
  ':': (w) => w,
  l: (w) => w.map((c) => c.toLowerCase()),
  u: (w) => w.map((c) => c.toUpperCase()),
  c: upperFirst,
  C: (w) => upperFirst(w).map(toggle),
  t: (w) => w.map(toggle),
  r: (w) => [...w].reverse(),
  d: (w) => [...w, ...w],
  f: (w) => [...w, ...[...w].reverse()],
  q: (w) => w.flatMap((c) => [c, c]),
  '{': (w) => [...w.slice(1), ...w.slice(0, 1)],
  '}': (w) => [...w.slice(-1), ...w.slice(0, -1)],
  '[': (w) => w.slice(1),
  ']': (w) => w.slice(0, -1),
};

/** Operations with arguments: [argument kinds ('n' position, 'c' character), build]. */
const WITH_ARGS: Record<string, [string, (a: string[]) => Op]> = {
  $: [
    'c',
    ([x]) =>
      (w) => [...w, x!],
  ],
  '^': [
    'c',
    ([x]) =>
      (w) => [x!, ...w],
  ],
  s: [
    'cc',
    ([x, y]) =>
      (w) =>
        w.map((c) => (c === x ? y! : c)),
  ],
  '@': [
    'c',
    ([x]) =>
      (w) =>
        w.filter((c) => c !== x),
  ],
  T: [
    'n',
    ([n]) =>
      (w) =>
        w.map((c, i) => (i === position(n) ? toggle(c) : c)),
  ],
  D: [
    'n',
    ([n]) =>
      (w) =>
        w.filter((_, i) => i !== position(n)),
  ],
  "'": [
    'n',
    ([n]) =>
      (w) =>
        w.slice(0, position(n)),
  ],
  p: [
    'n',
    ([n]) =>
      (w) =>
        Array.from({ length: position(n) + 1 }, () => w).flat(),
  ],
  z: [
    'n',
    ([n]) =>
      (w) =>
        w.length ? [...new Array<string>(position(n)).fill(w[0]!), ...w] : w,
  ],
  Z: [
    'n',
    ([n]) =>
      (w) =>
        w.length ? [...w, ...new Array<string>(position(n)).fill(w[w.length - 1]!)] : w,
  ],
  x: [
    'nn',
    ([n, m]) =>
      (w) =>
        w.slice(position(n), position(n) + position(m)),
  ],
  i: [
    'nc',
    ([n, x]) =>
      (w) =>
        position(n) <= w.length ? [...w.slice(0, position(n)), x!, ...w.slice(position(n))] : w,
  ],
  o: [
    'nc',
    ([n, x]) =>
      (w) =>
        w.map((c, i) => (i === position(n) ? x! : c)),
  ],
};

function badRule(text: string, where: string, reason: string): ReclaimError {
  return new ReclaimError(`Bad rule ${JSON.stringify(text)}${where}: ${reason}.`, ExitCode.usage);
}

/** Parses one hashcat rule line (e.g. `c $1 $!`, `sa@ so0`). Spaces between operations are ignored. */
export function parseRule(text: string, where = ''): Rule {
  const chars = Array.from(text);
  const ops: Op[] = [];
  for (let i = 0; i < chars.length; i++) {
    const name = chars[i]!;
    if (name === ' ' || name === '\t') continue;
    const simple = SIMPLE[name];
    if (simple) {
      ops.push(simple);
      continue;
    }
    const withArgs = WITH_ARGS[name];
    if (!withArgs) throw badRule(text, where, `unsupported operation "${name}"`);
    const [kinds, build] = withArgs;
    const args = Array.from(kinds, (kind) => {
      const arg = chars[++i];
      if (arg === undefined) throw badRule(text, where, `"${name}" is missing its argument`);
      if (kind === 'n' && Number.isNaN(position(arg)))
        throw badRule(text, where, `"${name}" needs a position 0-9 or A-Z, not "${arg}"`);
      return arg;
    });
    ops.push(build(args));
  }
  return (word) => ops.reduce((w, op) => op(w), Array.from(word)).join('');
}

/** A rules file: one rule per line; blank lines and lines starting with # are skipped. */
export function parseRules(content: string, fileName: string): Rule[] {
  const rules: Rule[] = [];
  content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, index) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      rules.push(parseRule(line, ` (${fileName} line ${index + 1})`));
    });
  if (rules.length === 0)
    throw new ReclaimError(`Rules file ${fileName} holds no rules.`, ExitCode.usage);
  return rules;
}

/** Every word through every rule, word by word; a word's repeated results are skipped. */
export function rulesSource(
  label: string,
  words: readonly string[],
  rules: readonly Rule[],
): CandidateSource {
  return {
    label,
    size: words.length * rules.length,
    *slots(start) {
      for (let w = Math.floor(start / rules.length); w < words.length; w++) {
        const seen = new Set<string>();
        for (let r = 0; r < rules.length; r++) {
          const candidate = rules[r]!(words[w]!);
          const duplicate = seen.has(candidate);
          seen.add(candidate);
          if (w * rules.length + r >= start) yield duplicate ? null : candidate;
        }
      }
    },
  };
}
