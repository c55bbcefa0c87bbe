import { posix } from 'node:path';
import { emptyData, type ArtifactData } from '../artifacts/artifact.js';
import { kindForUti } from '../artifacts/notes/attachments.js';
import type { Note, NoteAttachment, NoteParagraph, NoteRun } from '../artifacts/notes/model.js';
import type { Catalog } from './catalog.js';
import { isYes, parseNoteDate } from './dates.js';
import { LIMITS } from './limits.js';
import { decodeText } from './text.js';
import { sample } from './util.js';
import { readWhole, type Volume } from './volume.js';

/**
 * Notes of an export: Notes/[Folder/]Title/Title.txt with its attachments beside it (Attachment.png,
 * Attachment-1.png … in the order of the U+FFFC characters in the text), checklists as TAB◦TAB / TAB✓TAB lines,
 * and Notes Details.csv (title, dates in UTC, pinned, deleted) matched by title in order.
 */

const OBJECT = '\uFFFC';
const CHECKLIST = /^\t*([\u25e6\u2713\u2714\u2610\u2611])\t(.*)$/;
const base = (path: string) => posix.basename(path);
const dir = (path: string) => posix.dirname(path);
const stemOf = (name: string) => name.slice(0, name.length - posix.extname(name).length);
const copyNumber = (stem: string) => Number(/-(\d+)$/.exec(stem)?.[1] ?? 0);
const withoutCopy = (stem: string) => stem.replace(/-\d+$/, '');
/** File names cannot hold "/", so the export writes "|" (and compares loosely). */
const titleKey = (title: string) => title.replace(/\//g, '|').trim().toLowerCase();

const UTI_BY_EXT: Record<string, string> = {
  '.jpg': 'public.jpeg',
  '.jpeg': 'public.jpeg',
  '.png': 'public.png',
  '.heic': 'public.heic',
  '.gif': 'com.compuserve.gif',
  '.tiff': 'public.tiff',
  '.pdf': 'com.adobe.pdf',
  '.m4a': 'public.mpeg-4-audio',
  '.mp3': 'public.mp3',
  '.mov': 'com.apple.quicktime-movie',
  '.mp4': 'public.mpeg-4',
};

function paragraphs(text: string, attachmentIds: string[]): NoteParagraph[] {
  let next = 0;
  return text.split(/\r\n|\r|\n/).map((line, i) => {
    const check = CHECKLIST.exec(line);
    const body = check ? check[2]! : line;
    const runs: NoteRun[] = [];
    for (const [j, piece] of body.split(OBJECT).entries()) {
      if (j > 0)
        runs.push({ text: OBJECT, attachmentId: attachmentIds[next++] ?? `missing-${next}` });
      if (piece) runs.push({ text: piece });
    }
    if (check)
      return {
        style: 'checklist',
        indent: 0,
        done: check[1] !== '\u25e6' && check[1] !== '\u2610',
        runs,
      };
    return { style: i === 0 ? 'title' : 'body', indent: 0, runs };
  });
}

interface NoteText {
  volume: Volume;
  path: string;
  text: string;
}

/** The folders between the notes' root and a note's own Title/ folder, and the container above them. */
function placeOf(path: string, root: string | null): { container: string; folder: string | null } {
  const noteDir = dir(path);
  const rel =
    root && root !== '.' && noteDir.startsWith(`${root}/`)
      ? noteDir.slice(root.length + 1)
      : noteDir;
  const segments = rel.split('/').slice(0, -1);
  // With Notes Details beside them, the first folder is the container ("Notes", "Recently Deleted", translated);
  // without, only the English names are taken as containers.
  const hasContainer =
    segments.length > 0 && (root !== null || /^(notes|recently deleted)$/i.test(segments[0]!));
  return {
    container: hasContainer ? segments[0]! : '',
    folder: (hasContainer ? segments.slice(1) : segments).join('/') || null,
  };
}

export async function readIcloudNotes(catalog: Catalog): Promise<ArtifactData<Note>> {
  const data = emptyData<Note>('notes');
  const texts: NoteText[] = [];
  const unread: string[] = [];
  for (const volume of catalog.volumesOf('notes'))
    for (const path of [...volume.files.keys()].sort((a, b) =>
      a.localeCompare(b, 'en', { numeric: true }),
    )) {
      if (catalog.kindOf(volume, path) !== 'note-text') continue;
      try {
        texts.push({
          volume,
          path,
          text: decodeText(await readWhole(volume, path, LIMITS.textFile)).text,
        });
      } catch (error) {
        unread.push(`${path} (${(error as Error).message})`);
      }
    }
  // Notes Details rows by title, each taken once, in order.
  const rows = new Map<string, Array<Record<string, string>>>();
  for (const csv of catalog.notesDetails)
    for (const cells of csv.rows) {
      const key = titleKey(cells['title'] ?? '');
      rows.set(key, [...(rows.get(key) ?? []), cells]);
    }
  const attachments = allocateAttachments(catalog, texts);
  const deletedContainers = new Set<string>();
  const containers = new Map<Note, string>();
  for (const [pk, note] of texts.entries()) {
    const { volume, path, text } = note;
    const details = catalog.notesDetails.find((c) => c.volume === volume);
    const title = withoutCopy(stemOf(base(path))).replace(/\|/g, '/');
    const row = rows.get(titleKey(title))?.shift() ?? null;
    const { container, folder } = placeOf(path, details ? dir(details.path) : null);
    const id = `icloud:${volume.id}/${path}`;
    const own = (attachments.get(note) ?? []).map((a, k) => ({ ...a, id: `${id}#${k + 1}` }));
    const paras = paragraphs(
      text,
      own.map((a) => a.id),
    );
    const used = new Set(paras.flatMap((p) => p.runs.map((r) => r.attachmentId)));
    for (const a of own)
      if (!used.has(a.id))
        paras.push({ style: 'body', indent: 0, runs: [{ text: OBJECT, attachmentId: a.id }] });
    for (const r of paras.flatMap((p) => p.runs))
      if (r.attachmentId?.startsWith('missing-'))
        own.push({
          id: r.attachmentId,
          uti: null,
          kind: 'file',
          title: null,
          files: [],
          note: 'the export holds no file for this attachment',
        });
    const body = text
      .split(/\r\n|\r|\n/)
      .slice(1)
      .join(' ')
      .replaceAll(OBJECT, '')
      .trim();
    const deleted = isYes(row?.['deleted']);
    if (deleted && container) deletedContainers.add(`${volume.id}\0${container}`);
    const record: Note = {
      id,
      pk: pk + 1,
      title: row?.['title'] || title,
      snippet: body ? body.slice(0, 100) : null,
      account: 'iCloud',
      folder,
      folderId: null,
      inRecentlyDeleted: deleted || /^recently deleted$/i.test(container),
      pinned: isYes(row?.['pinned']),
      created: parseNoteDate(row?.['created on']),
      modified: parseNoteDate(row?.['modified on']),
      locked: false,
      paragraphs: paras,
      text: text.replaceAll(OBJECT, ''),
      attachments: own,
      store: 'icloud-export',
      issues: isYes(row?.['drawing/handwriting'])
        ? ['has a drawing or handwriting, which the export does not hold as such']
        : [],
    };
    containers.set(record, `${volume.id}\0${container}`);
    data.items.push(record);
    data.sources.push(`${volume.id}/${path}`);
  }
  // A container that holds notes Notes Details calls deleted is Recently Deleted (whatever its translated name).
  for (const n of data.items)
    if (deletedContainers.has(containers.get(n)!)) n.inRecentlyDeleted = true;
  const leftover = [...rows.values()].flat();
  if (leftover.length)
    data.problems.push({
      severity: 'warning',
      message: `Notes: ${leftover.length} note(s) listed in Notes Details have no text file in the export: ${sample(leftover.map((r) => r['title'] || '(untitled)'))}`,
    });
  if (unread.length)
    data.problems.push({
      severity: 'error',
      message: `Notes: ${unread.length} note(s) could not be read: ${sample(unread)}`,
    });
  const missing = data.items
    .flatMap((n) => n.attachments)
    .filter((a) => a.files.length === 0).length;
  if (missing)
    data.problems.push({
      severity: 'warning',
      message: `Notes: ${missing} attachment(s) without a file in the export`,
    });
  return data;
}

/**
 * The files beside each note's text, in placeholder order (Attachment.png, Attachment-1.png, …). Two notes of the
 * same title in one folder (Title.txt, Title-1.txt) take the files in turn, as many as their text has placeholders.
 */
function allocateAttachments(catalog: Catalog, texts: NoteText[]): Map<NoteText, NoteAttachment[]> {
  const byFolder = new Map<string, NoteText[]>();
  for (const t of texts) {
    const key = `${t.volume.id}\0${dir(t.path)}`;
    byFolder.set(key, [...(byFolder.get(key) ?? []), t]);
  }
  const out = new Map<NoteText, NoteAttachment[]>();
  for (const notes of byFolder.values()) {
    const { volume } = notes[0]!;
    const folder = dir(notes[0]!.path);
    const files = [...volume.files.values()]
      .filter((f) => dir(f.path) === folder && catalog.kindOf(volume, f.path) !== 'note-text')
      .sort(
        (a, b) =>
          copyNumber(stemOf(base(a.path))) - copyNumber(stemOf(base(b.path))) ||
          base(a.path).localeCompare(base(b.path)),
      )
      .map((f): NoteAttachment => {
        const uti = UTI_BY_EXT[posix.extname(f.path).toLowerCase()] ?? null;
        return {
          id: '',
          uti,
          kind: uti ? kindForUti(uti) : 'file',
          title: base(f.path),
          files: [{ domain: volume.id, relativePath: f.path, name: base(f.path), role: 'media' }],
        };
      });
    notes.sort((a, b) => copyNumber(stemOf(base(a.path))) - copyNumber(stemOf(base(b.path))));
    for (const [i, note] of notes.entries()) {
      const wanted = i === notes.length - 1 ? files.length : note.text.split(OBJECT).length - 1;
      out.set(note, files.splice(0, wanted));
    }
  }
  return out;
}
