import { listSource, type CandidateSource } from './source.js';

/** Most common 4-digit PINs, most frequent first (DataGenetics' analysis of 3.4 M leaked PINs). */
export const COMMON_PINS_4 = [
  '1234',
  '1111',
  '0000',
  '1212',
  '7777',
  '1004',
  '2000',
  '4444',
  '2222',
  '6969',
  '9999',
  '3333',
  '5555',
  '6666',
  '1122',
  '1313',
  '8888',
  '4321',
  '2001',
  '1010',
];

/** Most common 6-digit PINs, most frequent first. */
export const COMMON_PINS_6 = [
  '123456',
  '654321',
  '111111',
  '000000',
  '123123',
  '666666',
  '121212',
  '112233',
  '789456',
  '159753',
  '777777',
  '555555',
  '696969',
  '222222',
  '333333',
  '444444',
  '888888',
  '999999',
  '987654',
  '123321',
  '112358',
  '101010',
  '147258',
  '102030',
  '131313',
  '520520',
  '159357',
  '753951',
  '147852',
  '258258',
];

/** Walks on a keyboard or a phone keypad. */
export const KEYBOARD_WALKS = [
  '12345678',
  '123456789',
  '1234567890',
  'qwerty',
  'qwertyuiop',
  'asdfgh',
  'asdfghjkl',
  'zxcvbn',
  'qazwsx',
  '1qaz2wsx',
  'zaq12wsx',
  '1q2w3e',
  '1q2w3e4r',
  '1q2w3e4r5t',
  'q1w2e3r4',
  '123qwe',
  'qwe123',
  '1234qwer',
  'qwer1234',
  'asdf1234',
  'qweasd',
  'qweasdzxc',
  'azerty',
  'qwertz',
  '0987654321',
  '987654321',
  '2580',
  '0852',
  '1470',
  '3690',
  '1397',
  '2468',
  '1357',
  '13579',
  '02468',
  '147258369',
  '741852963',
  '963852741',
  '159357',
  '14789',
  '123654',
  '1236987',
  '78963214',
];

const pad = (n: number) => String(n).padStart(2, '0');

/** Every calendar day (month, day) of a leap year. */
function days(): [number, number][] {
  const out: [number, number][] = [];
  for (let m = 1; m <= 12; m++)
    for (let d = 1; d <= new Date(Date.UTC(2000, m, 0)).getUTCDate(); d++) out.push([m, d]);
  return out;
}

function isRealDate(y: number, m: number, d: number): boolean {
  return new Date(Date.UTC(y, m - 1, d)).getUTCMonth() === m - 1;
}

/** Dates as people type them, newest years first: DDMMYY, MMDDYY, YYMMDD, then DDMMYYYY, MMDDYYYY, YYYYMMDD. */
function dates(fromYear: number, toYear: number, longYear: boolean): string[] {
  const out: string[] = [];
  for (let y = toYear; y >= fromYear; y--) {
    const year = longYear ? String(y) : String(y).slice(2);
    for (const [m, d] of days()) {
      if (!isRealDate(y, m, d)) continue;
      out.push(
        `${pad(d)}${pad(m)}${year}`,
        `${pad(m)}${pad(d)}${year}`,
        `${year}${pad(m)}${pad(d)}`,
      );
    }
  }
  return out;
}

/**
 * Built-in candidates worth trying first, most likely first: common PINs, years, birthdays as 4-digit
 * PINs, the remaining 4-digit PINs, keyboard walks, common 6-digit PINs, then dates.
 */
export function builtinCandidates(now = new Date()): string[] {
  const thisYear = now.getFullYear();
  const years = Array.from({ length: thisYear - 1950 + 1 }, (_, i) => String(thisYear - i));
  const dayMonth = days().flatMap(([m, d]) => [`${pad(d)}${pad(m)}`, `${pad(m)}${pad(d)}`]);
  const allPins4 = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));
  return [
    ...new Set([
      ...COMMON_PINS_4,
      ...years,
      ...dayMonth,
      ...allPins4,
      ...KEYBOARD_WALKS,
      ...COMMON_PINS_6,
      ...dates(1950, thisYear, false),
      ...dates(1950, thisYear, true),
    ]),
  ];
}

export function builtinSource(now = new Date()): CandidateSource {
  return listSource('built-in PINs, dates and keyboard walks', builtinCandidates(now));
}
