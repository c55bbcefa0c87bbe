import { useEffect, useRef, useState } from 'preact/hooks';
import type { BackupInfo, UnlockResult } from '../../../src/server/api-types.js';
import { ApiError, runJob, type JobProgress } from '../api.js';
import { ProgressBar } from '../common.js';

/** An encrypted backup: the password, typed here and never kept. */
export function UnlockPage({
  summary,
  onUnlocked,
}: {
  summary: BackupInfo;
  onUnlocked: () => void;
}) {
  const [password, setPassword] = useState('');
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await runJob<UnlockResult>(`/api/backups/${summary.id}/unlock`, { password }, setProgress);
      setPassword('');
      onUnlocked();
    } catch (err) {
      setError(err as ApiError);
      setProgress(null);
      input.current?.select();
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="page unlock">
      <h1>Unlock {summary.deviceName ?? 'this backup'}</h1>
      <p class="lead">
        This backup is encrypted. Type the password that was set for encrypted backups (in Finder or
        iTunes) — it is often not the phone's passcode. It is used only here, on this computer, and
        never stored.
      </p>
      <form onSubmit={submit}>
        <label for="password">Backup password</label>
        <div class="row">
          <input
            id="password"
            ref={input}
            type="password"
            autocomplete="off"
            value={password}
            disabled={busy}
            onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
            aria-invalid={error?.code === 'wrong-password'}
            aria-describedby="unlock-error"
          />
          <button type="submit" disabled={busy || !password}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
        </div>
        {busy && <ProgressBar progress={progress ?? { message: 'Starting…' }} />}
        {error && (
          <p id="unlock-error" class="error-text" role="alert">
            {error.code === 'wrong-password'
              ? 'Wrong password: it does not unlock this backup. Try again.'
              : error.message}
          </p>
        )}
      </form>
      <p>
        Forgot the password? <a href={`#/b/${summary.id}/recover`}>Try to recover it</a> from what
        you remember.
      </p>
      {summary.demo && <p class="hint">This is the demo backup: its password is “reclaim-demo”.</p>}
      <p>
        <a href="#/">Back to the backups</a>
      </p>
    </section>
  );
}
