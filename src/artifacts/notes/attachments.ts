import type { BackupEntry } from '../../backup/types.js';
import type { ArtifactSource } from '../source.js';
import type { NoteAttachmentKind, NoteFileRef } from './model.js';

export function kindForUti(uti: string | null): NoteAttachmentKind {
  if (!uti) return 'other';
  const u = uti.toLowerCase();
  if (u === 'com.apple.notes.gallery') return 'scan';
  if (u === 'com.apple.notes.table') return 'table';
  if (
    u === 'com.apple.notes.sketch' ||
    u.startsWith('com.apple.drawing') ||
    u === 'com.apple.paper' ||
    u === 'com.apple.paper.doc.scan'
  )
    return 'drawing';
  if (u === 'com.adobe.pdf') return 'pdf';
  if (u === 'public.url') return 'url';
  if (u.endsWith('.hashtag')) return 'hashtag';
  if (u.endsWith('.mention')) return 'mention';
  if (u.endsWith('.link') && u.includes('inlinetextattachment')) return 'link';
  if (
    [
      'public.jpeg',
      'public.png',
      'public.heic',
      'public.heif',
      'public.image',
      'public.tiff',
      'com.compuserve.gif',
      'org.webmproject.webp',
    ].includes(u)
  )
    return 'image';
  if (u.includes('audio') || u === 'public.mp3' || u === 'com.microsoft.waveform-audio')
    return 'audio';
  if (u.includes('movie') || u === 'public.mpeg-4' || u === 'public.video') return 'video';
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

  /** FallbackImages / FallbackPDFs / Previews standing in for a drawing, scan or table. */
  fallback(accountId: string | null, attachmentId: string): NoteFileRef | null {
    const roots = accountId ? [`Accounts/${accountId}/`, ''] : [''];
    for (const [folder, role] of [
      ['FallbackImages', 'fallback'],
      ['FallbackPDFs', 'fallback'],
      ['Previews', 'preview'],
    ] as const) {
      const found = this.under(roots.map((r) => `${r}${folder}/${attachmentId}`));
      if (found.length === 0) continue;
      const best = found.sort((a, b) => b.size - a.size)[0]!;
      return ref(best, `${attachmentId}-${role}${extensionOf(best.relativePath)}`, role);
    }
    return null;
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
