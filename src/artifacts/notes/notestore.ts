import type { ArtifactData, ReadOptions, RecoveredMark } from '../artifact.js';
import { fromAppleTime } from '../apple-time.js';
import type { ArtifactDatabase, Row } from '../database.js';
import type { DatabaseProblems } from '../read-database.js';
import { bytes, num, str } from '../sql-values.js';
import type { ArtifactSource } from '../source.js';
import { kindForUti, NotesFiles } from './attachments.js';
import { NoteDecryptor, type NoteCrypto } from './crypto.js';
import { decodeNoteDocument, paragraphsText } from './document.js';
import type { Note, NoteAttachment, NoteParagraph } from './model.js';
import { decodeTable } from './table.js';

/**
 * NoteStore.sqlite (iOS 9+). Everything lives in ZICCLOUDSYNCINGOBJECT, one row per account, folder, note,
 * attachment and media, told apart by Z_ENT (named in Z_PRIMARYKEY). Core Data numbers repeated column
 * names per entity (ZACCOUNT2..ZACCOUNT8, ZCREATIONDATE1/3, ZTITLE1/2) and the numbering moves between
 * iOS versions, so columns are looked up by name among those the file has, and account links are
 * recognised by pointing at an account row.
 */

const OBJECTS = 'ZICCLOUDSYNCINGOBJECT';
const NOTE_DATA = 'ZICNOTEDATA';

interface Folder {
  pk: number;
  title: string;
  identifier: string | null;
  parent: number | null;
  trash: boolean;
  account: number | null;
}
interface Account {
  pk: number;
  name: string | null;
  identifier: string | null;
}
interface NoteData {
  pk: number;
  note: number | null;
  data: Buffer | null;
  iv: Buffer | null;
  tag: Buffer | null;
  recovered?: RecoveredMark;
}

/** Reads NoteStore.sqlite's notes into `out` (the database is opened by the caller). */
export function readNoteStore(
  db: ArtifactDatabase,
  problems: DatabaseProblems,
  source: ArtifactSource,
  options: ReadOptions,
  out: ArtifactData<Note>,
  media: { domain: string; path: string },
): void {
  if (!db.hasTable(OBJECTS) || !db.hasTable(NOTE_DATA)) {
    problems.error(
      `NoteStore.sqlite has no ${OBJECTS}/${NOTE_DATA} table (unknown schema); no notes read from it`,
    );
    return;
  }
  new NoteStoreReader(db, source, options, out, media).read();
}

class NoteStoreReader {
  private readonly columns: Set<string>;
  private readonly accountColumns: string[];
  private readonly ents: Map<string, number>;
  private readonly accounts = new Map<number, Account>();
  private readonly folders = new Map<number, Folder>();
  private readonly attachmentsById = new Map<string, Row>();
  private readonly rowsByPk = new Map<number, Row>();
  private readonly children = new Map<number, Row[]>();
  private readonly noteData = new Map<number, NoteData>();
  private readonly noteDataByNote = new Map<number, NoteData>();
  private readonly files: NotesFiles;
  private readonly decryptor: NoteDecryptor | null;
  /** Titles of live notes whose body is there but does not decode. */
  private readonly undecodable: string[] = [];

  constructor(
    private readonly db: ArtifactDatabase,
    source: ArtifactSource,
    private readonly options: ReadOptions,
    private readonly out: ArtifactData<Note>,
    media: { domain: string; path: string },
  ) {
    this.columns = new Set(db.columns(OBJECTS).map((c) => c.toUpperCase()));
    this.accountColumns = [...this.columns].filter((c) => /^ZACCOUNT\d*$/.test(c)).sort();
    this.ents = new Map();
    if (db.hasTable('Z_PRIMARYKEY')) {
      for (const r of db.all<{ Z_ENT: number; Z_NAME: string }>(
        'SELECT Z_ENT, Z_NAME FROM Z_PRIMARYKEY',
      ))
        this.ents.set(r.Z_NAME, r.Z_ENT);
    }
    this.files = new NotesFiles(source, media);
    this.decryptor = options.notesPassword ? new NoteDecryptor(options.notesPassword) : null;
  }

  private col(row: Row, ...names: string[]): unknown {
    for (const n of names)
      if (this.columns.has(n) && row[n] !== null && row[n] !== undefined) return row[n];
    return null;
  }

  /** Which kind of object a row is: by Z_ENT when Z_PRIMARYKEY names it, else by the columns it fills. */
  private kindOf(
    row: Row,
  ): 'note' | 'folder' | 'account' | 'attachment' | 'inline' | 'media' | 'other' {
    const ent = num(row['Z_ENT']);
    if (this.ents.size > 0) {
      for (const [name, kind] of [
        ['ICNote', 'note'],
        ['ICFolder', 'folder'],
        ['ICAccount', 'account'],
        ['ICAttachment', 'attachment'],
        ['ICInlineAttachment', 'inline'],
        ['ICMedia', 'media'],
      ] as const) {
        if (this.ents.get(name) === ent) return kind;
      }
      return 'other';
    }
    if (this.col(row, 'ZNOTEDATA') !== null) return 'note';
    if (str(this.col(row, 'ZTITLE2'))) return 'folder';
    if (str(this.col(row, 'ZNAME')) && this.col(row, 'ZACCOUNTTYPE') !== null) return 'account';
    if (str(this.col(row, 'ZTYPEUTI'))) return 'attachment';
    if (str(this.col(row, 'ZFILENAME'))) return 'media';
    return 'other';
  }

  read(): void {
    const rows = this.db.all(`SELECT * FROM ${OBJECTS}`);
    const notes: Row[] = [];
    for (const row of rows) {
      const pk = num(row['Z_PK']);
      if (pk === null) continue;
      this.rowsByPk.set(pk, row);
      switch (this.kindOf(row)) {
        case 'account':
          this.accounts.set(pk, {
            pk,
            name: str(this.col(row, 'ZNAME')),
            identifier: str(this.col(row, 'ZIDENTIFIER')),
          });
          break;
        case 'folder': {
          const identifier = str(this.col(row, 'ZIDENTIFIER'));
          this.folders.set(pk, {
            pk,
            identifier,
            title: str(this.col(row, 'ZTITLE2', 'ZTITLE')) ?? 'Untitled folder',
            parent: num(this.col(row, 'ZPARENT')),
            trash:
              num(this.col(row, 'ZFOLDERTYPE')) === 1 ||
              (identifier?.startsWith('TrashFolder') ?? false),
            account: null,
          });
          break;
        }
        case 'note':
          notes.push(row);
          break;
        case 'attachment':
        case 'inline': {
          const id = str(this.col(row, 'ZIDENTIFIER'));
          if (id) this.attachmentsById.set(id, row);
          const parent = num(this.col(row, 'ZPARENTATTACHMENT', 'ZPARENTATTACHMENT1'));
          if (parent !== null)
            this.children.set(parent, [...(this.children.get(parent) ?? []), row]);
          break;
        }
        default:
      }
    }
    for (const [pk, folder] of this.folders)
      folder.account = this.accountOf(this.rowsByPk.get(pk)!, null);

    const dataColumns = new Set(this.db.columns(NOTE_DATA).map((c) => c.toUpperCase()));
    const dataSql = `SELECT Z_PK, ZNOTE, ZDATA${dataColumns.has('ZCRYPTOINITIALIZATIONVECTOR') ? ', ZCRYPTOINITIALIZATIONVECTOR, ZCRYPTOTAG' : ''} FROM ${NOTE_DATA}`;
    for (const r of this.db.all(dataSql)) this.addNoteData(r);

    const livePks = new Set<number>();
    for (const row of notes) {
      livePks.add(num(row['Z_PK'])!);
      this.out.items.push(this.note(row));
    }
    if (this.options.recoverDeleted !== false) this.recover(livePks);
    if (this.undecodable.length)
      this.out.problems.push({
        severity: 'error',
        message: `Notes: ${this.undecodable.length} note body(ies) are damaged and could not be decoded (listed by title only): ${this.undecodable
          .slice(0, 5)
          .map((t) => JSON.stringify(t))
          .join(', ')}${this.undecodable.length > 5 ? ', ...' : ''}`,
      });
  }

  private addNoteData(r: Row, recovered?: RecoveredMark): NoteData | null {
    const pk = num(r['Z_PK']) ?? (recovered ? -1 : null); // a carved row may have lost its rowid
    if (pk === null) return null;
    const d: NoteData = {
      pk,
      note: num(r['ZNOTE']),
      data: bytes(r['ZDATA']),
      iv: bytes(r['ZCRYPTOINITIALIZATIONVECTOR']),
      tag: bytes(r['ZCRYPTOTAG']),
      recovered,
    };
    if (!recovered) {
      this.noteData.set(pk, d);
      if (d.note !== null) this.noteDataByNote.set(d.note, d);
    }
    return d;
  }

  private accountOf(row: Row, folder: Folder | null): number | null {
    for (const c of this.accountColumns) {
      const v = num(row[c]);
      if (v !== null && this.accounts.has(v)) return v;
    }
    const owner = num(this.col(row, 'ZOWNER'));
    if (owner !== null && this.accounts.has(owner)) return owner;
    return folder?.account ?? null;
  }

  private folderPath(folder: Folder): string {
    const names = [folder.title];
    const seen = new Set([folder.pk]);
    let parent = folder.parent;
    while (parent !== null && !seen.has(parent) && this.folders.has(parent)) {
      const p = this.folders.get(parent)!;
      names.unshift(p.title);
      seen.add(parent);
      parent = p.parent;
    }
    return names.join('/');
  }

  private note(row: Row, recovered?: RecoveredMark, data?: NoteData | null): Note {
    const pk = num(row['Z_PK']) ?? 0;
    const folder = this.folders.get(num(this.col(row, 'ZFOLDER')) ?? -1) ?? null;
    const accountPk = this.accountOf(row, folder);
    const account = accountPk !== null ? (this.accounts.get(accountPk) ?? null) : null;
    const widget = str(this.col(row, 'ZWIDGETSNIPPET'));
    const note: Note = {
      id: str(this.col(row, 'ZIDENTIFIER')) ?? `note-${pk}`,
      pk,
      title: str(this.col(row, 'ZTITLE1', 'ZTITLE')) ?? '',
      snippet: str(this.col(row, 'ZSNIPPET')),
      account: account?.name ?? null,
      folder: folder ? this.folderPath(folder) : null,
      folderId: folder?.identifier ?? null,
      inRecentlyDeleted: folder?.trash ?? false,
      pinned: num(this.col(row, 'ZISPINNED')) === 1,
      created: fromAppleTime(this.col(row, 'ZCREATIONDATE3', 'ZCREATIONDATE1', 'ZCREATIONDATE')),
      modified: fromAppleTime(this.col(row, 'ZMODIFICATIONDATE1', 'ZMODIFICATIONDATE')),
      locked: num(this.col(row, 'ZISPASSWORDPROTECTED')) === 1,
      paragraphs: null,
      text: null,
      attachments: [],
      store: 'notestore',
      issues: [],
    };
    if (recovered) note.recovered = recovered;
    const noteData =
      data !== undefined
        ? data
        : (this.noteData.get(num(this.col(row, 'ZNOTEDATA')) ?? -1) ??
          this.noteDataByNote.get(pk) ??
          null);
    let body = noteData?.data ?? null;
    if (!body) {
      note.issues.push('the note has no body data in the database');
    } else if (note.locked) {
      body = this.unlock(note, row, noteData!, body);
    }
    let undecodable = false;
    if (body) {
      try {
        const doc = decodeNoteDocument(body);
        note.paragraphs = doc.paragraphs;
        note.text = paragraphsText(doc.paragraphs);
        note.attachments = this.attachments(doc.paragraphs, account?.identifier ?? null);
      } catch (error) {
        note.issues.push(`the note body could not be decoded (${(error as Error).message})`);
        undecodable = !recovered;
      }
    }
    if (!note.title) {
      const firstLine = note.paragraphs
        ?.map((p) =>
          p.runs
            .map((r) => r.text)
            .join('')
            .trim(),
        )
        .find((t) => t.length > 0);
      note.title = firstLine ?? widget?.split('\n')[0]?.trim() ?? '';
      if (!note.title) note.title = 'Untitled note';
    }
    if (undecodable) this.undecodable.push(note.title);
    return note;
  }

  private unlock(note: Note, row: Row, data: NoteData, body: Buffer): Buffer | null {
    if (body.subarray(0, 6).toString('latin1') === 'bplist') {
      note.lockState = 'unsupported';
      note.issues.push(
        'locked note in the newer (iOS 17 ICCryptoEncryptionObject) format, which is not decrypted',
      );
      return null;
    }
    if (!this.decryptor) {
      note.lockState = 'no-password';
      note.issues.push('locked note: give the notes password to decrypt it');
      return null;
    }
    const salt = bytes(this.col(row, 'ZCRYPTOSALT'));
    const wrappedKey = bytes(this.col(row, 'ZCRYPTOWRAPPEDKEY'));
    let iterations = num(this.col(row, 'ZCRYPTOITERATIONCOUNT')) ?? 0;
    if (iterations <= 0) {
      const accountPk = this.accountOf(row, null);
      iterations =
        (accountPk !== null
          ? num(this.col(this.rowsByPk.get(accountPk) ?? {}, 'ZCRYPTOITERATIONCOUNT'))
          : null) ?? 20000;
      if (iterations <= 0) iterations = 20000;
    }
    const ivTags: NoteCrypto['ivTags'] = [];
    if (data.iv && data.tag) ivTags.push({ iv: data.iv, tag: data.tag });
    const rowIv = bytes(this.col(row, 'ZCRYPTOINITIALIZATIONVECTOR'));
    const rowTag = bytes(this.col(row, 'ZCRYPTOTAG'));
    if (rowIv && rowTag) ivTags.push({ iv: rowIv, tag: rowTag });
    if (!salt || !wrappedKey || ivTags.length === 0) {
      note.lockState = 'unsupported';
      note.issues.push('locked note without its salt, wrapped key, IV or tag');
      return null;
    }
    const result = this.decryptor.decrypt({ salt, iterations, wrappedKey, ivTags }, body);
    if (!result.ok) {
      note.lockState = result.reason;
      note.issues.push(`locked note: ${result.message}`);
      return null;
    }
    note.lockState = 'decrypted';
    return result.data;
  }

  private attachments(paragraphs: NoteParagraph[], accountId: string | null): NoteAttachment[] {
    const out: NoteAttachment[] = [];
    const seen = new Set<string>();
    for (const p of paragraphs) {
      for (const run of p.runs) {
        if (!run.attachmentId || seen.has(run.attachmentId)) continue;
        seen.add(run.attachmentId);
        out.push(this.attachment(run.attachmentId, run.attachmentUti ?? null, accountId, 0));
      }
    }
    return out;
  }

  private attachment(
    id: string,
    utiHint: string | null,
    accountId: string | null,
    depth: number,
  ): NoteAttachment {
    const row = this.attachmentsById.get(id);
    const uti = (row ? str(this.col(row, 'ZTYPEUTI', 'ZTYPEUTI1')) : null) ?? utiHint;
    const att: NoteAttachment = { id, uti, kind: kindForUti(uti), title: null, files: [] };
    if (!row) {
      att.note = 'attachment not found in the database';
      return att;
    }
    att.title = str(this.col(row, 'ZUSERTITLE', 'ZTITLE'));
    switch (att.kind) {
      case 'hashtag':
      case 'mention':
      case 'link':
        att.altText = str(this.col(row, 'ZALTTEXT', 'ZTOKENCONTENTIDENTIFIER'));
        return att;
      case 'url':
        att.url = str(this.col(row, 'ZURLSTRING'));
        break;
      case 'table': {
        const data = bytes(this.col(row, 'ZMERGEABLEDATA1', 'ZMERGEABLEDATA', 'ZMERGEABLEDATA2'));
        if (!data) {
          att.table = null;
          att.note = 'table not decoded: no mergeable data';
        } else {
          try {
            att.table = decodeTable(data);
          } catch (error) {
            att.table = null;
            att.note = `table not decoded: ${(error as Error).message}`;
          }
        }
        break;
      }
      case 'scan':
        if (depth === 0) {
          const pk = num(row['Z_PK']) ?? -1;
          att.pages = (this.children.get(pk) ?? [])
            .sort((a, b) => (num(a['Z_PK']) ?? 0) - (num(b['Z_PK']) ?? 0))
            .map((child) =>
              this.attachment(
                str(this.col(child, 'ZIDENTIFIER')) ?? '',
                null,
                accountId,
                depth + 1,
              ),
            );
        }
        break;
      default:
    }
    const mediaRow = this.rowsByPk.get(num(this.col(row, 'ZMEDIA')) ?? -1);
    if (mediaRow) {
      const mediaId = str(this.col(mediaRow, 'ZIDENTIFIER'));
      const fileName = str(this.col(mediaRow, 'ZFILENAME'));
      const media = mediaId ? this.files.media(accountId, mediaId, fileName) : null;
      if (media) att.files.push(media);
      else
        att.note = `media file ${fileName ?? mediaId ?? ''} not in the backup`.replace(/\s+$/, '');
    }
    if (att.files.length === 0 && att.kind !== 'url' && !(att.kind === 'table' && att.table)) {
      const fallback = this.files.fallback(accountId, id);
      if (fallback) {
        att.files.push(fallback);
        if (att.note) att.note += '; its preview image is shown instead';
      } else if (!att.note && !(att.pages && att.pages.length > 0)) {
        att.note = 'no file for this attachment in the backup';
      }
    }
    return att;
  }

  /** Notes carved from deleted space: note rows, and note data whose note row is gone. */
  private recover(livePks: Set<number>): void {
    const noteEnt = this.ents.get('ICNote');
    const recoveredData = this.db
      .recovered(NOTE_DATA)
      .map((r) => this.addNoteData(r.values, r.recovered))
      .filter((d): d is NoteData => d !== null);
    const usedData = new Set<NoteData>();
    for (const r of this.db.recovered(OBJECTS)) {
      const pk = num(r.values['Z_PK']);
      if (pk === null || livePks.has(pk)) continue;
      const isNote =
        noteEnt !== undefined
          ? num(r.values['Z_ENT']) === noteEnt
          : this.kindOf(r.values) === 'note';
      if (!isNote) continue;
      const dataPk = num(this.col(r.values, 'ZNOTEDATA'));
      const data =
        this.noteData.get(dataPk ?? -1) ??
        recoveredData.find((d) => d.pk === dataPk || d.note === pk) ??
        null;
      if (data) usedData.add(data);
      const note = this.note(r.values, r.recovered, data);
      if (note.paragraphs || note.title !== 'Untitled note' || note.locked) {
        livePks.add(pk);
        this.out.items.push(note);
      }
    }
    for (const d of recoveredData) {
      if (usedData.has(d) || !d.data) continue;
      if (d.note !== null && livePks.has(d.note) && this.noteDataByNote.get(d.note)?.data) continue; // an old body of a live note
      try {
        const doc = decodeNoteDocument(d.data);
        const text = paragraphsText(doc.paragraphs);
        if (!text.trim()) continue;
        this.out.items.push({
          id: `recovered-note-data-${d.pk >= 0 ? d.pk : `${d.note ?? 'x'}-${this.out.items.length}`}`,
          pk: d.note ?? 0,
          title:
            text
              .split('\n')
              .find((l) => l.trim())
              ?.trim() ?? 'Untitled note',
          snippet: null,
          account: null,
          folder: null,
          folderId: null,
          inRecentlyDeleted: false,
          pinned: false,
          created: null,
          modified: null,
          locked: false,
          paragraphs: doc.paragraphs,
          text,
          attachments: this.attachments(doc.paragraphs, null),
          store: 'notestore',
          recovered: d.recovered,
          issues: ['recovered note body without its note record (no folder or dates)'],
        });
      } catch {
        // encrypted or partial bodies that do not decode are left out
      }
    }
  }
}
