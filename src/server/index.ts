import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { DataSource } from '../sources/data-source.js';
import { createApp } from './app.js';
import { UiSession } from './session.js';

export { createApp } from './app.js';
export { UiSession } from './session.js';

export interface UiServer {
  url: string;
  /** The URL with the token: the one link that lets a browser in. */
  launchUrl: string;
  port: number;
  token: string;
  session: UiSession;
  close(): Promise<void>;
}

export interface UiServerOptions {
  /** A backup (or a folder of backups) to show first. */
  path?: string;
  /** 0 or absent: a free port chosen by the system. */
  port?: number;
  token?: string;
  /** Where to look for backups (default: where iTunes / Finder put them). */
  roots?: string[];
  includeDemo?: boolean;
  webDir?: string;
  /** A backup (unlocked) or an iCloud export already opened by `reclaim start`: the page shows it straight away. */
  opened?: DataSource;
  /** Show times in UTC (--utc) rather than this computer's zone. */
  utc?: boolean;
}

/** Starts the UI server on 127.0.0.1; nothing else on the network can reach it. */
export async function startUiServer(options: UiServerOptions = {}): Promise<UiServer> {
  const session = new UiSession({
    roots: options.roots,
    initialPath: options.path,
    includeDemo: options.includeDemo,
    opened: options.opened,
  });
  let port = 0;
  const { app, token, jobs } = createApp({
    session,
    token: options.token,
    port: () => port,
    webDir: options.webDir,
    utc: options.utc,
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: options.port ?? 0 }, () =>
      resolve(s),
    );
    s.once('error', reject);
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  let closed = false;
  return {
    url,
    launchUrl: `${url}?token=${token}`,
    port,
    token,
    session,
    async close() {
      if (closed) return;
      closed = true;
      jobs.cancelAll();
      await new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      });
      session.dispose();
    },
  };
}
