import { rmSync } from 'node:fs';
import { ExitCode, ReclaimError } from '../errors.js';
import type { Backup } from './backup.js';
import type { BackupEntry } from './types.js';
import { BackupWriter } from './writer.js';

export interface DecryptCopySummary {
  files: number;
  bytes: number;
  missing: string[];
  failed: string[];
  warnings: string[];
}

const asInput = (e: BackupEntry) => ({
  domain: e.domain,
  relativePath: e.relativePath,
  kind: e.kind,
  target: e.target ?? undefined,
  mode: e.mode,
  protectionClass: e.protectionClass,
  modified: new Date(e.modified * 1000),
  created: new Date(e.created * 1000),
  statusChanged: new Date(e.statusChanged * 1000),
  ...(e.extras ? { extras: e.extras } : {}),
});

/**
 * Writes a complete unencrypted copy of an unlocked backup in the normal layout (plain index,
 * IsEncrypted false), which Reclaim and other backup readers open.
 */
export async function writeDecryptedCopy(
  backup: Backup,
  outDir: string,
  onFile?: (done: number, total: number) => void,
): Promise<DecryptCopySummary> {
  if (backup.locked)
    throw new ReclaimError('Unlock the backup before writing a decrypted copy.', ExitCode.usage);
  const manifest = { ...(backup.manifest ?? {}) };
  delete manifest['ManifestKey'];
  const writer = await BackupWriter.create(outDir, {
    format: backup.format,
    info: backup.info ?? undefined,
    status: backup.status ?? undefined,
    manifest,
  });
  const summary: DecryptCopySummary = { files: 0, bytes: 0, missing: [], failed: [], warnings: [] };
  const table = backup.entryTable();
  try {
    for (let index = 0; index < table.length; index++) {
      onFile?.(index, table.length);
      const entry = table.at(index);
      const label = `${entry.domain}/${entry.relativePath}`;
      if (entry.kind !== 'file') {
        writer.add(asInput(entry));
        continue;
      }
      const location = backup.dataLocation(entry);
      if (!location || 'refused' in location) {
        if (location) summary.failed.push(`${label}: ${location.refused}`);
        else summary.missing.push(label);
        writer.addMissing(asInput(entry), entry.size);
        continue;
      }
      try {
        const bytes = await writer.addStream(asInput(entry), backup.openEntry(entry).stream);
        summary.files++;
        summary.bytes += bytes;
        if (bytes !== entry.size)
          summary.warnings.push(
            `${label}: ${bytes} bytes decrypted, index says ${entry.size} (kept all)`,
          );
      } catch (error) {
        summary.failed.push(`${label}: ${(error as Error).message}`);
        writer.addMissing(asInput(entry), entry.size);
      }
    }
    await writer.finish();
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
  return summary;
}
