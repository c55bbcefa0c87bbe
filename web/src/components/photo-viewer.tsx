import { useEffect, useRef, useState } from 'preact/hooks';
import type { ItemResponse } from '../../../src/server/api-types.js';
import { api } from '../api.js';
import { Empty, ErrorState, Loading, RecoveredBadge } from '../common.js';
import {
  downloadUrl,
  formatBytes,
  formatCell,
  mediaKind,
  mediaUrl,
  photoFile,
  recoveredOf,
} from '../items.js';
import type { SelectionApi } from '../state.js';
import { formatAtOffset, formatOffset, formatTime } from '../time.js';
import type { ItemOf } from '../views/view.js';
import { MediaPreview } from './media-preview.js';
import { SelectBox } from './select-box.js';
import { useAdvanced } from './advanced.js';

type Photo = ItemOf<'photos'>;

const ROLE_NAMES: Record<string, string> = {
  original: 'Original',
  edited: 'Edited version',
  'lower-resolution': 'Lower-resolution copy',
  'live-video': 'Live Photo video',
  'edited-live-video': 'Edited Live Photo video',
};
const AVAILABILITY: Record<string, string> = {
  original: 'The original is in the backup',
  'edited-only': 'Only the edited version is in the backup',
  'lower-resolution': 'Only a lower-resolution copy is in the backup',
  'icloud-only': 'In iCloud Photos only: not in this backup',
  missing: 'No file of it is in the backup',
};
const DATE_SOURCE: Record<string, string> = {
  library: 'the Photos library',
  exif: 'the photo’s EXIF',
  'media-header': 'the video’s header',
  'file-time': 'the file’s time (less reliable)',
  unknown: 'nothing (unknown)',
};

/** Every field of a photo a person can read, in words; internal ones only with "advanced" on. */
function details(p: Photo, advanced: boolean): [string, string | preact.JSX.Element][] {
  const rows: [string, string | preact.JSX.Element][] = [];
  const add = (label: string, value: unknown) => {
    if (value !== null && value !== undefined && value !== '' && value !== false)
      rows.push([label, typeof value === 'string' ? value : String(value)]);
  };
  add('File name', p.filename);
  if (p.originalFilename && p.originalFilename !== p.filename)
    add('Name when imported', p.originalFilename);
  add('Title', p.title);
  add(
    'Kind',
    p.kind === 'video'
      ? 'Video'
      : p.livePhoto
        ? 'Live Photo'
        : p.kind === 'photo'
          ? 'Photo'
          : 'Other',
  );
  if (p.created) {
    add('Taken', formatTime(p.created) + ' (your time)');
    if (p.timeZoneOffset !== null)
      add('Taken, where it was', formatAtOffset(p.created, p.timeZoneOffset));
    add('Time zone', p.timeZoneOffset !== null ? `UTC${formatOffset(p.timeZoneOffset)}` : null);
  } else add('Taken', 'unknown');
  add('Date from', DATE_SOURCE[p.dateSource] ?? p.dateSource);
  add('Added to the library', formatTime(p.added));
  add('Modified', formatTime(p.modified));
  if (p.width && p.height) add('Size', `${p.width} × ${p.height} pixels`);
  if (p.duration) add('Duration', formatCell('durationSeconds', p.duration));
  if (p.latitude !== null && p.longitude !== null) {
    const at = `${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)}`;
    rows.push([
      'Location',
      <a
        href={`https://www.openstreetmap.org/?mlat=${p.latitude}&mlon=${p.longitude}#map=16/${p.latitude}/${p.longitude}`}
        target="_blank"
        rel="noopener noreferrer"
      >
        {at} (map)
      </a>,
    ]);
  }
  if (p.albums.length) add('Albums', p.albums.join(', '));
  add('Favourite', p.favorite ? 'yes' : null);
  add('Hidden', p.hidden ? 'yes (in the Hidden album)' : null);
  if (p.trashed || p.trashedAt)
    add('Recently Deleted', p.trashedAt ? `yes, since ${formatTime(p.trashedAt)}` : 'yes');
  add('Screenshot', p.screenshot ? 'yes' : null);
  add(
    'Burst',
    p.burstId ? (p.burstPick ? 'part of a burst (the picked frame)' : 'part of a burst') : null,
  );
  add('Edited', p.edited ? 'yes' : null);
  add('In iCloud Photos', p.inICloud ? 'yes' : null);
  add('In this backup', AVAILABILITY[p.availability] ?? p.availability);
  add('Note', p.note);
  for (const f of p.files)
    add(
      ROLE_NAMES[f.role] ?? f.role,
      `${f.relativePath.split('/').pop()} (${formatBytes(f.size)})`,
    );
  if (advanced) {
    add('Library id', p.id);
    add('Row (Z_PK)', p.pk);
    add('Type (UTI)', p.uti);
    add('Folder', p.directory);
    add('Burst id', p.burstId);
  }
  return rows;
}

/** One photo or video full size, with ← → through `order`, Space to select, Escape to close. */
export function PhotoViewer({
  backup,
  order,
  place,
  index,
  onMove,
  onClose,
  sel,
}: {
  backup: string;
  order: number[];
  place: number;
  index: number;
  flags: number;
  onMove: (n: number) => void;
  onClose: () => void;
  sel: SelectionApi;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [item, setItem] = useState<Photo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [advanced, setAdvanced] = useAdvanced();
  useEffect(() => {
    box.current?.focus();
  }, []);
  useEffect(() => {
    setItem(null);
    api<ItemResponse<'photos'>>(`/api/backups/${backup}/artifacts/photos/items/${index}`).then(
      (r) => setItem(r.item),
      (e: Error) => setError(`Could not open this photo: ${e.message}`),
    );
  }, [backup, index]);
  const go = (step: number) => {
    const next = order[place + step];
    if (next !== undefined) onMove(next);
  };
  const ref = item ? photoFile(item) : undefined;
  const kind = ref ? mediaKind(ref) : 'file';
  const live = item?.files.find((f) => f.role === 'live-video');
  const lowRes = ref?.role === 'lower-resolution';
  const name = item?.filename ?? `item ${index + 1}`;
  return (
    <div
      class="viewer"
      role="dialog"
      aria-modal="true"
      aria-label={name}
      tabIndex={-1}
      ref={box}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
        else if (e.key === 'ArrowRight') go(1);
        else if (e.key === 'ArrowLeft') go(-1);
        else if (e.key === ' ' && (e.target as HTMLElement).tagName !== 'VIDEO') {
          e.preventDefault();
          sel.toggle('photos', index);
        }
      }}
    >
      <div class="viewer-bar">
        <span>
          {name} · {place >= 0 ? `${place + 1} / ${order.length}` : 'not in this filter'}
        </span>
        {item && <RecoveredBadge mark={recoveredOf(item)} />}
        <label>
          <SelectBox
            checked={sel.has('photos', index)}
            onChange={(on) => sel.toggle('photos', index, on)}
            label="select this photo"
          />{' '}
          Selected
        </label>
        <button type="button" onClick={() => go(-1)} disabled={place <= 0} aria-label="previous">
          ‹
        </button>
        <button
          type="button"
          onClick={() => go(1)}
          disabled={place < 0 || place >= order.length - 1}
          aria-label="next"
        >
          ›
        </button>
        {ref && (
          <a href={downloadUrl(backup, ref.domain, ref.relativePath)} download>
            {lowRes
              ? 'Download the lower-resolution copy'
              : ref.role === 'edited'
                ? 'Download the edited version'
                : 'Download original'}
          </a>
        )}
        <button type="button" onClick={onClose} aria-label="close">
          ✕
        </button>
      </div>
      <div class="viewer-body">
        {error && <ErrorState message={error} />}
        {!item && !error && <Loading what={name} />}
        {item && ref && kind === 'image' && (
          <figure>
            <img class="full" src={mediaUrl(backup, ref)} alt={name} />
            {lowRes && (
              <figcaption class="note">
                Lower-resolution copy: the original is not in this backup.
              </figcaption>
            )}
          </figure>
        )}
        {item && ref && kind === 'video' && (
          <MediaPreview backup={backup} file={{ ...ref, fileName: item.filename }} full />
        )}
        {item && !ref && (
          <Empty>
            This {item.kind === 'video' ? 'video' : 'photo'}'s file is not in the backup
            {item.availability === 'icloud-only' ? ': it is in iCloud Photos only' : ''}.
          </Empty>
        )}
        {live && kind === 'image' && (
          <MediaPreview backup={backup} file={{ ...live, fileName: `${name} (Live Photo)` }} live />
        )}
        {item && (
          <div class="viewer-info">
            <dl>
              {details(item, advanced).map(([k, v]) => (
                <>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </>
              ))}
            </dl>
            <label class="advanced-toggle">
              <input
                type="checkbox"
                checked={advanced}
                onChange={(e) => setAdvanced((e.currentTarget as HTMLInputElement).checked)}
              />{' '}
              Advanced (internal fields)
            </label>
          </div>
        )}
      </div>
    </div>
  );
}
