import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { ExitCode, ReclaimError } from '../errors.js';
import { answerError, onlyErrors, TooLargeError } from './http-errors.js';
import { Jobs } from './jobs.js';
import type { RouteDeps } from './requests.js';
import { webDistDir } from './root.js';
import { artifactRoutes } from './routes/artifacts.js';
import { authenticate, localOnly, Sessions } from './routes/auth.js';
import { backupRoutes } from './routes/backups.js';
import { conversationRoutes } from './routes/conversations.js';
import { eventRoutes } from './routes/events.js';
import { fileRoutes } from './routes/files.js';
import { historyRoutes } from './routes/history.js';
import { itemRoutes } from './routes/items.js';
import { passwordRoutes } from './routes/password.js';
import { photoRoutes } from './routes/photos.js';
import { rescueRoutes } from './routes/rescue.js';
import { saveRoutes } from './routes/save.js';
import { timeRoutes } from './routes/time.js';
import { webRoutes } from './routes/web.js';
import type { UiSession } from './session.js';

/** The largest request body (a selection of every item of a very large backup fits well within it). */
const MAX_BODY = 4 * 1024 * 1024;

export interface AppOptions {
  session: UiSession;
  /** The token printed with the URL; a fresh random one when not given. */
  token?: string;
  /** The port the server listens on (known after listen; Host headers must name it). */
  port: () => number;
  /** Built front end (default dist/web). */
  webDir?: string;
  /** Show times in UTC (--utc) rather than this computer's zone. */
  utc?: boolean;
}

/** The UI server: local-only and token-guarded, its routes in ./routes, every error answered by one handler. */
export function createApp(options: AppOptions): { app: Hono; token: string; jobs: Jobs } {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const deps: RouteDeps = { session: options.session, jobs: new Jobs() };
  const app = new Hono();
  app.onError(answerError);
  app.use('*', onlyErrors);
  app.use('*', localOnly(options.port));
  app.use('*', authenticate(new Sessions(token)));
  app.use('*', compress());
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY,
      onError: () => {
        throw new TooLargeError(
          `The request is too large (over ${MAX_BODY / 1024 / 1024} MB): select fewer items at a time.`,
        );
      },
    }),
  );

  app.route('/api/artifacts', artifactRoutes());
  app.route('/api/backups', backupRoutes(deps));
  app.route('/api/backups', passwordRoutes(deps));
  app.route('/api/backups', itemRoutes(deps));
  app.route('/api/backups', fileRoutes(deps));
  app.route('/api/backups', photoRoutes(deps));
  app.route('/api/backups', conversationRoutes(deps));
  app.route('/api/backups', saveRoutes(deps));
  app.route('/api/rescue-plan', rescueRoutes(deps));
  app.route('/api/history', historyRoutes(deps));
  app.route('/api/jobs', eventRoutes(deps));
  app.route('/api/time', timeRoutes(options.utc === true));
  app.all('/api/*', () => {
    throw new ReclaimError('No such API.', ExitCode.notFound);
  });
  app.route('/', webRoutes(options.webDir ?? webDistDir()));

  return { app, token, jobs: deps.jobs };
}
