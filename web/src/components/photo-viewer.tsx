import { useEffect, useRef } from 'preact/hooks';
import { Empty, RecoveredBadge } from '../common.js';
import {
  downloadUrl,
  formatValue,
  label,
  mediaKind,
  mediaUrl,
  photoFile,
  recoveredOf,
  titleOf,
} from '../items.js';
import type { SelectionApi } from '../state.js';
import type { ItemOf } from '../views/view.js';
import { SelectBox } from './select-box.js';

/** One photo or video full size, with ← → through `order`, Space to select, Escape to close. */
export function PhotoViewer({
  backup,
  items,
  order,
  index,
  onMove,
  onClose,
  sel,
}: {
  backup: string;
  items: ItemOf<'photos'>[];
  order: number[];
  index: number;
  onMove: (i: number) => void;
  onClose: () => void;
  sel: SelectionApi;
}) {
  const box = useRef<HTMLDivElement>(null);
  const place = order.indexOf(index);
  const item = items[index]!;
  const ref = photoFile(item);
  const kind = ref ? mediaKind(ref) : 'file';
  const live = item.files.find((f) => f.role === 'live-video');
  useEffect(() => {
    box.current?.focus();
  }, []);
  const go = (step: number) => {
    const next = order[place + step];
    if (next !== undefined) onMove(next);
  };
  return (
    <div
      class="viewer"
      role="dialog"
      aria-modal="true"
      aria-label={titleOf(item)}
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
          {titleOf(item)} · {place + 1} / {order.length}
        </span>
        <RecoveredBadge mark={recoveredOf(item)} />
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
          disabled={place >= order.length - 1}
          aria-label="next"
        >
          ›
        </button>
        {ref && (
          <a href={downloadUrl(backup, ref.domain, ref.relativePath)} download>
            Download original
          </a>
        )}
        <button type="button" onClick={onClose} aria-label="close">
          ✕
        </button>
      </div>
      <div class="viewer-body">
        {ref && kind === 'image' && (
          <img class="full" src={mediaUrl(backup, ref)} alt={titleOf(item)} />
        )}
        {ref && kind === 'video' && (
          <video class="full" src={mediaUrl(backup, ref, false)} controls autoplay />
        )}
        {!ref && (
          <Empty>
            This photo's file is not in the backup
            {item.availability === 'icloud-only' ? ': it is in iCloud Photos only' : ''}.
          </Empty>
        )}
        {live && kind === 'image' && (
          <video
            class="live"
            src={mediaUrl(backup, live, false)}
            controls
            muted
            aria-label="Live Photo video"
          />
        )}
        <dl class="viewer-info">
          {Object.entries(item)
            .filter(
              ([k, v]) => k !== 'recovered' && v !== null && v !== '' && typeof v !== 'object',
            )
            .slice(0, 14)
            .map(([k, v]) => (
              <>
                <dt>{label(k)}</dt>
                <dd>{formatValue(v)}</dd>
              </>
            ))}
        </dl>
      </div>
    </div>
  );
}
