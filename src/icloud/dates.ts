/**
 * Dates as Apple's export writes them. Photo Details: "Thursday August 29,2013 7:08 AM GMT" (no space after the
 * comma, no seconds, 12-hour clock, UTC); variants with ", ", abbreviated names, seconds or a 24-hour clock are
 * read too. Notes Details: "08-29-2013 19:08:42" (UTC). Anything else is null, never a guess.
 */

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** A full English month name, or its three-letter (or "Sept") abbreviation: its index, else -1. */
function monthIndex(word: string): number {
  const w = word.toLowerCase();
  return MONTHS.findIndex(
    (m) => m === w || m.slice(0, 3) === w || (w === 'sept' && m === 'september'),
  );
}

const PHOTO_DATE =
  /^(?:[a-z]+\.?,?\s+)?([a-z]+)\.?\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*(?:(?:gmt|utc|z)\s*([+-]\d{1,2}(?::?\d{2})?)?)?$/i;

function utc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): Date | null {
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return null;
  const date = new Date(Date.UTC(year, month, day, hour, minute, second));
  return date.getUTCDate() === day && year > 1900 && year < 2200 ? date : null;
}

/** 12 AM is midnight, 12 PM is noon (a peer tool turned "12:xx PM" into hour 24). */
function hour24(hour: number, meridiem: string | undefined): number | null {
  if (!meridiem) return hour;
  if (hour < 1 || hour > 12) return null;
  const pm = meridiem.toLowerCase().startsWith('p');
  return (hour % 12) + (pm ? 12 : 0);
}

function offsetMinutes(text: string | undefined): number {
  if (!text) return 0;
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(text);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

export function parsePhotoDate(text: string | undefined): Date | null {
  const value = (text ?? '').trim();
  if (!value) return null;
  const m = PHOTO_DATE.exec(value);
  if (m) {
    const month = monthIndex(m[1]!);
    const hour = hour24(Number(m[4]), m[7]);
    if (month < 0 || hour === null) return null;
    const date = utc(Number(m[3]), month, Number(m[2]), hour, Number(m[5]), Number(m[6] ?? 0));
    return date && new Date(date.getTime() - offsetMinutes(m[8]) * 60_000);
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const date = new Date(value.replace(' ', 'T'));
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

const NOTE_DATE =
  /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?\s*(?:utc|gmt)?$/i;

export function parseNoteDate(text: string | undefined): Date | null {
  const m = NOTE_DATE.exec((text ?? '').trim());
  if (!m) return parsePhotoDate(text);
  const hour = hour24(Number(m[4]), m[7]);
  if (hour === null) return null;
  return utc(Number(m[3]), Number(m[1]) - 1, Number(m[2]), hour, Number(m[5]), Number(m[6] ?? 0));
}

/** "yes"/"no" flags (also true/false, 1/0). */
export const isYes = (text: string | undefined): boolean =>
  /^(yes|true|1|y)$/i.test((text ?? '').trim());
