import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** An HTTP request with full control of the headers (fetch does not let a test set Host). */
export function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** What a page holds after opening the launch link: the session cookie, and the key from the fragment. */
export interface Auth {
  cookie: string;
  key: string;
  /** Both, as request headers. */
  headers: Record<string, string>;
  /** The first answer, as it came (its Set-Cookie and Location). */
  setCookie: string;
  location: string;
}

/** Exchanges the launch token for the session, as a browser does on the first load. */
export async function login(launchUrl: string): Promise<Auth> {
  const res = await raw(launchUrl);
  if (res.status !== 302) throw new Error(`login failed: ${res.status}`);
  const setCookie = String(res.headers['set-cookie'] ?? '');
  const location = String(res.headers['location'] ?? '');
  const cookie = setCookie.split(';')[0]!;
  const key = /#key=([\w-]+)$/.exec(location)?.[1] ?? '';
  return { cookie, key, headers: { cookie, 'x-reclaim-key': key }, setCookie, location };
}

/** Follows a job's server-sent events to its end; returns the last event. */
export async function followJob(
  base: string,
  auth: Auth,
  job: string,
): Promise<{ type: string; data: Record<string, any>; progress: Record<string, any>[] }> {
  const res = await fetch(`${base}api/jobs/${job}/events`, { headers: auth.headers });
  const text = await res.text();
  const events = text
    .split('\n\n')
    .filter((b) => b.trim())
    .map((block) => {
      const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}');
      return { type, data };
    });
  const last = events[events.length - 1]!;
  return { ...last, progress: events.filter((e) => e.type === 'progress').map((e) => e.data) };
}
