import { ExitCode, ReclaimError } from '../../errors.js';
import { listSource, type CandidateSource } from './source.js';

const SEPARATORS = ['', '.', '_', '-', ' '];
const SUFFIXES = [
  '1',
  '!',
  '123',
  '12',
  '1!',
  '01',
  '2',
  '7',
  '13',
  '69',
  '99',
  '00',
  '0',
  '11',
  '22',
  '321',
  '1234',
  '!!',
  '?',
  '.',
  '@',
  '#',
  '*',
];
const LEET: readonly [string, string][] = [
  ['a', '@'],
  ['a', '4'],
  ['e', '3'],
  ['i', '1'],
  ['o', '0'],
  ['s', '$'],
  ['s', '5'],
  ['t', '7'],
];
const FULL_LEET: Record<string, string> = { a: '@', e: '3', i: '1', o: '0', s: '$' };
const MAX_FRAGMENTS = 6;

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();

/** Splits the --remember text: fragments separated by commas. */
export function parseFragments(text: string): string[] {
  const fragments = [
    ...new Set(
      text
        .split(',')
        .map((f) => f.trim())
        .filter((f) => f !== ''),
    ),
  ];
  if (fragments.length === 0)
    throw new ReclaimError(
      '--remember needs some words or fragments, separated by commas (e.g. "rex,1987,blue").',
      ExitCode.usage,
    );
  if (fragments.length > MAX_FRAGMENTS)
    throw new ReclaimError(
      `--remember takes at most ${MAX_FRAGMENTS} fragments (got ${fragments.length}): keep the ones you are surest of.`,
      ExitCode.usage,
    );
  return fragments;
}

/** Ordered selections of k distinct fragments. */
function arrangements(items: readonly string[], k: number): string[][] {
  if (k === 0) return [[]];
  return items.flatMap((item, i) =>
    arrangements([...items.slice(0, i), ...items.slice(i + 1)], k - 1).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

/** The words alone and put together, in the usual capitalisations: most likely first. */
function bases(fragments: readonly string[]): string[] {
  const out = [...fragments, fragments.join('')];
  for (const style of [
    (s: string) => s.toLowerCase(),
    capitalize,
    (s: string) => s.toUpperCase(),
  ]) {
    out.push(...fragments.map(style), fragments.map(style).join(''));
  }
  for (let k = 2; k <= Math.min(3, fragments.length); k++) {
    for (const parts of arrangements(fragments, k)) {
      for (const sep of SEPARATORS) {
        out.push(
          parts.join(sep),
          parts.join(sep).toLowerCase(),
          parts.map(capitalize).join(sep),
          capitalize(parts.join(sep)),
          parts.join(sep).toUpperCase(),
        );
      }
    }
  }
  return [...new Set(out)];
}

function leetVariants(word: string): string[] {
  const lower = word.toLowerCase();
  const single = LEET.filter(([from]) => lower.includes(from)).map(([from, to]) =>
    word.replace(new RegExp(from, 'gi'), to),
  );
  const full = word.replace(/[aeios]/gi, (c) => FULL_LEET[c.toLowerCase()]!);
  return [...single, full].filter((v) => v !== word);
}

/** Candidates built from what the owner remembers, in tiers from most to least likely. */
export function rememberCandidates(fragments: readonly string[], now = new Date()): string[] {
  const base = bases(fragments);
  const thisYear = now.getFullYear();
  const years: string[] = [];
  for (let y = thisYear; y >= 1950; y--) years.push(String(y));
  for (let y = thisYear; y >= 1950; y--) years.push(String(y).slice(2));
  const out = [...base];
  for (const suffix of SUFFIXES) out.push(...base.map((b) => b + suffix));
  for (const year of years) out.push(...base.map((b) => b + year));
  const leet = base.flatMap(leetVariants);
  for (const suffix of ['', '1', '!', '123']) out.push(...leet.map((l) => l + suffix));
  return [...new Set(out)];
}

export function rememberSource(text: string, now = new Date()): CandidateSource {
  return listSource('remembered words', rememberCandidates(parseFragments(text), now));
}
