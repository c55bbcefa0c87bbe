/** "3 h 20 min", "45 s", "12 years": durations for people. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'forever';
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600)
    return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
  if (seconds < 730 * 86400) return `${Math.round(seconds / 86400)} days`;
  return `${(seconds / (365.25 * 86400)).toPrecision(3)} years`;
}
