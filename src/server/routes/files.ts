import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import type { SourceFile } from '../../sources/files.js';
import type { DomainFilesResponse, DomainsResponse } from '../api-types.js';
import { contentTypeFor, heicToJpeg, isActiveContent, isHeic, MEDIA_POLICY } from '../media.js';
import { entryOf, handleOf, type RouteDeps } from '../requests.js';
import type { BackupHandle } from '../session.js';

const CACHE = 'private, max-age=3600';
const web = (stream: Readable) => Readable.toWeb(stream) as ReadableStream;

/** /api/backups/:id/{files,file,media}: the raw backup, its domains, files and media. */
export function fileRoutes({ session }: RouteDeps): Hono {
  const routes = new Hono();

  routes.get('/:id/files', async (c) => {
    const handle = handleOf(session, c);
    const entries = (await handle.source()).files.listFiles();
    const domain = c.req.query('domain');
    if (domain === undefined) {
      const domains = new Map<string, { files: number; bytes: number }>();
      for (const e of entries) {
        const d = domains.get(e.domain) ?? { files: 0, bytes: 0 };
        d.files++;
        d.bytes += e.size;
        domains.set(e.domain, d);
      }
      const list = [...domains].map(([name, d]) => ({ name, ...d }));
      return c.json({
        domains: list.sort((a, b) => a.name.localeCompare(b.name)),
      } satisfies DomainsResponse);
    }
    const files = entries
      .filter((e) => e.domain === domain)
      .sort((a, b) => a.relativePath.localeCompare(b.relativePath));
    const row = (e: SourceFile): DomainFilesResponse['files'][number] => ({
      path: e.relativePath,
      size: e.size,
      modified: e.modified ? Math.floor(e.modified.getTime() / 1000) : 0,
      present: e.present,
    });
    // A domain can hold tens of thousands of files (the camera roll): the JSON is written as it is
    // sent, a slice at a time, never whole in memory (the text JSON.stringify would give).
    const head = `{"domain":${JSON.stringify(domain)},"files":[`;
    let next = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const slice = files.slice(next, next + 2000).map((e) => JSON.stringify(row(e)));
        const text = (next === 0 ? head : ',') + slice.join(',');
        next += 2000;
        controller.enqueue(Buffer.from(next >= files.length ? `${text}]}` : text));
        if (next >= files.length) controller.close();
      },
    });
    return c.body(body, 200, { 'Content-Type': 'application/json' });
  });

  routes.get('/:id/file', async (c) => {
    const handle = handleOf(session, c);
    return streamEntry(c, handle, await entryOf(handle, c), 'attachment');
  });

  routes.get('/:id/media', async (c) => {
    const handle = handleOf(session, c);
    const entry = await entryOf(handle, c);
    if (c.req.query('display') && isHeic(entry.relativePath)) {
      const { files } = await handle.source();
      const jpeg = await heicToJpeg(`${handle.id}/${entry.domain}/${entry.relativePath}`, () =>
        files.read(entry),
      );
      return c.body(new Uint8Array(jpeg), 200, {
        'Content-Type': 'image/jpeg',
        'Cache-Control': CACHE,
        'Content-Security-Policy': MEDIA_POLICY,
      });
    }
    const type = contentTypeFor(entry.relativePath);
    if (type.startsWith('video/') || type.startsWith('audio/'))
      return serveRanges(c, await handle.plainCopy(entry), type);
    return streamEntry(c, handle, entry, 'inline');
  });

  return routes;
}

async function streamEntry(
  c: Context,
  handle: BackupHandle,
  entry: SourceFile,
  disposition: 'inline' | 'attachment',
) {
  const stream = await (await handle.source()).files.open(entry);
  const name = entry.relativePath.split('/').pop() || 'file';
  // A stranger's .svg or .html never opens as a page here: it is a download, and sandboxed besides.
  if (isActiveContent(name)) disposition = 'attachment';
  return c.body(web(stream), 200, {
    'Content-Security-Policy': MEDIA_POLICY,
    'Content-Type':
      disposition === 'attachment' ? 'application/octet-stream' : contentTypeFor(name),
    'Content-Length': String(entry.size),
    'Content-Disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(name)}`,
    'Cache-Control': CACHE,
  });
}

/** Video and audio: byte ranges, so the browser can seek (served from a private decrypted copy). */
function serveRanges(c: Context, path: string, type: string) {
  const size = statSync(path).size;
  const headers = {
    'Content-Type': type,
    'Accept-Ranges': 'bytes',
    'Cache-Control': CACHE,
    'Content-Security-Policy': MEDIA_POLICY,
  };
  const wanted = /^bytes=(\d*)-(\d*)$/.exec(c.req.header('range') ?? '');
  if (!wanted || (!wanted[1] && !wanted[2]))
    return c.body(web(createReadStream(path)), 200, { ...headers, 'Content-Length': String(size) });
  const start = wanted[1] ? Number(wanted[1]) : Math.max(0, size - Number(wanted[2]));
  const end = wanted[1] && wanted[2] ? Math.min(Number(wanted[2]), size - 1) : size - 1;
  if (start >= size || start > end)
    return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${size}` });
  return c.body(web(createReadStream(path, { start, end })), 206, {
    ...headers,
    'Content-Range': `bytes ${start}-${end}/${size}`,
    'Content-Length': String(end - start + 1),
  });
}
