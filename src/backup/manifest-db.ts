import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CorruptInputError } from '../errors.js';
import { EntryTableBuilder, type EntryTable } from './entry-table.js';
import { isValidFileId, kindFromMode } from './file-id.js';
import { FILES_COLUMNS, readFilesFromPages, type FilesRow } from './manifest-pages.js';
import { readMBFile, type MBFileFields } from './mbfile.js';
import { encodeKeyedArchive } from './nskeyedarchiver.js';
import type { BackupEntry, EntryKind, IndexExtras } from './types.js';

const FLAG_KINDS: Record<number, EntryKind> = { 1: 'file', 2: 'directory', 4: 'symlink' };
const KIND_FLAGS: Record<EntryKind, number> = { file: 1, directory: 2, symlink: 4 };

export interface IndexReadResult {
  entries: EntryTable;
  /** Rows refused, each with the reason: a fileID that could name a file outside the backup. */
  refused: string[];
  /** Damage, each said in one line: an MBFile record that could not be read, where a damaged index stopped. */
  damaged: string[];
}

/**
 * Opens a private copy of Manifest.db (made by the caller in a private temporary folder) read-only:
 * nothing is ever written beside the backup.
 */
function openPrivateCopy(path: string): Database.Database {
  const head = Buffer.alloc(100);
  const fd = openSync(path, 'r+');
  try {
    readSync(fd, head, 0, 100, 0);
    if (head.subarray(0, 16).toString('latin1') !== 'SQLite format 3\0') {
      throw new CorruptInputError(
        'Manifest.db is not an SQLite database (damaged, truncated, or still encrypted).',
      );
    }
    // A WAL-mode header would make SQLite look for -wal/-shm files: mark our copy as rollback-journal mode.
    if (head[18] === 2 || head[19] === 2) writeSync(fd, Buffer.from([1, 1]), 0, 2, 18);
  } finally {
    closeSync(fd);
  }
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    // One pass over the rows needs no page cache; SQLite's 16 MB default would stay in this process.
    db.pragma('cache_size = -512');
    return db;
  } catch (error) {
    throw new CorruptInputError(`Manifest.db cannot be opened: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Room made at once for at most this many rows; a larger index grows as it is read. */
const MAX_EXPECTED_ROWS = 4_000_000;

const num = (value: unknown): number =>
  typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : 0;

/** Turns Files rows into index entries, refusing unsafe fileIDs and saying which records are damaged. */
class RowCollector {
  readonly entries: EntryTableBuilder;
  readonly refused: string[] = [];
  readonly damaged: string[] = [];

  constructor(expectedRows: number) {
    this.entries = new EntryTableBuilder(expectedRows);
  }

  add([rawFileID, rawDomain, rawPath, flags, file]: FilesRow): void {
    const fileID = String(rawFileID ?? '');
    const domain = String(rawDomain ?? ''); // the table keeps one string per domain
    // A path in bytes (from the page reader, or a blob) is UTF-8, as SQLite would give it as text.
    const relativePath = Buffer.isBuffer(rawPath) ? rawPath : String(rawPath ?? '');
    const pathText = () => relativePath.toString();
    if (!isValidFileId(fileID)) {
      const shown = rawFileID === null ? 'NULL' : JSON.stringify(fileID.slice(0, 80));
      this.refused.push(
        `${JSON.stringify(`${domain}/${pathText()}`)}: fileID ${shown} is not 40 hex digits (it could name a file outside the backup)`,
      );
      return;
    }
    let fields: MBFileFields = {};
    if (Buffer.isBuffer(file)) {
      try {
        fields = readMBFile(file);
      } catch (error) {
        this.damaged.push(
          `${domain}/${pathText()}: damaged file record (${(error as Error).message.replace(/\.$/, '')})`,
        );
      }
    }
    const mode = num(fields['Mode']);
    const key = fields['EncryptionKey'];
    const target = fields['Target'];
    this.entries.add({
      domain,
      relativePath,
      fileID,
      kind: kindFromMode(mode) ?? FLAG_KINDS[num(flags)] ?? 'file',
      size: num(fields['Size']),
      mode,
      modified: num(fields['LastModified']),
      created: num(fields['Birth']),
      statusChanged: num(fields['LastStatusChange']),
      protectionClass: num(fields['ProtectionClass']),
      // Copied into the table as it is added: a view into the record is fine here.
      wrappedKey: Buffer.isBuffer(key) && key.length > 4 ? key : null,
      target: typeof target === 'string' ? target : null,
      extras: extrasOf(flags, fields),
    });
  }

  result(): IndexReadResult {
    return { entries: this.entries.build(), refused: this.refused, damaged: this.damaged };
  }
}

const filesQuery = (db: Database.Database, sql: string) => {
  try {
    return db.prepare(sql).raw(true);
  } catch (error) {
    throw new CorruptInputError(
      `Manifest.db has no readable Files table: ${(error as Error).message}`,
      { cause: error },
    );
  }
};

/**
 * Reads the index from a private copy of Manifest.db (see `withPrivateCopy`): from its pages when they
 * are as SQLite writes them and hold as many rows as SQLite counts, else row by row through SQLite.
 */
export function readManifestDb(privateCopyPath: string): IndexReadResult {
  const db = openPrivateCopy(privateCopyPath);
  try {
    const count = filesQuery(db, 'SELECT count(*) FROM Files');
    const rows = filesQuery(db, `SELECT ${FILES_COLUMNS.join(', ')} FROM Files`);
    let collector: RowCollector;
    try {
      const [expected] = count.get() as [number];
      collector = new RowCollector(Math.min(expected, MAX_EXPECTED_ROWS));
      if (readFilesFromPages(privateCopyPath, expected, (row) => collector.add(row)))
        return collector.result();
      collector = new RowCollector(Math.min(expected, MAX_EXPECTED_ROWS));
      for (const row of rows.iterate() as Iterable<FilesRow>) collector.add(row);
    } catch (error) {
      if (error instanceof CorruptInputError) throw error;
      throw new CorruptInputError(`Manifest.db is damaged: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return collector.result();
  } finally {
    db.close();
  }
}

/** The row's fields Reclaim does not use, as stored (absent ones stay absent). */
function extrasOf(rowFlags: unknown, fields: MBFileFields): IndexExtras {
  const extras: IndexExtras = {};
  if (typeof rowFlags === 'number') extras.rowFlags = rowFlags;
  if (typeof fields.Flags === 'number') extras.flags = fields.Flags;
  if (typeof fields.InodeNumber === 'number') extras.inode = fields.InodeNumber;
  if (typeof fields.UserID === 'number') extras.uid = fields.UserID;
  if (typeof fields.GroupID === 'number') extras.gid = fields.GroupID;
  return extras;
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
        // A row read from a backup keeps the fields it had (and only those); a new row gets iOS's defaults.
        const x = e.extras;
        const kept = (value: number | undefined, fallback: number) =>
          x ? (value ?? null) : (value ?? fallback);
        const blob = encodeKeyedArchive('MBFile', ['NSObject'], {
          LastModified: e.modified,
          Flags: kept(x?.flags, 0),
          GroupID: kept(x?.gid, 501),
          LastStatusChange: e.statusChanged,
          RelativePath: e.relativePath,
          Birth: e.created,
          EncryptionKey: e.wrappedKey,
          Size: e.size,
          Mode: e.mode,
          UserID: kept(x?.uid, 501),
          InodeNumber: kept(x?.inode, 0),
          ProtectionClass: e.protectionClass,
          Target: e.target,
        });
        insert.run(
          e.fileID,
          e.domain,
          e.relativePath,
          e.extras?.rowFlags ?? KIND_FLAGS[e.kind],
          blob,
        );
      }
    })();
    return db.serialize();
  } finally {
    db.close();
  }
}
