import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import yazl from 'yazl';
import { ARTIFACT_IDS, type ArtifactId } from '../artifacts/artifact.js';
import { artifactById } from '../artifacts/registry.js';
import type { NameIndex } from '../artifacts/names.js';
import type { BackupEntry } from '../backup/types.js';
import { buildRescuePlan } from '../device/rescue-plan.js';
import { ExitCode, ReclaimError, WrongPasswordError } from '../errors.js';
import { hashTargetFromKeybag } from '../password/hash-line.js';
import { recoverPassword } from '../password/recover.js';
import { Jobs } from './jobs.js';
import { contentTypeFor, heicToJpeg, isHeic } from './media.js';
import { webDistDir } from './root.js';
import { listFiles, parseSelection, saveSelection } from './save.js';
import type { BackupHandle, UiSession } from './session.js';

export const COOKIE = 'reclaim_ui';

export interface AppOptions {
  session: UiSession;
  /** The token printed with the URL; a fresh random one when not given. */
  token?: string;
  /** The port the server listens on (known after listen; Host headers must name it). */
  port: () => number;
  /** Built front end (default dist/web). */
  webDir?: string;
}

/** Items as JSON for the page: byte arrays are not sent (only their size). */
export function itemsJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const original = this[key];
    if (Buffer.isBuffer(original) || original instanceof Uint8Array)
      return { $bytes: original.length };
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
}

function errorBody(error: unknown): {
  status: 400 | 403 | 404 | 409 | 500;
  body: { error: string; code: string };
} {
  if (error instanceof WrongPasswordError)
    return { status: 403, body: { error: error.message, code: 'wrong-password' } };
  if (error instanceof ReclaimError) {
    const status =
      error.exitCode === ExitCode.notFound
        ? 404
        : error.exitCode === ExitCode.usage
          ? 400
          : error.exitCode === ExitCode.badInput
            ? 400
            : 500;
    return {
      status,
      body: { error: error.message, code: status === 404 ? 'not-found' : 'failed' },
    };
  }
  return {
    status: 500,
    body: { error: (error as Error)?.message ?? String(error), code: 'failed' },
  };
}

export const describeError = (error: unknown): Record<string, unknown> => errorBody(error).body;

/** Categories whose items name people by number or address: the page gets names from Contacts for them. */
const NAMED: ReadonlySet<ArtifactId> = new Set(['messages', 'whatsapp', 'calls', 'voicemail']);
const HANDLE_KEY = /handle|sender|number|address|^from$|caller|callback|participant/i;

/** Contact names for the phone numbers and addresses the items mention. */
export function namesFor(items: unknown[], index: NameIndex): Record<string, string> {
  const names: Record<string, string> = {};
  const visit = (value: unknown, key: string, depth: number) => {
    if (typeof value === 'string') {
      if (HANDLE_KEY.test(key) && !(value in names)) {
        const name = index.nameFor(value);
        if (name) names[value] = name;
      }
      return;
    }
    if (depth > 4 || typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return;
    if (Array.isArray(value)) for (const v of value) visit(v, key, depth + 1);
    else for (const [k, v] of Object.entries(value)) visit(v, k, depth + 1);
  };
  for (const item of items) visit(item, '', 0);
  return names;
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function createApp(options: AppOptions): { app: Hono; token: string; jobs: Jobs } {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const session = options.session;
  const webDir = options.webDir ?? webDistDir();
  const jobs = new Jobs();
  const app = new Hono();

  // DNS rebinding: only this computer's own names for this server are answered.
  app.use('*', async (c, next) => {
    const port = options.port();
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return c.text(
        'Refused: this server only answers requests addressed to 127.0.0.1 or localhost.',
        403,
      );
    }
    const origin = c.req.header('origin');
    if (origin && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      return c.text('Refused: cross-origin request.', 403);
    }
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    await next();
  });

  // The token: exchanged for a cookie on the first load, then required everywhere.
  app.use('*', async (c, next) => {
    const given = c.req.query('token');
    if (given !== undefined && c.req.method === 'GET' && !c.req.path.startsWith('/api/')) {
      if (!sameToken(given, token))
        return c.text(
          'This link is not valid (the token does not match). Use the link `reclaim ui` printed.',
          401,
        );
      setCookie(c, COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return c.redirect(c.req.path, 302);
    }
    const cookie = getCookie(c, COOKIE);
    if (!cookie || !sameToken(cookie, token)) {
      if (c.req.path.startsWith('/api/'))
        return c.json(
          { error: 'Not authorised: open the link `reclaim ui` printed.', code: 'unauthorised' },
          401,
        );
      return c.text(
        'Not authorised: open the link (with its token) that `reclaim ui` printed.',
        401,
      );
    }
    await next();
  });

  const fail = (c: Context, error: unknown) => {
    const { status, body } = errorBody(error);
    return c.json(body, status);
  };
  const handleOf = (c: Context): BackupHandle => {
    const handle = session.get(c.req.param('id') ?? '');
    if (!handle) throw new ReclaimError('No such backup in this session.', ExitCode.notFound);
    return handle;
  };
  const artifactOf = (c: Context): ArtifactId => {
    const id = c.req.param('artifact') as ArtifactId;
    if (!ARTIFACT_IDS.includes(id))
      throw new ReclaimError(`Unknown category ${id}.`, ExitCode.notFound);
    return id;
  };
  /** Only entries of the backup's own index: nothing outside the backup can be named. */
  const entryOf = (handle: BackupHandle, c: Context): BackupEntry => {
    const domain = c.req.query('domain') ?? '';
    const path = c.req.query('path') ?? '';
    const entry = handle.source().find(domain, path);
    if (!entry || entry.kind !== 'file')
      throw new ReclaimError(`${domain}/${path} is not a file of this backup.`, ExitCode.notFound);
    if (!handle.source().has(entry))
      throw new ReclaimError(
        `${domain}/${path} is indexed, but its data is not in the backup.`,
        ExitCode.notFound,
      );
    return entry;
  };
  const summaryOf = (handle: BackupHandle) => {
    try {
      return handle.summary();
    } catch (error) {
      return {
        id: handle.id,
        path: handle.dir,
        demo: handle.demo,
        error: (error as Error).message,
      };
    }
  };
  const body = async (c: Context): Promise<Record<string, unknown>> => {
    try {
      const value = await c.req.json();
      return typeof value === 'object' && value !== null ? value : {};
    } catch {
      return {};
    }
  };
  const startJob = (c: Context, kind: string, work: Parameters<Jobs['start']>[1]) => {
    const job = jobs.start(kind, work, describeError);
    return c.json({ job: job.id }, 202);
  };

  app.get('/api/backups', (c) => {
    try {
      const { roots, backups } = session.discover();
      return c.json({ roots, initial: session.initial, backups: backups.map(summaryOf) });
    } catch (error) {
      return fail(c, error);
    }
  });

  app.post('/api/backups/open', async (c) => {
    try {
      const path = (await body(c))['path'];
      if (typeof path !== 'string' || !path.trim())
        throw new ReclaimError('Give the folder to open.', ExitCode.usage);
      const opened = session.open(path.trim());
      return c.json({ opened: opened.map(summaryOf) });
    } catch (error) {
      return fail(c, error);
    }
  });

  app.get('/api/backups/:id', (c) => {
    try {
      return c.json(handleOf(c).summary());
    } catch (error) {
      return fail(c, error);
    }
  });

  app.post('/api/backups/:id/unlock', async (c) => {
    try {
      const handle = handleOf(c);
      const password = (await body(c))['password'];
      if (typeof password !== 'string' || password.length === 0)
        throw new ReclaimError('Type the backup password.', ExitCode.usage);
      return startJob(c, 'unlock', async (job) => {
        if (!handle.locked) return { unlocked: true };
        job.progress({
          stage: 'derive',
          message: 'Deriving the key from the password (this takes a few seconds)…',
        });
        await handle.backup.unlock({ password });
        job.progress({ stage: 'index', message: 'Reading the backup index…' });
        const files = handle.backup.entries().filter((e) => e.kind === 'file').length;
        return { unlocked: true, files };
      });
    } catch (error) {
      return fail(c, error);
    }
  });

  app.post('/api/backups/:id/scan', (c) => {
    try {
      const handle = handleOf(c);
      handle.source();
      return startJob(c, 'scan', async (job) => {
        const counts = await handle.counts((done, total, title) =>
          job.progress({
            stage: 'scan',
            done,
            total,
            message: title ? `Reading ${title}…` : 'Done',
          }),
        );
        return { summary: handle.summary(), counts };
      });
    } catch (error) {
      return fail(c, error);
    }
  });

  app.get('/api/backups/:id/artifacts/:artifact', async (c) => {
    try {
      const handle = handleOf(c);
      const id = artifactOf(c);
      const data = await handle.read(id);
      const names = NAMED.has(id) ? namesFor(data.items, await handle.names()) : {};
      const payload = {
        id,
        title: artifactById(id).title,
        items: data.items,
        problems: data.problems,
        notInBackup: data.notInBackup,
        sources: data.sources,
        names,
      };
      return c.body(itemsJson(payload), 200, { 'Content-Type': 'application/json; charset=utf-8' });
    } catch (error) {
      return fail(c, error);
    }
  });

  app.get('/api/backups/:id/files', (c) => {
    try {
      const handle = handleOf(c);
      const source = handle.source();
      const entries = handle.backup.entries();
      const domain = c.req.query('domain');
      if (domain === undefined) {
        const domains = new Map<string, { files: number; bytes: number }>();
        for (const e of entries) {
          if (e.kind !== 'file') continue;
          const d = domains.get(e.domain) ?? { files: 0, bytes: 0 };
          d.files++;
          d.bytes += e.size;
          domains.set(e.domain, d);
        }
        return c.json({
          domains: [...domains]
            .map(([name, d]) => ({ name, ...d }))
            .sort((a, b) => a.name.localeCompare(b.name)),
        });
      }
      const files = entries
        .filter((e) => e.domain === domain && e.kind === 'file')
        .map((e) => ({
          path: e.relativePath,
          size: e.size,
          modified: e.modified,
          present: source.has(e),
        }))
        .sort((a, b) => a.path.localeCompare(b.path));
      return c.json({ domain, files });
    } catch (error) {
      return fail(c, error);
    }
  });

  const streamEntry = (
    c: Context,
    handle: BackupHandle,
    entry: BackupEntry,
    disposition: 'inline' | 'attachment',
  ) => {
    const { stream } = handle.backup.openEntry(entry);
    const name = entry.relativePath.split('/').pop() || 'file';
    return c.body(Readable.toWeb(stream) as ReadableStream, 200, {
      'Content-Type':
        disposition === 'attachment' ? 'application/octet-stream' : contentTypeFor(name),
      'Content-Length': String(entry.size),
      'Content-Disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'private, max-age=3600',
    });
  };

  app.get('/api/backups/:id/file', (c) => {
    try {
      const handle = handleOf(c);
      return streamEntry(c, handle, entryOf(handle, c), 'attachment');
    } catch (error) {
      return fail(c, error);
    }
  });

  app.get('/api/backups/:id/media', async (c) => {
    try {
      const handle = handleOf(c);
      const entry = entryOf(handle, c);
      if (c.req.query('display') && isHeic(entry.relativePath)) {
        const jpeg = await heicToJpeg(`${handle.id}/${entry.domain}/${entry.relativePath}`, () =>
          handle.source().read(entry),
        );
        return c.body(new Uint8Array(jpeg), 200, {
          'Content-Type': 'image/jpeg',
          'Cache-Control': 'private, max-age=3600',
        });
      }
      const type = contentTypeFor(entry.relativePath);
      if (type.startsWith('video/') || type.startsWith('audio/'))
        return await serveRanges(c, await handle.plainCopy(entry), type);
      return streamEntry(c, handle, entry, 'inline');
    } catch (error) {
      return fail(c, error);
    }
  });

  /** Video and audio: byte ranges, so the browser can seek (served from a private decrypted copy). */
  const serveRanges = async (c: Context, path: string, type: string) => {
    const size = statSync(path).size;
    const headers: Record<string, string> = {
      'Content-Type': type,
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'private, max-age=3600',
    };
    const wanted = /^bytes=(\d*)-(\d*)$/.exec(c.req.header('range') ?? '');
    if (wanted && (wanted[1] || wanted[2])) {
      let start = wanted[1] ? Number(wanted[1]) : Math.max(0, size - Number(wanted[2]));
      let end = wanted[1] && wanted[2] ? Math.min(Number(wanted[2]), size - 1) : size - 1;
      if (!wanted[1]) end = size - 1;
      if (start >= size || start > end)
        return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${size}` });
      start = Math.max(0, start);
      const stream = createReadStream(path, { start, end });
      return c.body(Readable.toWeb(stream) as ReadableStream, 206, {
        ...headers,
        'Content-Range': `bytes ${start}-${end}/${size}`,
        'Content-Length': String(end - start + 1),
      });
    }
    return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream, 200, {
      ...headers,
      'Content-Length': String(size),
    });
  };

  const checkOutDir = (folder: unknown): string => {
    if (typeof folder !== 'string' || !folder.trim())
      throw new ReclaimError('Give the folder to save into.', ExitCode.usage);
    if (!isAbsolute(folder.trim()))
      throw new ReclaimError(
        'Give the full path of the folder to save into (it starts with / or a drive letter).',
        ExitCode.usage,
      );
    const out = resolve(folder.trim());
    for (const handle of session.all()) {
      if (handle.contains(out))
        throw new ReclaimError(
          `Refusing to write inside a backup folder (${handle.dir}): the backup is evidence. Choose a folder elsewhere.`,
          ExitCode.usage,
        );
    }
    if (existsSync(out) && !statSync(out).isDirectory())
      throw new ReclaimError(`${out} is a file, not a folder.`, ExitCode.usage);
    return out;
  };

  app.post('/api/backups/:id/save', async (c) => {
    try {
      const handle = handleOf(c);
      const request = await body(c);
      const out = checkOutDir(request['folder']);
      const selection = parseSelection(request['selection']);
      handle.source();
      return startJob(c, 'save', async (job) => {
        const results = await saveSelection(handle, selection, out, {
          signal: job.abort.signal,
          onProgress: (p) => job.progress({ stage: 'save', ...p, message: `Saving ${p.title}…` }),
        });
        return { folder: out, results };
      });
    } catch (error) {
      return fail(c, error);
    }
  });

  const tickets = new Map<
    string,
    { handle: BackupHandle; selection: ReturnType<typeof parseSelection> }
  >();
  app.post('/api/backups/:id/zip', async (c) => {
    try {
      const handle = handleOf(c);
      const selection = parseSelection((await body(c))['selection']);
      handle.source();
      const ticket = randomBytes(12).toString('base64url');
      tickets.set(ticket, { handle, selection });
      return c.json({ url: `/api/backups/${handle.id}/zip/${ticket}` });
    } catch (error) {
      return fail(c, error);
    }
  });

  app.get('/api/backups/:id/zip/:ticket', async (c) => {
    try {
      const handle = handleOf(c);
      const ticket = tickets.get(c.req.param('ticket'));
      if (!ticket || ticket.handle !== handle)
        throw new ReclaimError(
          'This download link has expired; ask for the zip again.',
          ExitCode.notFound,
        );
      tickets.delete(c.req.param('ticket'));
      const folder = handle.source().workspace.folder();
      await saveSelection(handle, ticket.selection, folder);
      const zip = new yazl.ZipFile();
      for (const file of listFiles(folder))
        zip.addFile(join(folder, file), file.split(sep).join('/'));
      zip.end();
      zip.outputStream.on('end', () => rmSync(folder, { recursive: true, force: true }));
      zip.outputStream.on('error', () => rmSync(folder, { recursive: true, force: true }));
      const date = new Date().toISOString().slice(0, 10);
      return c.body(Readable.toWeb(zip.outputStream as Readable) as ReadableStream, 200, {
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="reclaim-${date}.zip"`,
      });
    } catch (error) {
      return fail(c, error);
    }
  });

  app.post('/api/backups/:id/recover', async (c) => {
    try {
      const handle = handleOf(c);
      const request = await body(c);
      if (!handle.backup.encrypted || !handle.backup.keybag)
        throw new ReclaimError(
          'This backup is not encrypted: it has no password to find.',
          ExitCode.usage,
        );
      if (!handle.locked)
        throw new ReclaimError('This backup is already unlocked.', ExitCode.usage);
      const text = (key: string) =>
        typeof request[key] === 'string' && (request[key] as string).trim()
          ? (request[key] as string)
          : undefined;
      const target = hashTargetFromKeybag(handle.backup.keybag);
      const plan = {
        remember: text('remember'),
        mask: text('mask'),
        builtin: request['builtin'] === true || (!text('remember') && !text('mask')),
      };
      return startJob(c, 'recover', async (job) => {
        const result = await recoverPassword({
          target,
          plan,
          signal: job.abort.signal,
          engine: request['engine'] === 'hashcat' ? 'hashcat' : undefined,
          onNotice: (message) => job.progress({ stage: 'search', message }),
          onStart: (info) =>
            job.progress({
              stage: 'search',
              done: info.resumedAt ?? 0,
              total: info.total,
              rate: info.rate,
              eta: info.eta,
              tried: 0,
              message: `Trying ${info.total.toLocaleString('en-US')} candidates (${info.candidates})`,
            }),
          onProgress: (p) =>
            job.progress({
              stage: 'search',
              done: p.position,
              total: p.total,
              rate: p.rate,
              eta: p.eta,
              tried: p.tried,
            }),
        });
        if (result.found && result.password !== null) {
          job.progress({ stage: 'unlock', message: 'Found it. Unlocking the backup…' });
          await handle.backup.unlock({ password: result.password });
        }
        return {
          found: result.found,
          stopped: result.stopped,
          tried: result.tried,
          seconds: result.seconds,
          password: result.password,
        };
      });
    } catch (error) {
      return fail(c, error);
    }
  });

  // "Locked out of the phone": what the backups here hold, and Apple's ways back in (no password is checked here).
  app.get('/api/rescue-plan', async (c) => {
    try {
      const roots = [...session.roots(), ...session.all().map((h) => h.dir)];
      const plan = await buildRescuePlan({
        backupRoots: roots,
        probeDevice: c.req.query('probe') !== '0',
      });
      return c.json(plan);
    } catch (error) {
      return fail(c, error);
    }
  });

  app.post('/api/jobs/:job/cancel', (c) => {
    const job = jobs.get(c.req.param('job'));
    if (!job) return c.json({ error: 'No such job.', code: 'not-found' }, 404);
    job.abort.abort();
    return c.json({ cancelled: true });
  });

  app.get('/api/jobs/:job/events', (c) => {
    const job = jobs.get(c.req.param('job'));
    if (!job) return c.json({ error: 'No such job.', code: 'not-found' }, 404);
    return streamSSE(c, async (stream) => {
      let wake: () => void = () => {};
      const queue: { type: string; data: Record<string, unknown> }[] = [];
      const unsubscribe = job.subscribe((event) => {
        queue.push(event);
        wake();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake();
      });
      try {
        while (!stream.aborted) {
          while (queue.length) {
            const event = queue.shift()!;
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event.data) });
            if (event.type !== 'progress') return;
          }
          await new Promise<void>((r) => {
            wake = r;
            if (queue.length) r();
          });
        }
      } finally {
        unsubscribe();
      }
    });
  });

  app.all('/api/*', (c) => c.json({ error: 'No such API.', code: 'not-found' }, 404));

  // The built front end, served from this computer; every other path is the page itself (hash routes).
  app.get('*', (c) => {
    const index = join(webDir, 'index.html');
    if (!existsSync(index))
      return c.text('The web front end is not built: run `npm run build` (or `npm install`).', 500);
    let wanted = '';
    try {
      wanted = normalize(decodeURIComponent(c.req.path)).replace(/^([/\\])+/, '');
    } catch {
      /* a malformed address: answer with the page */
    }
    const file = resolve(webDir, wanted);
    if (
      wanted &&
      (file === webDir || file.startsWith(webDir + sep)) &&
      existsSync(file) &&
      statSync(file).isFile()
    ) {
      const immutable = wanted.startsWith('assets');
      return c.body(readFileSync(file), 200, {
        'Content-Type': STATIC_TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': immutable ? 'private, max-age=31536000, immutable' : 'no-cache',
      });
    }
    return c.body(readFileSync(index), 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Content-Security-Policy':
        "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
    });
  });

  return { app, token, jobs };
}
