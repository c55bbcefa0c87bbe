import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { ErrorBody } from '../api-types.js';

export const COOKIE = 'reclaim_ui';

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
    await next();
  };
}

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The token: exchanged for a cookie on the first load, then required everywhere. */
export function tokenCookie(token: string): MiddlewareHandler {
  return async (c, next) => {
    const api = c.req.path.startsWith('/api/');
    const given = c.req.query('token');
    if (given !== undefined && c.req.method === 'GET' && !api) {
      if (!sameToken(given, token))
        return c.text(
          'This link is not valid (the token does not match). Use the link `reclaim ui` printed.',
          401,
        );
      setCookie(c, COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return c.redirect(c.req.path, 302);
    }
    const cookie = getCookie(c, COOKIE);
    if (cookie && sameToken(cookie, token)) return next();
    if (api) {
      const body: ErrorBody = {
        error: 'Not authorised: open the link `reclaim ui` printed.',
        code: 'unauthorised',
      };
      return c.json(body, 401);
    }
    return c.text('Not authorised: open the link (with its token) that `reclaim ui` printed.', 401);
  };
}
