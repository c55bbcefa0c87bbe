/** Phone-like text: digits with the usual separators ("(415) 555-0123", "+44 7700 900123"). */
const PHONE_LIKE = /^[\d\s()+\-.]+$/;
const digits = (text: string) => text.replace(/\D+/g, '');

/**
 * Whether `q` matches what the page shows: any case, and a number typed in any format finds the number
 * however it is written ("4155550123" finds "(415) 555-0123", and the other way round).
 */
export function matchesShown(shown: string, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  if (shown.toLowerCase().includes(needle)) return true;
  if (!PHONE_LIKE.test(needle)) return false;
  const wanted = digits(needle);
  return wanted.length >= 3 && shown.split('\n').some((part) => digits(part).includes(wanted));
}
