import { readFileSync } from 'node:fs';

/**
 * This process's peak resident memory in MB. On Linux it is VmHWM: getrusage's maxRSS starts from the
 * parent's peak in a spawned child (the memory map is copied at fork), so it would report the bench's
 * own peak (generating backups) instead of the child's.
 */
export function peakMB() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS / 1024;
}
