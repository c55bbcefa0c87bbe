import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { modelName } from './device-models.js';
import { isValidFileId } from './file-id.js';
import type { Backup, IndexFormat } from './backup.js';
import { isDict, type PlistDict, type PlistValue } from './plist.js';

export interface BackupSummary {
  path: string;
  udid: string | null;
  deviceName: string | null;
  productType: string | null;
  model: string | null;
  iosVersion: string | null;
  buildVersion: string | null;
  lastBackupDate: string | null;
  encrypted: boolean;
  format: IndexFormat;
  /** Entries in the index; null while an encrypted index is locked. */
  indexedFiles: number | null;
  /** Data files stored in the folder. */
  filesOnDisk: number;
  sizeOnDisk: number;
  /** From Status.plist's SnapshotState; null when Status.plist is absent or does not say. */
  finished: boolean | null;
  /** Why `finished` is unknown (no Status.plist, or one that does not say); null when it is known. */
  finishedUnknown: string | null;
  /** Top-level files a complete backup has and this one lacks. */
  missingParts: string[];
}

export interface BackupDetails extends BackupSummary {
  serialNumber: string | null;
  phoneNumber: string | null;
  imei: string | null;
  iTunesVersion: string | null;
  passcodeSet: boolean | null;
  fullBackup: boolean | null;
  backupState: string | null;
  snapshotState: string | null;
  manifestVersion: string | null;
  keybag: { version: number; iterations: number; dpic: number | null; classKeys: number } | null;
  installedApps: string[];
}

const str = (value: PlistValue | undefined): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
const date = (value: PlistValue | undefined): string | null =>
  value instanceof Date && !Number.isNaN(value.getTime())
    ? value.toISOString()
    : typeof value === 'string'
      ? value
      : null;
const bool = (value: PlistValue | undefined): boolean | null =>
  typeof value === 'boolean' ? value : null;

function diskUsage(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (path: string, depth: number) => {
    for (const item of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, item.name);
      if (item.isDirectory() && depth < 2) walk(full, depth + 1);
      else if (item.isFile()) {
        bytes += statSync(full).size;
        if (isValidFileId(item.name)) files++;
      }
    }
  };
  walk(dir, 0);
  return { files, bytes };
}

export function summarize(backup: Backup): BackupSummary {
  const info = backup.info ?? {};
  const lockdown = isDict(backup.manifest?.['Lockdown'])
    ? (backup.manifest!['Lockdown'] as PlistDict)
    : {};
  const productType = str(info['Product Type']) ?? str(lockdown['ProductType']);
  const usage = diskUsage(backup.dir);
  const missingParts = ['Info.plist', 'Manifest.plist', 'Status.plist'].filter(
    (name, i) => [backup.info, backup.manifest, backup.status][i] === null,
  );
  const snapshot = backup.status?.['SnapshotState'];
  let indexedFiles: number | null = null;
  if (backup.indexReadable) {
    try {
      indexedFiles = backup.entryTable().length;
    } catch {
      indexedFiles = null;
    }
  }
  return {
    path: backup.dir,
    udid:
      str(info['Unique Identifier']) ??
      str(info['Target Identifier']) ??
      str(lockdown['UniqueDeviceID']),
    deviceName: str(info['Device Name']) ?? str(lockdown['DeviceName']),
    productType,
    model: modelName(productType),
    iosVersion: str(info['Product Version']) ?? str(lockdown['ProductVersion']),
    buildVersion: str(info['Build Version']) ?? str(lockdown['BuildVersion']),
    lastBackupDate:
      date(info['Last Backup Date']) ??
      date(backup.status?.['Date']) ??
      date(backup.manifest?.['Date']),
    encrypted: backup.encrypted,
    format: backup.format,
    indexedFiles,
    filesOnDisk: usage.files,
    sizeOnDisk: usage.bytes,
    finished: typeof snapshot === 'string' ? snapshot === 'finished' : null,
    finishedUnknown:
      typeof snapshot === 'string'
        ? null
        : backup.status === null
          ? 'no Status.plist'
          : Object.keys(backup.status).length === 0
            ? 'Status.plist is empty'
            : 'Status.plist has no SnapshotState',
    missingParts,
  };
}

export function describeBackup(backup: Backup): BackupDetails {
  const info = backup.info ?? {};
  const manifest = backup.manifest ?? {};
  const status = backup.status ?? {};
  const fromInfo = Array.isArray(info['Installed Applications'])
    ? info['Installed Applications'].filter((a): a is string => typeof a === 'string')
    : [];
  const fromManifest = isDict(manifest['Applications'])
    ? Object.keys(manifest['Applications'] as PlistDict)
    : [];
  const bag = backup.keybag;
  return {
    ...summarize(backup),
    serialNumber: str(info['Serial Number']),
    phoneNumber: str(info['Phone Number']),
    imei: str(info['IMEI']),
    iTunesVersion: str(info['iTunes Version']),
    passcodeSet: bool(manifest['WasPasscodeSet']),
    fullBackup: bool(status['IsFullBackup']),
    backupState: str(status['BackupState']),
    snapshotState: str(status['SnapshotState']),
    manifestVersion: str(manifest['Version']),
    keybag: bag
      ? {
          version: bag.version,
          iterations: bag.iterations,
          dpic: bag.dpic,
          classKeys: bag.classKeys.length,
        }
      : null,
    installedApps: [...new Set([...fromInfo, ...fromManifest])].sort(),
  };
}
