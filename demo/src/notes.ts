import { createCipheriv, pbkdf2Sync } from 'node:crypto';
import { aesWrap } from '../../src/backup/aes-key-wrap.js';
import type { BackupFileInput } from '../../src/backup/types.js';
import { appleSeconds, asDate, unixSeconds } from './apple-time.js';
import { writeCoreDataBookkeeping, type CoreDataEntity } from './core-data.js';
import { demoUUID, demoUUIDBytes } from './ids.js';
import { encodeNoteDocument, noteText, type NoteParagraph } from './note-document.js';
import { encodeTable } from './note-table.js';
import { NOTESTORE_IOS17_SCHEMA } from './schemas/notestore-ios17.js';
import { buildSqliteFile, insertRow } from './sqlite-file.js';

/** NoteStore.sqlite (group.com.apple.notes) with the real iOS 17.3 schema; entity numbers as in that file. */

export interface DemoNoteFolder {
  pk: number;
  title: string;
  identifier: string;
  /** The Recently Deleted folder. */ trash?: boolean;
}

/** An attachment of a demo note (referenced from a span with `attachment: { id, uti }`). */
export interface DemoNoteAttachment {
  pk: number;
  identifier: string;
  uti: string;
  title?: string;
  /** A media file: an ICMedia row, and the file at Accounts/<account>/Media/<media id>/<generation>/<file name>. */
  media?: { pk: number; identifier: string; fileName: string; generation: string; data: Buffer };
  /** A fallback image at Accounts/<account>/FallbackImages/<attachment id>.jpg (drawings, scans). */
  fallbackJpeg?: Buffer;
  /** A table (com.apple.notes.table): rows of plain cells, written as mergeable data. */
  table?: string[][];
  url?: string;
}

export interface DemoNote {
  pk: number;
  noteDataPk: number;
  folderPk: number;
  identifier: string;
  title: string;
  created: string;
  modified: string;
  paragraphs: NoteParagraph[];
  /** Plain text of the whole note (title line included), as the protobuf's note_text holds it. */
  text: string;
  /** Password-locks the note (ZDATA encrypted as iOS 9.3-16 do it). */
  password?: string;
  attachments?: DemoNoteAttachment[];
}
export interface NotesData {
  accountPk: number;
  accountName: string;
  folders: DemoNoteFolder[];
  notes: DemoNote[];
  /** Notes (by pk) deleted again after they were written (ICNote row and its ICNoteData row), with secure_delete off: their bytes stay in free space. */
  deletedPks?: number[];
}

/** Iterations for the key of locked demo notes (iOS uses 20,000). */
export const DEMO_NOTE_ITERATIONS = 20000;

/** Encrypts a note document as a locked note: PBKDF2-SHA256 -> KEK, RFC 3394-wrapped note key, AES-128-GCM. */
export function lockNoteData(
  plain: Buffer,
  password: string,
  key: string,
): { salt: Buffer; iterations: number; wrappedKey: Buffer; iv: Buffer; tag: Buffer; data: Buffer } {
  const salt = demoUUIDBytes(`${key}-salt`);
  const noteKey = demoUUIDBytes(`${key}-note-key`);
  const iv = demoUUIDBytes(`${key}-iv`);
  const kek = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, DEMO_NOTE_ITERATIONS, 16, 'sha256');
  const cipher = createCipheriv('aes-128-gcm', noteKey, iv);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    salt,
    iterations: DEMO_NOTE_ITERATIONS,
    wrappedKey: aesWrap(kek, noteKey),
    iv,
    tag: cipher.getAuthTag(),
    data,
  };
}

const ENT = { account: 13, folder: 14, note: 11, noteData: 18, attachment: 4, media: 10 } as const;

/** Entities of the real iOS 17.3 NoteStore (Z_PRIMARYKEY); Z_MAX is filled in from the demo rows. */
const NOTESTORE_ENTITIES: ReadonlyArray<Omit<CoreDataEntity, 'max'>> = [
  { ent: 1, name: 'ICCloudState' },
  { ent: 2, name: 'ICCloudSyncingObject' },
  { ent: 3, name: 'ICAccountData', superEnt: 2 },
  { ent: 4, name: 'ICAttachment', superEnt: 2 },
  { ent: 5, name: 'ICAttachmentPreviewImage', superEnt: 2 },
  { ent: 6, name: 'ICDeviceMigrationState', superEnt: 2 },
  { ent: 7, name: 'ICHashtag', superEnt: 2 },
  { ent: 8, name: 'ICInlineAttachment', superEnt: 2 },
  { ent: 9, name: 'ICLegacyTombstone', superEnt: 2 },
  { ent: 10, name: 'ICMedia', superEnt: 2 },
  { ent: 11, name: 'ICNote', superEnt: 2 },
  { ent: 12, name: 'ICNoteContainer', superEnt: 2 },
  { ent: 13, name: 'ICAccount', superEnt: 12 },
  { ent: 14, name: 'ICFolder', superEnt: 12 },
  { ent: 15, name: 'ICInvitation' },
  { ent: 16, name: 'ICLocation' },
  { ent: 17, name: 'ICAttachmentLocation', superEnt: 16 },
  { ent: 18, name: 'ICNoteData' },
  { ent: 19, name: 'ICNoteParticipant' },
  { ent: 20, name: 'ICServerChangeToken' },
  { ent: 16001, name: 'CHANGE' },
  { ent: 16002, name: 'TRANSACTION' },
  { ent: 16003, name: 'TRANSACTIONSTRING' },
];

/** A demo note: its title paragraph first, then the body. */
export function demoNote(
  pk: number,
  folderPk: number,
  title: string,
  created: string,
  modified: string,
  body: NoteParagraph[],
): DemoNote {
  return note(pk, folderPk, title, created, modified, body);
}

function note(
  pk: number,
  folderPk: number,
  title: string,
  created: string,
  modified: string,
  body: NoteParagraph[],
): DemoNote {
  const paragraphs: NoteParagraph[] = [{ style: 'title', spans: [{ text: title }] }, ...body];
  return {
    pk,
    noteDataPk: pk - 3,
    folderPk,
    identifier: demoUUID(`note-${pk}`),
    title,
    created,
    modified,
    paragraphs,
    text: noteText(paragraphs),
  };
}

export function notesData(): NotesData {
  return {
    accountPk: 1,
    accountName: 'iCloud',
    folders: [
      { pk: 2, title: 'Notes', identifier: 'DefaultFolder-CloudKit' },
      { pk: 3, title: 'Recipes', identifier: demoUUID('notes-folder-recipes') },
    ],
    notes: [
      note(4, 2, 'Weekend hike packing', '2025-01-15T21:10:00Z', '2025-01-17T07:05:00Z', [
        {
          style: 'body',
          spans: [{ text: "Don't forget:", bold: true }, { text: ' sunscreen and the park pass' }],
        },
        { style: 'checklist', spans: [{ text: 'Water bottles' }], done: true },
        { style: 'checklist', spans: [{ text: 'Trail snacks' }], done: true },
        { style: 'checklist', spans: [{ text: 'Rain jacket' }], done: false },
      ]),
      note(5, 2, 'Books to read', '2024-05-02T18:00:00Z', '2024-09-30T20:15:00Z', [
        { style: 'body', spans: [{ text: 'The Overstory' }] },
        { style: 'body', spans: [{ text: 'Piranesi' }] },
        { style: 'body', spans: [{ text: 'A Psalm for the Wild-Built' }] },
      ]),
      note(6, 3, 'Pad thai for four', '2024-03-03T19:45:00Z', '2024-03-03T20:02:00Z', [
        { style: 'heading', spans: [{ text: 'Sauce' }] },
        {
          style: 'body',
          spans: [{ text: '3 tbsp tamarind paste, 3 tbsp fish sauce, 2 tbsp palm sugar' }],
        },
        { style: 'heading', spans: [{ text: 'Noodles' }] },
        {
          style: 'body',
          spans: [
            { text: 'Soak 250 g rice noodles for ' },
            { text: '30 minutes', bold: true },
            { text: ' in warm water.' },
          ],
        },
      ]),
    ],
  };
}

export function buildNotes(data: NotesData = notesData()): BackupFileInput[] {
  const db = buildSqliteFile(NOTESTORE_IOS17_SCHEMA, (db) => {
    insertRow(db, 'ZICCLOUDSYNCINGOBJECT', {
      Z_PK: data.accountPk,
      Z_ENT: ENT.account,
      Z_OPT: 1,
      ZACCOUNTTYPE: 1,
      ZIDENTIFIER: demoUUID('notes-account'),
      ZNAME: data.accountName,
      ZACCOUNTNAMEFORACCOUNTLISTSORTING: `1_${data.accountName}`,
      ZNESTEDTITLEFORSORTING: '',
      ZMARKEDFORDELETION: 0,
    });
    data.folders.forEach((f, i) => {
      insertRow(db, 'ZICCLOUDSYNCINGOBJECT', {
        Z_PK: f.pk,
        Z_ENT: ENT.folder,
        Z_OPT: 1,
        ZOWNER: data.accountPk,
        ZACCOUNT8: data.accountPk,
        ZFOLDERTYPE: f.trash ? 1 : 0,
        ZSORTORDER: i + 1,
        ZIDENTIFIER: f.identifier,
        ZTITLE2: f.title,
        ZACCOUNTNAMEFORACCOUNTLISTSORTING: `1_${data.accountName}`,
        ZMARKEDFORDELETION: 0,
      });
    });
    for (const n of data.notes) {
      const firstLineBreak = n.text.indexOf('\n');
      const snippet = firstLineBreak < 0 ? '' : n.text.slice(firstLineBreak + 1).split('\n')[0];
      const hasChecklist = n.paragraphs.some((p) => p.style === 'checklist');
      const document = encodeNoteDocument(n.paragraphs, {
        key: n.identifier,
        unixTime: Math.round(unixSeconds(n.modified)),
      });
      const lock =
        n.password !== undefined ? lockNoteData(document, n.password, n.identifier) : null;
      insertRow(db, 'ZICCLOUDSYNCINGOBJECT', {
        Z_PK: n.pk,
        Z_ENT: ENT.note,
        Z_OPT: 1,
        ZMARKEDFORDELETION: 0,
        ZISPASSWORDPROTECTED: lock ? 1 : 0,
        ZACCOUNT7: data.accountPk,
        ZFOLDER: n.folderPk,
        ZNOTEDATA: n.noteDataPk,
        ZHASCHECKLIST: hasChecklist ? 1 : 0,
        ZHASCHECKLISTINPROGRESS: n.paragraphs.some((p) => p.style === 'checklist' && !p.done)
          ? 1
          : 0,
        ZPAPERSTYLETYPE: 1,
        ZCREATIONDATE3: appleSeconds(n.created),
        ZMODIFICATIONDATE1: appleSeconds(n.modified),
        ZFOLDERMODIFICATIONDATE: appleSeconds(n.created),
        ZIDENTIFIER: n.identifier,
        ZTITLE1: n.title,
        ...(lock
          ? {
              ZCRYPTOITERATIONCOUNT: lock.iterations,
              ZCRYPTOSALT: lock.salt,
              ZCRYPTOWRAPPEDKEY: lock.wrappedKey,
              ZCRYPTOINITIALIZATIONVECTOR: lock.iv,
              ZCRYPTOTAG: lock.tag,
              ZPASSWORDHINT: 'demo hint',
            }
          : { ZSNIPPET: snippet, ZWIDGETSNIPPET: `${n.title}\n${snippet}` }),
      });
      insertRow(db, 'ZICNOTEDATA', {
        Z_PK: n.noteDataPk,
        Z_ENT: ENT.noteData,
        Z_OPT: 1,
        ZNOTE: n.pk,
        ZDATA: lock ? lock.data : document,
        ...(lock ? { ZCRYPTOINITIALIZATIONVECTOR: lock.iv, ZCRYPTOTAG: lock.tag } : {}),
      });
      for (const a of n.attachments ?? []) {
        insertRow(db, 'ZICCLOUDSYNCINGOBJECT', {
          Z_PK: a.pk,
          Z_ENT: ENT.attachment,
          Z_OPT: 1,
          ZMARKEDFORDELETION: 0,
          ZNOTE: n.pk,
          ZIDENTIFIER: a.identifier,
          ZTYPEUTI: a.uti,
          ZCREATIONDATE: appleSeconds(n.created),
          ZMODIFICATIONDATE: appleSeconds(n.modified),
          ...(a.title ? { ZTITLE: a.title } : {}),
          ...(a.url ? { ZURLSTRING: a.url } : {}),
          ...(a.media ? { ZMEDIA: a.media.pk } : {}),
          ...(a.table ? { ZMERGEABLEDATA1: encodeTable(a.table, a.identifier) } : {}),
        });
        if (a.media) {
          insertRow(db, 'ZICCLOUDSYNCINGOBJECT', {
            Z_PK: a.media.pk,
            Z_ENT: ENT.media,
            Z_OPT: 1,
            ZMARKEDFORDELETION: 0,
            ZATTACHMENT1: a.pk,
            ZIDENTIFIER: a.media.identifier,
            ZFILENAME: a.media.fileName,
            ZGENERATION1: a.media.generation,
          });
        }
      }
    }
    if (data.deletedPks?.length) {
      db.pragma('secure_delete = OFF');
      for (const pk of data.deletedPks) {
        const n = data.notes.find((x) => x.pk === pk);
        db.prepare(
          'DELETE FROM ZICCLOUDSYNCINGOBJECT WHERE Z_PK = ? OR (Z_ENT = ? AND ZNOTE = ?)',
        ).run(pk, ENT.attachment, pk);
        if (n) db.prepare('DELETE FROM ZICNOTEDATA WHERE Z_PK = ?').run(n.noteDataPk);
      }
    }
    const attachmentPks = data.notes.flatMap((n) =>
      (n.attachments ?? []).flatMap((a) => [a.pk, ...(a.media ? [a.media.pk] : [])]),
    );
    const maxSyncingPk = Math.max(
      data.accountPk,
      ...data.folders.map((f) => f.pk),
      ...data.notes.map((n) => n.pk),
      ...attachmentPks,
    );
    const maxByEnt: Record<number, number> = {
      2: maxSyncingPk,
      18: Math.max(...data.notes.map((n) => n.noteDataPk)),
    };
    writeCoreDataBookkeeping(
      db,
      NOTESTORE_ENTITIES.map((e) => ({ ...e, max: maxByEnt[e.ent] ?? 0 })),
      {
        storeUUID: demoUUID('notestore'),
        frameworkVersion: 1340,
        modelVersionIdentifiers: [''],
      },
    );
  });
  const latest =
    data.notes
      .map((n) => n.modified)
      .sort()
      .at(-1) ?? '2025-01-01T00:00:00Z';
  const files: BackupFileInput[] = [
    {
      domain: 'AppDomainGroup-group.com.apple.notes',
      relativePath: 'NoteStore.sqlite',
      data: db,
      modified: asDate(latest),
    },
  ];
  const account = demoUUID('notes-account');
  for (const n of data.notes) {
    for (const a of n.attachments ?? []) {
      if (a.media) {
        files.push({
          domain: 'AppDomainGroup-group.com.apple.notes',
          relativePath: `Accounts/${account}/Media/${a.media.identifier}/${a.media.generation}/${a.media.fileName}`,
          data: a.media.data,
          modified: asDate(n.modified),
        });
      }
      if (a.fallbackJpeg) {
        files.push({
          domain: 'AppDomainGroup-group.com.apple.notes',
          relativePath: `Accounts/${account}/FallbackImages/${a.identifier}.jpg`,
          data: a.fallbackJpeg,
          modified: asDate(n.modified),
        });
      }
    }
  }
  return files;
}
