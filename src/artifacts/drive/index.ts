import { declaredIdentity } from '../identity.js';
import { defineReader, emptyData } from '../artifact.js';
import { defineArtifact } from '../declaration.js';

/** iCloud Drive: never in a device backup; Apple's data export holds it (src/icloud reads it). */
export const driveDeclaration = defineArtifact({
  id: 'drive',
  title: 'iCloud Drive',
  locations: {},
  identity: { describe: 'the file\u2019s path in iCloud Drive', keys: [{ fields: ['path'] }] },
  needsNames: false,
  aliases: ['icloud-drive'],
  formats: ['csv'],
  defaultFormats: ['csv'],
});

/** A file of iCloud Drive (or any file of a data export that fits no other data type), in its folder tree. */
export interface DriveFile {
  /** Where it sat, with forward slashes ("iCloud Drive/Documents/Taxes/2023.pdf"). */
  path: string;
  size: number;
  modified: Date | null;
  /** Where its bytes are: the archive (or folder) of the export, and the path inside it. */
  domain: string;
  relativePath: string;
}

/** A Drive file by its path. */
export const driveIdentity = declaredIdentity<DriveFile>()(driveDeclaration, {
  volatile: ['domain', 'relativePath'],
});

/** Device backups never hold iCloud Drive; Apple's data export does (src/icloud reads it). */
export const driveArtifact = defineReader(driveDeclaration, async () => {
  const data = emptyData<DriveFile>('drive');
  data.notInBackup.push(
    'iCloud Drive files are never in device backups: they live in iCloud (Apple\u2019s "copy of your data" export holds them, and Reclaim reads it)',
  );
  return data;
});
