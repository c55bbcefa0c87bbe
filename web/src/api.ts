import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { ErrorBody, JobProgress, JobStarted } from '../../src/server/api-types.js';

export type { JobProgress };

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: ErrorBody['code'] | 'connection',
  ) {
    super(message);
  }
}

const KEY_STORE = 'reclaim-key';

/**
 * The session key the server gave this page once (in the address's fragment, which no server ever sees).
 * Kept in this origin's own storage: pages of other local programs cannot read it, so their requests,
 * which carry the cookie, still cannot reach the API.
 */
function takeKey(): string | null {
  const m = /(?:^#|&)key=([\w-]+)/.exec(location.hash);
  if (m) {
    localStorage.setItem(KEY_STORE, m[1]!);
    history.replaceState(null, '', `${location.pathname}#/`);
    return m[1]!;
  }
  return localStorage.getItem(KEY_STORE);
}
const key = takeKey();

const SIGN_WINDOW = 10 * 60;

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/**
 * A short-lived signed address for what the page loads without headers (<img>, <video>, downloads, event
 * streams): the same recipe as the server's (src/server/routes/auth.ts). The expiry is rounded so that an
 * address stays the same for minutes and the browser's cache keeps working.
 */
export function signedUrl(path: string): string {
  const now = Math.floor(Date.now() / 1000);
  const exp = (Math.floor(now / SIGN_WINDOW) + 2) * SIGN_WINDOW;
  const signed = `${path}${path.includes('?') ? '&' : '?'}exp=${exp}`;
  const mac = hmac(sha256, new TextEncoder().encode(key ?? ''), new TextEncoder().encode(signed));
  return `${signed}&sig=${base64url(mac).slice(0, 22)}`;
}

/** What to do about an answer the page could not use, said plainly. */
function explain(status: number, message: string): string {
  if (status === 401)
    return `${message} (Reclaim was restarted, or this page was opened without its link: open the link \`reclaim ui\` printed.)`;
  if (status === 413) return message;
  if (status >= 500) return `${message} Try again; if it keeps failing, restart reclaim ui.`;
  return message;
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
      headers: {
        'X-Reclaim-Key': key ?? '',
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      credentials: 'same-origin',
      signal: init.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(
      'Lost the connection to Reclaim: is it still running? Start `reclaim ui` again and open its link.',
      0,
      'connection',
    );
  }
  const text = await response.text();
  const value = jsonOrNull(text);
  if (!response.ok) throw failure(response, value, text);
  return value as T;
}

function jsonOrNull(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null; // not JSON
  }
}

/** The error of an answer that is not ok, in words that say what to do. */
function failure(response: Response, value: unknown, text: string): ApiError {
  const error = (value ?? {}) as Partial<ErrorBody>;
  return new ApiError(
    explain(response.status, error.error ?? (text || `${response.status} ${response.statusText}`)),
    response.status,
    error.code ?? 'failed',
  );
}

/** Fetches a file the API makes (a conversation's PDF) and hands it to the browser as a download. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const response = await fetch(path, {
    headers: { 'X-Reclaim-Key': key ?? '' },
    credentials: 'same-origin',
  });
  if (!response.ok) {
    const text = await response.text();
    throw failure(response, jsonOrNull(text), text);
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const named = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = named ? decodeURIComponent(named) : fallbackName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Follows a job's server-sent events until it ends. */
export function followJob<T>(job: string, onProgress: (p: JobProgress) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const source = new EventSource(signedUrl(`/api/jobs/${job}/events`));
    source.addEventListener('progress', (e) => onProgress(JSON.parse((e as MessageEvent).data)));
    source.addEventListener('done', (e) => {
      source.close();
      resolve(JSON.parse((e as MessageEvent).data));
    });
    source.addEventListener('error', (e) => {
      source.close();
      const data = (e as MessageEvent).data;
      if (data) {
        const parsed = JSON.parse(data) as Partial<ErrorBody>;
        reject(new ApiError(parsed.error ?? 'The work failed.', 0, parsed.code ?? 'failed'));
      } else
        reject(
          new ApiError(
            'Lost the connection to Reclaim: is it still running? Start `reclaim ui` again and open its link.',
            0,
            'connection',
          ),
        );
    });
  });
}

/** Starts a job (POST) and follows its server-sent events until it ends. */
export async function runJob<T>(
  path: string,
  body: unknown,
  onProgress: (p: JobProgress) => void,
  onStarted?: (jobId: string) => void,
): Promise<T> {
  const { job } = await api<JobStarted>(path, { body });
  onStarted?.(job);
  return followJob<T>(job, onProgress);
}

export const cancelJob = (id: string) => api(`/api/jobs/${id}/cancel`, { method: 'POST' });
