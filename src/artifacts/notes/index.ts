import { emptyData, defineReader, type ArtifactData } from '../artifact.js';
import { defineArtifact } from '../declaration.js';
import { held, readDatabase, type DatabaseLocation } from '../read-database.js';
import { readLegacyNotes } from './legacy.js';
import type { Note } from './model.js';
import { readNoteStore } from './notestore.js';

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
    },
    legacy: {
      domain: 'HomeDomain',
      path: 'Library/Notes/notes.sqlite',
      kind: 'database',
      ios: { through: 8 },
      naturalKey: [{ table: 'ZNOTE', columns: ['ZGUID'] }],
    },
    /** Attachments, drawings' fallback images and previews, per account or (older stores) at the top. */
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
      { table: 'ZICCLOUDSYNCINGOBJECT', columns: ['ZIDENTIFIER'] },
      { table: 'ZNOTE', columns: ['ZGUID'] },
    ],
  },
  needsNames: false,
  aliases: [],
  formats: ['html', 'md'],
  defaultFormats: ['html', 'md'],
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
  const modern = held(
    await read(noteStore, (db, problems) =>
      readNoteStore(db, problems, source, options, data, media),
    ),
  );
  const legacy = held(
    await read(legacyStore, (db, problems) => readLegacyNotes(db, problems, options, data)),
  );
  if (!modern && !legacy)
    data.notInBackup.push(
      'This backup holds no Notes database (NoteStore.sqlite or notes.sqlite).',
    );
  const locked = data.items.filter((n) => n.locked && n.lockState !== 'decrypted');
  if (locked.length > 0) {
    const wrong = locked.filter((n) => n.lockState === 'wrong-password').length;
    const unsupported = locked.filter((n) => n.lockState === 'unsupported').length;
    const parts: string[] = [];
    if (wrong) parts.push(`${wrong} not unlocked by the password given`);
    if (unsupported) parts.push(`${unsupported} in a lock format not decrypted`);
    const noPassword = locked.length - wrong - unsupported;
    if (noPassword) parts.push(`${noPassword} need the notes password`);
    data.problems.push({
      severity: 'warning',
      message: `Notes: ${locked.length} locked note(s) listed by title only (${parts.join(', ')})`,
    });
  }
  const missing = data.items
    .flatMap((n) => n.attachments)
    .filter(
      (a) =>
        a.files.length === 0 &&
        a.note &&
        !['hashtag', 'mention', 'link', 'url', 'table'].includes(a.kind),
    ).length;
  if (missing > 0)
    data.problems.push({
      severity: 'warning',
      message: `Notes: ${missing} attachment(s) without a file in the backup`,
    });
  const tables = data.items
    .flatMap((n) => n.attachments)
    .filter((a) => a.kind === 'table' && !a.table).length;
  if (tables > 0)
    data.problems.push({
      severity: 'warning',
      message: `Notes: ${tables} table(s) could not be decoded`,
    });
  return data;
});
