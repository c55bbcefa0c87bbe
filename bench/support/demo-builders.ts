// The demo builders the benches use, imported through this one file (in demo/src).
export {
  buildPhotosSqlite,
  type LibraryAlbum,
  type LibraryAsset,
} from '../../demo/src/photo-library.js';
export { buildSmsDb, type SmsMessageSpec, type SmsSpec } from '../../demo/src/sms-db.js';
export { BackupWriter } from '../../src/backup/writer.js';
export { fileIdOf } from '../../src/backup/file-id.js';
