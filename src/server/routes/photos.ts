import { Hono } from 'hono';
import type { PhotoAsset } from '../../artifacts/photos/model.js';
import { ExitCode, ReclaimError } from '../../errors.js';
import type { PhotoFilter, PhotoTimeline } from '../api-types.js';
import { warmHeicThread } from '../heic-thread.js';
import { loadSharp } from '../images.js';
import { MEDIA_POLICY } from '../media.js';
import {
  embeddedThumbnails,
  PHOTO_FILTERS,
  photoTimeline,
  thumbSourceOf,
  type ThumbSource,
} from '../photos.js';
import { handleOf, type RouteDeps } from '../requests.js';
import type { BackupHandle } from '../session.js';
import { ThumbnailCache } from '../thumbnails.js';

/** Each photo's thumbnail source, worked out once per backup. */
async function thumbSources(handle: BackupHandle): Promise<(ThumbSource | null)[]> {
  return handle.memo('photo-thumb-sources', async () => {
    const photos = (await handle.read('photos')).items as PhotoAsset[];
    const { files } = await handle.source();
    const embedded = embeddedThumbnails(files);
    return photos.map((p) =>
      thumbSourceOf(p, embedded, (f) => {
        const file = files.stat(f);
        return file?.present ? file : undefined;
      }),
    );
  });
}

const thumbnailCache = (handle: BackupHandle) =>
  handle.memo(
    'thumbnails',
    async () => new ThumbnailCache((await handle.source()).files.workspace.folder()),
  );

/** The grid's index for a filter and album, as JSON, worked out once (the page asks on every visit). */
async function timelineJson(handle: BackupHandle, filter: PhotoFilter, album: string | null) {
  const data = await handle.read('photos');
  const sources = await thumbSources(handle);
  return handle.memo(`timeline:${filter}:${album ?? ''}`, () =>
    JSON.stringify(
      photoTimeline(
        { ...data, items: data.items as PhotoAsset[] },
        (i) => sources[i] !== null,
        filter,
        album,
      ) satisfies PhotoTimeline,
    ),
  );
}

/** Makes the photo grid's index ahead of the first visit (after the overview has read the library). */
export const warmPhotoIndex = (handle: BackupHandle) =>
  timelineJson(handle, 'all', null).then(
    () => undefined,
    () => undefined,
  );

/** Readies what makes thumbnails (libheif's thread, libvips) before a grid asks for them. */
export async function warmThumbnails(): Promise<void> {
  warmHeicThread();
  await loadSharp().catch(() => undefined); // said when a thumbnail is asked for
}

/** /api/backups/:id/photos/...: the grid's index and its thumbnails, made on this computer. */
export function photoRoutes({ session }: RouteDeps): Hono {
  const routes = new Hono();

  routes.get('/:id/photos/timeline', async (c) => {
    const handle = handleOf(session, c);
    const filter = (c.req.query('filter') ?? 'all') as PhotoFilter;
    if (!PHOTO_FILTERS.includes(filter))
      throw new ReclaimError(`Unknown photo filter ${filter}.`, ExitCode.usage);
    const body = await timelineJson(handle, filter, c.req.query('album') || null);
    void warmThumbnails(); // the grid asks for its first screen next (the HEIC thread ends when idle)
    return c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  routes.get('/:id/photos/:n/thumb', async (c) => {
    const handle = handleOf(session, c);
    const n = Number(c.req.param('n'));
    const sources = await thumbSources(handle);
    const found = Number.isInteger(n) ? sources[n] : undefined;
    if (!found)
      throw new ReclaimError(
        'This item has no picture to show (a video without a preview, or no file in the backup).',
        ExitCode.notFound,
      );
    const { entry, embedded } = found;
    const { files } = await handle.source();
    const jpeg = await (
      await thumbnailCache(handle)
    ).get(
      {
        key: `${entry.domain}/${entry.relativePath}/${entry.size}`,
        name: entry.relativePath,
        size: entry.size,
        embedded,
      },
      () => files.read(entry),
      async () => (await handle.plainPath(entry)) ?? files.read(entry),
    );
    return c.body(new Uint8Array(jpeg), 200, {
      'Content-Type': 'image/jpeg',
      'Cache-Control': 'private, max-age=86400',
      'Content-Security-Policy': MEDIA_POLICY,
    });
  });

  return routes;
}
