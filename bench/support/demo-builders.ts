// The demo builders the benches use, imported through this one file (they may move out of src/demo).
export {
  buildPhotosSqlite,
  type LibraryAlbum,
  type LibraryAsset,
} from '../../src/demo/photo-library.js';
export { buildSmsDb, type SmsMessageSpec, type SmsSpec } from '../../src/demo/sms-db.js';
export { BackupWriter } from '../../src/backup/writer.js';
export { fileIdOf } from '../../src/backup/file-id.js';
