import { useState } from 'preact/hooks';
import type { BackupInfo, RecoverOutcome } from '../../../src/server/api-types.js';
import { cancelJob, runJob, type JobProgress } from '../api.js';
import { HashcatLine, searchStatus } from '../components/recover-extras.js';
import { ErrorState, ProgressBar } from '../common.js';
import { PasswordGuidance } from '../password-guidance.js';

/** A forgotten backup password: searched for here, from what the owner remembers. */
export function RecoverPage({
  summary,
  onUnlocked,
}: {
  summary: BackupInfo;
  onUnlocked: () => void;
}) {
  const [remember, setRemember] = useState('');
  const [mask, setMask] = useState('');
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [job, setJob] = useState<string | null>(null);
  const [result, setResult] = useState<RecoverOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reveal, setReveal] = useState(false);
  const [force, setForce] = useState(false);
  const [total, setTotal] = useState<number | null>(null);
  const start = async (e: Event, resume = false) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    setProgress({ message: 'Measuring this computer…' });
    try {
      const r = await runJob<RecoverOutcome>(
        `/api/backups/${summary.id}/recover`,
        { remember, mask, builtin: !remember && !mask, resume, force },
        (p) => {
          setProgress(p);
          if (typeof p.total === 'number') setTotal(p.total);
        },
        setJob,
      );
      setResult(r);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setJob(null);
    }
  };
  const rate =
    typeof progress?.rate === 'number' ? `${(progress.rate as number).toFixed(1)} guesses/s` : '';
  return (
    <section class="page recover">
      <h1>Recover the backup password</h1>
      <p class="lead">
        Reclaim tries the passwords you might have used, here on this computer. Every guess takes
        real work (Apple made it slow on purpose), so tell it what you remember.
      </p>
      <form onSubmit={start}>
        <label for="remember">
          What you remember (e.g. <code>summer{'{2019,2020}'}!</code> or words and numbers you use)
        </label>
        <input
          id="remember"
          value={remember}
          onInput={(e) => setRemember((e.currentTarget as HTMLInputElement).value)}
          disabled={!!job}
        />
        <label for="mask">
          Or a mask (hashcat style, e.g. <code>?d?d?d?d</code> for 4 digits)
        </label>
        <input
          id="mask"
          value={mask}
          onInput={(e) => setMask((e.currentTarget as HTMLInputElement).value)}
          disabled={!!job}
        />
        <p class="hint">With neither, Reclaim tries common PINs, dates and keyboard patterns.</p>
        <label class="check">
          <input
            type="checkbox"
            checked={force}
            disabled={!!job}
            onChange={(e) => setForce((e.currentTarget as HTMLInputElement).checked)}
          />{' '}
          Allow a large search (one that would take days or more on this computer)
        </label>
        <div class="row">
          <button type="submit" disabled={!!job}>
            Start
          </button>
          {job && (
            <button type="button" class="secondary" onClick={() => cancelJob(job)}>
              Stop
            </button>
          )}
        </div>
      </form>
      {job && (
        <ProgressBar
          progress={{
            ...progress,
            message: `${progress?.message ?? ''} ${searchStatus(progress, total)} ${rate}`,
          }}
        />
      )}
      {error && <ErrorState message={`The password search stopped: ${error}`} />}
      {result &&
        (result.found ? (
          <div class="state success" role="status">
            <strong>Found it — the backup is unlocked.</strong>{' '}
            {reveal ? (
              <code class="secret">{result.password}</code>
            ) : (
              <button type="button" class="link" onClick={() => setReveal(true)}>
                Show the password
              </button>
            )}
            <p>
              <button type="button" onClick={onUnlocked}>
                Open the backup
              </button>
            </p>
          </div>
        ) : (
          <div class="state empty">
            {result.refused ??
              (result.stopped
                ? `Stopped after ${result.tried.toLocaleString()} guesses.`
                : `Not found among ${result.tried.toLocaleString()} guesses.`)}
            {result.stopped && !result.refused && (
              <p>
                <button type="button" onClick={(e) => start(e, true)}>
                  Resume
                </button>{' '}
                (goes on from where it stopped, with the same answers above)
              </p>
            )}
          </div>
        ))}
      {result?.guidance && <PasswordGuidance guidance={result.guidance} summary={false} />}
      <HashcatLine backup={summary.id} />
      <p>
        <a href={`#/b/${summary.id}`}>Back to the password</a>
      </p>
    </section>
  );
}
