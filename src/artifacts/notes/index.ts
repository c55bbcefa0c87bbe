import { declaredIdentity } from '../identity.js';
import { emptyData, defineReader, type ArtifactData } from '../artifact.js';
import { defineArtifact } from '../declaration.js';
import { noneListed, readDatabase, type DatabaseLocation } from '../read-database.js';
import { readLegacyNotes } from './legacy.js';
import type { Note } from './model.js';
import { ATTACHMENT_NOT_IN_DATABASE, readNoteStore, SCHEMA_GAP } from './notestore.js';
import { LEGACY_NOTES_SCHEMA, NOTESTORE_SCHEMA } from './schema.js';

export type {
  Note,
  NoteAttachment,
  NoteParagraph,
  NoteRun,
  NoteFileRef,
  NoteLockState,
} from './model.js';
export { decodeNoteDocument } from './document.js';
export { decodeTable } from './table.js';

const NOTES_GROUP = 'AppDomainGroup-group.com.apple.notes';

/**
 * Notes: NoteStore.sqlite (iOS 9+, the gzipped protobuf documents, folders, accounts, attachments,
 * password-locked notes) and the legacy notes.sqlite (HTML bodies) of older backups.
 */
export const notesDeclaration = defineArtifact({
  id: 'notes',
  title: 'Notes',
  locations: {
    noteStore: {
      domain: NOTES_GROUP,
      path: 'NoteStore.sqlite',
      kind: 'database',
      ios: { from: 9 },
      naturalKey: [
        { table: 'ZICCLOUDSYNCINGOBJECT', columns: ['ZIDENTIFIER'] },
        { table: 'ZICNOTEDATA', columns: ['ZNOTE'] },
      ],
      schema: NOTESTORE_SCHEMA,
    },
    legacy: {
      domain: 'HomeDomain',
      path: 'Library/Notes/notes.sqlite',
      kind: 'database',
      ios: { through: 8 },
      naturalKey: [
        { table: 'ZNOTE', columns: ['ZGUID'] },
        { table: 'ZNOTEBODY', columns: ['ZOWNER'] },
      ],
      schema: LEGACY_NOTES_SCHEMA,
    },
    /** Attachments, drawings' fallback images, Paper documents' fallback PDFs and previews, per account or (older stores) at the top. */
    media: {
      domain: NOTES_GROUP,
      path: '{Accounts/*/,}{Media,FallbackImages,FallbackPDFs,Previews}/**',
      kind: 'media',
      catalog: false,
    },
  },
  identity: {
    describe: 'the note identifier (ZIDENTIFIER; ZGUID in notes.sqlite)',
    keys: [
      { fields: ['id'], from: { table: 'ZICCLOUDSYNCINGOBJECT', columns: ['ZIDENTIFIER'] } },
      { fields: ['id'], from: { table: 'ZNOTE', columns: ['ZGUID'] } },
    ],
  },
  needsNames: false,
  aliases: [],
  formats: ['html', 'md'],
  defaultFormats: ['html', 'md'],
});

/** A note by its identifier (its ZGUID in an old notes.sqlite). */
export const notesIdentity = declaredIdentity<Note>()(notesDeclaration, {
  volatile: ['pk', 'folderId', 'issues', 'store', 'lockState'],
});

const { noteStore, legacy: legacyStore, media } = notesDeclaration.locations;

export const notesArtifact = defineReader(notesDeclaration, async (source, options) => {
  const data = emptyData<Note>('notes');
  const read = (where: DatabaseLocation, reader: Parameters<typeof readDatabase>[4]) =>
    readDatabase(
      source,
      where,
      data,
      { title: notesDeclaration.title, recoverDeleted: options.recoverDeleted },
      reader,
    );
  const modern = await read(noteStore, (db, problems) =>
    readNoteStore(db, problems, source, options, data, media),
  );
  const legacy = await read(legacyStore, (db, problems) =>
    readLegacyNotes(db, problems, options, data),
  );
  if (noneListed(modern, legacy))
    data.notInBackup.push(
      'This backup holds no Notes database (NoteStore.sqlite or notes.sqlite).',
    );
  // A locked note without its body (lockState unset) is said by its own issue, not counted here.
  const locked = data.items.filter(
    (n) => n.locked && n.lockState !== undefined && n.lockState !== 'decrypted',
  );
  if (locked.length > 0) {
    const wrong = locked.filter((n) => n.lockState === 'wrong-password').length;
    const unsupported = locked.filter((n) => n.lockState === 'unsupported').length;
    const keychain = locked.filter((n) => n.lockState === 'keychain').length;
    const parts: string[] = [];
    if (wrong) parts.push(`${wrong} not unlocked by the password given`);
    if (keychain)
      parts.push(
        `${keychain} locked with the device passcode (iOS 16+ format: its key is kept in the device's keychain): the password alone cannot open them`,
      );
    if (unsupported) parts.push(`${unsupported} in a lock format not decrypted`);
    const noPassword = locked.length - wrong - unsupported - keychain;
    if (noPassword) parts.push(`${noPassword} need the notes password`);
    data.problems.push({
      severity: 'warning',
      message: `Notes: ${locked.length} locked note(s) listed by title only (${parts.join(', ')})`,
    });
  }
  // Attachments without a row are counted by the reader (or covered by its missing-column line).
  const linked = data.items
    .flatMap((n) => n.attachments)
    .filter((a) => a.note !== ATTACHMENT_NOT_IN_DATABASE && !a.note?.includes(SCHEMA_GAP));
  const missing = linked.filter(
    (a) =>
      a.files.length === 0 &&
      a.note &&
      !['hashtag', 'mention', 'link', 'calculation', 'url', 'table'].includes(a.kind),
  ).length;
  if (missing > 0)
    data.problems.push({
      severity: 'warning',
      message: `Notes: ${missing} attachment(s) without a file in the backup`,
    });
  const tables = linked.filter((a) => a.kind === 'table' && !a.table).length;
  if (tables > 0)
    data.problems.push({
      severity: 'warning',
      message: `Notes: ${tables} table(s) could not be decoded`,
    });
  return data;
});
