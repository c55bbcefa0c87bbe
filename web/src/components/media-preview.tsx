import { downloadUrl, mediaKind, mediaUrl, type FileRef } from '../items.js';

/** A file of the backup as the browser can show it: a picture, a video, a recording, or a download. */
export function MediaPreview({
  backup,
  file,
  compact,
}: {
  backup: string;
  file: FileRef;
  compact?: boolean;
}) {
  const kind = mediaKind(file);
  const url = mediaUrl(backup, file);
  if (kind === 'image')
    return (
      <a href={url} target="_blank" rel="noopener">
        <img
          class={compact ? 'thumb-small' : 'attachment-image'}
          src={url}
          alt={file.fileName ?? file.relativePath}
          loading="lazy"
        />
      </a>
    );
  if (kind === 'video')
    return (
      <video
        class="attachment-video"
        src={mediaUrl(backup, file, false)}
        controls
        preload="metadata"
      />
    );
  if (kind === 'audio') {
    return (
      <span class="audio">
        <audio
          src={mediaUrl(backup, file, false)}
          controls
          preload="none"
          aria-label={`play ${file.fileName ?? file.relativePath}`}
        />
        <a
          href={downloadUrl(backup, file.domain, file.relativePath)}
          download
          title="download the recording"
          aria-label="download the recording"
        >
          ⬇
        </a>
      </span>
    );
  }
  return (
    <a class="file-link" href={downloadUrl(backup, file.domain, file.relativePath)} download>
      ⬇ {file.fileName || file.relativePath.split('/').pop()}
    </a>
  );
}
