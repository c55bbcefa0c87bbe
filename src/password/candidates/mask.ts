import { ExitCode, ReclaimError } from '../../errors.js';
import { concatSources, type CandidateSource } from './source.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const SPECIAL = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** hashcat's built-in charsets. ?b (raw bytes) is left out: candidates here are UTF-8 text. */
const BUILTIN: Record<string, string> = {
  l: LOWER,
  u: UPPER,
  d: DIGITS,
  s: SPECIAL,
  a: LOWER + UPPER + DIGITS + SPECIAL,
  h: `${DIGITS}abcdef`,
  H: `${DIGITS}ABCDEF`,
};

/** Custom charsets -1..-4 (index 0 is -1). */
export type CustomCharsets = readonly (string | undefined)[];

function malformed(mask: string, reason: string): ReclaimError {
  return new ReclaimError(`Malformed mask ${JSON.stringify(mask)}: ${reason}.`, ExitCode.usage);
}

/** Expands `?x` references in a charset definition (custom charsets may use the built-in ones). */
function expandCharset(definition: string, what: string, custom: CustomCharsets | null): string[] {
  const chars = Array.from(definition);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== '?') {
      out.push(chars[i]!);
      continue;
    }
    const key = chars[++i];
    if (key === undefined) throw malformed(what, 'it ends with a lone "?"');
    if (key === '?') out.push('?');
    else if (BUILTIN[key]) out.push(...BUILTIN[key]!);
    else if (custom && /^[1-4]$/.test(key)) {
      const set = custom[Number(key) - 1];
      if (set === undefined || set === '')
        throw malformed(what, `?${key} is used but -${key} is not given`);
      out.push(...expandCharset(set, `-${key} ${set}`, null));
    } else if (key === 'b')
      throw malformed(what, '?b (raw bytes) is not supported; passwords are text');
    else throw malformed(what, `unknown charset ?${key}`);
  }
  return out;
}

/** One character set per position, duplicates removed, in hashcat's order. */
export function parseMask(mask: string, custom: CustomCharsets = []): string[][] {
  if (mask === '') throw malformed(mask, 'it is empty');
  const positions: string[][] = [];
  const chars = Array.from(mask);
  for (let i = 0; i < chars.length; i++) {
    const piece = chars[i] === '?' ? `?${chars[++i] ?? ''}` : chars[i]!;
    if (piece === '?') throw malformed(mask, 'it ends with a lone "?"');
    positions.push([...new Set(expandCharset(piece, mask, custom))]);
  }
  return positions;
}

/** Every string of one fixed mask; the last position changes fastest (0000, 0001, ...). */
function fixedMaskSource(mask: string, positions: string[][]): CandidateSource {
  const size = positions.reduce((n, set) => n * set.length, 1);
  return {
    label: `mask ${mask}`,
    size,
    *slots(start) {
      if (start >= size) return;
      const digits = new Array<number>(positions.length).fill(0);
      let rest = start;
      for (let p = positions.length - 1; p >= 0; p--) {
        digits[p] = rest % positions[p]!.length;
        rest = Math.floor(rest / positions[p]!.length);
      }
      for (let index = start; index < size; index++) {
        yield digits.map((d, p) => positions[p]![d]).join('');
        for (let p = positions.length - 1; p >= 0; p--) {
          if (++digits[p]! < positions[p]!.length) break;
          digits[p] = 0;
        }
      }
    },
  };
}

/** A hashcat-style mask; with `increment`, every prefix length from 1 up, shortest first. */
export function maskSource(
  mask: string,
  custom: CustomCharsets = [],
  increment = false,
): CandidateSource {
  const positions = parseMask(mask, custom);
  if (!increment) return fixedMaskSource(mask, positions);
  const lengths = positions.map((_, i) =>
    fixedMaskSource(`${mask} [${i + 1}]`, positions.slice(0, i + 1)),
  );
  return concatSources(`mask ${mask} (increment)`, lengths);
}
