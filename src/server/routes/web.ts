import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Hono } from 'hono';

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

const PAGE_POLICY =
  "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'";

/** The built front end, served from this computer; every other path is the page itself (hash routes). */
export function webRoutes(webDir: string): Hono {
  const routes = new Hono();
  routes.get('*', (c) => {
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
    const inside = file === webDir || file.startsWith(webDir + sep);
    if (wanted && inside && existsSync(file) && statSync(file).isFile()) {
      const immutable = wanted.startsWith('assets');
      return c.body(readFileSync(file), 200, {
        'Content-Type': STATIC_TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': immutable ? 'private, max-age=31536000, immutable' : 'no-cache',
      });
    }
    return c.body(readFileSync(index), 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': PAGE_POLICY,
    });
  });
  return routes;
}
