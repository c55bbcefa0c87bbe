import type { ArtifactData } from '../artifacts/artifact.js';
import { pushTo } from '../collections.js';
import { join } from 'node:path';
import type { Problem } from '../artifacts/artifact.js';
import { notesDeclaration } from '../artifacts/notes/index.js';
import type { Note, NoteAttachment } from '../artifacts/notes/model.js';
import { defineExporter, type ExportSummary } from './exporter.js';
import { safeFileName, UniqueNames, writeFileAtomic } from './files.js';
import {
  escapeHtml,
  htmlPage,
  noteBadgesHtml,
  noteHtml,
  noteMarkdown,
  timeHtml,
  type AttachmentPaths,
} from './notes/render.js';
import { clock, type Clock } from '../time.js';

/**
 * Notes: html/ (one page per note and index.html listing them by folder, with dates and locked /
 * Recently Deleted / recovered marks) and md/ (one Markdown file per note). Attachment files are copied
 * once into attachments/<note>/ and linked (images inline) from both.
 */
export const notesExporter = defineExporter(
  notesDeclaration,
  async (data: ArtifactData<Note>, context) => {
    const problems: Problem[] = [];
    const notes = [...data.items].sort(
      (a, b) =>
        (a.folder ?? '').localeCompare(b.folder ?? '') ||
        (b.modified?.getTime() ?? 0) - (a.modified?.getTime() ?? 0),
    );
    const stems = new UniqueNames();
    const stemOf = new Map<Note, string>();
    for (const n of notes)
      stemOf.set(
        n,
        stems.take(safeFileName(n.recovered ? `${n.title} (recovered)` : n.title, 'Untitled note')),
      );

    let files = 0;
    let attachments = 0;
    const times = clock(context.options.time);
    const pathsByNote = new Map<Note, AttachmentPaths>();
    let done = 0;
    const total = notes.length;
    for (const note of notes) {
      const paths: AttachmentPaths = new Map();
      const names = new UniqueNames();
      const copy = async (att: NoteAttachment): Promise<void> => {
        for (const page of att.pages ?? []) await copy(page);
        const file = att.files[0];
        if (!file) return;
        if (!context.source.stat(file)) return;
        const rel = `attachments/${stemOf.get(note)!}/${names.take(safeFileName(file.name, 'attachment'))}`;
        try {
          await context.source.copyTo(file, join(context.outDir, ...rel.split('/')), {
            mtime: note.modified ?? undefined,
          });
          paths.set(att.id, rel);
          files++;
          attachments++;
        } catch (error) {
          problems.push({
            severity: 'warning',
            message: `Notes: attachment of "${note.title}" not copied: ${(error as Error).message}`,
          });
        }
      };
      for (const att of note.attachments) await copy(att);
      pathsByNote.set(note, paths);
      const mtime = note.modified ?? undefined;
      if (context.formats.includes('html')) {
        writeFileAtomic(
          join(context.outDir, 'html', `${stemOf.get(note)!}.html`),
          noteHtml(note, paths, times),
          mtime,
        );
        files++;
      }
      if (context.formats.includes('md')) {
        writeFileAtomic(
          join(context.outDir, 'md', `${stemOf.get(note)!}.md`),
          noteMarkdown(note, paths, times),
          mtime,
        );
        files++;
      }
      context.onProgress?.(++done, total);
    }
    if (context.formats.includes('html')) {
      writeFileAtomic(
        join(context.outDir, 'html', 'index.html'),
        indexHtml(
          notes,
          stemOf,
          data.problems.map((p) => p.message),
          times,
        ),
      );
      files++;
    }
    const counts: Record<string, number> = {
      notes: notes.length,
      locked: notes.filter((n) => n.locked && n.lockState !== 'decrypted').length,
      decrypted: notes.filter((n) => n.lockState === 'decrypted').length,
      recovered: notes.filter((n) => n.recovered).length,
      recentlyDeleted: notes.filter((n) => n.inRecentlyDeleted).length,
      attachments,
    };
    return { artifact: 'notes', counts, files, problems };
  },
);

function indexHtml(
  notes: Note[],
  stemOf: Map<Note, string>,
  problems: string[],
  times: Clock,
): string {
  const byFolder = new Map<string, Note[]>();
  for (const n of notes) {
    const key = n.folder ?? (n.recovered ? 'Recovered (folder unknown)' : 'No folder');
    pushTo(byFolder, key, n);
  }
  const date = (d: Date | null): string =>
    d ? timeHtml(d, times.utc ? clock({ zone: 'UTC' }) : times, false) : '';
  const sections = [...byFolder].map(([folder, list]) => {
    const account = list[0]?.account
      ? ` <span class="meta">(${escapeHtml(list[0].account)})</span>`
      : '';
    const rows = list.map(
      (n) =>
        `<tr><td><a href="${escapeHtml(encodeURIComponent(stemOf.get(n)!))}.html">${escapeHtml(n.title)}</a></td><td>${date(n.created)}</td><td>${date(n.modified)}</td><td>${noteBadgesHtml(n)}</td></tr>`,
    );
    return `<h2>${escapeHtml(folder)}${account}</h2>\n<table>\n<tr><th>Title</th><th>Created</th><th>Modified</th><th></th></tr>\n${rows.join('\n')}\n</table>`;
  });
  const issues = problems.length
    ? `<ul class="meta">${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`
    : '';
  return htmlPage(
    'Notes',
    `<h1>Notes</h1>\n<p class="meta">${notes.length} notes${times.utc ? '' : ` \u00b7 ${escapeHtml(times.label)}`}</p>\n${issues}\n${sections.join('\n')}`,
  );
}
