import type { BackupEntry } from '../../backup/types.js';
import type { ArtifactSource } from '../source.js';
import type { NoteAttachmentKind, NoteFileRef } from './model.js';

const IMAGE_UTIS = new Set([
  'public.jpeg',
  'public.png',
  'public.heic',
  'public.heif',
  'public.image',
  'public.tiff',
  'public.jpeg-2000',
  'public.camera-raw-image',
  'public.svg-image',
  'com.compuserve.gif',
  'com.microsoft.bmp',
  'org.webmproject.webp',
]);

/**
 * What an attachment is, by its UTI (apple_cloud_notes_parser AppleNotesEmbeddedObject.rb, in its order):
 * inline tags, mentions, note links and Math Notes results; Paper documents (iOS 17+: com.apple.paper.doc.scan
 * is a scan, com.apple.paper.doc.pdf a PDF, both with a FallbackPDF) before drawings (com.apple.paper,
 * com.apple.drawing*, sketches: a FallbackImage); galleries (scans before iOS 17); then by conformance.
 */
export function kindForUti(uti: string | null): NoteAttachmentKind {
  if (!uti) return 'other';
  const u = uti.toLowerCase();
  if (u.endsWith('.hashtag')) return 'hashtag';
  if (u.endsWith('.mention')) return 'mention';
  if (u.endsWith('.link') && u.includes('inlinetextattachment')) return 'link';
  if (u.endsWith('.calculateresult') || u.endsWith('.calculategraphexpression'))
    return 'calculation';
  if (u === 'com.apple.notes.gallery' || u === 'com.apple.paper.doc.scan') return 'scan';
  if (u === 'com.apple.paper.doc.pdf' || u === 'com.adobe.pdf') return 'pdf';
  if (u === 'com.apple.notes.table') return 'table';
  if (
    u === 'com.apple.notes.sketch' ||
    u.startsWith('com.apple.drawing') ||
    u === 'com.apple.paper'
  )
    return 'drawing';
  if (u === 'public.url') return 'url';
  if (u === 'public.vcard') return 'contact';
  if (u === 'com.apple.ical.ics' || u === 'public.calendar-event') return 'calendar';
  if (IMAGE_UTIS.has(u) || u.endsWith('.raw-image') || u.endsWith('-image')) return 'image';
  if (u.includes('audio') || u === 'public.mp3') return 'audio';
  if (u.includes('movie') || u.includes('video') || u === 'public.mpeg-4') return 'video';
  return 'file';
}

/** The files of the Notes app group, looked up by path prefix (media, fallback images, previews). */
export class NotesFiles {
  private readonly entries: BackupEntry[];

  constructor(source: ArtifactSource, where: { domain: string; path: string }) {
    this.entries = source.listAt(where).filter((e) => source.has(e));
  }

  private under(prefixes: string[]): BackupEntry[] {
    return this.entries.filter((e) => prefixes.some((p) => e.relativePath.startsWith(p)));
  }

  /** Accounts/<account>/Media/<media id>/[<generation>/]<file name>, or Media/<media id>/... (older stores). */
  media(accountId: string | null, mediaId: string, fileName: string | null): NoteFileRef | null {
    const found = this.under([
      ...(accountId ? [`Accounts/${accountId}/Media/${mediaId}/`] : []),
      `Media/${mediaId}/`,
    ]);
    const exact = fileName ? found.filter((e) => e.relativePath.endsWith(`/${fileName}`)) : [];
    const pick = (exact.length ? exact : found).sort((a, b) =>
      b.relativePath.localeCompare(a.relativePath),
    )[0];
    if (!pick) return null;
    return ref(pick, fileName ?? lastPart(pick.relativePath), 'media');
  }

  /**
   * FallbackPDFs / FallbackImages / Previews standing in for a Paper document, drawing, scan or table:
   * <folder>/<id>.<ext> or <folder>/<id>/<generation>/Fallback*.<ext> (apple_cloud_notes_parser
   * AppleNotesEmbeddedDrawing.rb, AppleNotesEmbeddedPaperDocScan.rb). PDFs first when `pdf`. Files ending
   * .encrypted belong to locked notes: `encrypted` is set when only such a file was found.
   */
  fallback(
    accountId: string | null,
    attachmentId: string,
    options: { pdf?: boolean } = {},
  ): NoteFileRef | { encrypted: true } | null {
    const roots = accountId ? [`Accounts/${accountId}/`, ''] : [''];
    const folders = [
      ['FallbackImages', 'fallback'],
      ['FallbackPDFs', 'fallback'],
      ['Previews', 'preview'],
    ] as const;
    const order = options.pdf ? [folders[1], folders[0], folders[2]] : folders;
    let encrypted = false;
    for (const [folder, role] of order) {
      const prefixes = roots.map((r) => `${r}${folder}/${attachmentId}`);
      const found = this.under(prefixes).filter((e) =>
        prefixes.some(
          (p) =>
            e.relativePath.startsWith(p) && ['.', '/'].includes(e.relativePath.charAt(p.length)),
        ),
      );
      const plain = found.filter((e) => !/\.encrypted$/i.test(e.relativePath));
      if (found.length > plain.length) encrypted = true;
      if (plain.length === 0) continue;
      const best = plain.sort((a, b) => b.size - a.size)[0]!;
      return ref(best, `${attachmentId}-${role}${extensionOf(best.relativePath)}`, role);
    }
    return encrypted ? { encrypted: true } : null;
  }
}

function ref(entry: BackupEntry, name: string, role: NoteFileRef['role']): NoteFileRef {
  return { domain: entry.domain, relativePath: entry.relativePath, name, role };
}

function lastPart(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function extensionOf(path: string): string {
  const name = lastPart(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}
