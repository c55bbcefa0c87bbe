import { basename } from 'node:path';
import type { SourceSummary } from './summary.js';

/** iTunes keeps a backup it archives ("Archive" in Devices) as a copy named UDID-YYYYMMDD-HHMMSS. */
const ARCHIVED = /^(.+)-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/;

export interface ArchiveName {
  udid: string;
  date: Date;
}

/** The device and time an archived backup's folder name gives ("…-20250117-090000"); null for other folders. */
export function archiveName(path: string): ArchiveName | null {
  const m = ARCHIVED.exec(basename(path));
  if (!m) return null;
  const date = new Date(`${m[2]}-${m[3]}-${m[4]}T${m[5]}:${m[6]}:${m[7]}Z`);
  return Number.isNaN(date.getTime()) ? null : { udid: m[1]!, date };
}

/** One source in a device's list: a backup (perhaps an archived copy) or an iCloud export. */
export type ListedSource = SourceSummary & {
  /** Which device it is of: "udid:…", "serial:…|name", or "export" for iCloud data exports. */
  device: string;
  /** An archived copy (UDID-YYYYMMDD-HHMMSS) rather than the device's current backup. */
  archived: boolean;
};

export interface DeviceGroup {
  device: string;
  /** The newest source's description of the device. */
  deviceName: string | null;
  model: string | null;
  udid: string | null;
  /** Newest first. */
  sources: ListedSource[];
}

function deviceKey(s: SourceSummary & { serialNumber?: string | null }): string {
  if (s.kind === 'icloud-export') return 'export';
  const udid = s.udid ?? archiveName(s.path)?.udid ?? null;
  if (udid) return `udid:${udid.toUpperCase()}`;
  if (s.serialNumber || s.deviceName) return `serial:${s.serialNumber ?? ''}|${s.deviceName ?? ''}`;
  return `path:${s.path}`;
}

const when = (s: ListedSource): number => {
  const t = s.lastBackupDate ? Date.parse(s.lastBackupDate) : NaN;
  return Number.isNaN(t) ? (archiveName(s.path)?.date.getTime() ?? -Infinity) : t;
};

/**
 * Sources grouped by the device they are of (its UDID; for old backups without one, its serial number and
 * name), each group newest first, groups ordered by their newest source. iCloud exports form a group of
 * their own (an export says whose account, not which device).
 */
export function groupByDevice(
  summaries: Array<SourceSummary & { serialNumber?: string | null }>,
): DeviceGroup[] {
  const groups = new Map<string, ListedSource[]>();
  for (const s of summaries) {
    const device = deviceKey(s);
    const listed: ListedSource = { ...s, device, archived: archiveName(s.path) !== null };
    const list = groups.get(device);
    if (list) list.push(listed);
    else groups.set(device, [listed]);
  }
  return [...groups]
    .map(([device, sources]) => {
      sources.sort((a, b) => when(b) - when(a) || a.path.localeCompare(b.path));
      const newest = sources[0]!;
      return {
        device,
        deviceName: newest.deviceName,
        model: newest.model,
        udid: newest.udid ?? archiveName(newest.path)?.udid ?? null,
        sources,
      };
    })
    .sort((a, b) => when(b.sources[0]!) - when(a.sources[0]!) || a.device.localeCompare(b.device));
}
