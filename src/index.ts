/**
 * Reclaim's library API: what the CLI and the web UI are built on. Open a backup (unlocking it when it
 * is encrypted), list and read its files, read any data type into plain records, export them, carve
 * deleted records out of SQLite files, and recover a forgotten backup password. See the README.
 */

// Backups: find, open, unlock, list and read entries, extract, decrypt.
export { Backup, type Credentials, type EntryStream, type IndexFormat } from './backup/backup.js';
export type { BackupEntry, EntryKind } from './backup/types.js';
export { defaultBackupRoots, findBackups, isBackupFolder } from './backup/discover.js';
export {
  describeBackup,
  summarize,
  type BackupDetails,
  type BackupSummary,
} from './backup/describe.js';
export { selectEntries, type EntryFilter } from './backup/select.js';
export {
  extractBackup,
  type ExtractOptions,
  type ExtractProgress,
  type ExtractSummary,
} from './backup/extract.js';
export { writeDecryptedCopy, type DecryptCopySummary } from './backup/decrypt-copy.js';
export { DEMO_PASSWORD, demoBackupPath } from './demo/location.js';

// Sources: a backup or Apple's iCloud data export, behind one interface (read any data type from either).
export { openSource, findSources, findIcloudExports } from './sources/open.js';
export { BackupDataSource } from './sources/backup-source.js';
export { IcloudExportSource } from './icloud/source.js';
export type {
  DataSource,
  FileRef,
  RecordOf,
  SourceDescription,
  SourceFile,
  SourceFiles,
  SourceKind,
} from './sources/data-source.js';

// Data types: what each is and where it lives (declarations), and how to read it.
export {
  ARTIFACT_IDS,
  ARTIFACTS,
  DECLARATIONS,
  NEEDS_NAMES,
  artifactById,
  artifactDescriptors,
  artifactIdFor,
  declarationOf,
  type ArtifactId,
  type ArtifactItem,
} from './artifacts/registry.js';
export type {
  Artifact,
  ArtifactData,
  Problem,
  ReadOptions,
  RecoveredMark,
} from './artifacts/artifact.js';
export type {
  ArtifactDeclaration,
  ArtifactDescriptor,
  ArtifactLocation,
  CrossBackupIdentity,
  ExportFormat,
  IosRange,
  LocationDescriptor,
  RowKey,
} from './artifacts/declaration.js';
export { DATA_LOCATIONS, countCategories, type CategoryCount } from './artifacts/catalog.js';
export {
  BackupSource,
  LooseFilesSource,
  type ArtifactSource,
  type LooseFile,
} from './artifacts/source.js';
export { PrivateWorkspace, withWorkspace } from './artifacts/workspace.js';
export { nameIndexFrom } from './artifacts/contacts/index.js';
export type { CalendarEvent } from './artifacts/calendar/index.js';
export type { CallRecord } from './artifacts/calls/index.js';
export type { Contact } from './artifacts/contacts/index.js';
export type {
  Conversation,
  ConversationMessage,
  MessageAttachment,
  Participant,
} from './artifacts/conversation.js';
export type { Note } from './artifacts/notes/index.js';
export type { PhotoAsset, PhotoFile } from './artifacts/photos/index.js';
export type { Reminder } from './artifacts/reminders/index.js';
export type { SafariItem } from './artifacts/safari/index.js';
export type { VoiceMemo } from './artifacts/voice-memos/index.js';
export type { Voicemail } from './artifacts/voicemail/index.js';

// Export: data types into standard formats.
export { exportArtifacts, type ArtifactExport, type ExportEvents } from './export/run.js';
export type { ExportOptions, ExportSummary, Exporter } from './export/exporter.js';
export { exporterFor, EXPORTERS } from './export/registry.js';

// Deleted records: carving an SQLite file (and its WAL / journal), read-only.
export {
  carveDatabase,
  type CarveOptions,
  type CarveResult,
  type RecoveredRecord,
  type SqlValue,
} from './sqlite-recovery/index.js';

// Password recovery: the owner's own candidates, or the hash line for hashcat / John the Ripper.
export {
  estimateSpeed,
  recoverPassword,
  type RecoverOptions,
  type RecoverResult,
} from './password/recover.js';
export type { PlanOptions } from './password/candidates/plan.js';
export {
  formatHashLine,
  hashTargetFromKeybag,
  parseHashLine,
  type HashTarget,
} from './password/hash-line.js';
export { loadBackupKeybag } from './backup/manifest-plist.js';

// Errors: each carries the CLI's exit code.
export { CorruptInputError, ExitCode, ReclaimError, WrongPasswordError } from './errors.js';
