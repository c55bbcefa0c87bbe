import { useState } from 'preact/hooks';
import { downloadUrl, extOf, mediaKind, mediaUrl, type FileRef } from '../items.js';

/** Formats browsers do not play: said plainly, with the file offered instead. */
const UNPLAYABLE: Record<string, string> = {
  amr: 'AMR (the phone-call codec of older voicemail)',
  caf: 'Core Audio (CAF)',
  awb: 'AMR-WB',
};

function Download({ backup, file, text }: { backup: string; file: FileRef; text?: string }) {
  return (
    <a class="file-link" href={downloadUrl(backup, file.domain, file.relativePath)} download>
      ⬇ {text ?? (file.fileName || file.relativePath.split('/').pop())}
    </a>
  );
}

/** A file of the backup as the browser can show it: a picture, a video, a recording, or a download. */
export function MediaPreview({
  backup,
  file,
  compact,
  full,
  live,
}: {
  backup: string;
  file: FileRef;
  compact?: boolean;
  full?: boolean;
  live?: boolean;
}) {
  const [failed, setFailed] = useState(false);
  const kind = mediaKind(file);
  const ext = extOf(file.fileName || file.relativePath) || extOf(file.relativePath);
  const name = file.fileName ?? file.relativePath.split('/').pop() ?? 'file';
  if (kind === 'image')
    return (
      <a href={mediaUrl(backup, file)} target="_blank" rel="noopener">
        <img
          class={compact ? 'thumb-small' : 'attachment-image'}
          src={mediaUrl(backup, file)}
          alt={name}
          loading="lazy"
        />
      </a>
    );
  if (kind === 'video') {
    if (failed)
      return (
        <div class="cannot-play" role="note">
          This browser cannot play {live ? 'this Live Photo’s video' : 'this video'} (iPhones record
          HEVC, which most browsers on Windows and Linux do not decode).{' '}
          <Download backup={backup} file={file} text={`Download ${name}`} /> and open it in a video
          player (VLC, QuickTime, Photos).
        </div>
      );
    return (
      <video
        class={full ? 'full' : live ? 'live' : 'attachment-video'}
        src={mediaUrl(backup, file, false)}
        controls
        muted={live}
        preload="metadata"
        aria-label={live ? 'Live Photo video' : `play ${name}`}
        onError={() => setFailed(true)}
      />
    );
  }
  if (kind === 'audio') {
    const why = UNPLAYABLE[ext];
    if (why && compact)
      return <Download backup={backup} file={file} text={`${ext.toUpperCase()} (download)`} />;
    if (why || failed)
      return (
        <span class="audio cannot-play" role="note">
          {why
            ? `Browsers cannot play ${why} recordings.`
            : 'This browser cannot play this recording.'}{' '}
          <Download backup={backup} file={file} text={`Download ${name}`} /> and open it in a player
          such as VLC.
        </span>
      );
    return (
      <span class="audio">
        <audio
          src={mediaUrl(backup, file, false)}
          controls
          preload="none"
          aria-label={`play ${name}`}
          onError={() => setFailed(true)}
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
  return <Download backup={backup} file={file} />;
}
