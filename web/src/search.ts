/**
 * Whether `q` matches what a row shows: any case, and a number typed in any format finds the number
 * however it is written ("4155550123" finds "(415) 555-0123"). The server's twin is src/server/search-text.ts.
 */
const PHONE_LIKE = /^[\d\s()+\-.]+$/;
const digits = (text: string) => text.replace(/\D+/g, '');

export function matchesShown(shown: readonly string[], q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  if (shown.some((s) => s.toLowerCase().includes(needle))) return true;
  if (!PHONE_LIKE.test(needle)) return false;
  const wanted = digits(needle);
  return wanted.length >= 3 && shown.some((s) => digits(s).includes(wanted));
}
