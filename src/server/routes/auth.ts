import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { ErrorBody } from '../api-types.js';

export const COOKIE = 'reclaim_session';
/** The header the page adds to every API call, from the key it was given once (never in a cookie). */
export const KEY_HEADER = 'x-reclaim-key';
/** Longest life of a signed media address, in seconds. */
export const SIGNED_URL_MAX_AGE = 30 * 60;

/** DNS rebinding: only this computer's own names for this server are answered. */
export function localOnly(port: () => number): MiddlewareHandler {
  return async (c, next) => {
    const local = [`127.0.0.1:${port()}`, `localhost:${port()}`];
    if (!local.includes((c.req.header('host') ?? '').toLowerCase()))
      return c.text(
        'Refused: this server only answers requests addressed to 127.0.0.1 or localhost.',
        403,
      );
    const origin = c.req.header('origin');
    if (origin && !local.some((host) => origin === `http://${host}`))
      return c.text('Refused: cross-origin request.', 403);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    // Another local page may not embed what this server answers (photos, recordings, JSON).
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    await next();
  };
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The text a media address is signed over: its path and query up to `&sig=`. The page builds the same
 * text (web/src/api.ts, signedUrl) with the key it holds, so an <img> or <video> can load without headers.
 */
export function signature(key: string, signed: string): string {
  return createHmac('sha256', key).update(signed).digest('base64url').slice(0, 22);
}

interface BrowserSession {
  id: string;
  /** Sent back by the page in KEY_HEADER, and the key media addresses are signed with. */
  key: string;
}

/**
 * The launch token is exchanged once for a session: a random id in an HttpOnly cookie, and a separate key
 * the page keeps in its own storage and sends as a header. Browsers send cookies to every port of
 * 127.0.0.1, so the cookie alone (all another local page could make a browser send) opens nothing.
 */
export class Sessions {
  private tokenUsed = false;
  private readonly byId = new Map<string, BrowserSession>();

  constructor(private readonly token: string) {}

  /** A new session for the launch token, once; null for a wrong or already used token. */
  exchange(token: string): BrowserSession | null {
    if (this.tokenUsed || !same(token, this.token)) return null;
    this.tokenUsed = true;
    const session = {
      id: randomBytes(24).toString('base64url'),
      key: randomBytes(24).toString('base64url'),
    };
    this.byId.set(session.id, session);
    return session;
  }

  get(id: string | undefined): BrowserSession | undefined {
    return id ? this.byId.get(id) : undefined;
  }

  get used(): boolean {
    return this.tokenUsed;
  }
}

/** The path and query a signed address was signed over, or null when it carries no valid signature. */
function signedPart(c: Context): { signed: string; sig: string; exp: number } | null {
  const url = new URL(c.req.url);
  const query = url.search.slice(1);
  const at = query.lastIndexOf('&sig=');
  if (at < 0) return null;
  const sig = query.slice(at + 5);
  const exp = Number(new URLSearchParams(query.slice(0, at)).get('exp'));
  if (!Number.isInteger(exp)) return null;
  return { signed: `${url.pathname}?${query.slice(0, at)}`, sig, exp };
}

function validSignature(c: Context, key: string): boolean {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return false;
  const part = signedPart(c);
  if (!part) return false;
  const now = Math.floor(Date.now() / 1000);
  if (part.exp < now || part.exp > now + SIGNED_URL_MAX_AGE) return false;
  return same(part.sig, signature(key, part.signed));
}

const refusedApi = (c: Context, error: string) =>
  c.json({ error, code: 'unauthorised' } satisfies ErrorBody, 401);

/**
 * The page itself needs the session cookie; every API call needs the cookie and, besides, either the key
 * header (fetch from the page) or a short-lived signature made with the key (media in <img>/<video>).
 */
export function authenticate(sessions: Sessions): MiddlewareHandler {
  return async (c, next) => {
    const api = c.req.path.startsWith('/api/');
    const token = c.req.query('token');
    const current = sessions.get(getCookie(c, COOKIE));
    if (token !== undefined && c.req.method === 'GET' && !api) {
      // Opening the printed link again in the browser that already holds the session is fine.
      if (current) return c.redirect(c.req.path, 302);
      const session = sessions.exchange(token);
      if (!session)
        return c.text(
          sessions.used
            ? 'This link has already been used: it opens Reclaim in one browser only. Stop reclaim ui (Ctrl+C) and start it again for a new link.'
            : 'This link is not valid (the token does not match). Use the link `reclaim ui` printed.',
          401,
        );
      setCookie(c, COOKIE, session.id, { httpOnly: true, sameSite: 'Strict', path: '/' });
      // The key travels in the fragment: browsers never send it to any server, and only this page reads it.
      return c.redirect(`${c.req.path}#key=${session.key}`, 302);
    }
    if (!current) {
      if (api) return refusedApi(c, 'Not authorised: open the link `reclaim ui` printed.');
      return c.text(
        'Not authorised: open the link (with its token) that `reclaim ui` printed.',
        401,
      );
    }
    if (!api) return next();
    const header = c.req.header(KEY_HEADER);
    if (header !== undefined ? same(header, current.key) : validSignature(c, current.key))
      return next();
    return refusedApi(
      c,
      header !== undefined || !signedPart(c)
        ? 'Not authorised: this request did not come from the Reclaim page. Reload the page, or open the link `reclaim ui` printed.'
        : 'This media link has expired: reload the page.',
    );
  };
}
