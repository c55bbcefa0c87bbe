import { UTC_CLOCK, type Clock } from '../../time.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-02-10 1742" in the clock's zone, for file names that sort by time; "undated" when unknown. */
export function stampForName(date: Date | null, clock: Clock = UTC_CLOCK): string {
  if (!date || Number.isNaN(date.getTime())) return 'undated';
  const w = clock.wall(date);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}${pad(w.minute)}`;
}
