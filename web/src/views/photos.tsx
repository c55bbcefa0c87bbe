import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PhotoFilter, PhotoTimeline } from '../../../src/server/api-types.js';
import { api } from '../api.js';
import { arrowNavigation, Empty, ErrorState, Loading } from '../common.js';
import { ItemsHeader } from '../components/items-header.js';
import { PhotoViewer } from '../components/photo-viewer.js';
import { SelectBox } from '../components/select-box.js';
import { useWidth, VirtualRows } from '../components/virtual.js';
import { formatCell, thumbUrl } from '../items.js';
import { moveToItem, openItem } from '../route.js';
import { dayKey, formatDay, formatMonth } from '../time.js';
import type { View, ViewProps } from './view.js';

const FILTER_NAMES: Record<PhotoFilter, string> = {
  all: 'All',
  deleted: 'Recently Deleted',
  hidden: 'Hidden',
  recovered: 'Recovered',
};
/** Bits of PhotoTimeline.flags (src/server/photos.ts, PHOTO_FLAG). */
export const FLAG = {
  trashed: 1,
  hidden: 2,
  recovered: 4,
  favorite: 8,
  video: 16,
  notOriginal: 32,
  live: 64,
  noFile: 128,
  thumb: 256,
} as const;

const TILE = 150;
const GAP = 6;
const HEAD = 40;

type Row = { head: string; count: number } | { start: number; end: number };

/** The grid's rows: a header for each day, then that day's photos in rows of `columns`. */
function layout(
  timeline: PhotoTimeline,
  columns: number,
): { rows: Row[]; months: [string, number][] } {
  const rows: Row[] = [];
  const months = new Map<string, number>();
  let i = 0;
  const n = timeline.index.length;
  while (i < n) {
    const t = timeline.time[i];
    const day = t === null ? '' : dayKey(t! * 1000);
    let end = i;
    while (
      end < n &&
      (timeline.time[end] === null ? '' : dayKey(timeline.time[end]! * 1000)) === day
    )
      end++;
    const month = day.slice(0, 7);
    if (!months.has(month)) months.set(month, rows.length);
    rows.push({ head: day, count: end - i });
    for (let s = i; s < end; s += columns) rows.push({ start: s, end: Math.min(end, s + columns) });
    i = end;
  }
  return { rows, months: [...months] };
}

const duration = (seconds: number) => formatCell('durationSeconds', seconds);

/** Photos and videos: a grid of server-made thumbnails, newest first, by day, of which only what is on
 * screen is in the page; filters, albums, a jump to any month, and the full view in the address. */
function PhotosView({ backup, sel, open }: ViewProps) {
  const [filter, setFilter] = useState<PhotoFilter>('all');
  const [album, setAlbum] = useState('');
  const [timeline, setTimeline] = useState<PhotoTimeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [jump, setJump] = useState<{ row: number; seq: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  useEffect(() => {
    const q = new URLSearchParams({ filter });
    if (album) q.set('album', album);
    api<PhotoTimeline>(`/api/backups/${backup}/photos/timeline?${q}`).then(
      (t) => {
        setTimeline(t);
        setError(null);
      },
      (e: Error) => setError(`Could not read the photo library: ${e.message}`),
    );
  }, [backup, filter, album]);
  const columns = Math.max(2, Math.floor((Math.max(width, 320) - 16 + GAP) / (TILE + GAP)));
  const tile = Math.floor((Math.max(width, 320) - 16 - GAP * (columns - 1)) / columns);
  const { rows, months } = useMemo(
    () => (timeline ? layout(timeline, columns) : { rows: [], months: [] }),
    [timeline, columns],
  );
  const place = useMemo(() => {
    const at = new Map<number, number>();
    timeline?.index.forEach((n, k) => at.set(n, k));
    return at;
  }, [timeline]);
  if (error) return <ErrorState message={error} />;
  const title = photosView.label;
  return (
    <section class="photos">
      {!timeline ? (
        <Loading what={title} />
      ) : (
        <ItemsHeader
          title={title}
          total={timeline.total}
          recovered={timeline.counts.recovered}
          problems={timeline.problems}
          notInBackup={timeline.notInBackup}
          missing={timeline.missing}
          sel={sel}
          artifact="photos"
          visible={timeline.index}
        />
      )}
      {timeline && timeline.total === 0 ? (
        <Empty>No photos or videos in this backup.</Empty>
      ) : (
        timeline && (
          <div class="grid-tools">
            <div class="tabs" role="tablist" aria-label="photo filters">
              {(Object.keys(FILTER_NAMES) as PhotoFilter[]).map((f) => (
                <button
                  type="button"
                  role="tab"
                  aria-selected={filter === f}
                  class={filter === f ? 'active' : ''}
                  onClick={() => setFilter(f)}
                >
                  {FILTER_NAMES[f]} <span class="count">{timeline.counts[f].toLocaleString()}</span>
                </button>
              ))}
            </div>
            {timeline.albums.length > 0 && (
              <label>
                Album{' '}
                <select
                  value={album}
                  aria-label="album"
                  onChange={(e) => setAlbum((e.currentTarget as HTMLSelectElement).value)}
                >
                  <option value="">All albums</option>
                  {timeline.albums.map((a) => (
                    <option value={a.name}>
                      {a.name} ({a.count})
                    </option>
                  ))}
                </select>
              </label>
            )}
            {months.length > 1 && (
              <label>
                Jump to{' '}
                <select
                  aria-label="jump to a month"
                  onChange={(e) => {
                    const row = Number((e.currentTarget as HTMLSelectElement).value);
                    setJump({ row, seq: (jump?.seq ?? 0) + 1 });
                  }}
                >
                  {months.map(([month, row]) => (
                    <option value={row}>
                      {month ? formatMonth(`${month}-01T12:00:00`) : 'Date unknown'}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
        )
      )}
      {timeline && timeline.total > 0 && timeline.index.length === 0 && (
        <Empty>
          No photos in {FILTER_NAMES[filter]}
          {album ? ` in ${album}` : ''}.
        </Empty>
      )}
      <VirtualRows
        boxRef={box}
        class="photo-grid"
        label="photos"
        count={rows.length}
        deps={[rows, tile]}
        heightOf={(i) => ('head' in rows[i]! ? HEAD : tile + GAP)}
        scrollTo={jump}
        onKeyDown={arrowNavigation('.tile-open', columns)}
        render={(i) => {
          const row = rows[i]!;
          if ('head' in row)
            return (
              <h2 class="day">
                {row.head ? formatDay(`${row.head}T12:00:00`) : 'Date unknown'}{' '}
                <span class="meta">{row.count.toLocaleString()}</span>
              </h2>
            );
          const tiles = [];
          for (let k = row.start; k < row.end; k++)
            tiles.push(
              <PhotoTile
                backup={backup}
                n={timeline!.index[k]!}
                flags={timeline!.flags[k]!}
                seconds={timeline!.duration[k]!}
                size={tile}
                sel={sel}
              />,
            );
          return <div class="tile-row">{tiles}</div>;
        }}
      />
      {open !== null && timeline && (
        <PhotoViewer
          backup={backup}
          order={timeline.index}
          place={place.get(open) ?? -1}
          index={open}
          flags={timeline.flags[place.get(open) ?? -1] ?? 0}
          onMove={(n) => moveToItem(backup, 'photos', n)}
          onClose={() => openItem(backup, 'photos', null)}
          sel={sel}
        />
      )}
    </section>
  );
}

function PhotoTile({
  backup,
  n,
  flags,
  seconds,
  size,
  sel,
}: {
  backup: string;
  n: number;
  flags: number;
  seconds: number;
  size: number;
  sel: ViewProps['sel'];
}) {
  const video = (flags & FLAG.video) !== 0;
  const name = `${video ? 'video' : 'photo'} ${n + 1}`;
  return (
    <div
      role="listitem"
      class={`tile ${sel.has('photos', n) ? 'picked' : ''}`}
      style={{ width: `${size}px`, height: `${size}px` }}
    >
      <button
        type="button"
        class="tile-open"
        data-index={n}
        aria-label={`open ${name}`}
        onClick={() => openItem(backup, 'photos', n)}
        onKeyDown={(e) => {
          if (e.key === ' ') {
            e.preventDefault();
            sel.toggle('photos', n);
          }
        }}
      >
        {flags & FLAG.thumb ? (
          <img src={thumbUrl(backup, n)} alt="" decoding="async" />
        ) : video ? (
          <span
            class="missing poster-missing"
            title="No preview: the backup kept no thumbnail for this video, and Reclaim has no video decoder to make one. Open it to play it."
          >
            ▶ {duration(seconds)}
            <small>no preview</small>
          </span>
        ) : (
          <span class="missing">{flags & FLAG.noFile ? 'not in backup' : 'no preview'}</span>
        )}
        {video && flags & FLAG.thumb ? <span class="play">▶ {duration(seconds)}</span> : null}
      </button>
      <SelectBox
        checked={sel.has('photos', n)}
        onChange={(on) => sel.toggle('photos', n, on)}
        label={`select ${name}`}
      />
      {flags & (FLAG.recovered | FLAG.trashed | FLAG.hidden | FLAG.notOriginal) ? (
        <span class="tile-badges">
          {flags & FLAG.recovered ? <span class="badge recovered">Recovered</span> : null}
          {flags & FLAG.trashed ? <span class="badge deleted">Deleted</span> : null}
          {flags & FLAG.hidden ? <span class="badge hidden">Hidden</span> : null}
          {flags & FLAG.notOriginal ? <span class="badge">lower-res</span> : null}
        </span>
      ) : null}
    </div>
  );
}

export const photosView: View = { label: 'Photos', Page: PhotosView };
