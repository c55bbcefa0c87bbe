import { Hono } from 'hono';
import { passwordGuidance } from '../../device/password-guidance.js';
import { ExitCode, ReclaimError, SearchTooLongError } from '../../errors.js';
import { formatHashLine, hashTargetFromKeybag } from '../../password/hash-line.js';
import { recoverPassword } from '../../password/recover.js';
import type { HashLineResponse, RecoverOutcome, UnlockResult } from '../api-types.js';
import { handleOf, readBody, startJob, type RouteDeps } from '../requests.js';

/** /api/backups/:id/{unlock,recover}: the password of an encrypted backup, typed or recovered. */
export function passwordRoutes({ session, jobs }: RouteDeps): Hono {
  const routes = new Hono();

  routes.post('/:id/unlock', async (c) => {
    const handle = handleOf(session, c);
    const password = (await readBody(c))['password'];
    if (typeof password !== 'string' || password.length === 0)
      throw new ReclaimError('Type the backup password.', ExitCode.usage);
    return startJob(c, jobs, 'unlock', async (job): Promise<UnlockResult> => {
      if (!handle.locked) return { unlocked: true };
      job.progress({
        stage: 'derive',
        message: 'Deriving the key from the password (this takes a few seconds)…',
      });
      await handle.backup.unlock({ password });
      job.progress({ stage: 'index', message: 'Reading the backup index…' });
      const files = handle.backup.fileCount();
      return { unlocked: true, files };
    });
  });

  routes.post('/:id/recover', async (c) => {
    const handle = handleOf(session, c);
    const request = await readBody(c);
    if (!handle.backup.encrypted || !handle.backup.keybag)
      throw new ReclaimError(
        'This backup is not encrypted: it has no password to find.',
        ExitCode.usage,
      );
    if (!handle.locked) throw new ReclaimError('This backup is already unlocked.', ExitCode.usage);
    const text = (key: string) => {
      const value = request[key];
      return typeof value === 'string' && value.trim() ? value : undefined;
    };
    const target = hashTargetFromKeybag(handle.backup.keybag);
    const plan = {
      remember: text('remember'),
      mask: text('mask'),
      builtin: request['builtin'] === true || (!text('remember') && !text('mask')),
    };
    return startJob(c, jobs, 'recover', async (job): Promise<RecoverOutcome> => {
      const guide = { backup: handle.dir, hashVersion: target.version };
      const result = await recoverPassword({
        target,
        plan,
        // Resume: go on from where the same search was stopped. Force: allow a search of days or more.
        resume: request['resume'] === true,
        force: request['force'] === true,
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
      }).catch((error: unknown) => {
        // Too long to run: not a failure of the page, the guidance says what else there is.
        if (!(error instanceof SearchTooLongError)) throw error;
        const { eta, rate } = error;
        const guidance = passwordGuidance({ ...guide, situation: 'too-long', eta, rate });
        return { refused: error.message, guidance };
      });
      if ('refused' in result)
        return { found: false, stopped: false, tried: 0, seconds: 0, password: null, ...result };
      if (result.found && result.password !== null) {
        job.progress({ stage: 'unlock', message: 'Found it. Unlocking the backup…' });
        await handle.backup.unlock({ password: result.password });
      }
      const { found, stopped, tried, seconds, password } = result;
      const guidance =
        found || stopped
          ? null
          : passwordGuidance({ ...guide, situation: 'not-found', tried: result.tried });
      return { found, stopped, tried, seconds, password, guidance };
    });
  });

  routes.get('/:id/hash-line', (c) => {
    const handle = handleOf(session, c);
    if (!handle.backup.encrypted || !handle.backup.keybag)
      throw new ReclaimError(
        'This backup is not encrypted: it has no password hash.',
        ExitCode.usage,
      );
    const target = hashTargetFromKeybag(handle.backup.keybag);
    const line = formatHashLine(target);
    const mode = target.version === 10 ? 14800 : 14700;
    return c.json({
      line,
      hashcat: `hashcat -m ${mode} -a 3 backup.hash ?d?d?d?d?d?d`,
      john: 'john --format=itunes-backup backup.hash',
    } satisfies HashLineResponse);
  });

  return routes;
}
