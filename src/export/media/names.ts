const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-02-10 1742" (UTC) for file names that sort by time; "undated" when unknown. */
export function stampForName(date: Date | null): string {
  if (!date || Number.isNaN(date.getTime())) return 'undated';
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}`;
}
