import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { CorruptInputError, ExitCode, ReclaimError } from '../errors.js';
import { parseKeybag, type Keybag } from './keybag.js';
import { readPlistDict, type PlistDict } from './plist.js';

/** Manifest.plist: encryption state, keybag, manifest key, apps. Absent in some partial backups. */
export function readManifestPlist(backupDir: string, root?: string): PlistDict | null {
  const path = join(backupDir, 'Manifest.plist');
  if (!existsSync(path)) return null;
  return readPlistDict(path, 'Manifest.plist', root ?? realpathSync.native(backupDir));
}

export function isEncrypted(manifest: PlistDict | null): boolean {
  return manifest?.['IsEncrypted'] === true;
}

export function keybagOf(manifest: PlistDict): Keybag {
  const data = manifest['BackupKeyBag'];
  if (!Buffer.isBuffer(data)) throw new CorruptInputError('Manifest.plist has no BackupKeyBag.');
  return parseKeybag(data);
}

/** The keybag of an encrypted backup folder (for password recovery and unlocking). */
export function loadBackupKeybag(backupDir: string): Keybag {
  const manifest = readManifestPlist(backupDir);
  if (!manifest)
    throw new ReclaimError(
      `No Manifest.plist in ${backupDir}: not a backup folder, or an incomplete one.`,
      ExitCode.notFound,
    );
  if (!isEncrypted(manifest))
    throw new ReclaimError(
      'This backup is not encrypted: it has no password to recover.',
      ExitCode.badInput,
    );
  return keybagOf(manifest);
}

/** ManifestKey (iOS 10.2+ encrypted backups): 4-byte little-endian class + wrapped key. */
export function manifestKeyOf(manifest: PlistDict): Buffer | null {
  const key = manifest['ManifestKey'];
  return Buffer.isBuffer(key) ? key : null;
}
