import { useMemo, useState } from 'preact/hooks';
import { arrowNavigation, Empty, ErrorState, Loading, RecoveredBadge } from '../common.js';
import { PhotoViewer } from '../components/photo-viewer.js';
import { ItemsHeader } from '../components/items-header.js';
import { SelectBox } from '../components/select-box.js';
import { mediaKind, mediaUrl, photoFile, recoveredOf, titleOf } from '../items.js';
import { useArtifact } from '../state.js';
import type { ItemOf, View, ViewProps } from './view.js';

type Photo = ItemOf<'photos'>;
type PhotoFilter = 'all' | 'deleted' | 'hidden' | 'recovered';
const FILTER_NAMES: Record<PhotoFilter, string> = {
  all: 'All',
  deleted: 'Recently Deleted',
  hidden: 'Hidden',
  recovered: 'Recovered',
};
const isDeleted = (p: Photo) => p.trashed || Boolean(p.trashedAt);
const isHidden = (p: Photo) => p.hidden;
const FILTERS: Record<PhotoFilter, (p: Photo) => boolean> = {
  all: () => true,
  deleted: isDeleted,
  hidden: isHidden,
  recovered: (p) => recoveredOf(p) !== null,
};

/** Photos and videos: a thumbnail grid with filters, a full view with keyboard navigation, video playback. */
function PhotosView({ backup, sel }: ViewProps) {
  const title = photosView.label;
  const { data, error } = useArtifact(backup, 'photos');
  const [filter, setFilter] = useState<PhotoFilter>('all');
  const [open, setOpen] = useState<number | null>(null);
  const items = data?.items ?? [];
  const visible = useMemo(
    () => items.map((_, i) => i).filter((i) => FILTERS[filter](items[i]!)),
    [data, filter],
  );
  if (error) return <ErrorState message={error} />;
  if (!data) return <Loading what={title} />;
  return (
    <section class="photos">
      <ItemsHeader title={title} data={data} sel={sel} artifact="photos" visible={visible} />
      {items.length === 0 ? (
        <Empty>No photos or videos in this backup.</Empty>
      ) : (
        <>
          <div class="tabs" role="tablist" aria-label="photo filters">
            {(Object.keys(FILTER_NAMES) as PhotoFilter[]).map((f) => (
              <button
                type="button"
                role="tab"
                aria-selected={filter === f}
                class={filter === f ? 'active' : ''}
                onClick={() => setFilter(f)}
              >
                {FILTER_NAMES[f]} <span class="count">{items.filter(FILTERS[f]).length}</span>
              </button>
            ))}
          </div>
          {visible.length === 0 ? (
            <Empty>No photos in {FILTER_NAMES[filter]}.</Empty>
          ) : (
            <div class="grid" role="list" onKeyDown={arrowNavigation('.tile-open', 6)}>
              {visible.map((i) => (
                <PhotoTile backup={backup} photo={items[i]!} index={i} sel={sel} onOpen={setOpen} />
              ))}
            </div>
          )}
          {open !== null && (
            <PhotoViewer
              backup={backup}
              items={items}
              order={visible}
              index={open}
              onMove={setOpen}
              onClose={() => setOpen(null)}
              sel={sel}
            />
          )}
        </>
      )}
    </section>
  );
}

function PhotoTile({
  backup,
  photo: p,
  index: i,
  sel,
  onOpen,
}: ViewProps & { photo: Photo; index: number; onOpen: (i: number) => void }) {
  const ref = photoFile(p);
  const kind = ref ? mediaKind(ref) : 'file';
  return (
    <div role="listitem" class={`tile ${sel.has('photos', i) ? 'picked' : ''}`}>
      <button
        type="button"
        class="tile-open"
        data-index={i}
        aria-label={`open ${titleOf(p)}`}
        onClick={() => onOpen(i)}
        onKeyDown={(e) => {
          if (e.key === ' ') {
            e.preventDefault();
            sel.toggle('photos', i);
          }
        }}
      >
        {ref && kind === 'image' ? (
          <img src={mediaUrl(backup, ref)} alt={titleOf(p)} loading="lazy" />
        ) : ref && kind === 'video' ? (
          <div class="video-thumb">
            <video src={mediaUrl(backup, ref, false)} preload="metadata" muted />
            <span class="play">▶</span>
          </div>
        ) : (
          <div class="missing">{ref ? 'file' : 'not in backup'}</div>
        )}
      </button>
      <SelectBox
        checked={sel.has('photos', i)}
        onChange={(on) => sel.toggle('photos', i, on)}
        label={`select ${titleOf(p)}`}
      />
      <div class="tile-badges">
        <RecoveredBadge mark={recoveredOf(p)} />
        {isDeleted(p) && <span class="badge deleted">Deleted</span>}
        {isHidden(p) && <span class="badge hidden">Hidden</span>}
      </div>
    </div>
  );
}

export const photosView: View = { label: 'Photos', Page: PhotosView };
