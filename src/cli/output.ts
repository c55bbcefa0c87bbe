import { ExitCode, ReclaimError } from '../errors.js';
import type { Clock } from '../time.js';

export { formatBytes } from '../units.js';

/** --utc, on the commands that show times (they show this computer's zone, TZ respected, by default). */
export const UTC_HELP = "show times in UTC (default: this computer's time zone)";

/** An ISO time for people: "2021-12-03 14:33:13 (America/New_York)"; as stored ("...Z") with --utc. */
export function formatWhen(iso: string | null | undefined, clock: Clock): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (clock.utc || Number.isNaN(date.getTime())) return iso;
  return `${clock.text(date)} (${clock.zone})`;
}

export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
  );
}

/** Prints rows as aligned columns. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}

export function printFields(
  fields: [string, string | number | boolean | null | undefined][],
): void {
  const width = Math.max(...fields.map(([k]) => k.length));
  for (const [key, value] of fields) {
    if (value === null || value === undefined || value === '') continue;
    console.log(`${`${key}:`.padEnd(width + 1)} ${value}`);
  }
}

/**
 * --from / --to: a day (YYYY-MM-DD, in this computer's zone, or UTC with --utc; --to means the end of that day)
 * or an ISO 8601 time.
 */
export function parseDateOption(
  text: string | undefined,
  edge: 'start' | 'end',
  options: { utc?: boolean } = {},
): Date | undefined {
  if (text === undefined) return undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  let date: Date;
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]) - 1, Number(day[3])];
    const hms: [number, number, number, number] =
      edge === 'start' ? [0, 0, 0, 0] : [23, 59, 59, 999];
    date = options.utc ? new Date(Date.UTC(y, m, d, ...hms)) : new Date(y, m, d, ...hms);
  } else date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new ReclaimError(
      `"${text}" is not a date: give YYYY-MM-DD or an ISO 8601 time.`,
      ExitCode.usage,
    );
  return date;
}
