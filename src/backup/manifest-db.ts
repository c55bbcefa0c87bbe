import Database from 'better-sqlite3';
import { CorruptInputError } from '../errors.js';
import { isValidFileId, kindFromMode } from './file-id.js';
import { decodeKeyedArchive, encodeKeyedArchive } from './nskeyedarchiver.js';
import type { BackupEntry, EntryKind } from './types.js';

const FLAG_KINDS: Record<number, EntryKind> = { 1: 'file', 2: 'directory', 4: 'symlink' };
const KIND_FLAGS: Record<EntryKind, number> = { file: 1, directory: 2, symlink: 4 };

export interface IndexReadResult {
  entries: BackupEntry[];
  /** Rows that could not be used, each with the reason (bad fileID, damaged MBFile). */
  problems: string[];
}

interface FileRow { fileID: unknown; domain: unknown; relativePath: unknown; flags: unknown; file: unknown }

/** Opens Manifest.db bytes in memory: nothing is ever written beside the backup. */
function openInMemory(data: Buffer): Database.Database {
  if (data.length < 100 || data.subarray(0, 16).toString('latin1') !== 'SQLite format 3\0') {
    throw new CorruptInputError('Manifest.db is not an SQLite database (damaged, truncated, or still encrypted).');
  }
  if (data[18] === 2 || data[19] === 2) {
    // A WAL-mode header cannot be opened from memory; mark our private copy as rollback-journal mode.
    data = Buffer.from(data);
    data[18] = 1;
    data[19] = 1;
  }
  try {
    return new Database(data, { readonly: true });
  } catch (error) {
    throw new CorruptInputError(`Manifest.db cannot be opened: ${(error as Error).message}`, { cause: error });
  }
}

const num = (value: unknown): number => (typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : 0);

export function readManifestDb(data: Buffer): IndexReadResult {
  const db = openInMemory(data);
  const entries: BackupEntry[] = [];
  const problems: string[] = [];
  try {
    let rows: Iterable<FileRow>;
    try {
      rows = db.prepare('SELECT fileID, domain, relativePath, flags, file FROM Files').iterate() as Iterable<FileRow>;
    } catch (error) {
      throw new CorruptInputError(`Manifest.db has no readable Files table: ${(error as Error).message}`, { cause: error });
    }
    try {
      for (const row of rows) {
        const fileID = String(row.fileID ?? '');
        const domain = String(row.domain ?? '');
        const relativePath = String(row.relativePath ?? '');
        if (!isValidFileId(fileID)) {
          problems.push(`refused fileID ${JSON.stringify(fileID.slice(0, 80))} (${domain}/${relativePath}): not 40 hex digits`);
          continue;
        }
        let fields: Record<string, unknown> = {};
        if (Buffer.isBuffer(row.file)) {
          try {
            const decoded = decodeKeyedArchive(row.file);
            if (typeof decoded === 'object' && decoded !== null) fields = decoded as Record<string, unknown>;
          } catch (error) {
            problems.push(`${domain}/${relativePath}: damaged file record (${(error as Error).message})`);
          }
        }
        const mode = num(fields['Mode']);
        const key = fields['EncryptionKey'];
        const target = fields['Target'];
        entries.push({
          domain, relativePath, fileID,
          kind: kindFromMode(mode) ?? FLAG_KINDS[num(row.flags)] ?? 'file',
          size: num(fields['Size']), mode,
          modified: num(fields['LastModified']),
          created: num(fields['Birth']),
          statusChanged: num(fields['LastStatusChange']),
          protectionClass: num(fields['ProtectionClass']),
          wrappedKey: Buffer.isBuffer(key) && key.length > 4 ? key : null,
          target: typeof target === 'string' ? target : null,
        });
      }
    } catch (error) {
      if (error instanceof CorruptInputError) throw error;
      throw new CorruptInputError(`Manifest.db is damaged: ${(error as Error).message}`, { cause: error });
    }
  } finally {
    db.close();
  }
  return { entries, problems };
}

/** Builds a Manifest.db (as bytes) for the backup writer, in the layout iOS 10+ uses. */
export function serializeManifestDb(entries: BackupEntry[]): Buffer {
  const db = new Database(':memory:');
  try {
    db.exec(`CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
      CREATE INDEX FilesDomainIdx ON Files(domain);
      CREATE INDEX FilesRelativePathIdx ON Files(relativePath);
      CREATE INDEX FilesFlagsIdx ON Files(flags);
      CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);`);
    const insert = db.prepare('INSERT INTO Files VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const e of entries) {
        const blob = encodeKeyedArchive('MBFile', ['NSObject'], {
          LastModified: e.modified, Flags: 0, GroupID: 501, LastStatusChange: e.statusChanged,
          RelativePath: e.relativePath, Birth: e.created, EncryptionKey: e.wrappedKey, Size: e.size,
          Mode: e.mode, UserID: 501, InodeNumber: 0, ProtectionClass: e.protectionClass, Target: e.target,
        });
        insert.run(e.fileID, e.domain, e.relativePath, KIND_FLAGS[e.kind], blob);
      }
    })();
    return db.serialize();
  } finally {
    db.close();
  }
}
